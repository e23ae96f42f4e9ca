//! The bridge between the pipeline's plain data and tantivy documents: [`prepare`] runs
//! clean → passage on a [`RawDoc`] and builds the records to add; [`StoredDoc`] and
//! [`StoredPassage`] read them back, so a hit renders without reopening its source file.

use serde::{Deserialize, Serialize};
use tantivy::TantivyDocument;
use tantivy::schema::Value;

use super::schema::{Fields, KIND_DOC, KIND_PASSAGE};
use crate::clean::{CleanDoc, clean};
use crate::corpus::RawDoc;
use crate::date::{PartialDate, Precision, parse_date_value};
use crate::passage::{Passage, split};

/// Where a document's date came from, in order of trust.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// Front matter or the JSONL `date`.
    Metadata,
    /// A publication line or dateline in the text.
    Dateline,
    /// A wiki infobox `Date:` line.
    Infobox,
}

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
}

/// A document ready to be added: its records and a few numbers for the summary.
pub struct Prepared {
    pub id: String,
    pub passages: usize,
    pub records: Vec<TantivyDocument>,
}

/// The document date, by trust: metadata, dateline, infobox.
pub fn document_date(raw: &RawDoc, doc: &CleanDoc) -> Option<(PartialDate, DateSource)> {
    if let Some(d) = raw.date.as_deref().and_then(parse_date_value) {
        return Some((d, DateSource::Metadata));
    }
    if let Some(d) = doc.dateline.as_deref().and_then(parse_date_value) {
        return Some((d, DateSource::Dateline));
    }
    doc.infobox_value("date")
        .and_then(parse_date_value)
        .map(|d| (d, DateSource::Infobox))
}

fn add_date(record: &mut TantivyDocument, f: &Fields, date: Option<PartialDate>) {
    if let Some(d) = date {
        let (lo, hi) = d.bounds();
        record.add_text(f.date, d.iso());
        record.add_u64(f.date_lo, lo);
        record.add_u64(f.date_hi, hi);
    }
}

/// Cleans and splits `raw` and builds its document record and passage records.
pub fn prepare(raw: &RawDoc, f: &Fields) -> Prepared {
    let doc = clean(&raw.text, raw.title.as_deref());
    let passages = split(&doc);
    let dated = document_date(raw, &doc);
    let date = dated.map(|(d, _)| d);
    let location = raw.location();

    let mut records = Vec::with_capacity(passages.len() + 1);
    for p in &passages {
        records.push(passage_record(raw, &doc, p, &location, date, f));
    }

    let meta = DocMeta {
        title: doc.title.clone(),
        source: raw.source.clone(),
        url: raw.url.clone(),
        byline: doc.byline.clone(),
        dateline: doc.dateline.clone(),
        date_source: dated.map(|(_, s)| s),
        infobox: doc.infobox.clone(),
        removed: doc
            .removed
            .iter()
            .map(|r| RemovedText {
                reason: r.reason.as_str().to_string(),
                start: r.range.start,
                end: r.range.end,
                text: raw.text[r.range.clone()].to_string(),
            })
            .collect(),
        passages: passages.len() as u32,
    };
    let mut record = TantivyDocument::new();
    record.add_u64(f.kind, KIND_DOC);
    record.add_text(f.doc_key, &raw.id);
    record.add_text(f.file, &raw.file);
    record.add_text(f.path, &location);
    record.add_u64(f.fingerprint, raw.fingerprint);
    record.add_text(
        f.meta,
        serde_json::to_string(&meta).expect("metadata serialises"),
    );
    add_date(&mut record, f, date);
    records.push(record);

    Prepared {
        id: raw.id.clone(),
        passages: passages.len(),
        records,
    }
}

fn passage_record(
    raw: &RawDoc,
    doc: &CleanDoc,
    p: &Passage,
    location: &str,
    date: Option<PartialDate>,
    f: &Fields,
) -> TantivyDocument {
    let mut r = TantivyDocument::new();
    r.add_u64(f.kind, KIND_PASSAGE);
    r.add_text(f.doc_id, &raw.id);
    r.add_text(f.path, location);
    r.add_u64(f.ord, p.ord as u64);
    r.add_text(f.title, &doc.title);
    r.add_text(f.text, &doc.text[p.range.clone()]);
    if let Some(section) = &p.section {
        r.add_text(f.section, section);
    }
    r.add_u64(f.start, p.range.start as u64);
    r.add_u64(f.end, p.range.end as u64);
    add_date(&mut r, f, date);
    r
}

fn text(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str().map(str::to_string))
}

fn number(doc: &TantivyDocument, field: tantivy::schema::Field) -> u64 {
    doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0)
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
    pub date: Option<String>,
    /// Byte range in the document's cleaned text.
    pub start: usize,
    pub end: usize,
}

impl StoredPassage {
    pub fn from_stored(doc: &TantivyDocument, f: &Fields) -> Self {
        StoredPassage {
            doc_id: text(doc, f.doc_id).unwrap_or_default(),
            ord: number(doc, f.ord) as u32,
            title: text(doc, f.title).unwrap_or_default(),
            text: text(doc, f.text).unwrap_or_default(),
            section: text(doc, f.section),
            path: text(doc, f.path).unwrap_or_default(),
            date: text(doc, f.date),
            start: number(doc, f.start) as usize,
            end: number(doc, f.end) as usize,
        }
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
    pub meta: DocMeta,
}

impl StoredDoc {
    pub fn from_stored(doc: &TantivyDocument, f: &Fields) -> Self {
        let meta = text(doc, f.meta)
            .and_then(|m| serde_json::from_str(&m).ok())
            .unwrap_or_default();
        StoredDoc {
            doc_id: text(doc, f.doc_key).unwrap_or_default(),
            file: text(doc, f.file).unwrap_or_default(),
            path: text(doc, f.path).unwrap_or_default(),
            date: text(doc, f.date),
            fingerprint: number(doc, f.fingerprint),
            meta,
        }
    }

    pub fn date_precision(&self) -> Option<Precision> {
        self.date
            .as_deref()
            .and_then(PartialDate::parse_iso)
            .map(|d| d.precision())
    }
}
