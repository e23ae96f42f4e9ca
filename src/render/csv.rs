//! The CSV writer for tables (`events`, `timeline`): a header row and RFC 4180 quoting (the
//! `csv` crate), with columns that load into the tools analysts use. `events` follows
//! ACLED's export columns where they have a counterpart.

use std::io::{self, Write};

use crate::analysis::events::EventType;
use crate::incidents::Incident;
use crate::incidents::timeline::Timeline;

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
pub fn events<W: Write>(w: W, events: &[Incident]) -> io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
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
        let actors: Vec<&String> = e.actors.values().flatten().collect();
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
            actors.first().map_or("", |a| a.as_str()),
            actors.get(1).map_or("", |a| a.as_str()),
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
    out.flush()
}

/// A timeline, one row per period.
pub fn timeline<W: Write>(w: W, t: &Timeline) -> io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(["start", "period", "value"])
        .map_err(to_io)?;
    for b in &t.buckets {
        out.write_record([b.start.as_str(), b.label.as_str(), &b.value.to_string()])
            .map_err(to_io)?;
    }
    out.flush()
}
