//! Answers a query: parse, build, filter by entities and dates, rank passages by BM25 (title
//! and section as weighted fields), fall back from "all words" to "any word" when nothing has
//! them all, count facets, and return plain data ([`SearchResults`]) that a renderer turns
//! into text or JSON.

mod build;
pub mod census;
pub mod documents;
mod facets;
pub mod hybrid;
pub mod like;
pub mod query;
pub mod reports;
mod snippet;
mod stats;

use std::time::Instant;

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, EnableScoring, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocSet, Searcher, SeekDangerResult};

use crate::analysis::events::EventType;
use crate::analysis::story::story_name;
use crate::analysis::{CasualtyRecord, EventRecord};
use crate::date::{PartialDate, Precision};
use crate::index::DurandIndex;
use crate::tag::{EntityKind, Mention, PerKind};
use crate::text::fold_key;
use build::{Builder, Compiled, Unknown, const_score, date_overlap, facet_filter, resolve_entity};
pub(crate) use build::{resolve_country, unknown_entity};
pub(crate) use facets::sorted as sorted_counts;
pub use facets::{COUNTRY, FacetCount, FacetCounts, FacetField};
pub use query::QueryError;
use snippet::Highlighter;
use stats::RecordStatistics;

/// Snippet length in characters.
pub const SNIPPET_CHARS: usize = 240;

/// How unmarked words combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Every word required.
    All,
    /// Any word suffices.
    Any,
}

/// What ranked the passages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Ranker {
    /// Words: BM25 (the default).
    Bm25,
    /// Words and meaning: BM25 fused with vector cosines (`--hybrid`).
    Hybrid,
    /// Meaning: vector cosines alone (`--semantic`).
    Semantic,
}

impl Ranker {
    fn is_bm25(&self) -> bool {
        *self == Ranker::Bm25
    }

    fn of(options: &SearchOptions) -> Ranker {
        match &options.semantic {
            None => Ranker::Bm25,
            Some(s) if s.only => Ranker::Semantic,
            Some(_) => Ranker::Hybrid,
        }
    }
}

/// What the user asked for: a mode, or all-then-any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ModeChoice {
    /// All words; if nothing matches them all, any word.
    #[default]
    Auto,
    All,
    Any,
}

/// Errors while searching.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error(transparent)]
    Query(#[from] QueryError),
    #[error("{message}; {hint}")]
    Filter { message: String, hint: String },
    #[error("search failed: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error(transparent)]
    Open(#[from] crate::index::IndexError),
    #[error(transparent)]
    Embed(#[from] crate::embed::EmbedError),
    /// A search by meaning that cannot run: no vectors, another model, no words.
    #[error("{0}")]
    Semantic(String),
    #[error("no document {0:?} in the index")]
    NoDocument(String),
}

impl SearchError {
    /// A tantivy error while reading `index` says whether the index is damaged.
    fn in_index(self, index: &DurandIndex) -> Self {
        match self {
            SearchError::Index(e) => SearchError::Open(index.damaged(e)),
            other => other,
        }
    }
}

impl From<Unknown> for SearchError {
    fn from(e: Unknown) -> Self {
        SearchError::Filter {
            message: e.message,
            hint: e.hint,
        }
    }
}

/// Restrictions on the documents searched. Values are any name or spelling the entity
/// tables know; several values of one kind are alternatives, kinds combine with AND.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Names per entity kind (`--province`, `--group`, …).
    pub entities: PerKind<Vec<String>>,
    /// Countries of the places.
    pub countries: Vec<String>,
    /// Document date on or after the start of this date.
    pub from: Option<PartialDate>,
    /// Document date on or before the end of this date.
    pub to: Option<PartialDate>,
    /// Entity filters apply to what the passage itself mentions, not its document.
    pub in_passage: bool,
    /// Documents reporting any of these event types.
    pub types: Vec<EventType>,
    /// Documents whose conflict death toll is at least this.
    pub min_killed: Option<u32>,
    /// Only these documents, by id (a saved search's new documents).
    pub docs: Option<Vec<String>>,
}

impl Filters {
    /// `--from` / `--to` as inclusive `YYYYMMDD` bounds a date must overlap, when given.
    pub fn date_window(&self) -> Option<(u64, u64)> {
        (self.from.is_some() || self.to.is_some()).then(|| {
            (
                self.from.map_or(0, |d| d.bounds().0),
                self.to.map_or(u64::MAX, |d| d.bounds().1),
            )
        })
    }

    /// True when nothing is filtered.
    pub fn is_empty(&self) -> bool {
        self.entities.iter().all(|(_, v)| v.is_empty())
            && self.countries.is_empty()
            && self.from.is_none()
            && self.to.is_none()
            && self.types.is_empty()
            && self.min_killed.is_none()
            && self.docs.is_none()
    }
}

/// The order of the hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum Sort {
    /// Best match first.
    #[default]
    #[serde(rename = "relevance")]
    Relevance,
    /// Oldest document first; undated documents last.
    #[serde(rename = "date")]
    Oldest,
    /// Newest document first; undated documents last.
    #[serde(rename = "-date")]
    Newest,
}

impl Sort {
    pub fn is_relevance(&self) -> bool {
        *self == Sort::Relevance
    }

    /// The sort key of a passage dated `date_lo` (`YYYYMMDD`, `None` when undated): larger
    /// comes first, undated last in both directions.
    fn date_key(self, date_lo: Option<u64>) -> u64 {
        match (self, date_lo) {
            (_, None) | (Sort::Relevance, _) => 0,
            (Sort::Newest, Some(d)) => d.saturating_add(1),
            (Sort::Oldest, Some(d)) => u64::MAX - d,
        }
    }
}

/// How many passages a search shows when not told otherwise.
pub const DEFAULT_LIMIT: usize = 10;

