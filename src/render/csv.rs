//! The CSV writer: a header row, then one row per hit, document, facet value, incident,
//! period or batch line, with RFC 4180 quoting and CRLF line ends (the `csv` crate: commas,
//! quotes and line breaks inside a field are quoted), columns that load into a spreadsheet.
//! `events` follows ACLED's export columns where they have a counterpart. Several values in
//! one cell (a document's provinces) are joined with "; ".

use std::io::{self, Write};

use super::{Format, Render};
use crate::analysis::events::EventType;
use crate::analysis::story::story_name;
use crate::incidents::Incident;
use crate::incidents::timeline::Timeline;
use crate::index::StoredDoc;
use crate::search::census::BatchRow;
use crate::search::{FacetCounts, FacetField, SearchResults};
use crate::tag::EntityKind;
use crate::tag::PerKind;

/// The CSV writer.
pub struct Csv<W: Write> {
    out: csv::Writer<W>,
}

impl<W: Write> Csv<W> {
    pub fn new(w: W) -> Self {
        Csv {
            // RFC 4180 ends records with CRLF (the crate's default is LF).
            out: csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(w),
        }
    }

    fn row<I, T>(&mut self, fields: I) -> io::Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        self.out.write_record(fields).map_err(to_io)
    }
}

/// The header cells of the entity kinds (`provinces`, `groups`, `forces`).
fn kind_headers() -> impl Iterator<Item = String> {
    EntityKind::all().map(|k| k.spec().plural.to_string())
}

/// A document's tags, one cell per kind.
fn kind_cells(tags: &PerKind<Vec<String>>) -> impl Iterator<Item = String> + '_ {
    tags.iter().map(|(_, v)| v.join("; "))
}

impl<W: Write> Render for Csv<W> {
    fn format(&self) -> Format {
        Format::Csv
    }

    fn search(&mut self, r: &SearchResults, offset: usize) -> io::Result<()> {
        let mut header: Vec<String> = [
            "rank", "doc", "passage", "start", "end", "score", "date", "title", "section",
        ]
        .map(String::from)
        .to_vec();
        // In any-word mode, how many of the query's words each hit has.
        let counted = r.words.is_some();
        if counted {
            header.push("words_matched".to_string());
        }
        header.extend(kind_headers());
        header.extend(["story", "url", "path", "snippet", "text"].map(String::from));
        self.row(&header)?;
        for (i, h) in r.hits.iter().enumerate() {
            let mut row = vec![
                (offset + i + 1).to_string(),
                h.doc.clone(),
                h.passage.to_string(),
                h.start.to_string(),
                h.end.to_string(),
                format!("{:.4}", h.score),
                h.date.clone().unwrap_or_default(),
                h.title.clone(),
                h.section.clone().unwrap_or_default(),
            ];
            if counted {
                row.push(h.words_matched.unwrap_or_default().to_string());
            }
            row.extend(kind_cells(&h.tags));
            row.extend([
                h.story.clone(),
                h.url.clone().unwrap_or_default(),
                h.path.clone(),
                h.snippet.clone(),
                h.text.clone(),
            ]);
            self.row(&row)?;
        }
        Ok(())
    }

    fn docs(&mut self, docs: &[StoredDoc]) -> io::Result<()> {
        let mut header: Vec<String> = ["doc", "date", "passages", "title"]
            .map(String::from)
            .to_vec();
        header.extend(kind_headers());
        header.extend(["story", "url", "path"].map(String::from));
        self.row(&header)?;
        for d in docs {
            let mut row = vec![
                d.doc_id.clone(),
                d.date.clone().unwrap_or_default(),
                d.meta.passages.to_string(),
                d.meta.title.clone(),
            ];
            row.extend(kind_cells(&d.meta.tags));
            row.extend([
                story_name(d.story),
                d.meta.url.clone().unwrap_or_default(),
                d.path.clone(),
            ]);
            self.row(&row)?;
        }
        Ok(())
    }

    fn facets(&mut self, counts: &FacetCounts, fields: &[FacetField]) -> io::Result<()> {
        self.row(["field", "value", "count"])?;
        for f in fields {
            for c in counts.field(*f) {
                self.row([f.name(), c.value.as_str(), &c.count.to_string()])?;
            }
        }
        Ok(())
    }

    fn events(&mut self, events: &[Incident], _total: usize) -> io::Result<()> {
        write_events(&mut self.out, events)
    }

    fn timeline(&mut self, t: &Timeline) -> io::Result<()> {
        self.row(["start", "period", "value"])?;
        for b in &t.buckets {
            self.row([b.start.as_str(), b.label.as_str(), &b.value.to_string()])?;
        }
        Ok(())
    }

