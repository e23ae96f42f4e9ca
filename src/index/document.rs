//! The bridge between analysed documents and tantivy: [`records`] turns an [`Analysed`]
//! document into its document record and passage records; [`StoredDoc`] and
//! [`StoredPassage`] read them back, so a hit renders without reopening its source file. A
//! record that does not read back is an error, never an empty default.

use serde::{Deserialize, Serialize};
use tantivy::TantivyDocument;
use tantivy::schema::{Facet, Field, Value};
use xxhash_rust::xxh3::xxh3_64;

use super::schema::{Fields, KIND_DOC, KIND_PASSAGE};
use crate::analysis::casualty::CasualtyKind;
use crate::analysis::events::EventType;
use crate::analysis::story::Signature;
use crate::analysis::{Analysed, CasualtyRecord, DateSource, EntitySummary, EventRecord};
use crate::corpus::RawDoc;
use crate::date::{PartialDate, Precision};
use crate::tag::{EntityKind, Mention, PerKind, facets_of};

/// A stretch of the source that cleaning removed, kept for `show --raw`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemovedText {
    pub reason: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Everything about a document that is not searched, stored as JSON on its record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocMeta {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub byline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dateline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_source: Option<DateSource>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub infobox: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<RemovedText>,
    pub passages: u32,
    /// The canonical tags per entity kind (`provinces`, `groups`, `forces`).
    #[serde(flatten)]
    pub tags: PerKind<Vec<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entities: Vec<EntitySummary>,
    /// The event types the document reports.
    #[serde(default)]
    pub event_types: Vec<EventType>,
    /// Every casualty figure of the document, title included, each once.
    #[serde(default)]
    pub casualties: Vec<CasualtyRecord>,
    /// Whether the title itself gives a toll of the incident it reports (a figure the body
    /// repeats is listed as the body tells it, so `casualties` cannot say).
    #[serde(default)]
    pub title_toll: bool,
}

/// A document ready to be added: its records and a few numbers for the summary.
pub struct Prepared {
    pub id: String,
    pub passages: usize,
    /// Passage records first, the document record last; the story id is added to each when
    /// the document's story is known ([`Prepared::set_story`]).
    pub records: Vec<TantivyDocument>,
    pub signature: Signature,
    /// The document's date as a day number, when it is dated to the day (a story group spans
    /// at most a week).
    pub day: Option<i32>,
}

impl Prepared {
    /// Adds the story id to every record and the signature's bands to the document record.
    pub fn set_story(&mut self, f: &Fields, story: u64) {
        for r in &mut self.records {
            r.add_u64(f.story, story);
        }
        if let Some(doc) = self.records.last_mut() {
            for band in self.signature.bands() {
                doc.add_u64(f.story_band, u64::from(band));
            }
            if !self.signature.is_empty() {
                doc.add_bytes(f.minhash, &self.signature.to_bytes());
            }
        }
    }
}

fn add_date(record: &mut TantivyDocument, f: &Fields, date: Option<PartialDate>) {
    if let Some(d) = date {
        let (lo, hi) = d.bounds();
        record.add_text(f.date, d.iso());
        record.add_u64(f.date_lo, lo);
        record.add_u64(f.date_hi, hi);
    }
}

