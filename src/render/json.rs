//! The JSON writer: exactly one JSON document per command on stdout, key names stable because
//! scripts depend on them. The keys of a document's tags come from the registry of entity
//! kinds (`provinces`, `groups`, `forces`).

use std::io::{self, Write};

use serde::Serialize;

use super::Render;
use crate::analysis::events::EventType;
use crate::analysis::story::story_name;
use crate::analysis::{CasualtyRecord, DateSource, EntitySummary, EventRecord};
use crate::bench::BenchReport;
use crate::date::Precision;
use crate::eval::EvalReport;
use crate::eval::events::EventReport;
use crate::eval::tags::TagReport;
use crate::incidents::Incident;
use crate::incidents::timeline::Timeline;
use crate::index::document::RemovedText;
use crate::index::sync::SyncSummary;
use crate::index::{StoredDoc, StoredPassage};
use crate::remote::push::PushSummary;
use crate::saved::{Alert, Broken, SavedRow};
use crate::search::census::BatchRow;
use crate::search::{FacetCount, FacetCounts, FacetField, Mode, SearchResults};
use crate::tag::PerKind;

/// Writes `value` as one line of JSON.
pub fn write<W: Write, T: Serialize + ?Sized>(w: &mut W, value: &T) -> io::Result<()> {
    // `From` keeps the I/O error's kind, so a closed pipe is still recognised as one.
    serde_json::to_writer(&mut *w, value).map_err(io::Error::from)?;
    w.write_all(b"\n")
}

/// What every description of a document starts with.
#[derive(Debug, Serialize)]
pub(crate) struct DocHead<'a> {
    pub doc: &'a str,
    pub title: &'a str,
    pub path: &'a str,
    pub date: Option<&'a str>,
    pub date_precision: Option<Precision>,
}

impl<'a> DocHead<'a> {
    pub fn new(d: &'a StoredDoc) -> Self {
        DocHead {
            doc: &d.doc_id,
            title: &d.meta.title,
            path: &d.path,
            date: d.date.as_deref(),
            date_precision: d.date_precision(),
        }
    }
}

/// A row of `durand docs --json`.
#[derive(Debug, Serialize)]
pub(crate) struct DocRow<'a> {
    #[serde(flatten)]
    pub head: DocHead<'a>,
    pub passages: u32,
    #[serde(flatten)]
    pub tags: &'a PerKind<Vec<String>>,
    /// The story group (shared by near-duplicate reports).
    pub story: String,
    /// The article's address, when the source gave one.
    pub url: Option<&'a str>,
}

impl<'a> DocRow<'a> {
    pub fn new(d: &'a StoredDoc) -> Self {
        DocRow {
            head: DocHead::new(d),
            passages: d.meta.passages,
            tags: &d.meta.tags,
            story: story_name(d.story),
            url: d.meta.url.as_deref(),
        }
    }
}

/// `durand docs --json`.
#[derive(Debug, Serialize)]
pub(crate) struct DocList<'a> {
    pub documents: Vec<DocRow<'a>>,
}

/// A passage in `durand show --json`.
#[derive(Debug, Serialize)]
pub(crate) struct ShowPassage<'a> {
    pub passage: u32,
    pub section: Option<&'a str>,
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
    pub events: &'a [EventRecord],
    pub casualties: &'a [CasualtyRecord],
}

/// `durand show --json`.
#[derive(Debug, Serialize)]
pub(crate) struct ShowDoc<'a> {
    #[serde(flatten)]
    pub head: DocHead<'a>,
    pub date_source: Option<DateSource>,
    pub source: Option<&'a str>,
    pub url: Option<&'a str>,
    pub byline: Option<&'a str>,
    pub dateline: Option<&'a str>,
    pub infobox: &'a [(String, String)],
    #[serde(flatten)]
    pub tags: &'a PerKind<Vec<String>>,
    /// Every entity and date with the texts it was found as.
    pub entities: &'a [EntitySummary],
    /// The event types the document reports.
    pub event_types: &'a [EventType],
    /// Every casualty figure, title included, each once.
    pub casualties: &'a [CasualtyRecord],
    pub story: String,
    pub passages: Vec<ShowPassage<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub removed: Option<&'a [RemovedText]>,
}

impl<'a> ShowDoc<'a> {
    pub fn new(d: &'a StoredDoc, passages: &'a [StoredPassage], raw: bool) -> Self {
        ShowDoc {
            head: DocHead::new(d),
            date_source: d.meta.date_source,
            source: d.meta.source.as_deref(),
            url: d.meta.url.as_deref(),
            byline: d.meta.byline.as_deref(),
            dateline: d.meta.dateline.as_deref(),
            infobox: &d.meta.infobox,
            tags: &d.meta.tags,
            entities: &d.meta.entities,
            event_types: &d.meta.event_types,
            casualties: &d.meta.casualties,
            story: story_name(d.story),
            passages: passages
                .iter()
                .map(|p| ShowPassage {
                    passage: p.ord,
                    section: p.section.as_deref(),
                    start: p.start,
                    end: p.end,
                    text: &p.text,
                    events: &p.events,
                    casualties: &p.casualties,
                })
                .collect(),
            removed: raw.then_some(d.meta.removed.as_slice()),
        }
    }
}

