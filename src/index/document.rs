//! The bridge between the pipeline's plain data and tantivy documents: [`prepare`] runs
//! clean → passage on a [`RawDoc`] and builds the records to add; [`StoredDoc`] and
//! [`StoredPassage`] read them back, so a hit renders without reopening its source file.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use tantivy::TantivyDocument;
use tantivy::schema::{Facet, Value};
use xxhash_rust::xxh3::xxh3_64;

use super::schema::{Fields, KIND_DOC, KIND_PASSAGE};
use crate::clean::{CleanDoc, clean};
use crate::corpus::RawDoc;
use crate::date::{PartialDate, Precision, parse_date_value};
use crate::passage::{Passage, split};
use crate::tag::{Kind, Mention, TaggedDoc, Tagger, facets_of};

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
    /// The latest date the text mentions (see [`crate::date::latest_date`]).
    Inferred,
}

/// A stretch of the source that cleaning removed, kept for `show --raw`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemovedText {
    pub reason: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// One entity a document mentions, with the spellings it was found as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntitySummary {
    pub kind: Kind,
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// Distinct texts it was found as, in order of first appearance.
    pub found: Vec<String>,
    pub count: usize,
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
    #[serde(default)]
    pub provinces: Vec<String>,
    #[serde(default)]
    pub groups: Vec<String>,
    #[serde(default)]
    pub forces: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entities: Vec<EntitySummary>,
}

/// A document ready to be added: its records and a few numbers for the summary.
pub struct Prepared {
    pub id: String,
    pub passages: usize,
    pub records: Vec<TantivyDocument>,
}

/// The date a document was published, if it says: metadata, else its dateline. Yearless
/// dates in the text take their year from it.
pub fn publication_date(raw: &RawDoc, doc: &CleanDoc) -> Option<(PartialDate, DateSource)> {
    if let Some(d) = raw.date.as_deref().and_then(parse_date_value) {
        return Some((d, DateSource::Metadata));
    }
    doc.dateline
        .as_deref()
        .and_then(parse_date_value)
        .map(|d| (d, DateSource::Dateline))
}

/// The document date, by trust: metadata, dateline, infobox, else the latest dated mention.
pub fn document_date(
    raw: &RawDoc,
    doc: &CleanDoc,
    tagged: &TaggedDoc,
) -> Option<(PartialDate, DateSource)> {
    publication_date(raw, doc)
        .or_else(|| {
            doc.infobox_value("date")
                .and_then(parse_date_value)
                .map(|d| (d, DateSource::Infobox))
        })
        .or_else(|| tagged.latest_date.map(|d| (d, DateSource::Inferred)))
}

fn add_date(record: &mut TantivyDocument, f: &Fields, date: Option<PartialDate>) {
    if let Some(d) = date {
        let (lo, hi) = d.bounds();
        record.add_text(f.date, d.iso());
        record.add_u64(f.date_lo, lo);
        record.add_u64(f.date_hi, hi);
    }
}

fn facet_field(f: &Fields, kind: Kind, own: bool) -> Option<tantivy::schema::Field> {
    match (kind, own) {
        (Kind::Province, false) => Some(f.province),
        (Kind::Group, false) => Some(f.group),
        (Kind::Force, false) => Some(f.force),
        (Kind::Province, true) => Some(f.p_province),
        (Kind::Group, true) => Some(f.p_group),
        (Kind::Force, true) => Some(f.p_force),
        (Kind::Date, _) => None,
    }
}

const FACET_KINDS: [Kind; 3] = [Kind::Province, Kind::Group, Kind::Force];

/// Groups mentions by entity, keeping the spellings they were found as.
fn summarize(text: &str, title: &str, tagged: &TaggedDoc) -> Vec<EntitySummary> {
    let mut out: Vec<EntitySummary> = Vec::new();
    let mut by_entity: HashMap<(Kind, &str, Option<&str>), usize> = HashMap::new();
    let mut spellings: HashSet<(usize, &str)> = HashSet::new();
    let found = tagged
        .title_mentions
        .iter()
        .map(|m| (m, &title[m.start..m.end]))
        .chain(tagged.mentions.iter().map(|m| (m, &text[m.start..m.end])));
    for (m, surface) in found {
        let key = (m.kind, m.value.as_str(), m.place.as_deref());
        let i = *by_entity.entry(key).or_insert_with(|| {
            out.push(EntitySummary {
                kind: m.kind,
                value: m.value.clone(),
                place: m.place.clone(),
                found: Vec::new(),
                count: 0,
            });
            out.len() - 1
        });
        out[i].count += 1;
        if spellings.insert((i, surface)) {
            out[i].found.push(surface.to_string());
        }
    }
    out.sort_by(|a, b| (a.kind, &a.value, &a.place).cmp(&(b.kind, &b.value, &b.place)));
    out
}