/// A search request.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    pub query: String,
    pub mode: ModeChoice,
    pub limit: usize,
    pub offset: usize,
    pub snippet_chars: usize,
    pub filters: Filters,
    /// Count matching documents per entity kind and year.
    pub facets: bool,
    /// Read the hits' stored fields and cut snippets (off: rank and count only).
    pub fetch: bool,
    /// Read the query as plain words, with no operators, fields or phrases (evaluation
    /// queries are sentences full of brackets and colons).
    pub plain: bool,
    /// Show a story group (near-duplicate reports) once, as its best hit, and count it once
    /// in the facets.
    pub collapse: bool,
    /// Rank by meaning too (`--hybrid`) or only (`--semantic`); `None` ranks by BM25.
    pub semantic: Option<hybrid::SemanticQuery>,
    /// The order of the hits: by relevance, or by document date (ties by relevance).
    pub sort: Sort,
    /// Instead of the query: documents like this one ([`like`]).
    pub like: Option<String>,
    /// List each document once, by its best passage (alerts show new documents, and a
    /// document of many matching passages must not fill the page alone). Documents like one
    /// are always listed so.
    pub by_document: bool,
}

impl SearchOptions {
    pub fn new(query: impl Into<String>) -> Self {
        SearchOptions {
            query: query.into(),
            mode: ModeChoice::Auto,
            limit: DEFAULT_LIMIT,
            offset: 0,
            snippet_chars: SNIPPET_CHARS,
            filters: Filters::default(),
            facets: false,
            fetch: true,
            plain: false,
            collapse: true,
            semantic: None,
            sort: Sort::Relevance,
            like: None,
            by_document: false,
        }
    }
}

/// One ranked passage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub doc: String,
    pub title: String,
    pub path: String,
    /// The article's address, when the source gave one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub passage: u32,
    /// The passage's byte range in the document's cleaned text (`durand show`).
    pub start: usize,
    pub end: usize,
    pub section: Option<String>,
    pub score: f32,
    pub date: Option<String>,
    pub date_precision: Option<Precision>,
    /// The document's canonical tags (`provinces`, `groups`, `forces`).
    #[serde(flatten)]
    pub tags: PerKind<Vec<String>>,
    pub text: String,
    pub snippet: String,
    /// Byte ranges into `snippet`.
    pub highlights: Vec<[usize; 2]>,
    /// Entities and dates the passage mentions; byte ranges into `text`.
    pub mentions: Vec<Mention>,
    /// In any-word mode, how many of the query's words (or phrases, names, `OR` groups) the
    /// passage has; hits with more come first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub words_matched: Option<usize>,
    /// Event types the passage reports; byte ranges into `text`.
    pub events: Vec<EventRecord>,
    /// Casualty figures the passage reports; byte ranges into `text`.
    pub casualties: Vec<CasualtyRecord>,
    /// The document's story group.
    pub story: String,
    /// With collapsing, the other documents of the hit's story.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub similar: Option<Similar>,
}

/// The other documents of a story group, shown once as "+N similar (sources…)".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Similar {
    pub count: usize,
    /// Their distinct sources (up to [`SIMILAR_SOURCES`]).
    pub sources: Vec<String>,
}

/// How many sources of a story's other documents a hit names.
pub const SIMILAR_SOURCES: usize = 5;

/// The answer to a query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults {
    pub query: String,
    pub mode: Mode,
    /// `hybrid` or `semantic` for a search by meaning (absent for BM25).
    #[serde(skip_serializing_if = "Ranker::is_bm25")]
    pub ranker: Ranker,
    #[serde(skip_serializing_if = "Sort::is_relevance")]
    pub sort: Sort,
    /// The document the hits are like (`durand similar`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub like: Option<String>,
    /// True when no passage had all the words and the results are for any word.
    pub fallback: bool,
    pub total_hits: usize,
    /// In any-word mode, how many words (or phrases, names, `OR` groups) the query has.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub words: Option<usize>,
    pub took_ms: f64,
    /// In a search by meaning, the passages it could not rank for want of a vector (an
    /// interrupted `durand index --semantic`); absent when none.
    #[serde(skip_serializing_if = "is_zero")]
    pub unembedded: usize,
    /// With near-duplicates collapsed (the default), how many hits the pages hold when that
    /// is fewer than `total_hits` and known (every match was ranked to find a page);
    /// absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collapsed_hits: Option<usize>,
    pub hits: Vec<Hit>,
    /// Document counts per facet, with `--facets`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<FacetCounts>,
}

/// Notes on filter values that stand for more than they say: the name of a region that is
/// not a tagged unit of its own (flagged `part` in the tables) resolves to its whole unit
/// (`--province FATA`, `--province Waziristan` are all of Khyber Pakhtunkhwa), which the user
/// should know, with the narrower names to use instead when there are any.
pub fn filter_notes(index: &DurandIndex, f: &Filters) -> Result<Vec<String>, SearchError> {
    let mut notes = Vec::new();
    for (kind, values) in f.entities.iter() {
        for value in values {
            let names = index.names()?;
            let found = names.resolve(kind, value);
            // An alias of the unit itself (NWFP, KPK) needs no note; a region inside it does.
            let [entity] = found.as_slice() else {
                continue;
            };
            let typed = fold_key(value);
            let Some(name) = entity.parts.last().filter(|_| {
                entity
                    .parts_named
                    .iter()
                    .any(|part| fold_key(part) == typed)
            }) else {
                continue;
            };
            // (the districts whose name says it: North and South Waziristan)
            let narrower: std::collections::BTreeSet<String> = if kind.spec().places {
                names
                    .containing(kind, value)
                    .into_iter()
                    .filter_map(|e| e.parts.last().cloned())
                    .collect()
            } else {
                Default::default()
            };
            let mut note = format!("--{kind} {value} means all of {name}");
            if !narrower.is_empty() {
                let narrower: Vec<String> = narrower.into_iter().collect();
                note.push_str(&format!(
                    "; for a district of its own, name it: {}",
                    narrower.join(", ")
                ));
            }
            notes.push(note);
        }
    }
    Ok(notes)
}

