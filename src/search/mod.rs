//! Answers a query: parse, build, rank passages by BM25 (title and section as boosted
//! fields), fall back from "all words" to "any word" when nothing has them all, and return
//! plain data ([`SearchResults`]) that a renderer turns into text or JSON.

pub mod build;
pub mod query;
pub mod snippet;

use std::time::Instant;

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::{DocAddress, Searcher, TantivyDocument};

use crate::date::Precision;
use crate::index::{DurandIndex, StoredPassage};
use build::{Builder, Compiled};
pub use query::QueryError;
use snippet::Highlighter;

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
    #[error("search failed: {0}")]
    Index(#[from] tantivy::TantivyError),
}

/// A validated search request.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    pub query: String,
    pub mode: ModeChoice,
    pub limit: usize,
    pub offset: usize,
    pub snippet_chars: usize,
}

impl SearchOptions {
    pub fn new(query: impl Into<String>) -> Self {
        SearchOptions {
            query: query.into(),
            mode: ModeChoice::Auto,
            limit: 10,
            offset: 0,
            snippet_chars: SNIPPET_CHARS,
        }
    }
}

/// One ranked passage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub doc: String,
    pub title: String,
    pub path: String,
    pub passage: u32,
    pub section: Option<String>,
    pub score: f32,
    pub date: Option<String>,
    pub date_precision: Option<Precision>,
    pub text: String,
    pub snippet: String,
    /// Byte ranges into `snippet`.
    pub highlights: Vec<[usize; 2]>,
}

/// The answer to a query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults {
    pub query: String,
    pub mode: Mode,
    /// True when no passage had all the words and the results are for any word.
    pub fallback: bool,
    pub total_hits: usize,
    pub took_ms: f64,
    pub hits: Vec<Hit>,
}

fn compile(
    index: &DurandIndex,
    query: &str,
    node: &query::Node,
    mode: Mode,
) -> Result<Compiled, QueryError> {
    Builder::new(query, &index.fields).compile(node, mode)
}

fn run(
    searcher: &Searcher,
    compiled: &Compiled,
    limit: usize,
    offset: usize,
) -> Result<(Vec<(f32, DocAddress)>, usize), tantivy::TantivyError> {
    if limit == 0 {
        return Ok((Vec::new(), searcher.search(&compiled.query, &Count)?));
    }
    let top = TopDocs::with_limit(limit)
        .and_offset(offset)
        .order_by_score();
    searcher.search(&compiled.query, &(top, Count))
}

/// Runs a search.
pub fn search(index: &DurandIndex, options: &SearchOptions) -> Result<SearchResults, SearchError> {
    let started = Instant::now();
    let node = query::parse(&options.query)?;
    let searcher = index.reader.searcher();
    let first_mode = match options.mode {
        ModeChoice::Any => Mode::Any,
        _ => Mode::All,
    };
    let mut mode = first_mode;
    let mut compiled = compile(index, &options.query, &node, mode)?;
    let (mut top, mut total) = run(&searcher, &compiled, options.limit, options.offset)?;
    let mut fallback = false;
    if total == 0 && options.mode == ModeChoice::Auto && node.default_clauses() > 1 {
        mode = Mode::Any;
        compiled = compile(index, &options.query, &node, mode)?;
        (top, total) = run(&searcher, &compiled, options.limit, options.offset)?;
        fallback = total > 0;
        if !fallback {
            mode = first_mode;
        }
    }
    let mut highlighter = Highlighter::new(compiled.patterns.clone());
    let mut hits = Vec::with_capacity(top.len());
    for (score, address) in top {
        let stored: TantivyDocument = searcher.doc(address)?;
        let p = StoredPassage::from_stored(&stored, &index.fields);
        let source = if p.text.is_empty() { &p.title } else { &p.text };
        let snippet = highlighter.snippet(source, options.snippet_chars);
        let date_precision = p.date_precision();
        hits.push(Hit {
            doc: p.doc_id,
            title: p.title,
            path: p.path,
            passage: p.ord,
            section: p.section,
            score,
            date: p.date,
            date_precision,
            text: p.text,
            snippet: snippet.text,
            highlights: snippet.highlights,
        });
    }
    Ok(SearchResults {
        query: options.query.clone(),
        mode,
        fallback,
        total_hits: total,
        took_ms: (started.elapsed().as_secs_f64() * 1e6).round() / 1e3,
        hits,
    })
}