/// The document record and passage records of an analysed document.
pub fn records(raw: &RawDoc, a: &Analysed, f: &Fields) -> Prepared {
    let date = a.date.map(|(d, _)| d);
    let doc_hash = xxh3_64(raw.id.as_bytes());
    let doc_facets: PerKind<Vec<Vec<String>>> =
        PerKind::from_fn(|k| a.tagged.facets(k).into_iter().collect());
    let event_types = a.event_types();
    let per_passage: Vec<Vec<CasualtyRecord>> = (0..a.passages.len())
        .map(|i| a.passage_casualties(i))
        .collect();
    let casualties = a.casualties_of(&per_passage);
    // Floods and road accidents kill, but only a document that reports violence has a
    // conflict toll.
    let killed = if event_types.is_empty() {
        0
    } else {
        crate::analysis::toll(&casualties, CasualtyKind::Killed).unwrap_or(0)
    };
    let title_keys: Vec<String> = a
        .tagged
        .title_mentions
        .iter()
        .filter_map(Mention::key)
        .collect();

    let mut records = Vec::with_capacity(a.passages.len() + 1);
    for (p, own) in a.passage_mentions() {
        let mut r = TantivyDocument::new();
        r.add_u64(f.kind, KIND_PASSAGE);
        r.add_text(f.doc_id, &raw.id);
        // The file, without a JSONL line: lines shift when records above are added or
        // removed, and the document id finds the record.
        r.add_text(f.path, &raw.file);
        if let Some(url) = &raw.url {
            r.add_text(f.url, url);
        }
        r.add_u64(f.ord, p.ord as u64);
        r.add_text(f.title, &a.doc.title);
        r.add_text(f.text, &a.doc.text[p.range.clone()]);
        r.add_u64(
            f.vector_key,
            crate::embed::key(&a.doc.title, &a.doc.text[p.range.clone()]),
        );
        if let Some(section) = &p.section {
            r.add_text(f.section, section);
        }
        r.add_u64(f.start, p.range.start as u64);
        r.add_u64(f.end, p.range.end as u64);
        add_date(&mut r, f, date);
        r.add_u64(f.doc_hash, doc_hash);
        r.add_u64(f.year, date.map_or(0, |d| d.year as u64));
        for (kind, paths) in doc_facets.iter() {
            for path in paths {
                r.add_facet(f.entity(kind, false), Facet::from_path(path));
            }
            for path in facets_of(own.iter(), kind) {
                r.add_facet(f.entity(kind, true), Facet::from_path(&path));
            }
        }
        for key in own.iter().filter_map(Mention::key) {
            r.add_text(f.mention_keys, key);
        }
        for key in &title_keys {
            r.add_text(f.title_keys, key);
        }
        if !own.is_empty() {
            r.add_text(
                f.mentions,
                serde_json::to_string(&own).expect("mentions serialise"),
            );
        }
        for t in &event_types {
            r.add_facet(f.event_type, Facet::from_path([t.as_str()]));
        }
        let events = a.passage_events(p.ord as usize);
        if !events.is_empty() {
            r.add_text(
                f.events,
                serde_json::to_string(&events).expect("events serialise"),
            );
        }
        let own_figures = &per_passage[p.ord as usize];
        if !own_figures.is_empty() {
            r.add_text(
                f.casualties,
                serde_json::to_string(own_figures).expect("figures serialise"),
            );
        }
        r.add_u64(f.killed, u64::from(killed));
        records.push(r);
    }

    let meta = DocMeta {
        title: a.doc.title.clone(),
        source: raw.source.clone(),
        url: raw.url.clone(),
        byline: a.doc.byline.clone(),
        dateline: a.doc.dateline.clone(),
        date_source: a.date.map(|(_, s)| s),
        infobox: a.doc.infobox.clone(),
        removed: a
            .doc
            .removed
            .iter()
            .map(|r| RemovedText {
                reason: r.reason.as_str().to_string(),
                start: r.range.start,
                end: r.range.end,
                text: raw.text[r.range.clone()].to_string(),
            })
            .collect(),
        passages: a.passages.len() as u32,
        tags: a.tags(),
        entities: a.entities(),
        event_types,
        casualties,
        title_toll: a.title_gives_toll(),
    };
    let mut record = TantivyDocument::new();
    record.add_u64(f.kind, KIND_DOC);
    record.add_text(f.doc_key, &raw.id);
    record.add_text(f.file, &raw.file);
    record.add_text(f.path, &raw.file);
    record.add_u64(f.fingerprint, raw.stamp);
    record.add_text(
        f.meta,
        serde_json::to_string(&meta).expect("metadata serialises"),
    );
    add_date(&mut record, f, date);
    records.push(record);

    Prepared {
        id: raw.id.clone(),
        passages: a.passages.len(),
        records,
        signature: a.signature.clone(),
        day: date.and_then(|d| d.day_number()),
    }
}

/// A stored record that does not read back.
#[derive(Debug, thiserror::Error)]
#[error("a stored {record} record does not read back ({detail})")]
pub struct RecordError {
    pub record: &'static str,
    pub detail: String,
}

fn text(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str().map(str::to_string))
}

/// A number every record of its kind has.
fn number(
    doc: &TantivyDocument,
    field: Field,
    record: &'static str,
    name: &str,
) -> Result<u64, RecordError> {
    doc.get_first(field)
        .and_then(|v| v.as_u64())
        .ok_or_else(|| RecordError {
            record,
            detail: format!("no {name}"),
        })
}

/// A field every record of its kind has.
fn required(
    doc: &TantivyDocument,
    field: Field,
    record: &'static str,
    name: &str,
) -> Result<String, RecordError> {
    text(doc, field).ok_or_else(|| RecordError {
        record,
        detail: format!("no {name}"),
    })
}

/// True for a document record, false for a passage (`kind` is not stored; `doc_key` is only
/// on document records).
pub fn is_doc_record(doc: &TantivyDocument, f: &Fields) -> bool {
    doc.get_first(f.doc_key).is_some()
}

