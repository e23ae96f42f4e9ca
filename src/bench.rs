//! Query latency, measured the way a user meets it: each query runs many times through the
//! real search path ([`crate::search::search`]: parse, filter, rank, count facets when asked,
//! read stored fields, cut snippets) on an index opened once, and the timings are summarised
//! per query class as percentiles and queries per second.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::embed::Embedder;
use crate::index::DurandIndex;
use crate::search::{SearchError, SearchOptions, search};

/// The class a query's timings are reported under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    SingleWord,
    SeveralWords,
    Phrase,
    Filtered,
    Facets,
    /// `--hybrid`: the query embedded, BM25 and vectors fused.
    Hybrid,
    /// `--semantic`: the query embedded, vectors alone.
    Semantic,
}

impl Class {
    /// The class of a search: facets, then filters, then phrases, then the number of words.
    pub fn of(options: &SearchOptions) -> Class {
        if let Some(s) = &options.semantic {
            if s.only {
                Class::Semantic
            } else {
                Class::Hybrid
            }
        } else if options.facets {
            Class::Facets
        } else if !options.filters.is_empty() {
            Class::Filtered
        } else if options.query.contains('"') {
            Class::Phrase
        } else if options.query.split_whitespace().count() > 1 {
            Class::SeveralWords
        } else {
            Class::SingleWord
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Class::SingleWord => "single word",
            Class::SeveralWords => "several words",
            Class::Phrase => "phrase",
            Class::Filtered => "filtered",
            Class::Facets => "with facets",
            Class::Hybrid => "hybrid",
            Class::Semantic => "semantic",
        }
    }
}

/// One query of a bench run, as written and as checked options.
#[derive(Debug, Clone)]
pub struct BenchQuery {
    pub line: String,
    /// Where it was written: `file:line`.
    pub origin: String,
    pub class: Class,
    pub options: SearchOptions,
}

/// A query of a bench run that fails to search (bad syntax, an unknown name), with where
/// it was written.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error("{origin}: {error}")]
    Query { origin: String, error: SearchError },
    #[error(transparent)]
    Search(#[from] SearchError),
}

/// Latency percentiles of a set of timings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Stats {
    /// Timed runs (each query × `--iterations`), shown as `runs`.
    pub queries: usize,
    pub p50_us: f64,
    pub p90_us: f64,
    pub p99_us: f64,
    pub max_us: f64,
    pub qps: f64,
}

impl Stats {
    /// Nearest-rank percentiles; `qps` is timed queries over their total time.
    pub fn of(timings: &[Duration]) -> Stats {
        let mut us: Vec<f64> = timings.iter().map(|d| d.as_secs_f64() * 1e6).collect();
        us.sort_by(f64::total_cmp);
        let at = |p: f64| -> f64 {
            if us.is_empty() {
                return 0.0;
            }
            let rank = ((p * us.len() as f64).ceil() as usize).clamp(1, us.len());
            round(us[rank - 1])
        };
        let total: f64 = us.iter().sum();
        Stats {
            queries: us.len(),
            p50_us: at(0.50),
            p90_us: at(0.90),
            p99_us: at(0.99),
            max_us: us.last().copied().map_or(0.0, round),
            qps: if total > 0.0 {
                (us.len() as f64 / (total / 1e6)).round()
            } else {
                0.0
            },
        }
    }
}

fn round(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// Per-query outcome, so a run can show which queries matched.
#[derive(Debug, Clone, Serialize)]
pub struct QueryReport {
    pub query: String,
    /// `file:line` of the query.
    pub origin: String,
    pub class: Class,
    pub total_hits: usize,
    pub p50_us: f64,
}

/// What a bench run measured.
#[derive(Debug, Clone, Serialize)]
pub struct BenchReport {
    pub iterations: usize,
    pub warmup: usize,
    /// The whole search path: ranking, stored fields and snippets (and facets when asked).
    #[serde(flatten)]
    pub overall: Stats,
    pub classes: BTreeMap<Class, Stats>,
    /// Ranking and counting only: no stored fields, no snippets.
    pub rank_only: Stats,
    pub per_query: Vec<QueryReport>,
}

/// Runs every query `warmup` times untimed, then `iterations` times timed, through the full
/// search path and through ranking alone. A search by meaning embeds its query each time, with
/// `embedder` (needed when any query is one).
pub fn run(
    index: &DurandIndex,
    queries: &[BenchQuery],
    iterations: usize,
    warmup: usize,
    embedder: Option<&Embedder>,
) -> Result<BenchReport, BenchError> {
    let iterations = iterations.max(1);
    let search = |options: &SearchOptions| -> Result<crate::search::SearchResults, SearchError> {
        match embedder {
            Some(embedder) if options.semantic.is_some() => {
                let mut embedded = options.clone();
                crate::search::hybrid::embed_query(embedder, &mut embedded)?;
                search(index, &embedded)
            }
            _ => search(index, options),
        }
    };
    // Every query once before any timing, so a bad one is reported with its line.
    for q in queries {
        search(&q.options).map_err(|error| BenchError::Query {
            origin: q.origin.clone(),
            error,
        })?;
    }
    let mut all = Vec::new();
    let mut rank_only = Vec::new();
    let mut by_class: BTreeMap<Class, Vec<Duration>> = BTreeMap::new();
    let mut per_query = Vec::new();
    for q in queries {
        let mut ranking = q.options.clone();
        ranking.fetch = false;
        for _ in 0..warmup {
            search(&q.options)?;
            search(&ranking)?;
        }
        let mut own = Vec::with_capacity(iterations.min(1 << 20));
        let mut total_hits = 0;
        for _ in 0..iterations {
            let started = Instant::now();
            let r = search(&q.options)?;
            own.push(started.elapsed());
            total_hits = r.total_hits;
            let started = Instant::now();
            let r = search(&ranking)?;
            rank_only.push(started.elapsed());
            assert_eq!(
                r.total_hits, total_hits,
                "both paths match the same passages"
            );
        }
        per_query.push(QueryReport {
            query: q.line.clone(),
            origin: q.origin.clone(),
            class: q.class,
            total_hits,
            p50_us: Stats::of(&own).p50_us,
        });
        by_class.entry(q.class).or_default().extend(&own);
        all.extend(own);
    }
    Ok(BenchReport {
        iterations,
        warmup,
        overall: Stats::of(&all),
        classes: by_class.iter().map(|(c, t)| (*c, Stats::of(t))).collect(),
        rank_only: Stats::of(&rank_only),
        per_query,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_nearest_rank() {
        let t: Vec<Duration> = (1..=100).map(Duration::from_micros).collect();
        let s = Stats::of(&t);
        assert_eq!(
            (s.p50_us, s.p90_us, s.p99_us, s.max_us),
            (50.0, 90.0, 99.0, 100.0)
        );
        assert_eq!(s.queries, 100);
        assert_eq!(s.qps, (100.0 / (5050.0 / 1e6_f64)).round());
    }
}