/// Passages of documents that report any of `types`.
pub(crate) fn type_filter(
    fields: &crate::index::schema::Fields,
    types: &[EventType],
) -> Box<dyn Query> {
    let alternatives = types
        .iter()
        .map(|t| {
            let term = tantivy::Term::from_facet(
                fields.event_type,
                &tantivy::schema::Facet::from_path([t.as_str()]),
            );
            (
                Occur::Should,
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>,
            )
        })
        .collect();
    Box::new(BooleanQuery::new(alternatives))
}

/// The filters as one query that scores nothing, or `None` without filters.
fn filter_query(index: &DurandIndex, f: &Filters) -> Result<Option<Box<dyn Query>>, SearchError> {
    let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (kind, values) in f.entities.iter() {
        if values.is_empty() {
            continue;
        }
        let mut paths = Vec::new();
        for v in values {
            paths.extend(resolve_entity(index, kind, v)??);
        }
        let q = facet_filter(&index.fields, kind, &paths, f.in_passage);
        must.push((Occur::Must, q));
    }
    if !f.countries.is_empty() {
        let mut paths = Vec::new();
        for v in &f.countries {
            paths.extend(resolve_country(v)?);
        }
        if let Some(places) = EntityKind::places() {
            let q = facet_filter(&index.fields, places, &paths, f.in_passage);
            must.push((Occur::Must, q));
        }
    }
    if !f.types.is_empty() {
        must.push((Occur::Must, type_filter(&index.fields, &f.types)));
    }
    if let Some(n) = f.min_killed {
        let at_least = tantivy::query::RangeQuery::new(
            std::ops::Bound::Included(tantivy::Term::from_field_u64(
                index.fields.killed,
                u64::from(n),
            )),
            std::ops::Bound::Unbounded,
        );
        must.push((Occur::Must, Box::new(at_least)));
    }
    if let Some(ids) = &f.docs {
        let terms = ids
            .iter()
            .map(|id| tantivy::Term::from_field_text(index.fields.doc_id, id));
        must.push((
            Occur::Must,
            Box::new(tantivy::query::TermSetQuery::new(terms)),
        ));
    }
    if let Some((lo, hi)) = f.date_window() {
        must.push((Occur::Must, date_overlap(&index.fields, lo, hi)));
    }
    Ok((!must.is_empty()).then(|| const_score(Box::new(BooleanQuery::new(must)))))
}

/// The query of `options`, read as the query language or, with `plain`, as plain words.
fn parse(options: &SearchOptions) -> Result<query::Node, QueryError> {
    if options.plain {
        query::parse_plain(&options.query)
    } else {
        query::parse(&options.query)
    }
}

fn compile(
    index: &DurandIndex,
    query: &str,
    node: &query::Node,
    mode: Mode,
    filter: Option<&dyn Query>,
) -> Result<Compiled, SearchError> {
    let mut compiled = Builder::new(query, index)?.compile(node, mode)?;
    if let Some(filter) = filter {
        compiled.query = Box::new(BooleanQuery::new(vec![
            (Occur::Must, compiled.query),
            (Occur::Must, filter.box_clone()),
        ]));
    }
    Ok(compiled)
}

/// Candidates the proximity score is added to: the best `RESCORE_WINDOW` by BM25 (or more
/// when a page asks for more). Reading word positions for every match of a query of common
/// words cost milliseconds; for the candidates that can reach the first pages, microseconds.
pub const RESCORE_WINDOW: usize = 100;

fn run(
    searcher: &Searcher,
    stats: &RecordStatistics,
    compiled: &Compiled,
    limit: usize,
    offset: usize,
    sort: Sort,
) -> Result<(Vec<(f32, DocAddress)>, usize), tantivy::TantivyError> {
    // tantivy preallocates room for `limit + offset` hits: never ask for more than the index
    // holds, whatever number the caller passed.
    let records = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
    let (limit, offset) = (limit.min(records), offset.min(records));
    if limit == 0 || offset >= records {
        return Ok((Vec::new(), searcher.search(&compiled.query, &Count)?));
    }
    if !sort.is_relevance() {
        let top = TopDocs::with_limit(limit).and_offset(offset).tweak_score(
            move |segment: &tantivy::SegmentReader| {
                let dates = segment.fast_fields().u64("date_lo").ok();
                move |doc: tantivy::DocId, score: tantivy::Score| {
                    let date = dates.as_ref().and_then(|c| c.first(doc));
                    (sort.date_key(date), score)
                }
            },
        );
        let (top, total) =
            searcher.search_with_statistics_provider(&compiled.query, &(top, Count), stats)?;
        let top = top.into_iter().map(|((_, score), a)| (score, a)).collect();
        return Ok((top, total));
    }
    let Some(proximity) = &compiled.proximity else {
        let top = TopDocs::with_limit(limit)
            .and_offset(offset)
            .order_by_score();
        return searcher.search_with_statistics_provider(&compiled.query, &(top, Count), stats);
    };
    let window = (limit + offset).max(RESCORE_WINDOW);
    let top = TopDocs::with_limit(window).order_by_score();
    let (mut candidates, total) =
        searcher.search_with_statistics_provider(&compiled.query, &(top, Count), stats)?;
    rescore(searcher, stats, proximity.as_ref(), &mut candidates)?;
    let page = candidates.into_iter().skip(offset).take(limit).collect();
    Ok((page, total))
}