/// A passage as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPassage {
    pub doc_id: String,
    pub ord: u32,
    pub title: String,
    pub text: String,
    pub section: Option<String>,
    pub path: String,
    /// The article's address, when the source gave one.
    pub url: Option<String>,
    pub date: Option<String>,
    /// Byte range in the document's cleaned text.
    pub start: usize,
    pub end: usize,
    /// The document's canonical tags per kind.
    pub tags: PerKind<Vec<String>>,
    /// What the passage itself mentions; ranges into `text`.
    pub mentions: Vec<Mention>,
    /// The event types the passage reports; ranges into `text`.
    pub events: Vec<EventRecord>,
    /// The casualty figures the passage reports; ranges into `text`.
    pub casualties: Vec<CasualtyRecord>,
    /// The document's story group.
    pub story: u64,
}

/// Canonical names of a kind's stored tags: the unit level for places (`/Pakistan/Punjab` →
/// `Punjab`, below the country), the name for the others.
fn facet_names(
    doc: &TantivyDocument,
    field: Field,
    kind: EntityKind,
) -> Result<Vec<String>, RecordError> {
    let depth = if kind.spec().places { 2 } else { 1 };
    let mut out = Vec::new();
    for value in doc.get_all(field) {
        let Some(encoded) = value.as_facet() else {
            continue;
        };
        let facet = Facet::from_encoded(encoded.as_bytes().to_vec()).map_err(|e| RecordError {
            record: "passage",
            detail: format!("{} tag: {e}", kind.name()),
        })?;
        let parts = facet.to_path();
        if parts.len() == depth {
            out.push(parts[depth - 1].to_string());
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// A JSON list stored in `field`, empty when absent.
fn json_list<T: serde::de::DeserializeOwned>(
    doc: &TantivyDocument,
    field: Field,
    name: &str,
) -> Result<Vec<T>, RecordError> {
    match text(doc, field) {
        Some(m) => serde_json::from_str(&m).map_err(|e| RecordError {
            record: "passage",
            detail: format!("{name}: {e}"),
        }),
        None => Ok(Vec::new()),
    }
}

impl StoredPassage {
    pub fn from_stored(doc: &TantivyDocument, f: &Fields) -> Result<Self, RecordError> {
        Ok(StoredPassage {
            tags: PerKind::try_from_fn(|k| facet_names(doc, f.entity(k, false), k))?,
            mentions: json_list(doc, f.mentions, "mentions")?,
            events: json_list(doc, f.events, "events")?,
            casualties: json_list(doc, f.casualties, "casualties")?,
            story: number(doc, f.story, "passage", "story")?,
            doc_id: required(doc, f.doc_id, "passage", "document id")?,
            ord: u32::try_from(number(doc, f.ord, "passage", "number")?).map_err(|_| {
                RecordError {
                    record: "passage",
                    detail: "a passage number out of range".into(),
                }
            })?,
            title: required(doc, f.title, "passage", "title")?,
            text: required(doc, f.text, "passage", "text")?,
            section: text(doc, f.section),
            path: required(doc, f.path, "passage", "file")?,
            url: text(doc, f.url),
            date: text(doc, f.date),
            start: number(doc, f.start, "passage", "start")? as usize,
            end: number(doc, f.end, "passage", "end")? as usize,
        })
    }

    /// Precision of the date, from the ISO string's shape.
    pub fn date_precision(&self) -> Option<Precision> {
        self.date
            .as_deref()
            .and_then(PartialDate::parse_iso)
            .map(|d| d.precision())
    }
}

/// A document record as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDoc {
    pub doc_id: String,
    pub file: String,
    pub path: String,
    pub date: Option<String>,
    pub fingerprint: u64,
    /// The document's story group.
    pub story: u64,
    pub meta: DocMeta,
}

impl StoredDoc {
    pub fn from_stored(doc: &TantivyDocument, f: &Fields) -> Result<Self, RecordError> {
        let meta = required(doc, f.meta, "document", "metadata")?;
        let meta = serde_json::from_str(&meta).map_err(|e| RecordError {
            record: "document",
            detail: format!("metadata: {e}"),
        })?;
        Ok(StoredDoc {
            doc_id: required(doc, f.doc_key, "document", "document id")?,
            file: required(doc, f.file, "document", "file")?,
            path: required(doc, f.path, "document", "file")?,
            date: text(doc, f.date),
            fingerprint: number(doc, f.fingerprint, "document", "fingerprint")?,
            story: number(doc, f.story, "document", "story")?,
            meta,
        })
    }

    pub fn date_precision(&self) -> Option<Precision> {
        self.date
            .as_deref()
            .and_then(PartialDate::parse_iso)
            .map(|d| d.precision())
    }
}
