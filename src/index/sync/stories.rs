//! Story ids, given as documents are written: a document joins the story of the most similar
//! earlier document (by MinHash estimate, above [`THRESHOLD`]) found through the signature's
//! bands — in the index as it was before this run (its band keys, read once from a fast
//! field) or among the documents this run already wrote — else it starts a story named after
//! its own id. A story never spans more than [`MAX_STORY_DAYS`] between its first and last
//! dated documents: copies of a story run within days, while a body shared over months is a
//! template (a feed whose items carry only a map's caption, a daily table of exchange rates)
//! that would otherwise chain copy to copy into one "story" a month long. Ids never change
//! once given, and documents are taken in reading order, so they do not depend on the
//! number of threads.
//!
//! Band keys are a column, not terms: eight nearly unique terms per document made tantivy's
//! term dictionaries and postings the largest single cost of indexing (see BENCHMARKS.md).
//! The column is read back only by runs that add documents to an existing index, once; such
//! a run is faster than with a term lookup per band (0.18 s against 0.23 s for 2,000
//! documents added to 100,000).

use std::path::Path;

use rustc_hash::FxHashMap;
use tantivy::schema::Value;
use tantivy::{DocAddress, Searcher, TantivyDocument};
use xxhash_rust::xxh3::xxh3_64;

use crate::analysis::story::{HASHES, Signature, THRESHOLD};
use crate::date::PartialDate;
use crate::index::IndexError;
use crate::index::schema::{Fields, KIND_DOC};

/// The most documents one band key is compared with: the first documents of distinct
/// stories that hold it. A feed of near-identical templated items puts thousands of
/// documents under one key; comparing each new one with all of them would make indexing
/// quadratic, and the first few stories under a key are the ones it can join.
const PER_BAND: usize = 4;

/// The most days a story spans from its first document dated to the day to its last.
pub const MAX_STORY_DAYS: i32 = 7;

/// The first and last days of each story's documents dated to the day.
#[derive(Default)]
struct Spans(FxHashMap<u64, (i32, i32)>);

impl Spans {
    /// Whether a document of `day` may join `story` and keep it within [`MAX_STORY_DAYS`].
    fn fits(&self, story: u64, day: Option<i32>) -> bool {
        match (day, self.0.get(&story)) {
            (Some(day), Some(&(first, last))) => last.max(day) - first.min(day) <= MAX_STORY_DAYS,
            _ => true,
        }
    }

    fn add(&mut self, story: u64, day: Option<i32>) {
        if let Some(day) = day {
            let span = self.0.entry(story).or_insert((day, day));
            *span = (span.0.min(day), span.1.max(day));
        }
    }

    /// The spans of the stories in the index before this run, from the fast fields of its
    /// document records.
    fn read(searcher: &Searcher) -> Result<Spans, IndexError> {
        let mut spans = Spans::default();
        for segment in searcher.segment_readers() {
            let ff = segment.fast_fields();
            let kind = ff.u64("kind")?;
            let (story, lo, hi) = (ff.u64("story")?, ff.u64("date_lo")?, ff.u64("date_hi")?);
            for doc in segment.doc_ids_alive() {
                if kind.first(doc) != Some(KIND_DOC) {
                    continue;
                }
                let (Some(s), Some(lo), Some(hi)) =
                    (story.first(doc), lo.first(doc), hi.first(doc))
                else {
                    continue;
                };
                if lo == hi {
                    spans.add(
                        s,
                        PartialDate::from_bounds(lo, hi).and_then(|d| d.day_number()),
                    );
                }
            }
        }
        Ok(spans)
    }
}

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
    /// Its folder, named when a stored record does not read back.
    dir: &'a Path,
    /// Its band keys, read when the first document needs them.
    table: Option<BandTable>,
    /// The days each story spans, its stories' read with the band keys.
    spans: Spans,
    fields: Fields,
    /// The documents of this run with a signature, by position: the story each joined, and
    /// their signatures end to end ([`HASHES`] values each), with no allocation per document.
    stories: Vec<u64>,
    signatures: Vec<u32>,
    /// Band key → the first document of this run holding it (nearly every key has one).
    first: FxHashMap<u32, u32>,
    /// Band key → further documents holding it, of other stories (at most [`PER_BAND`] in
    /// all with `first`).
    more: FxHashMap<u32, Vec<u32>>,
}

impl<'a> Stories<'a> {
    pub(super) fn new(before: Option<&'a Searcher>, dir: &'a Path, fields: Fields) -> Self {
        Stories {
            before,
            dir,
            table: None,
            spans: Spans::default(),
            fields,
            stories: Vec::new(),
            signatures: Vec::new(),
            first: FxHashMap::default(),
            more: FxHashMap::default(),
        }
    }