/// Adds `extra`'s score to each candidate it matches, then re-sorts (ties keep BM25 order).
/// Orders fused candidates by their document's date, keeping the fused order among equals.
fn sort_by_date(
    searcher: &Searcher,
    sort: Sort,
    candidates: &mut [(DocAddress, f32)],
) -> Result<(), tantivy::TantivyError> {
    let mut columns = Vec::with_capacity(searcher.segment_readers().len());
    for segment in searcher.segment_readers() {
        columns.push(segment.fast_fields().u64("date_lo").ok());
    }
    candidates.sort_by_cached_key(|(a, _)| {
        let date = columns[a.segment_ord as usize]
            .as_ref()
            .and_then(|c| c.first(a.doc_id));
        std::cmp::Reverse(sort.date_key(date))
    });
    Ok(())
}

fn rescore(
    searcher: &Searcher,
    stats: &RecordStatistics,
    extra: &dyn Query,
    candidates: &mut [(f32, DocAddress)],
) -> Result<(), tantivy::TantivyError> {
    let scoring = EnableScoring::enabled_from_statistics_provider(stats, searcher);
    let addresses: Vec<DocAddress> = candidates.iter().map(|c| c.1).collect();
    for (c, extra) in candidates
        .iter_mut()
        .zip(scores_of(searcher, extra, scoring, &addresses)?)
    {
        c.0 += extra.unwrap_or(0.0);
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0));
    Ok(())
}

/// The score `query` gives each of `addresses`, or `None` where it does not match. Reads only
/// what it needs for these documents (a search touches every match).
fn scores_of(
    searcher: &Searcher,
    query: &dyn Query,
    scoring: EnableScoring,
    addresses: &[DocAddress],
) -> Result<Vec<Option<f32>>, tantivy::TantivyError> {
    let weight = query.weight(scoring)?;
    let mut out = vec![None; addresses.len()];
    let mut order: Vec<usize> = (0..addresses.len()).collect();
    order.sort_by_key(|&i| addresses[i]);
    let mut segment = None;
    let mut scorer = None;
    // After a `seek_danger` miss the scorer's position is meaningless until the next hit,
    // and nothing below the lower bound it returned can match.
    let mut positioned = true;
    let mut lower_bound = 0;
    for i in order {
        let address = addresses[i];
        if segment != Some(address.segment_ord) {
            segment = Some(address.segment_ord);
            let reader = searcher.segment_reader(address.segment_ord);
            scorer = Some(weight.scorer(reader, 1.0)?);
            positioned = true;
            lower_bound = 0;
        }
        let s = scorer.as_mut().expect("scorer for the segment");
        let target = address.doc_id;
        // `seek_danger` checks this one document; `seek` would look for the next document
        // that matches, reading word positions of every document on the way.
        let found = if positioned && s.doc() >= target {
            s.doc() == target
        } else if !positioned && target < lower_bound {
            false
        } else {
            match s.seek_danger(target) {
                SeekDangerResult::Found => positioned = true,
                SeekDangerResult::SeekLowerBound(bound) => {
                    positioned = false;
                    lower_bound = bound;
                }
            }
            positioned
        };
        if found {
            out[i] = Some(s.score());
        }
    }
    Ok(out)
}

/// How many of the query's words (concepts) each hit has.
fn words_matched(
    searcher: &Searcher,
    concepts: &[Box<dyn Query>],
    top: &[(f32, DocAddress)],
) -> Result<Vec<usize>, tantivy::TantivyError> {
    let mut matched = vec![0; top.len()];
    if concepts.is_empty() {
        return Ok(matched);
    }
    let addresses: Vec<DocAddress> = top.iter().map(|t| t.1).collect();
    for concept in concepts {
        let scoring = EnableScoring::disabled_from_searcher(searcher);
        for (m, found) in
            matched
                .iter_mut()
                .zip(scores_of(searcher, concept.as_ref(), scoring, &addresses)?)
        {
            *m += usize::from(found.is_some());
        }
    }
    Ok(matched)
}

/// What ranking found, before anything is read from the document store.
struct Ranking {
    compiled: Compiled,
    mode: Mode,
    fallback: bool,
    top: Vec<(f32, DocAddress)>,
    total: usize,
    /// For a ranking by meaning, the passages fused (what the facets count).
    candidates: Option<hybrid::AddressSet>,
    /// For a ranking by meaning, the candidates it could not rank for want of a vector.
    unembedded: usize,
    /// With near-duplicates collapsed, once every match was seen: how many hits there are.
    collapsed: Option<usize>,
}