/// Cleans, splits and tags `raw` and builds its document record and passage records.
pub fn prepare(raw: &RawDoc, f: &Fields, tagger: &Tagger) -> Prepared {
    let doc = clean(&raw.text, raw.title.as_deref());
    let passages = split(&doc);
    let published = publication_date(raw, &doc).map(|(d, _)| d);
    let tagged = tagger.tag_document(&doc.title, &doc.text, published);
    let dated = document_date(raw, &doc, &tagged);
    let date = dated.map(|(d, _)| d);
    // The file, without a JSONL line: lines shift when records above are added or removed,
    // and the document id finds the record.
    let location = raw.file.clone();
    let doc_hash = xxh3_64(raw.id.as_bytes());
    let doc_facets: Vec<(Kind, Vec<Vec<String>>)> = FACET_KINDS
        .iter()
        .map(|&k| (k, tagged.facets(k).into_iter().collect()))
        .collect();

    let mut records = Vec::with_capacity(passages.len() + 1);
    // Mentions are sorted by position and passages do not overlap: one sweep hands each
    // passage its own mentions, so analysis stays linear in the document's size.
    let mut next_mention = 0;
    for p in &passages {
        let mut r = passage_record(raw, &doc, p, &location, date, f);
        r.add_u64(f.doc_hash, doc_hash);
        r.add_u64(f.year, date.map_or(0, |d| d.year as u64));
        for (kind, paths) in &doc_facets {
            let field = facet_field(f, *kind, false).expect("facet kind");
            for path in paths {
                r.add_facet(field, Facet::from_path(path));
            }
        }
        while tagged
            .mentions
            .get(next_mention)
            .is_some_and(|m| m.start < p.range.start)
        {
            next_mention += 1;
        }
        let own: Vec<Mention> = tagged.mentions[next_mention..]
            .iter()
            .take_while(|m| m.start < p.range.end)
            .filter(|m| m.end <= p.range.end)
            .map(|m| Mention {
                start: m.start - p.range.start,
                end: m.end - p.range.start,
                ..m.clone()
            })
            .collect();
        for kind in FACET_KINDS {
            let field = facet_field(f, kind, true).expect("facet kind");
            for path in facets_of(own.iter(), kind) {
                r.add_facet(field, Facet::from_path(&path));
            }
        }
        for key in own.iter().filter_map(Mention::key) {
            r.add_text(f.mention_keys, key);
        }
        for key in tagged.title_mentions.iter().filter_map(Mention::key) {
            r.add_text(f.title_keys, key);
        }
        if !own.is_empty() {
            r.add_text(
                f.mentions,
                serde_json::to_string(&own).expect("mentions serialise"),
            );
        }
        records.push(r);
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
        provinces: tagged.values(Kind::Province),
        groups: tagged.values(Kind::Group),
        forces: tagged.values(Kind::Force),
        entities: summarize(&doc.text, &doc.title, &tagged),
    };
    let mut record = TantivyDocument::new();
    record.add_u64(f.kind, KIND_DOC);
    record.add_text(f.doc_key, &raw.id);
    record.add_text(f.file, &raw.file);
    record.add_text(f.path, &location);
    record.add_u64(f.fingerprint, raw.stamp);
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
    /// The document's canonical tags.
    pub provinces: Vec<String>,
    pub groups: Vec<String>,
    pub forces: Vec<String>,
    /// What the passage itself mentions; ranges into `text`.
    pub mentions: Vec<Mention>,
}

/// Canonical names of a stored facet field: the province level (`/Pakistan/Punjab` →
/// `Punjab`) for provinces, the name for groups and forces.
fn facet_names(doc: &TantivyDocument, field: tantivy::schema::Field, depth: usize) -> Vec<String> {
    let mut out: Vec<String> = doc
        .get_all(field)
        .filter_map(|v| {
            v.as_facet()
                .map(|s| Facet::from_encoded(s.as_bytes().to_vec()))
        })
        .filter_map(Result::ok)
        .filter_map(|facet| {
            let parts = facet.to_path();
            (parts.len() == depth).then(|| parts[depth - 1].to_string())
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

impl StoredPassage {
    pub fn from_stored(doc: &TantivyDocument, f: &Fields) -> Self {
        StoredPassage {
            provinces: facet_names(doc, f.province, 2),
            groups: facet_names(doc, f.group, 1),
            forces: facet_names(doc, f.force, 1),
            mentions: text(doc, f.mentions)
                .and_then(|m| serde_json::from_str(&m).ok())
                .unwrap_or_default(),
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
