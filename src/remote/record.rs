//! One flat record per passage, carrying everything durand's analysis found about it and its
//! document — the unit `durand push` sends to a cluster and `durand export` writes for
//! Elasticsearch, OpenSearch or Quickwit.
//!
//! Besides the passage's own text the record has `terms`: durand's analysed words (the
//! section heading, the title and the text, stemmed and folded exactly as the local index
//! has them), so a remote engine matches `strikes` where durand does, without a stemmer of
//! its own. Entity facets come twice: by canonical name (`provinces`, for counts and output)
//! and as every level of their paths (`facet_paths`: `province/Pakistan`,
//! `province/Pakistan/Khyber Pakhtunkhwa`, …), so a filter on a country or a province keeps
//! what it keeps locally.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tantivy::schema::{Facet, Value};
use tantivy::{DocId, TantivyDocument};
use xxhash_rust::xxh3::Xxh3;

use crate::analysis::story::story_name;
use crate::analysis::{CasualtyRecord, EventRecord};
use crate::analyzer::{analyzer, terms};
use crate::index::document::is_doc_record;
use crate::index::{DurandIndex, IndexError, StoredDoc, StoredPassage};
use crate::tag::{EntityKind, Mention, PerKind};

/// Stands between the heading, the title and the text in `terms`, so a phrase never matches
/// across them (locally they are separate fields). No analysed word looks like it.
pub const FIELD_BREAK: &str = "zzdurandbreakzz";

/// A passage as it travels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// `DOC#PASSAGE`.
    pub id: String,
    pub doc_id: String,
    pub passage: u32,
    pub title: String,
    /// (Left out of a document listing's records.)
    #[serde(default)]
    pub text: String,
    /// durand's analysed words of the heading, title and text (see the module doc).
    #[serde(default)]
    pub terms: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The document date, ISO 8601 at its precision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// 1 when the document is dated, else 0 (undated documents sort last and never pass a
    /// date filter).
    pub dated: i32,
    /// The date's bounds as `YYYYMMDD` (0 when undated).
    pub date_lo: i64,
    pub date_hi: i64,
    /// The date's year (0 when undated).
    pub year: i32,
    /// How many passages the document has.
    pub doc_passages: u32,
    /// The passage's byte range in the document's cleaned text.
    pub start: u64,
    pub end: u64,
    /// The document's canonical tags per entity kind (`provinces`, `groups`, …).
    #[serde(flatten)]
    pub tags: PerKind<Vec<String>>,
    /// Countries of the document's places.
    pub countries: Vec<String>,
    /// Every level of every tag's path, prefixed by its kind.
    pub facet_paths: Vec<String>,
    /// The document's event types.
    #[serde(rename = "type")]
    pub types: Vec<String>,
    /// The document's conflict death toll (0 when none).
    pub killed: i64,
    /// The document's story group.
    pub story: String,
    #[serde(default)]
    pub mentions: Vec<Mention>,
    #[serde(default)]
    pub events: Vec<EventRecord>,
    #[serde(default)]
    pub casualties: Vec<CasualtyRecord>,
}

/// A document's records, each also as its JSON line (serialised once: the hash, the push
/// and the export all use it), and a hash of them (what changed since the last push).
#[derive(Debug, Clone)]
pub struct DocRecords {
    pub doc_id: String,
    pub records: Vec<Record>,
    /// `records[i]` as one line of JSON (no newline).
    pub json: Vec<String>,
    pub hash: u64,
}

/// The `facet_paths` entry of one level of a path.
pub fn path_key(kind: EntityKind, parts: &[String]) -> String {
    format!("{}/{}", kind.name(), parts.join("/"))
}

/// Every document of `index` with its records, ordered by document id.
#[cfg(test)]
pub fn collection(index: &DurandIndex) -> Result<Vec<DocRecords>, IndexError> {
    documents(index)?.collect()
}

/// The documents of an index with their records, read one at a time (see [`documents`]),
/// and how many records are to come, known before the first (for progress).
pub struct Documents<'a> {
    /// The passages of the documents: the records to come.
    pub records: u64,
    inner: Box<dyn Iterator<Item = Result<DocRecords, IndexError>> + 'a>,
}

impl Iterator for Documents<'_> {
    type Item = Result<DocRecords, IndexError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.inner.next()
    }
}

