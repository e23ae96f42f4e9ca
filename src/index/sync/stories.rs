//! Story ids, given as documents are written: a document joins the story of the most similar
//! earlier document (by MinHash estimate, above [`THRESHOLD`]) found through the signature's
//! bands — in the index as it was before this run (its band keys, read once from a fast
//! field) or among the documents this run already wrote — else it starts a story named after
//! its own id. Ids never change once given, and documents are taken in reading order, so
//! they do not depend on the number of threads.
//!
//! Band keys are a column, not terms: eight nearly unique terms per document made tantivy's
//! term dictionaries and postings the largest single cost of indexing (see BENCHMARKS.md).
//! The column is read back only by runs that add documents to an existing index, once; such
//! a run is faster than with a term lookup per band (0.18 s against 0.23 s for 2,000
//! documents added to 100,000).

use rustc_hash::FxHashMap;
use tantivy::schema::Value;
use tantivy::{DocAddress, Searcher, TantivyDocument};
use xxhash_rust::xxh3::xxh3_64;

use crate::analysis::story::{Signature, THRESHOLD};
use crate::index::IndexError;
use crate::index::schema::Fields;

/// The most documents one band key is compared with: the first documents of distinct
/// stories that hold it. A feed of near-identical templated items puts thousands of
/// documents under one key; comparing each new one with all of them would make indexing
/// quadratic, and the first few stories under a key are the ones it can join.
const PER_BAND: usize = 4;

/// The band keys of the documents in the index before this run, sorted, each with the
/// document record that holds it: (key, segment, document), 12 bytes a key, about 100 bytes
/// per document.
struct BandTable(Vec<(u32, u32, u32)>);

impl BandTable {
    fn read(searcher: &Searcher) -> Result<BandTable, IndexError> {
        let mut keys = Vec::new();
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let column = segment.fast_fields().u64("story_band")?;
            for doc_id in segment.doc_ids_alive() {
                let bands = column.values_for_doc(doc_id);
                // Keys have 32 bits ([`Signature::bands`]); the column stores them as u64.
                keys.extend(
                    bands.filter_map(|b| Some((u32::try_from(b).ok()?, ord as u32, doc_id))),
                );
            }
        }
        keys.sort_unstable();
        Ok(BandTable(keys))
    }

    /// The first documents holding `band`, at most [`PER_BAND`].
    fn holders(&self, band: u32) -> impl Iterator<Item = DocAddress> + '_ {
        let from = self.0.partition_point(|(k, ..)| *k < band);
        self.0[from..]
            .iter()
            .take_while(move |(k, ..)| *k == band)
            .take(PER_BAND)
            .map(|&(_, segment, doc)| DocAddress::new(segment, doc))
    }
}

pub(super) struct Stories<'a> {
    /// The index before this run; `None` for a fresh one.
    before: Option<&'a Searcher>,
    /// Its band keys, read when the first document needs them.
    table: Option<BandTable>,
    fields: Fields,
    /// Band key → documents of this run (at most [`PER_BAND`], of distinct stories), by
    /// position in `written`.
    bands: FxHashMap<u32, Vec<usize>>,
    written: Vec<(u64, Signature)>,
}

impl<'a> Stories<'a> {
    pub(super) fn new(before: Option<&'a Searcher>, fields: Fields) -> Self {
        Stories {
            before,
            table: None,
            fields,
            bands: FxHashMap::default(),
            written: Vec::new(),
        }
    }

    /// The story of document `id` with this signature.
    pub(super) fn assign(&mut self, id: &str, signature: &Signature) -> Result<u64, IndexError> {
        let own = xxh3_64(id.as_bytes());
        if signature.is_empty() {
            return Ok(own);
        }
        let bands = signature.bands();
        // (similarity, story), the best so far.
        let mut best: Option<(f64, u64)> = None;
        let mut consider = |similarity: f64, story: u64| {
            if similarity >= THRESHOLD && best.is_none_or(|(s, _)| similarity > s) {
                best = Some((similarity, story));
            }
        };
        for band in &bands {
            for &i in self.bands.get(band).into_iter().flatten() {
                let (story, other) = &self.written[i];
                consider(signature.similarity(other), *story);
            }
        }
        if let Some(searcher) = self.before {
            let table = match &mut self.table {
                Some(table) => &*table,
                None => self.table.insert(BandTable::read(searcher)?),
            };
            let f = &self.fields;
            let mut seen = Vec::new();
            for address in bands.iter().flat_map(|band| table.holders(*band)) {
                if seen.contains(&address) {
                    continue;
                }
                seen.push(address);
                let doc: TantivyDocument = searcher.doc(address)?;
                if doc.get_first(f.doc_key).and_then(|v| v.as_str()) == Some(id) {
                    continue;
                }
                let other = doc
                    .get_first(f.minhash)
                    .and_then(|v| v.as_bytes())
                    .map(Signature::from_bytes)
                    .unwrap_or_default();
                if let Some(story) = doc.get_first(f.story).and_then(|v| v.as_u64()) {
                    consider(signature.similarity(&other), story);
                }
            }
        }
        let story = best.map_or(own, |(_, story)| story);
        let at = self.written.len();
        self.written.push((story, signature.clone()));
        for band in bands {
            let list = self.bands.entry(band).or_default();
            if list.len() < PER_BAND && list.iter().all(|&i| self.written[i].0 != story) {
                list.push(at);
            }
        }
        Ok(story)
    }
}