/// Parse, filter, rank (falling back from all words to any word), rescore.
fn ranking(
    index: &DurandIndex,
    searcher: &Searcher,
    options: &SearchOptions,
) -> Result<Ranking, SearchError> {
    let mut filter = filter_query(index, &options.filters)?;
    if let Some(doc) = &options.like {
        // Never the document itself, by words or by meaning.
        filter = Some(like::excluding(index, doc, filter));
    }
    // Documents like one: its terms, any of them, instead of a query (no fallback).
    let node = match &options.like {
        Some(_) => None,
        None => Some(parse(options)?),
    };
    let mut mode = match (&node, options.mode) {
        (None, _) | (_, ModeChoice::Any) => Mode::Any,
        _ => Mode::All,
    };
    let stats = RecordStatistics::passages(searcher, &index.fields)?;
    let mut compiled = match &node {
        Some(node) => compile(index, &options.query, node, mode, filter.as_deref())?,
        None => like::compile(
            index,
            options.like.as_deref().unwrap_or_default(),
            filter.as_deref(),
        )?,
    };
    // A fusion ranks the candidates of both rankers, then takes the page from the result.
    let (limit, offset) = match &options.semantic {
        Some(_) => (
            options
                .offset
                .saturating_add(options.limit)
                .max(hybrid::DEPTH),
            0,
        ),
        None => (options.limit, options.offset),
    };
    let uses_keywords = options.semantic.as_ref().is_none_or(|s| !s.only);
    let (mut top, mut total) = if uses_keywords {
        run(searcher, &stats, &compiled, limit, offset, options.sort)?
    } else {
        (Vec::new(), 0)
    };
    let mut fallback = false;
    let mut candidates = None;
    let mut unembedded = 0;
    if let Some(node) = node.as_ref().filter(|n| {
        uses_keywords && total == 0 && options.mode == ModeChoice::Auto && n.any_mode_differs()
    }) {
        // Kept only when it finds something: else the answer is the all-words one.
        let any = compile(index, &options.query, node, Mode::Any, filter.as_deref())?;
        let (any_top, any_total) = run(searcher, &stats, &any, limit, offset, options.sort)?;
        if any_total > 0 {
            (mode, compiled, top, total, fallback) = (Mode::Any, any, any_top, any_total, true);
        }
    }
    if let Some(semantic) = &options.semantic {
        // The query's fielded values and exclusions hold for the passages found by meaning too.
        let restriction = match &node {
            Some(node) => Builder::new(&options.query, index)?.restriction(node)?,
            None => None,
        };
        let within: Option<Box<dyn Query>> = match (filter.as_deref(), restriction) {
            (Some(f), Some(r)) => Some(Box::new(BooleanQuery::new(vec![
                (Occur::Must, f.box_clone()),
                (Occur::Must, r),
            ]))),
            (Some(f), None) => Some(f.box_clone()),
            (None, r) => r,
        };
        let nearest = hybrid::nearest(index, searcher, &semantic.vector, within.as_deref(), limit)?;
        unembedded = nearest.unembedded;
        let keyword: Vec<(DocAddress, f32)> = top.iter().map(|(s, a)| (*a, *s)).collect();
        let near: Vec<(DocAddress, f32)> = nearest.hits.iter().map(|(s, a)| (*a, *s)).collect();
        let fused = if semantic.only {
            near
        } else {
            hybrid::fuse(&keyword, &near, semantic.fusion)
        };
        let mut fused = fused;
        if !options.sort.is_relevance() {
            sort_by_date(searcher, options.sort, &mut fused)?;
        }
        // The candidates fused: what the total counts and the facets count.
        total = fused.len();
        candidates = Some(hybrid::AddressSet::new(searcher, fused.iter().map(|f| f.0)));
        top = fused
            .into_iter()
            .skip(options.offset)
            .take(options.limit)
            .map(|(a, s)| (s, a))
            .collect();
    }
    Ok(Ranking {
        compiled,
        mode,
        fallback,
        top,
        total,
        candidates,
        unembedded,
        collapsed: None,
    })
}

/// Parse, filter and rank, keeping a story group's first document only (when collapsing): a
/// hit whose story an earlier hit of another document already showed is dropped; and, when
/// listing by document, a document's first hit only. The ranking window grows until the page
/// is full or every match was seen.
fn collapsed_ranking(
    index: &DurandIndex,
    searcher: &Searcher,
    options: &SearchOptions,
) -> Result<Ranking, SearchError> {
    let wanted = options.offset.saturating_add(options.limit);
    let records = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
    let mut window = wanted.min(records);
    let mut columns = Vec::new();
    for segment in searcher.segment_readers() {
        let ff = segment.fast_fields();
        columns.push((ff.u64("story")?, ff.u64("doc_hash")?));
    }
    loop {
        let mut wide = options.clone();
        wide.offset = 0;
        wide.limit = window;
        let mut r = ranking(index, searcher, &wide)?;
        let seen_all = r.top.len() < window || window >= records;
        // story → the document that shows it
        let mut shown: rustc_hash::FxHashMap<u64, u64> = rustc_hash::FxHashMap::default();
        let mut keep = Vec::with_capacity(r.top.len());
        // Documents like one, or by document, are listed as documents: each by its best
        // passage.
        let by_document = options.by_document || options.like.is_some();
        let mut listed = rustc_hash::FxHashSet::default();
        for (i, (_, address)) in r.top.iter().enumerate() {
            let (story, hash) = &columns[address.segment_ord as usize];
            let hash = hash.first(address.doc_id).unwrap_or(u64::MAX);
            let story = story.first(address.doc_id).unwrap_or(hash);
            if (!options.collapse || *shown.entry(story).or_insert(hash) == hash)
                && (!by_document || listed.insert(hash))
            {
                keep.push(i);
            }
        }
        if keep.len() >= wanted || seen_all {
            let kept = keep.len();
            let page: Vec<usize> = keep
                .into_iter()
                .skip(options.offset)
                .take(options.limit)
                .collect();
            // (documents listed once each is no collapse of copies)
            if seen_all && options.collapse && !by_document {
                r.collapsed = Some(kept);
            }
            r.top = page.iter().map(|&i| r.top[i]).collect();
            return Ok(r);
        }
        window = window.saturating_mul(4).min(records);
    }
}

/// The other documents of `story` than `doc_id`: how many, and their distinct sources.
fn similar(
    index: &DurandIndex,
    searcher: &Searcher,
    story: u64,
    doc_id: &str,
) -> Result<Option<Similar>, SearchError> {
    let query = BooleanQuery::intersection(vec![
        Box::new(TermQuery::new(
            tantivy::Term::from_field_u64(index.fields.story, story),
            IndexRecordOption::Basic,
        )),
        Box::new(TermQuery::new(
            index.fields.documents_term(),
            IndexRecordOption::Basic,
        )),
    ]);
    let documents = searcher.search(&query, &Count)?;
    if documents <= 1 {
        return Ok(None);
    }
    let mut sources: Vec<String> = Vec::new();
    let top = TopDocs::with_limit(SIMILAR_SOURCES * 4).order_by_score();
    for (_, address) in searcher.search(&query, &top)? {
        let stored = index.stored(searcher, address)?;
        let doc = crate::index::document::StoredDoc::from_stored(&stored, &index.fields)
            .map_err(|e| SearchError::Open(index.unreadable(e)))?;
        if doc.doc_id == doc_id {
            continue;
        }
        if let Some(source) = doc.meta.source
            && !sources.contains(&source)
            && sources.len() < SIMILAR_SOURCES
        {
            sources.push(source);
        }
    }
    Ok(Some(Similar {
        count: documents - 1,
        sources,
    }))
}

