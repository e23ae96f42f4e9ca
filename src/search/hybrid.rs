//! Ranking by meaning: the passages nearest to the query's vector (`--semantic`), and their
//! fusion with BM25's ranking (`--hybrid`), which finds what either finds and ranks first
//! what both agree on.
//!
//! Nearest passages are found exactly, by scoring every vector of the passages the filters
//! keep (a few milliseconds per 10,000 passages; about a million is where an approximate
//! index would start to pay). Fusion is weighted: each ranker's scores over its candidates
//! are scaled to 0–1 (min–max), and a candidate's fused score is
//! `(1 − w) · keyword + w · semantic`, a ranker that did not find it adding 0. The weight and
//! the method (weighted fusion rather than reciprocal-rank fusion) were chosen on SciFact's
//! training queries (BENCHMARKS.md); reciprocal-rank fusion stays available to `durand eval`.

use std::collections::HashMap;
use std::hash::Hash;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustc_hash::FxHashMap;
use tantivy::index::SegmentId;
use tantivy::query::{
    BitSetDocSet, BooleanQuery, ConstScorer, EnableScoring, Explanation, Occur, Query, Scorer,
    TermQuery, Weight,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{BitSet, DocAddress, DocId, Score, Searcher, SegmentReader, TantivyError};

use super::query;
use super::{SearchError, SearchOptions};
use crate::embed::{DEFAULT_MODEL_DIR, Embedder};
use crate::index::DurandIndex;

/// How two rankings become one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fusion {
    /// Min–max scaled scores, the semantic one weighted `semantic`, the keyword one
    /// `1 − semantic`.
    Weighted { semantic: f32 },
    /// Reciprocal-rank fusion: `Σ 1 / (k + rank)`.
    Rrf { k: f32 },
}

/// The fusion `--hybrid` uses (chosen on SciFact's training queries; see BENCHMARKS.md).
pub const DEFAULT_FUSION: Fusion = Fusion::Weighted { semantic: 0.5 };

/// Candidates each ranker contributes to a fusion, at least (more when a page reaches
/// further).
pub const DEPTH: usize = 100;

/// A search by meaning: the query's vector, and whether to fuse it with BM25.
#[derive(Debug, Clone, PartialEq)]
pub struct SemanticQuery {
    pub vector: Vec<f32>,
    /// Vectors alone (`--semantic`) rather than fused with BM25 (`--hybrid`).
    pub only: bool,
    pub fusion: Fusion,
}

/// Merges two rankings (`(key, score)`, best first or in any order) into one, best first;
/// ties by key.
pub fn fuse<K: Clone + Eq + Hash + Ord>(
    keyword: &[(K, f32)],
    semantic: &[(K, f32)],
    fusion: Fusion,
) -> Vec<(K, f32)> {
    let mut fused: HashMap<K, f32> = HashMap::with_capacity(keyword.len() + semantic.len());
    match fusion {
        Fusion::Weighted { semantic: w } => {
            for (list, weight) in [(keyword, 1.0 - w), (semantic, w)] {
                for (key, scaled) in min_max(list) {
                    *fused.entry(key).or_insert(0.0) += weight * scaled;
                }
            }
        }
        Fusion::Rrf { k } => {
            for list in [keyword, semantic] {
                for (rank, (key, _)) in by_score(list).into_iter().enumerate() {
                    *fused.entry(key).or_insert(0.0) += 1.0 / (k + rank as f32 + 1.0);
                }
            }
        }
    }
    let mut out: Vec<(K, f32)> = fused.into_iter().collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

impl Fusion {
    /// As reports name it: `weighted 0.5`, `rrf 60`.
    pub fn describe(&self) -> String {
        match self {
            Fusion::Weighted { semantic } => format!("weighted {semantic}"),
            Fusion::Rrf { k } => format!("rrf {k}"),
        }
    }
}

fn by_score<K: Clone + Ord>(list: &[(K, f32)]) -> Vec<(K, f32)> {
    let mut sorted = list.to_vec();
    sorted.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    sorted
}

/// Scores scaled to 0–1 over the list (all 1 when they are equal).
fn min_max<K: Clone>(list: &[(K, f32)]) -> Vec<(K, f32)> {
    let (lo, hi) = list
        .iter()
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), (_, s)| {
            (lo.min(*s), hi.max(*s))
        });
    list.iter()
        .map(|(k, s)| {
            let scaled = if hi > lo { (s - lo) / (hi - lo) } else { 1.0 };
            (k.clone(), scaled)
        })
        .collect()
}