    fn batch(&mut self, rows: &mut dyn Iterator<Item = BatchRow>) -> io::Result<()> {
        self.row([
            "line",
            "text",
            "query",
            "mode",
            "fallback",
            "documents",
            "passages",
            "stories",
            "first",
            "last",
        ])?;
        for r in rows {
            let c = &r.census;
            let mode = match c.mode {
                crate::search::Mode::All => "all",
                crate::search::Mode::Any => "any",
            };
            self.row([
                r.line.to_string(),
                r.text.clone(),
                c.query.clone(),
                mode.to_string(),
                c.fallback.to_string(),
                c.documents.len().to_string(),
                c.passages.to_string(),
                c.stories.to_string(),
                c.first.map(|d| d.to_string()).unwrap_or_default(),
                c.last.map(|d| d.to_string()).unwrap_or_default(),
            ])?;
            // A row as soon as it is counted, for a program reading the pipe.
            self.out.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// ACLED's actors: actor 1 is the side that acts — the state's forces for air and drone
/// strikes, shelling and military operations, the armed group otherwise — and actor 2 the
/// other side (else a second actor of the first side). Actor 1 is left empty when durand
/// names nobody on the acting side ("police" killed in a bombing are actor 2, not its
/// bomber).
fn acled_actors(e: &Incident, first: Option<EventType>) -> (&str, &str) {
    let state_led = matches!(
        first,
        Some(
            EventType::AirStrike
                | EventType::DroneStrike
                | EventType::Shelling
                | EventType::MilitaryOperation
        )
    );
    let side = |state: bool| -> Vec<&str> {
        e.actors
            .iter()
            .filter(|(plural, _)| {
                EntityKind::all().any(|k| k.spec().plural == **plural && k.spec().state == state)
            })
            .flat_map(|(_, names)| names.iter().map(String::as_str))
            .collect()
    };
    let (acting, other) = (side(state_led), side(!state_led));
    let actor1 = acting.first().copied().unwrap_or("");
    let actor2 = other
        .first()
        .or_else(|| acting.get(1))
        .copied()
        .unwrap_or("");
    (actor1, actor2)
}

/// ACLED's event type for one of durand's (sub-event) types.
fn acled_event_type(t: EventType) -> &'static str {
    match t {
        EventType::AirStrike | EventType::DroneStrike | EventType::Shelling => {
            "Explosions/Remote violence"
        }
        EventType::SuicideBombing | EventType::Bombing => "Explosions/Remote violence",
        EventType::ArmedClash | EventType::MilitaryOperation => "Battles",
        EventType::TargetedKilling | EventType::Abduction | EventType::OtherViolence => {
            "Violence against civilians"
        }
        EventType::Protest => "Protests",
    }
}

fn to_io(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// Incidents, one row each.
fn write_events<W: Write>(out: &mut csv::Writer<W>, events: &[Incident]) -> io::Result<()> {
    out.write_record([
        "event_id",
        "event_date",
        "time_precision",
        "event_type",
        "sub_event_type",
        "actor1",
        "actor2",
        "country",
        "admin1",
        "admin2",
        "location",
        "fatalities",
        "fatalities_low",
        "fatalities_high",
        "injuries",
        "source_count",
        "report_count",
        "notes",
    ])
    .map_err(to_io)?;
    for e in events {
        let first = e.types.first().copied();
        let (actor1, actor2) = acled_actors(e, first);
        let number = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
        // ACLED's time precision: 1 day, 2 week or so, 3 month or more.
        let precision = match e.date_precision {
            Some(crate::date::Precision::Day) => "1",
            Some(_) => "3",
            None => "",
        };
        out.write_record([
            e.id.as_str(),
            e.date.as_deref().unwrap_or(""),
            precision,
            first.map_or("", acled_event_type),
            &e.types
                .iter()
                .map(|t| t.as_str())
                .collect::<Vec<_>>()
                .join("; "),
            actor1,
            actor2,
            e.country.as_deref().unwrap_or(""),
            e.province.as_deref().unwrap_or(""),
            e.place.as_deref().unwrap_or(""),
            e.place.as_deref().or(e.province.as_deref()).unwrap_or(""),
            &number(e.killed.best),
            &number(e.killed.low),
            &number(e.killed.high),
            &number(e.wounded.best),
            &e.sources.to_string(),
            &e.reports.len().to_string(),
            &e.headline,
        ])
        .map_err(to_io)?;
    }
    Ok(())
}