/// A ranked passage, identified without reading the document store.
#[derive(Debug, Clone, PartialEq)]
pub struct RankedPassage {
    pub doc: String,
    pub passage: u32,
    pub score: f32,
}

/// Ranks passages through the same path as [`search`] (parse, filters, fallback, rescoring)
/// but reads only ids, from fast fields: for evaluation, where thousands of hits per query
/// are turned into a document ranking. Returns the total and the ranked passages.
pub fn rank(
    index: &DurandIndex,
    options: &SearchOptions,
) -> Result<(usize, Vec<RankedPassage>), SearchError> {
    rank_passages(index, options).map_err(|e| e.in_index(index))
}

fn rank_passages(
    index: &DurandIndex,
    options: &SearchOptions,
) -> Result<(usize, Vec<RankedPassage>), SearchError> {
    let searcher = index.reader.searcher();
    let r = ranking(index, &searcher, options)?;
    Ok((r.total, passages_of(index, &searcher, r.top)?))
}

/// The passages nearest to `vector` (all passages), at most `depth`, identified from fast
/// fields: the semantic half of `durand eval --hybrid`.
pub fn rank_nearest(
    index: &DurandIndex,
    vector: &[f32],
    depth: usize,
) -> Result<Vec<RankedPassage>, SearchError> {
    let searcher = index.reader.searcher();
    let nearest =
        hybrid::nearest(index, &searcher, vector, None, depth).map_err(|e| e.in_index(index))?;
    passages_of(index, &searcher, nearest.hits).map_err(|e| e.in_index(index))
}

/// Document ids and passage numbers of ranked addresses, from fast fields.
fn passages_of(
    index: &DurandIndex,
    searcher: &Searcher,
    top: Vec<(f32, DocAddress)>,
) -> Result<Vec<RankedPassage>, SearchError> {
    let ids = index.id_terms()?;
    // Each segment's id and ordinal columns, opened once for all its hits.
    let mut columns = Vec::with_capacity(searcher.segment_readers().len());
    for segment in searcher.segment_readers() {
        let ff = segment.fast_fields();
        columns.push((ff.str("doc_id")?, ff.u64("ord")?));
    }
    let mut out = Vec::with_capacity(top.len());
    for (score, address) in top {
        let (Some(col), ord) = &columns[address.segment_ord as usize] else {
            continue;
        };
        let Some(term) = col.term_ords(address.doc_id).next() else {
            continue;
        };
        out.push(RankedPassage {
            doc: ids[address.segment_ord as usize][term as usize].clone(),
            passage: ord.first(address.doc_id).unwrap_or(0) as u32,
            score,
        });
    }
    Ok(out)
}

/// Runs a search: ranking, then stored fields, snippets and facet counts.
pub fn search(index: &DurandIndex, options: &SearchOptions) -> Result<SearchResults, SearchError> {
    search_passages(index, options).map_err(|e| e.in_index(index))
}