/// `durand facets --json`: `{"facets":{"province":[{"value","count"}],…}}`.
#[derive(Debug, Serialize)]
pub(crate) struct Facets<'a> {
    pub facets: std::collections::BTreeMap<&'static str, &'a [FacetCount]>,
}

/// `durand events --json`.
#[derive(Debug, Serialize)]
pub(crate) struct Events<'a> {
    /// Incidents before `--limit`.
    pub total: usize,
    pub events: &'a [Incident],
}

/// A row of `durand search --batch --json` (and of its JSON lines).
#[derive(Debug, Serialize)]
pub(crate) struct BatchJson<'a> {
    /// The line number in the file.
    pub line: usize,
    /// The line as written.
    pub text: &'a str,
    pub query: &'a str,
    pub mode: Mode,
    pub fallback: bool,
    pub documents: usize,
    pub passages: usize,
    pub stories: usize,
    pub first: Option<String>,
    pub last: Option<String>,
}

impl<'a> BatchJson<'a> {
    pub fn new(r: &'a BatchRow) -> Self {
        let c = &r.census;
        BatchJson {
            line: r.line,
            text: &r.text,
            query: &c.query,
            mode: c.mode,
            fallback: c.fallback,
            documents: c.documents.len(),
            passages: c.passages,
            stories: c.stories,
            first: c.first.map(|d| d.to_string()),
            last: c.last.map(|d| d.to_string()),
        }
    }
}

/// A facet value as one row (JSON lines and CSV).
#[derive(Debug, Serialize)]
pub(crate) struct FacetRow<'a> {
    pub field: &'static str,
    pub value: &'a str,
    pub count: usize,
}

impl<'a> FacetRow<'a> {
    pub fn all(counts: &'a FacetCounts, fields: &[FacetField]) -> Vec<FacetRow<'a>> {
        fields
            .iter()
            .flat_map(|f| {
                counts.field(*f).iter().map(|c| FacetRow {
                    field: f.name(),
                    value: &c.value,
                    count: c.count,
                })
            })
            .collect()
    }
}

/// The JSON writer.
pub struct Json<W: Write> {
    w: W,
}

impl<W: Write> Json<W> {
    pub fn new(w: W) -> Self {
        Json { w }
    }
}

impl<W: Write> Render for Json<W> {
    fn format(&self) -> super::Format {
        super::Format::Json
    }

    fn batch(&mut self, rows: &mut dyn Iterator<Item = BatchRow>) -> io::Result<()> {
        #[derive(Serialize)]
        struct Batch<'a> {
            queries: Vec<BatchJson<'a>>,
        }
        let rows: Vec<BatchRow> = rows.collect();
        let queries = rows.iter().map(BatchJson::new).collect();
        write(&mut self.w, &Batch { queries })
    }

    fn saved(&mut self, rows: &[SavedRow]) -> io::Result<()> {
        #[derive(Serialize)]
        struct Saved<'a> {
            saved: &'a [SavedRow],
        }
        write(&mut self.w, &Saved { saved: rows })
    }

    fn alerts(&mut self, alerts: &[Alert], broken: &[Broken]) -> io::Result<()> {
        #[derive(Serialize)]
        struct Alerts<'a> {
            alerts: &'a [Alert],
            broken: &'a [Broken],
        }
        write(&mut self.w, &Alerts { alerts, broken })
    }

    fn search(&mut self, r: &SearchResults, _offset: usize) -> io::Result<()> {
        write(&mut self.w, r)
    }

    fn docs(&mut self, docs: &[StoredDoc]) -> io::Result<()> {
        let list = DocList {
            documents: docs.iter().map(DocRow::new).collect(),
        };
        write(&mut self.w, &list)
    }

    fn show(&mut self, doc: &StoredDoc, passages: &[StoredPassage], raw: bool) -> io::Result<()> {
        write(&mut self.w, &ShowDoc::new(doc, passages, raw))
    }

    fn facets(&mut self, counts: &FacetCounts, fields: &[FacetField]) -> io::Result<()> {
        write(
            &mut self.w,
            &Facets {
                facets: counts.select(fields),
            },
        )
    }

    fn sync_summary(&mut self, s: &SyncSummary) -> io::Result<()> {
        write(&mut self.w, s)
    }

    fn push_summary(&mut self, s: &PushSummary) -> io::Result<()> {
        write(&mut self.w, s)
    }

    fn bench(&mut self, r: &BenchReport, _index: &str) -> io::Result<()> {
        write(&mut self.w, r)
    }

    fn eval(&mut self, r: &EvalReport) -> io::Result<()> {
        write(&mut self.w, r)
    }

    fn tag_eval(&mut self, r: &TagReport) -> io::Result<()> {
        write(&mut self.w, r)
    }

    fn event_eval(&mut self, r: &EventReport) -> io::Result<()> {
        write(&mut self.w, r)
    }

    fn events(&mut self, events: &[Incident], total: usize) -> io::Result<()> {
        write(&mut self.w, &Events { total, events })
    }

    fn timeline(&mut self, t: &Timeline) -> io::Result<()> {
        write(&mut self.w, t)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.w.flush()
    }
}