    /// The documents of this run holding `band`, by position.
    fn holders(&self, band: u32) -> impl Iterator<Item = usize> + '_ {
        let first = self.first.get(&band).copied();
        let more = self.more.get(&band).into_iter().flatten().copied();
        first.into_iter().chain(more).map(|i| i as usize)
    }

    /// The signature of the document of this run at `position`.
    fn signature(&self, position: usize) -> &[u32] {
        &self.signatures[position * HASHES..(position + 1) * HASHES]
    }

    /// Records a document of this run under its band keys.
    fn remember(&mut self, story: u64, signature: &Signature, bands: &[u32]) {
        // Past four billion documents in one run, later ones are not candidates for each
        // other (each still gets a story).
        let Ok(at) = u32::try_from(self.stories.len()) else {
            return;
        };
        self.stories.push(story);
        self.signatures.extend_from_slice(&signature.0);
        for &band in bands {
            let Some(&first) = self.first.get(&band) else {
                self.first.insert(band, at);
                continue;
            };
            let more = self.more.get(&band);
            let full = 1 + more.map_or(0, Vec::len) >= PER_BAND;
            let joined = std::iter::once(first)
                .chain(more.into_iter().flatten().copied())
                .any(|i| self.stories[i as usize] == story);
            if !full && !joined {
                self.more.entry(band).or_default().push(at);
            }
        }
    }

    /// The story of document `id` with this signature, dated `day` (when to the day).
    pub(super) fn assign(
        &mut self,
        id: &str,
        signature: &Signature,
        day: Option<i32>,
    ) -> Result<u64, IndexError> {
        let own = xxh3_64(id.as_bytes());
        // No bands: no signature (too short a text), so a story of its own.
        let bands = signature.bands();
        if bands.is_empty() {
            return Ok(own);
        }
        if let Some(searcher) = self.before
            && self.table.is_none()
        {
            self.table = Some(BandTable::read(searcher)?);
            let before = Spans::read(searcher)?;
            for (story, (first, last)) in before.0 {
                self.spans.add(story, Some(first));
                self.spans.add(story, Some(last));
            }
        }
        // (similarity, story), the best so far among the stories this document may join.
        let mut best: Option<(f64, u64)> = None;
        let spans = &self.spans;
        let mut consider = |similarity: f64, story: u64| {
            if similarity >= THRESHOLD
                && best.is_none_or(|(s, _)| similarity > s)
                && spans.fits(story, day)
            {
                best = Some((similarity, story));
            }
        };
        // A near copy shares several bands with one document: compare it once.
        let mut compared: Vec<usize> = Vec::new();
        for &band in &bands {
            for i in self.holders(band) {
                if !compared.contains(&i) {
                    compared.push(i);
                    consider(signature.similarity_to(self.signature(i)), self.stories[i]);
                }
            }
        }
        if let (Some(searcher), Some(table)) = (self.before, &self.table) {
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
                // A document with bands was stored with its signature and story.
                let damaged = |what: &str| {
                    crate::index::corrupt(
                        self.dir,
                        format!("the stored document {id:?} has bands but no {what}"),
                    )
                };
                let other = doc
                    .get_first(f.minhash)
                    .and_then(|v| v.as_bytes())
                    .map(Signature::from_bytes)
                    .ok_or_else(|| damaged("signature"))?;
                let story = doc
                    .get_first(f.story)
                    .and_then(|v| v.as_u64())
                    .ok_or_else(|| damaged("story"))?;
                consider(signature.similarity(&other), story);
            }
        }
        let story = best.map_or(own, |(_, story)| story);
        self.spans.add(story, day);
        self.remember(story, signature, &bands);
        Ok(story)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::story::ROWS;
    use crate::index::schema::build_schema;

    /// A signature with these values in its first band and distinct ones elsewhere.
    fn signature(first_band: u32, rest: u32) -> Signature {
        let mut values = vec![first_band; ROWS];
        values.extend((0..(HASHES - ROWS) as u32).map(|i| rest * 1000 + i));
        Signature(values)
    }

    #[test]
    fn copies_in_one_run_join_and_a_crowded_band_keeps_the_first_stories() {
        let fields = Fields::resolve(&build_schema()).unwrap();
        let mut stories = Stories::new(None, Path::new("index"), fields);
        let first = stories.assign("a", &signature(7, 1), None).unwrap();
        assert_eq!(first, xxh3_64(b"a"));
        // The same signature under another id: the same story.
        assert_eq!(
            stories.assign("copy", &signature(7, 1), None).unwrap(),
            first
        );
        // Many documents share the first band but nothing else: each is its own story, and
        // the band keeps only the first PER_BAND stories as candidates.
        for n in 2..20 {
            let id = format!("other-{n}");
            assert_eq!(
                stories.assign(&id, &signature(7, n), None).unwrap(),
                xxh3_64(id.as_bytes())
            );
        }
        let band = signature(7, 1).bands()[0];
        let holders: Vec<usize> = stories.holders(band).collect();
        assert_eq!(
            holders,
            [0, 2, 3, 4],
            "the copy (1) joined a story already held"
        );
        // A copy of a later document finds it only through its other bands.
        assert_eq!(
            stories
                .assign("late-copy", &signature(7, 19), None)
                .unwrap(),
            xxh3_64(b"other-19")
        );
        // No signature: a story of its own, nothing remembered.
        assert_eq!(
            stories
                .assign("short", &Signature::default(), None)
                .unwrap(),
            xxh3_64(b"short")
        );
        assert_eq!(stories.stories.len(), 21);
    }

    #[test]
    fn the_same_body_months_apart_is_two_stories() {
        let fields = Fields::resolve(&build_schema()).unwrap();
        let mut stories = Stories::new(None, Path::new("index"), fields);
        let day = |iso: &str| PartialDate::parse_iso(iso).and_then(|d| d.day_number());
        let first = stories
            .assign("a", &signature(7, 1), day("2023-01-10"))
            .unwrap();
        // A copy days later joins; one months later is a story of its own.
        let copy = stories
            .assign("b", &signature(7, 1), day("2023-01-16"))
            .unwrap();
        assert_eq!(copy, first);
        let late = stories
            .assign("d", &signature(7, 1), day("2023-05-02"))
            .unwrap();
        assert_eq!(late, xxh3_64(b"d"));
        // Nor does a chain of copies each within days of the last stretch a story: one of
        // the 20th is within a week of the 16th but ten days after the story began.
        let chained = stories
            .assign("e", &signature(7, 1), day("2023-01-20"))
            .unwrap();
        assert_eq!(chained, xxh3_64(b"e"));
        // An undated copy can be either's.
        let undated = stories.assign("c", &signature(7, 1), None).unwrap();
        assert!(undated == first || undated == late);
    }
}