fn search_passages(
    index: &DurandIndex,
    options: &SearchOptions,
) -> Result<SearchResults, SearchError> {
    let started = Instant::now();
    let searcher = index.reader.searcher();
    let Ranking {
        compiled,
        mode,
        fallback,
        mut top,
        total,
        candidates,
        unembedded,
        collapsed,
    } = if options.collapse || options.by_document || options.like.is_some() {
        collapsed_ranking(index, &searcher, options)?
    } else {
        ranking(index, &searcher, options)?
    };
    let words = compiled.concepts.len();
    let mut stories_shown: Vec<u64> = Vec::new();
    let mut highlighter = Highlighter::new(compiled.patterns.clone());
    let mut hits = Vec::with_capacity(top.len());
    if !options.fetch {
        top.clear();
    }
    // In any-word mode, how many of the query's words each hit shown has.
    let matched = words_matched(&searcher, &compiled.concepts, &top)?;
    for ((score, address), matched) in top.into_iter().zip(matched) {
        // Shown without the coordination part: the BM25 score (and proximity bonus).
        let score = match options.semantic {
            None if compiled.coordinated => score - build::COORDINATION * matched as f32,
            _ => score,
        };
        let p = index.passage(&searcher, address)?;
        let snippet = if p.text.is_empty() {
            highlighter.snippet(&p.title, options.snippet_chars, &[])
        } else {
            let tagged: Vec<std::ops::Range<usize>> = p
                .mentions
                .iter()
                .filter(|m| {
                    compiled
                        .entities
                        .iter()
                        .any(|(k, parts)| m.names(*k, parts))
                })
                .map(|m| m.start..m.end)
                .collect();
            highlighter.snippet(&p.text, options.snippet_chars, &tagged)
        };
        let date_precision = p.date_precision();
        let similar = if options.collapse && !stories_shown.contains(&p.story) {
            stories_shown.push(p.story);
            similar(index, &searcher, p.story, &p.doc_id)?
        } else {
            None
        };
        hits.push(Hit {
            doc: p.doc_id,
            title: p.title,
            path: p.path,
            url: p.url,
            passage: p.ord,
            start: p.start,
            end: p.end,
            section: p.section,
            score,
            date: p.date,
            date_precision,
            tags: p.tags,
            text: p.text,
            snippet: snippet.text,
            highlights: snippet.highlights,
            mentions: p.mentions,
            words_matched: (words > 0).then_some(matched),
            events: p.events,
            casualties: p.casualties,
            story: story_name(p.story),
            similar,
        });
    }
    let facets = if options.facets {
        let collector = facets::DocFacets {
            by_story: options.collapse,
        };
        let query: &dyn Query = match &candidates {
            Some(c) => c,
            None => compiled.query.as_ref(),
        };
        Some(searcher.search(query, &collector)?)
    } else {
        None
    };
    Ok(SearchResults {
        query: options.query.clone(),
        mode,
        ranker: Ranker::of(options),
        sort: options.sort,
        like: options.like.clone(),
        fallback,
        total_hits: total,
        words: (words > 0).then_some(words),
        took_ms: (started.elapsed().as_secs_f64() * 1e6).round() / 1e3,
        unembedded,
        // said only where it differs: what the pages can hold
        collapsed_hits: collapsed.filter(|&n| n < total),
        hits,
        facets,
    })
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Document counts per facet over the whole collection, or the documents `filters` keep.
pub fn collection_facets(
    index: &DurandIndex,
    filters: &Filters,
    by_story: bool,
) -> Result<FacetCounts, SearchError> {
    let passages: Box<dyn Query> = Box::new(TermQuery::new(
        index.fields.passages_term(),
        IndexRecordOption::Basic,
    ));
    let query: Box<dyn Query> = match filter_query(index, filters)? {
        Some(f) => Box::new(BooleanQuery::new(vec![
            (Occur::Must, passages),
            (Occur::Must, f),
        ])),
        None => passages,
    };
    index
        .reader
        .searcher()
        .search(&query, &facets::DocFacets { by_story })
        .map_err(|e| SearchError::Open(index.damaged(e)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{BORDER, TestIndex};

    fn docs(index: &DurandIndex, options: &SearchOptions) -> Vec<String> {
        let mut ids: Vec<String> = search(index, options)
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.doc)
            .collect();
        ids.dedup();
        ids
    }

    /// The highlighted words of the hit of document `doc`, in snippet order.
    fn lit<'a>(r: &'a SearchResults, doc: &str) -> Vec<&'a str> {
        let hit = r.hits.iter().find(|h| h.doc == doc).expect("a hit of doc");
        hit.highlights
            .iter()
            .map(|[a, b]| &hit.snippet[*a..*b])
            .collect()
    }

    fn query(q: &str) -> SearchOptions {
        let mut o = SearchOptions::new(q);
        o.limit = 100;
        o
    }

    #[test]
    fn near_words_match_in_any_order_within_the_distance() {
        let t = TestIndex::new(&[
            (
                "close",
                "One",
                "2023-01-01",
                "The strike came from a drone over Kunar.",
            ),
            (
                "far",
                "Two",
                "2023-01-02",
                "The strike hit a market; days later, far away, a drone was seen.",
            ),
            ("phrase", "Three", "2023-01-03", "A drone strike in Khost."),
        ]);
        let i = &t.index;
        assert_eq!(docs(i, &query("\"drone strike\"")), vec!["phrase"]);
        let mut near = docs(i, &query("\"drone strike\"~3"));
        near.sort();
        assert_eq!(near, vec!["close", "phrase"]);
        let r = search(i, &query("\"drone strike\"~3")).unwrap();
        assert_eq!(lit(&r, "close"), vec!["strike", "drone"]);
    }

    #[test]
    fn near_words_that_form_a_name_are_the_words_near_each_other_not_the_name() {
        let t = TestIndex::new(&[
            (
                "acronym",
                "One",
                "2023-01-01",
                "The TTP claimed the attack on the post.",
            ),
            (
                "close",
                "Two",
                "2023-01-02",
                "Taliban fighters, the Pakistani army said, crossed at night.",
            ),
            (
                "name",
                "Three",
                "2023-01-03",
                "The Pakistani Taliban attacked a checkpoint.",
            ),
        ]);
        let i = &t.index;
        // As typed, the words name the TTP: every spelling of it.
        let mut name = docs(i, &query("Pakistani Taliban"));
        name.sort();
        assert_eq!(name, vec!["acronym", "name"]);
        // Near each other, they are the two words, in either order: the distance counts.
        for q in ["\"Pakistani Taliban\"~3", "\"Taliban Pakistani\"~3"] {
            let mut near = docs(i, &query(q));
            near.sort();
            assert_eq!(near, vec!["close", "name"], "{q}");
            let r = search(i, &query(q)).unwrap();
            assert_eq!(lit(&r, "close"), vec!["Taliban", "Pakistani"], "{q}");
        }
        for q in ["\"Pakistani Taliban\"~0", "\"Taliban Pakistani\"~0"] {
            assert_eq!(docs(i, &query(q)), vec!["name"], "{q}");
        }
    }

    #[test]
    fn date_order_puts_the_newest_or_oldest_first_and_undated_last() {
        let t = TestIndex::new(&[
            ("old", "Kunar", "2021-05-01", "Fighting in Kunar."),
            ("undated", "Kunar", "", "Fighting in Kunar, Kunar, Kunar."),
            ("new", "Kunar", "2023-05-01", "Fighting in Kunar."),
            ("mid", "Kunar", "2022", "Fighting in Kunar."),
        ]);
        let mut o = query("kunar");
        o.collapse = false;
        o.sort = Sort::Newest;
        assert_eq!(docs(&t.index, &o), vec!["new", "mid", "old", "undated"]);
        o.sort = Sort::Oldest;
        assert_eq!(docs(&t.index, &o), vec!["old", "mid", "new", "undated"]);
        o.limit = 2;
        o.offset = 1;
        assert_eq!(docs(&t.index, &o), vec!["mid", "new"]);
    }

    #[test]
    fn words_exclusions_phrases_and_fields_compile_to_what_they_say() {
        let t = TestIndex::new(BORDER);
        let i = &t.index;
        assert_eq!(docs(i, &query("Pakistan border")), vec!["talks"]);
        assert_eq!(
            docs(i, &query("Pakistan -border -drone -blast")),
            vec!["kunar"]
        );
        assert_eq!(docs(i, &query("\"border crossing\"")), vec!["talks"]);
        assert!(docs(i, &query("\"crossing border\"")).is_empty());
        assert_eq!(docs(i, &query("title:blast")), vec!["quetta"]);
        assert_eq!(docs(i, &query("Miran*")), vec!["drone"]);
        let err = search(i, &query("titel:blast")).err().unwrap().to_string();
        assert_eq!(
            err,
            "bad query: unknown field \"titel\" at column 1; did you mean title:?"
        );
    }

    #[test]
    fn a_name_in_a_query_matches_every_spelling_of_it() {
        let t = TestIndex::new(BORDER);
        // "Pakistani Taliban" names the TTP: the report that says "TTP" and the one that
        // says "Tehreek-e-Taliban Pakistan" both match, neither says the words.
        let found = docs(&t.index, &query("Pakistani Taliban"));
        assert_eq!(found, vec!["kunar", "drone"]);
        let r = search(&t.index, &query("group:ttp -province:kunar")).unwrap();
        assert_eq!(
            r.hits.iter().map(|h| h.doc.as_str()).collect::<Vec<_>>(),
            vec!["drone"]
        );
    }

    #[test]
    fn filters_restrict_by_tags_and_dates_and_unknown_names_suggest() {
        let t = TestIndex::new(BORDER);
        let i = &t.index;
        let mut o = query("Pakistan");
        o.filters
            .entities
            .get_mut(EntityKind::PROVINCE)
            .push("konar".into());
        assert_eq!(docs(i, &o), vec!["kunar"]);
        let mut o = query("Pakistan");
        o.filters.from = PartialDate::parse_iso("2023-04");
        o.filters.to = PartialDate::parse_iso("2023");
        assert_eq!(docs(i, &o), vec!["quetta"]);
        let mut o = query("Pakistan");
        o.filters.countries.push("afghanistan".into());
        assert_eq!(docs(i, &o), vec!["kunar"]);
        // Passage level: the TTP is named in Kunar's second passage only.
        let mut o = query("Kunar");
        o.filters
            .entities
            .get_mut(EntityKind::GROUP)
            .push("TTP".into());
        o.filters.in_passage = true;
        let r = search(i, &o).unwrap();
        assert_eq!(r.total_hits, 1);
        assert_eq!(r.hits[0].passage, 1);
        let mut o = query("Pakistan");
        o.filters
            .entities
            .get_mut(EntityKind::PROVINCE)
            .push("Khyber Pakhtunkwa".into());
        let err = search(i, &o).err().unwrap().to_string();
        assert_eq!(
            err,
            "unknown province \"Khyber Pakhtunkwa\"; did you mean Khyber Pakhtunkhwa?"
        );
    }

    #[test]
    fn a_field_value_filters_in_any_word_mode_too_and_a_word_is_still_needed() {
        let t = TestIndex::new(BORDER);
        let i = &t.index;
        // "drone" is in a 2023 report, "talks" in a 2024 one; the other 2023 report has
        // neither word.
        let mut o = query("drone talks year:2023");
        o.mode = ModeChoice::Any;
        assert_eq!(docs(i, &o), vec!["drone"]);
        // The same through the fallback from all words.
        let o = query("drone talks year:2023");
        let r = search(i, &o).unwrap();
        assert!(r.fallback);
        assert_eq!(docs(i, &o), vec!["drone"]);
        // A required word leaves the others optional, beside a filter too.
        let mut o = query("+blast talks country:pakistan");
        o.mode = ModeChoice::Any;
        assert_eq!(docs(i, &o), vec!["quetta"]);
    }

    #[test]
    fn facets_count_documents_not_passages() {
        let t = TestIndex::new(BORDER);
        let counts = collection_facets(&t.index, &Filters::default(), true).unwrap();
        let of = |f: FacetField| -> Vec<(String, usize)> {
            counts
                .field(f)
                .iter()
                .map(|c| (c.value.clone(), c.count))
                .collect()
        };
        // Kunar's report has two passages; it counts once.
        assert_eq!(
            of(FacetField::Entity(EntityKind::GROUP)),
            vec![("TTP".to_string(), 2)]
        );
        assert_eq!(
            of(FacetField::Country),
            vec![("Pakistan".to_string(), 3), ("Afghanistan".to_string(), 1)]
        );
        assert_eq!(of(FacetField::Year)[0], ("2023".to_string(), 2));
        // Both of Kunar's passages match; its document counts once.
        let mut o = query("Kunar");
        o.facets = true;
        let r = search(&t.index, &o).unwrap();
        assert_eq!(r.total_hits, 2);
        let facets = r.facets.unwrap();
        let provinces = facets.field(FacetField::Entity(EntityKind::PROVINCE));
        assert_eq!(
            provinces,
            [FacetCount {
                value: "Kunar".into(),
                count: 1
            }]
        );
    }

    #[test]
    fn limits_beyond_the_index_are_cut_not_allocated() {
        let t = TestIndex::new(BORDER);
        let mut o = query("Pakistan");
        o.limit = usize::MAX;
        o.offset = usize::MAX - 1;
        let r = search(&t.index, &o).unwrap();
        assert!(r.hits.is_empty() && r.total_hits > 0);
        o.offset = 0;
        assert_eq!(search(&t.index, &o).unwrap().hits.len(), r.total_hits);
    }
}