/// The fast columns of one segment a record reads.
struct Columns {
    date_lo: tantivy::columnar::Column<u64>,
    date_hi: tantivy::columnar::Column<u64>,
    year: tantivy::columnar::Column<u64>,
    killed: tantivy::columnar::Column<u64>,
}

/// Every document of `index` with its records, ordered by document id, one at a time: the
/// index is first read for where each document's records are (its fast columns, not the
/// stored text), then document by document, so an export holds one document, not the
/// collection.
pub fn documents(index: &DurandIndex) -> Result<Documents<'_>, IndexError> {
    let searcher = index.reader.searcher();
    let mut columns = Vec::new();
    let mut addresses_of: BTreeMap<String, Vec<tantivy::DocAddress>> = BTreeMap::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let fast = segment.fast_fields();
        let column = |name: &str| fast.u64(name).map_err(|e| index.damaged(e));
        columns.push(Columns {
            date_lo: column("date_lo")?,
            date_hi: column("date_hi")?,
            year: column("year")?,
            killed: column("killed")?,
        });
        // A passage names its document in `doc_id`, the document record in `doc_key`.
        let mut keys = Vec::with_capacity(2);
        for name in ["doc_id", "doc_key"] {
            if let Some(column) = fast.str(name).map_err(|e| index.damaged(e))? {
                let terms = index.column_terms(&column)?;
                keys.push((column, terms));
            }
        }
        let alive = segment.alive_bitset();
        for doc in 0..segment.max_doc() {
            if alive.is_some_and(|a| a.is_deleted(doc)) {
                continue;
            }
            let Some(id) = keys.iter().find_map(|(column, terms)| {
                terms.get(usize::try_from(column.term_ords(doc).next()?).ok()?)
            }) else {
                continue;
            };
            let address = tantivy::DocAddress::new(ord as u32, doc as DocId);
            match addresses_of.get_mut(id.as_str()) {
                Some(list) => list.push(address),
                None => {
                    addresses_of.insert(id.clone(), vec![address]);
                }
            }
        }
    }
    let mut analyzer = analyzer();
    let records = addresses_of
        .values()
        .map(|a| a.len().saturating_sub(1) as u64)
        .sum();
    Ok(Documents {
        records,
        inner: Box::new(
            addresses_of
                .into_iter()
                .filter_map(move |(doc_id, addresses)| {
                    document(
                        index,
                        &searcher,
                        &columns,
                        &mut analyzer,
                        &doc_id,
                        &addresses,
                    )
                    .transpose()
                }),
        ),
    })
}

/// The records of one document, read from its `addresses` (its document record and its
/// passages); `None` when the document record is missing (a document half-written by an
/// older run, which the next `durand index` heals).
fn document(
    index: &DurandIndex,
    searcher: &tantivy::Searcher,
    columns: &[Columns],
    analyzer: &mut tantivy::tokenizer::TextAnalyzer,
    doc_id: &str,
    addresses: &[tantivy::DocAddress],
) -> Result<Option<DocRecords>, IndexError> {
    let f = &index.fields;
    let mut types: Option<Vec<String>> = None;
    let mut records = Vec::with_capacity(addresses.len());
    for &address in addresses {
        let stored: TantivyDocument = index.stored(searcher, address)?;
        if is_doc_record(&stored, f) {
            let d = StoredDoc::from_stored(&stored, f).map_err(|e| index.unreadable(e))?;
            types = Some(
                d.meta
                    .event_types
                    .iter()
                    .map(|t| t.as_str().to_string())
                    .collect(),
            );
            continue;
        }
        let p = StoredPassage::from_stored(&stored, f).map_err(|e| index.unreadable(e))?;
        let c = &columns[address.segment_ord as usize];
        let doc = address.doc_id;
        let lo = c.date_lo.first(doc).unwrap_or(0);
        let mut record = Record {
            id: format!("{}#{}", p.doc_id, p.ord),
            terms: analysed(analyzer, &p),
            doc_id: p.doc_id,
            passage: p.ord,
            title: p.title,
            text: p.text,
            section: p.section,
            path: p.path,
            url: p.url,
            date: p.date,
            dated: i32::from(lo > 0),
            date_lo: lo as i64,
            date_hi: c.date_hi.first(doc).unwrap_or(0) as i64,
            year: c.year.first(doc).unwrap_or(0) as i32,
            doc_passages: 0,
            start: p.start as u64,
            end: p.end as u64,
            tags: p.tags,
            countries: Vec::new(),
            facet_paths: Vec::new(),
            types: Vec::new(),
            killed: c.killed.first(doc).unwrap_or(0) as i64,
            story: story_name(p.story),
            mentions: p.mentions,
            events: p.events,
            casualties: p.casualties,
        };
        add_paths(&stored, index, &mut record);
        records.push(record);
    }
    let Some(types) = types else {
        return Ok(None);
    };
    records.sort_by_key(|r| r.passage);
    let mut hash = Xxh3::new();
    let count = records.len() as u32;
    let mut json = Vec::with_capacity(records.len());
    for r in &mut records {
        r.types.clone_from(&types);
        r.doc_passages = count;
        let line = serde_json::to_string(r).expect("records serialise");
        hash.update(line.as_bytes());
        json.push(line);
    }
    Ok(Some(DocRecords {
        doc_id: doc_id.to_string(),
        records,
        json,
        hash: hash.digest(),
    }))
}