/// The words a query's vector is made from: its positive words and phrases, in order,
/// without operators or field names (`"border crossing" -drone title:kunar` → `border
/// crossing kunar`).
pub fn query_text(query: &str) -> Result<String, SearchError> {
    let node = query::parse(query)?;
    let words: Vec<&str> = node
        .literals()
        .into_iter()
        .filter(|(_, negated)| !negated)
        .map(|(l, _)| l.text.as_str())
        .collect();
    if words.is_empty() {
        return Err(SearchError::Semantic(
            "a search by meaning needs words to look for; the query has only exclusions".into(),
        ));
    }
    Ok(words.join(" "))
}

/// Gives a search by meaning (`options.semantic`) its query's vector; other searches are
/// left as they are.
pub fn embed_query(embedder: &Embedder, options: &mut SearchOptions) -> Result<(), SearchError> {
    if options.semantic.is_none() {
        return Ok(());
    }
    let text = query_text(&options.query)?;
    let vector = embedder.embed(&[&text])?.pop().unwrap_or_default();
    if let Some(semantic) = &mut options.semantic {
        semantic.vector = vector;
    }
    Ok(())
}

/// Gives a search by meaning (`options.semantic`) its query's vector from a model loaded for
/// that query alone (see [`Embedder::load_known`]): the quickest way to one search.
pub fn embed_one_query(
    index: &DurandIndex,
    model: Option<&Path>,
    options: &mut SearchOptions,
) -> Result<(), SearchError> {
    if options.semantic.is_none() {
        return Ok(());
    }
    let text = query_text(&options.query)?;
    let embedder = embedder_for(index, model, Some(&[text.as_str()]))?;
    embed_query(&embedder, options)
}

/// The model for searching `index` by meaning: `model` when given, else the one the index
/// was embedded with; with `only`, loaded to embed those texts alone. Fails with what to do
/// when the index has no vectors or they were made by another model.
pub fn embedder_for(
    index: &DurandIndex,
    model: Option<&Path>,
    only: Option<&[&str]>,
) -> Result<Embedder, SearchError> {
    let hint_index = crate::index::index_command(&crate::index::shown(&index.dir), " --semantic");
    let Some(state) = index.semantic()? else {
        return Err(SearchError::Semantic(format!(
            "this index has no passage vectors; add them with `{hint_index}` (fetch the model first with `{}`)",
            crate::embed::FETCH_SCRIPT
        )));
    };
    let dir: PathBuf = model.map_or_else(|| PathBuf::from(&state.model), Path::to_path_buf);
    // The remembered folder moved: the default one, when it is there; else the error names
    // the folder the index remembers.
    let dir = if dir.exists() || model.is_some() || !Path::new(DEFAULT_MODEL_DIR).exists() {
        dir
    } else {
        PathBuf::from(DEFAULT_MODEL_DIR)
    };
    let embedder =
        Embedder::load_known(&dir, state.known_weights(), only).map_err(SearchError::Embed)?;
    if embedder.fingerprint() != state.fingerprint {
        return Err(SearchError::Semantic(format!(
            "the model in {} is not the one this index's vectors were made with; embed the passages again with `{hint_index}`, or name the index's model ({}) with --model",
            dir.display(),
            state.model
        )));
    }
    Ok(embedder)
}

/// The passages nearest to a query vector, and how many of the candidates could not be
/// ranked because they have no vector yet.
pub(crate) struct Nearest {
    /// At most the depth asked for, best first, with their cosines.
    pub hits: Vec<(f32, DocAddress)>,
    /// Candidate passages without a vector (an interrupted `durand index`).
    pub unembedded: usize,
}

/// The passages nearest to `vector` among those `filter` keeps (all passages without one),
/// at most `depth`, best first, with their cosines. Passages without a vector yet (an
/// interrupted `durand index`) are not candidates; they are counted.
pub(crate) fn nearest(
    index: &DurandIndex,
    searcher: &Searcher,
    vector: &[f32],
    filter: Option<&dyn Query>,
    depth: usize,
) -> Result<Nearest, SearchError> {
    let vectors = index.vectors()?;
    let passages: Box<dyn Query> = Box::new(TermQuery::new(
        index.fields.passages_term(),
        IndexRecordOption::Basic,
    ));
    let candidates: Box<dyn Query> = match filter {
        Some(f) => Box::new(BooleanQuery::new(vec![
            (Occur::Must, passages),
            (Occur::Must, f.box_clone()),
        ])),
        None => passages,
    };
    let weight = candidates.weight(EnableScoring::disabled_from_searcher(searcher))?;
    // key → the passages with that text (usually one)
    let mut by_key: FxHashMap<u64, Vec<DocAddress>> = FxHashMap::default();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let keys = segment.fast_fields().u64("vector_key")?;
        let alive = segment.alive_bitset();
        let mut scorer = weight.scorer(segment, 1.0)?;
        let mut doc = scorer.doc();
        while doc != tantivy::TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc))
                && let Some(key) = keys.first(doc)
            {
                by_key
                    .entry(key)
                    .or_default()
                    .push(DocAddress::new(ord as u32, doc));
            }
            doc = scorer.advance();
        }
    }
    let mut scored: Vec<(f32, u64)> = Vec::with_capacity(by_key.len());
    let mut seen = rustc_hash::FxHashSet::default();
    for stored in vectors.iter().flat_map(|v| v.iter()) {
        if by_key.contains_key(&stored.key) && seen.insert(stored.key) {
            scored.push((stored.cosine(vector), stored.key));
        }
    }
    let unembedded = by_key
        .iter()
        .filter(|(key, _)| !seen.contains(*key))
        .map(|(_, addresses)| addresses.len())
        .sum();
    let keep = depth.min(scored.len());
    if keep < scored.len() {
        scored.select_nth_unstable_by(keep, |a, b| b.0.total_cmp(&a.0));
        scored.truncate(keep);
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let mut out = Vec::with_capacity(keep);
    for (score, key) in scored {
        for address in &by_key[&key] {
            out.push((score, *address));
        }
    }
    out.truncate(depth);
    Ok(Nearest {
        hits: out,
        unembedded,
    })
}