/// The heading, title and text of `p` as analysed words.
fn analysed(analyzer: &mut tantivy::tokenizer::TextAnalyzer, p: &StoredPassage) -> String {
    let mut out = String::new();
    for part in [p.section.as_deref().unwrap_or(""), &p.title, &p.text] {
        if !out.is_empty() {
            out.push(' ');
            out.push_str(FIELD_BREAK);
        }
        for t in terms(analyzer, part) {
            out.push(' ');
            out.push_str(&t.text);
        }
    }
    out.trim_start().to_string()
}

/// The document's facet paths of every kind, and the countries of its places.
fn add_paths(stored: &TantivyDocument, index: &DurandIndex, record: &mut Record) {
    let mut paths = Vec::new();
    let mut countries = Vec::new();
    for kind in EntityKind::all() {
        for value in stored.get_all(index.fields.entity(kind, false)) {
            let Some(encoded) = value.as_facet() else {
                continue;
            };
            let Ok(facet) = Facet::from_encoded(encoded.as_bytes().to_vec()) else {
                continue;
            };
            let parts: Vec<String> = facet.to_path().into_iter().map(String::from).collect();
            for depth in 1..=parts.len() {
                paths.push(path_key(kind, &parts[..depth]));
            }
            if kind.spec().places
                && let Some(country) = parts.first()
            {
                countries.push(country.clone());
            }
        }
    }
    paths.sort();
    paths.dedup();
    countries.sort();
    countries.dedup();
    record.facet_paths = paths;
    record.countries = countries;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{BORDER, TestIndex};

    #[test]
    fn records_carry_the_analysis_and_change_only_with_their_document() {
        let t = TestIndex::new(BORDER);
        let all = collection(&t.index).unwrap();
        let kunar = all.iter().find(|d| d.doc_id == "kunar").unwrap();
        assert_eq!(kunar.records.len(), 2);
        let r = &kunar.records[0];
        assert_eq!(r.id, "kunar#0");
        assert!(r.terms.contains(FIELD_BREAK));
        assert!(
            r.facet_paths
                .contains(&"province/Afghanistan/Kunar".to_string())
        );
        assert!(r.facet_paths.contains(&"province/Afghanistan".to_string()));
        assert_eq!(r.countries, vec!["Afghanistan"]);
        assert_eq!(r.tags.get(EntityKind::PROVINCE), &vec!["Kunar".to_string()]);
        assert_eq!(r.dated, 1);
        assert!(r.date_lo >= 20_000_000 && r.date_lo <= r.date_hi);
        // Stemmed as the index has it.
        let json = serde_json::to_value(r).unwrap();
        assert!(json.get("provinces").is_some() && json.get("type").is_some());
        let back: Record = serde_json::from_value(json).unwrap();
        assert_eq!(&back, r);
        // The same index read twice hashes the same.
        let again = collection(&t.index).unwrap();
        assert_eq!(
            all.iter().map(|d| d.hash).collect::<Vec<_>>(),
            again.iter().map(|d| d.hash).collect::<Vec<_>>()
        );
    }
}