/// A query matching exactly the given passages: facets of a fused ranking count the
/// documents of its candidates.
#[derive(Clone, Debug)]
pub(crate) struct AddressSet {
    docs: Arc<HashMap<SegmentId, Vec<DocId>>>,
}

impl AddressSet {
    pub fn new(searcher: &Searcher, addresses: impl IntoIterator<Item = DocAddress>) -> Self {
        let mut docs: HashMap<SegmentId, Vec<DocId>> = HashMap::new();
        for a in addresses {
            let segment = searcher.segment_reader(a.segment_ord).segment_id();
            docs.entry(segment).or_default().push(a.doc_id);
        }
        for list in docs.values_mut() {
            list.sort_unstable();
            list.dedup();
        }
        AddressSet {
            docs: Arc::new(docs),
        }
    }
}

impl Query for AddressSet {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl Weight for AddressSet {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut set = BitSet::with_max_value(reader.max_doc());
        for doc in self.docs.get(&reader.segment_id()).into_iter().flatten() {
            set.insert(*doc);
        }
        Ok(Box::new(ConstScorer::new(BitSetDocSet::from(set), boost)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let found = self
            .docs
            .get(&reader.segment_id())
            .is_some_and(|d| d.binary_search(&doc).is_ok());
        if found {
            Ok(Explanation::new("a candidate of the fused ranking", 1.0))
        } else {
            Err(TantivyError::InvalidArgument(format!(
                "document {doc} is not a candidate"
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weighted_fusion_scales_each_ranking_and_adds_what_both_found() {
        let keyword = [("a", 12.0), ("b", 8.0), ("c", 4.0)];
        let semantic = [("c", 0.9), ("d", 0.7), ("a", 0.5)];
        let fused = fuse(&keyword, &semantic, Fusion::Weighted { semantic: 0.5 });
        // a: 0.5·1 + 0.5·0 = 0.5; c: 0.5·0 + 0.5·1 = 0.5; b: 0.5·0.5; d: 0.5·0.5
        assert_eq!(
            fused,
            vec![("a", 0.5), ("c", 0.5), ("b", 0.25), ("d", 0.25)]
        );
        // All weight on one side reproduces its order; the other's candidates trail at 0.
        let only_keyword = fuse(&keyword, &semantic, Fusion::Weighted { semantic: 0.0 });
        let order: Vec<&str> = only_keyword.iter().map(|f| f.0).collect();
        assert_eq!(order, vec!["a", "b", "c", "d"]);
        // One candidate, or equal scores: scaled to 1, not divided by zero.
        assert_eq!(
            fuse(&[("x", 3.0)], &[], Fusion::Weighted { semantic: 0.3 }),
            vec![("x", 0.7)]
        );
        assert!(fuse::<&str>(&[], &[], DEFAULT_FUSION).is_empty());
    }

    #[test]
    fn reciprocal_rank_fusion_uses_ranks_not_scores() {
        let keyword = [("b", 1.0), ("a", 100.0)];
        let semantic = [("a", 0.1)];
        let fused = fuse(&keyword, &semantic, Fusion::Rrf { k: 60.0 });
        assert_eq!(fused[0].0, "a");
        assert!((fused[0].1 - 2.0 / 61.0).abs() < 1e-6);
        assert!((fused[1].1 - 1.0 / 62.0).abs() < 1e-6);
    }

    #[test]
    fn the_query_vector_is_made_from_positive_words_only() {
        assert_eq!(
            query_text("\"border crossing\" -drone title:kunar OR bajaur").unwrap(),
            "border crossing kunar bajaur"
        );
        assert!(query_text("-drone").is_err());
    }
}
