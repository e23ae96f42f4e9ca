//! Ranking quality, measured the way the field does: run judged queries through the search
//! path, turn passage hits into a document ranking, and score it against human relevance
//! judgments with nDCG@k, MAP, Recall@100 and MRR@k (trec_eval's definitions: gains are the
//! judged grades, a document counts as relevant when its grade is above zero, averages are
//! over the judged queries that were run, a judged query that finds nothing counts as zero,
//! as `trec_eval -c` does, and tied scores are ordered by document id, descending).
//!
//! Formats: BEIR (`queries.jsonl` with `_id` and `text`; qrels TSV with a
//! `query-id corpus-id score` header) and TREC (`qid 0 docid rel` qrels; queries as
//! `qid<TAB>text` lines). Runs are written in TREC run format for checking with trec_eval.

pub mod events;
pub mod tags;

use std::collections::{HashMap, HashSet};
use std::io::{self, Write};
use std::path::Path;
use std::time::Instant;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::embed::Embedder;
use crate::index::DurandIndex;
use crate::search::documents::DocumentScorer;
use crate::search::hybrid::{Fusion, fuse};
use crate::search::{ModeChoice, RankedPassage, SearchError, SearchOptions, rank, rank_nearest};

/// A query to evaluate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalQuery {
    pub id: String,
    pub text: String,
}

/// Judgments: query id → document id → grade.
pub type Qrels = HashMap<String, HashMap<String, i32>>;

/// Problems reading evaluation files.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("{path}")]
    Io {
        path: String,
        #[source]
        source: io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Line {
        path: String,
        line: usize,
        message: String,
    },
    #[error("{0}: none of its queries has a relevant judgment (a grade above 0) in the qrels")]
    NothingJudged(String),
    #[error(
        "none of the {judged} relevant judged documents is in the index at {index}; index the collection the judgments are for (`durand --index DIR index corpus.jsonl`)"
    )]
    NotIndexed { judged: usize, index: String },
    #[error(transparent)]
    Search(#[from] SearchError),
}

/// A labels, queries or judgments file as text, without the byte-order mark an editor may
/// have put first (it would stick to the first query's id or break the first JSON line).
fn read(path: &Path) -> Result<String, EvalError> {
    std::fs::read_to_string(path)
        .map(|text| match text.strip_prefix('\u{FEFF}') {
            Some(rest) => rest.to_string(),
            None => text,
        })
        .map_err(|source| EvalError::Io {
            path: path.display().to_string(),
            source,
        })
}

/// Reads queries: BEIR JSONL (`{"_id", "text"}`) when the file is `.jsonl`, else one
/// `qid<TAB>text` per line.
pub fn read_queries(path: &Path) -> Result<Vec<EvalQuery>, EvalError> {
    #[derive(Deserialize)]
    struct Beir {
        #[serde(rename = "_id", alias = "id")]
        id: serde_json::Value,
        text: String,
    }
    let text = read(path)?;
    let shown = path.display().to_string();
    let jsonl = path.extension().is_some_and(|e| e == "jsonl");
    let mut out = Vec::new();
    // id → its line: a query given twice would be scored twice.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let err = |message: String| EvalError::Line {
            path: shown.clone(),
            line: i + 1,
            message,
        };
        let q = if jsonl {
            let b: Beir = json_line(line).map_err(err)?;
            let id = match b.id {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            EvalQuery { id, text: b.text }
        } else {
            let (id, text) = line
                .split_once('\t')
                .ok_or_else(|| err("expected `query-id<TAB>text`".to_string()))?;
            EvalQuery {
                id: id.trim().to_string(),
                text: text.trim().to_string(),
            }
        };
        if let Some(first) = seen.insert(q.id.clone(), i + 1) {
            return Err(err(format!(
                "query {:?} is given twice (first at line {first})",
                q.id
            )));
        }
        out.push(q);
    }
    Ok(out)
}

/// Reads judgments: BEIR TSV (`query-id corpus-id score`, header optional) or TREC
/// (`qid iteration docid rel`).
pub fn read_qrels(path: &Path) -> Result<Qrels, EvalError> {
    let text = read(path)?;
    let shown = path.display().to_string();
    let mut out: Qrels = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let cols: Vec<&str> = line.split_whitespace().collect();
        // BEIR's header; SciFact's train.tsv repeats it.
        if cols.is_empty() || cols[0] == "query-id" {
            continue;
        }
        let (q, d, rel) = match cols.as_slice() {
            [q, d, rel] => (q, d, rel),
            [q, _, d, rel] => (q, d, rel),
            _ => {
                return Err(EvalError::Line {
                    path: shown,
                    line: i + 1,
                    message: "expected `query-id corpus-id score` or `qid 0 docid rel`".into(),
                });
            }
        };
        let rel: i32 = rel.parse().map_err(|_| EvalError::Line {
            path: shown.clone(),
            line: i + 1,
            message: format!("relevance {rel:?} is not a number"),
        })?;
        out.entry(q.to_string())
            .or_default()
            .insert(d.to_string(), rel);
    }
    Ok(out)
}

/// nDCG@k with gains equal to the grades and a log2(rank + 1) discount.
pub fn ndcg_at(ranked: &[String], judged: &HashMap<String, i32>, k: usize) -> f64 {
    let gain = |g: i32| g.max(0) as f64;
    let dcg: f64 = ranked
        .iter()
        .take(k)
        .enumerate()
        .map(|(i, d)| gain(*judged.get(d).unwrap_or(&0)) / ((i + 2) as f64).log2())
        .sum();
    let mut ideal: Vec<i32> = judged.values().copied().filter(|g| *g > 0).collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(k)
        .enumerate()
        .map(|(i, g)| gain(*g) / ((i + 2) as f64).log2())
        .sum();
    if idcg > 0.0 { dcg / idcg } else { 0.0 }
}

fn relevant(judged: &HashMap<String, i32>) -> usize {
    judged.values().filter(|g| **g > 0).count()
}

/// Average precision over the whole ranking, divided by every relevant judged document.
pub fn average_precision(ranked: &[String], judged: &HashMap<String, i32>) -> f64 {
    let total = relevant(judged);
    if total == 0 {
        return 0.0;
    }
    let mut hits = 0;
    let mut sum = 0.0;
    for (i, d) in ranked.iter().enumerate() {
        if judged.get(d).is_some_and(|g| *g > 0) {
            hits += 1;
            sum += hits as f64 / (i + 1) as f64;
        }
    }
    sum / total as f64
}

/// Share of the relevant judged documents in the first `n`.
pub fn recall_at(ranked: &[String], judged: &HashMap<String, i32>, n: usize) -> f64 {
    let total = relevant(judged);
    if total == 0 {
        return 0.0;
    }
    let found = ranked
        .iter()
        .take(n)
        .filter(|d| judged.get(*d).is_some_and(|g| *g > 0))
        .count();
    found as f64 / total as f64
}

/// 1 / rank of the first relevant document within `k`, else 0.
pub fn reciprocal_rank(ranked: &[String], judged: &HashMap<String, i32>, k: usize) -> f64 {
    ranked
        .iter()
        .take(k)
        .position(|d| judged.get(d).is_some_and(|g| *g > 0))
        .map_or(0.0, |i| 1.0 / (i + 1) as f64)
}

/// How a document's score comes from its passages' scores. The weights are
/// [`OTHER_PASSAGES`] and [`BODY_WEIGHT`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocScore {
    Max,
    MaxPlus,
    Sum,
    Body,
    MaxBody,
}

impl DocScore {
    /// Every way, in the order `--help` lists them.
    pub const ALL: [DocScore; 5] = [
        DocScore::Max,
        DocScore::MaxPlus,
        DocScore::Sum,
        DocScore::Body,
        DocScore::MaxBody,
    ];

    /// The name the command line and the JSON report use.
    pub fn name(self) -> &'static str {
        match self {
            DocScore::Max => "max",
            DocScore::MaxPlus => "max-plus",
            DocScore::Sum => "sum",
            DocScore::Body => "body",
            DocScore::MaxBody => "max-body",
        }
    }

    pub fn by_name(name: &str) -> Option<DocScore> {
        Self::ALL.into_iter().find(|d| d.name() == name)
    }

    /// What it does, for `--help`.
    pub fn help(self) -> &'static str {
        match self {
            DocScore::Max => "The best passage",
            DocScore::MaxPlus => "The best passage plus a tenth of each other matching passage",
            DocScore::Sum => "All matching passages added up",
            DocScore::Body => {
                "The whole document's BM25, from its passages' words and its title; passage scores ignored"
            }
            DocScore::MaxBody => {
                "The best passage plus four times the whole document's BM25 (best on SciFact)"
            }
        }
    }
}

/// Weight of the whole-document score in [`DocScore::MaxBody`], chosen on SciFact's training
/// queries (nDCG@10 is flat from 3 to 13; see BENCHMARKS.md).
pub const BODY_WEIGHT: f32 = 4.0;

/// Weight of the other passages in [`DocScore::MaxPlus`].
pub const OTHER_PASSAGES: f32 = 0.1;

/// Ranks documents from ranked passages (`(doc, score)` in any order).
pub fn aggregate<'a>(
    passages: impl IntoIterator<Item = (&'a str, f32)>,
    how: DocScore,
) -> Vec<(String, f32)> {
    let mut per_doc: HashMap<&str, (f32, f32)> = HashMap::new(); // (best, sum)
    for (doc, score) in passages {
        let e = per_doc.entry(doc).or_insert((f32::MIN, 0.0));
        e.0 = e.0.max(score);
        e.1 += score;
    }
    let mut docs: Vec<(String, f32)> = per_doc
        .into_iter()
        .map(|(doc, (best, sum))| {
            let score = match how {
                DocScore::Max | DocScore::MaxBody | DocScore::Body => best,
                DocScore::MaxPlus => best + OTHER_PASSAGES * (sum - best),
                DocScore::Sum => sum,
            };
            (doc.to_string(), score)
        })
        .collect();
    sort_like_trec_eval(&mut docs);
    docs
}

/// Best score first; ties by document id, descending, the order trec_eval itself imposes
/// when it reads a run, so that metrics computed here and there agree.
fn sort_like_trec_eval(docs: &mut [(String, f32)]) {
    docs.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| b.0.cmp(&a.0)));
}

/// How to run an evaluation.
#[derive(Debug, Clone)]
pub struct EvalOptions {
    /// Cut-off of nDCG and MRR.
    pub k: usize,
    /// Documents ranked per query (MAP and the run file use them all).
    pub depth: usize,
    pub mode: ModeChoice,
    pub doc_score: DocScore,
    /// Rank by meaning too (or only), with this model.
    pub semantic: Option<EvalSemantic>,
}

/// How `durand eval --hybrid` / `--semantic` ranks: a document's semantic score is its best
/// passage's cosine, and the two document rankings are fused with `fusion`.
#[derive(Debug, Clone)]
pub struct EvalSemantic {
    pub embedder: std::sync::Arc<Embedder>,
    pub fusion: Fusion,
    /// Vectors alone, without BM25.
    pub only: bool,
}

impl EvalSemantic {
    /// As the report names the ranking: `hybrid (weighted 0.5)`, `semantic`.
    pub fn describe(&self) -> String {
        if self.only {
            "semantic".to_string()
        } else {
            format!("hybrid ({})", self.fusion.describe())
        }
    }
}

impl Default for EvalOptions {
    fn default() -> Self {
        EvalOptions {
            k: 10,
            depth: 1000,
            mode: ModeChoice::Any,
            doc_score: DocScore::MaxBody,
            semantic: None,
        }
    }
}

/// Passages fetched per document wanted: enough for the document ranking to reach `depth`.
const PASSAGES_PER_DOC: usize = 4;

/// One line of a TREC run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunLine {
    pub query: String,
    pub doc: String,
    pub rank: usize,
    pub score: f32,
}

/// The outcome of an evaluation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvalReport {
    /// Judged queries run (metrics are their means).
    pub queries: usize,
    /// Queries of the queries file without judgments (not run).
    pub unjudged: usize,
    /// Judged queries missing from the queries file (not run).
    pub missing: usize,
    /// Relevant judgments (of the queries run) whose document is not in the index.
    pub unindexed: usize,
    pub k: usize,
    pub ndcg_at_k: f64,
    pub map: f64,
    pub recall_at_100: f64,
    pub mrr_at_k: f64,
    pub doc_score: DocScore,
    /// `bm25`, `hybrid (weighted 0.5)` or `semantic`.
    pub ranking: String,
    pub took_ms: u64,
}

fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        0.0
    } else {
        v.iter().sum::<f64>() / v.len() as f64
    }
}

/// A score to four decimals, as every report prints it.
pub(crate) fn round4(v: f64) -> f64 {
    (v * 10_000.0).round() / 10_000.0
}

/// `part / whole` to four places, or `None` (JSON `null`) over nothing: the precision of no
/// tags found is not 1.0, it is undefined, and a script adding scores up must see that.
pub(crate) fn ratio(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| round4(part as f64 / whole as f64))
}

/// The harmonic mean of a precision and a recall, `None` when either is.
pub(crate) fn f1(precision: Option<f64>, recall: Option<f64>) -> Option<f64> {
    let (p, r) = (precision?, recall?);
    Some(round4(if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    }))
}

/// Ranked passages for one query. A query with nothing to search for (only punctuation, say)
/// ranks nothing and scores zero, as in trec_eval, instead of ending the run.
fn ranked(index: &DurandIndex, opts: &SearchOptions) -> Result<Vec<RankedPassage>, EvalError> {
    match rank(index, opts) {
        Ok((_, ranked)) => Ok(ranked),
        Err(SearchError::Query(_)) => Ok(Vec::new()),
        Err(e) => Err(e.into()),
    }
}

/// The document ranking of one query; `whole` scores whole documents when the way of scoring
/// needs them.
fn document_ranking(
    index: &DurandIndex,
    opts: &SearchOptions,
    how: DocScore,
    whole: Option<&DocumentScorer>,
) -> Result<Vec<(String, f32)>, EvalError> {
    let passages = if how == DocScore::Body {
        Vec::new()
    } else {
        ranked(index, opts)?
    };
    let mut docs = aggregate(passages.iter().map(|p| (p.doc.as_str(), p.score)), how);
    if let Some(whole) = whole {
        let all = opts.mode == ModeChoice::All;
        let mut by_doc: HashMap<String, f32> = docs.into_iter().collect();
        for (doc, score) in whole.rank(&opts.query, all).map_err(SearchError::from)? {
            *by_doc.entry(doc.to_string()).or_insert(0.0) += BODY_WEIGHT * score;
        }
        docs = by_doc.into_iter().collect();
        sort_like_trec_eval(&mut docs);
    }
    Ok(docs)
}

/// Runs the judged queries and scores the document rankings.
pub fn evaluate(
    index: &DurandIndex,
    queries: &[EvalQuery],
    qrels: &Qrels,
    options: &EvalOptions,
    source_name: &str,
) -> Result<(EvalReport, Vec<RunLine>), EvalError> {
    let started = Instant::now();
    let judged: Vec<&EvalQuery> = queries
        .iter()
        .filter(|q| qrels.get(&q.id).is_some_and(|j| relevant(j) > 0))
        .collect();
    if judged.is_empty() {
        return Err(EvalError::NothingJudged(source_name.to_string()));
    }
    let asked: HashSet<&str> = queries.iter().map(|q| q.id.as_str()).collect();
    let missing = qrels
        .iter()
        .filter(|(q, j)| relevant(j) > 0 && !asked.contains(q.as_str()))
        .count();

    let indexed: HashSet<&str> = index
        .id_terms()
        .map_err(SearchError::from)?
        .iter()
        .flatten()
        .map(String::as_str)
        .collect();
    let relevant_docs: Vec<&str> = judged
        .iter()
        .flat_map(|q| qrels[&q.id].iter().filter(|(_, g)| **g > 0))
        .map(|(d, _)| d.as_str())
        .collect();
    let unindexed = relevant_docs
        .iter()
        .filter(|d| !indexed.contains(*d))
        .count();
    if unindexed == relevant_docs.len() {
        return Err(EvalError::NotIndexed {
            judged: unindexed,
            index: index.dir.display().to_string(),
        });
    }
    let whole = match options.doc_score {
        DocScore::Body | DocScore::MaxBody => {
            Some(DocumentScorer::new(index).map_err(SearchError::from)?)
        }
        _ => None,
    };
    // Every query's vector at once: batches beat one at a time.
    let mut vectors: HashMap<String, Vec<f32>> = HashMap::new();
    if let Some(semantic) = &options.semantic {
        let texts: Vec<&str> = judged.iter().map(|q| q.text.as_str()).collect();
        let found = semantic
            .embedder
            .embed_many(&texts, 16)
            .map_err(SearchError::from)?;
        vectors = judged.iter().map(|q| q.id.clone()).zip(found).collect();
    }
    let (mut ndcg, mut ap, mut recall, mut rr) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut run = Vec::new();
    for q in &judged {
        let mut opts = SearchOptions::new(q.text.clone());
        opts.plain = true;
        opts.mode = options.mode;
        opts.fetch = false;
        opts.limit = options
            .depth
            .max(options.k)
            .max(100)
            .saturating_mul(PASSAGES_PER_DOC);
        let mut docs = match &options.semantic {
            Some(s) if s.only => Vec::new(),
            _ => document_ranking(index, &opts, options.doc_score, whole.as_ref())?,
        };
        if let Some(semantic) = &options.semantic {
            let vector = vectors.get(&q.id).map_or(&[][..], Vec::as_slice);
            let passages = rank_nearest(index, vector, opts.limit)?;
            let near = aggregate(
                passages.iter().map(|p| (p.doc.as_str(), p.score)),
                DocScore::Max,
            );
            docs = if semantic.only {
                near
            } else {
                fuse(&docs, &near, semantic.fusion)
            };
            sort_like_trec_eval(&mut docs);
        }
        let ranked: Vec<String> = docs
            .iter()
            .take(options.depth)
            .map(|(d, _)| d.clone())
            .collect();
        let j = &qrels[&q.id];
        ndcg.push(ndcg_at(&ranked, j, options.k));
        ap.push(average_precision(&ranked, j));
        recall.push(recall_at(&ranked, j, 100));
        rr.push(reciprocal_rank(&ranked, j, options.k));
        run.extend(
            docs.into_iter()
                .take(options.depth)
                .enumerate()
                .map(|(i, (doc, score))| RunLine {
                    query: q.id.clone(),
                    doc,
                    rank: i + 1,
                    score,
                }),
        );
    }
    let report = EvalReport {
        queries: judged.len(),
        unjudged: queries.len() - judged.len(),
        missing,
        unindexed,
        k: options.k,
        ndcg_at_k: round4(mean(&ndcg)),
        map: round4(mean(&ap)),
        recall_at_100: round4(mean(&recall)),
        mrr_at_k: round4(mean(&rr)),
        doc_score: options.doc_score,
        ranking: options
            .semantic
            .as_ref()
            .map_or_else(|| "bm25".to_string(), EvalSemantic::describe),
        took_ms: started.elapsed().as_millis() as u64,
    };
    Ok((report, run))
}

/// Writes a run in TREC format: `qid Q0 docid rank score tag`.
pub fn write_run<W: Write>(w: &mut W, run: &[RunLine], tag: &str) -> io::Result<()> {
    for l in run {
        writeln!(
            w,
            "{} Q0 {} {} {:.6} {tag}",
            l.query, l.doc, l.rank, l.score
        )?;
    }
    Ok(())
}

/// One line of a label or query file as `T`. The message names the field at fault ("field
/// `provinces`: invalid type: sequence, expected a map") and drops serde_json's "at line 1
/// column 32", which is the line's own position (the caller names the file's line). Read
/// straight from the text, so that a key written twice is refused.
pub(crate) fn json_line<T: DeserializeOwned>(line: &str) -> Result<T, String> {
    // Valid JSON that is not an object is said as that, not as "expected struct …" (read
    // as a value only then: an object is read once, below).
    if !line.trim_start().starts_with('{')
        && let Ok(value) = serde_json::from_str::<serde_json::Value>(line)
    {
        return json_value(value);
    }
    let syntax = |e: &serde_json::Error| {
        format!(
            "not JSON: {} (column {})",
            without_position(&e.to_string()),
            e.column()
        )
    };
    let mut de = serde_json::Deserializer::from_str(line);
    let parsed: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            return syntax(&inner);
        }
        let message = words(without_position(&inner.to_string()));
        if path == "." {
            message
        } else {
            format!("field `{path}`: {message}")
        }
    })?;
    de.end().map_err(|e| syntax(&e))?;
    Ok(parsed)
}

/// [`json_line`] of a line already read as JSON.
pub(crate) fn json_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, String> {
    if let Some(found) = crate::text::json_kind(&value) {
        return Err(format!("expected a JSON object, found {found}"));
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let message = words(&e.inner().to_string());
        if path == "." {
            message
        } else {
            format!("field `{path}`: {message}")
        }
    })
}

/// Rust's names for numbers, as a reader says them.
fn words(message: &str) -> String {
    let mut message = message.to_string();
    for (rust, said) in [
        ("expected u32", "expected a whole number of 0 or more"),
        ("expected u64", "expected a whole number of 0 or more"),
        ("expected usize", "expected a whole number of 0 or more"),
        ("expected i32", "expected a whole number"),
        ("expected i64", "expected a whole number"),
        ("expected f64", "expected a number"),
    ] {
        message = message.replace(rust, said);
    }
    message
}

/// serde_json's message without its closing " at line L column C".
fn without_position(message: &str) -> &str {
    message
        .rfind(" at line ")
        .map_or(message, |at| &message[..at])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judged(pairs: &[(&str, i32)]) -> HashMap<String, i32> {
        pairs.iter().map(|(d, g)| (d.to_string(), *g)).collect()
    }

    fn ranking(docs: &[&str]) -> Vec<String> {
        docs.iter().map(|d| d.to_string()).collect()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn ndcg_by_hand() {
        // Relevant d1 (grade 1) at rank 2, d2 (grade 2) at rank 1; ideal puts d2 then d1.
        let j = judged(&[("d1", 1), ("d2", 2), ("d9", 0)]);
        assert!(close(ndcg_at(&ranking(&["d2", "d1", "x"]), &j, 10), 1.0));
        // d1 at rank 1, d2 at rank 3: DCG = 1/log2(2) + 2/log2(4) = 1 + 1 = 2;
        // IDCG = 2/log2(2) + 1/log2(3) = 2.6309…
        let got = ndcg_at(&ranking(&["d1", "x", "d2"]), &j, 10);
        assert!(close(got, 2.0 / (2.0 + 1.0 / 3f64.log2())), "{got}");
        // Cut at 1: only d1 counts. DCG = 1, IDCG = 2.
        assert!(close(ndcg_at(&ranking(&["d1", "x", "d2"]), &j, 1), 0.5));
        assert!(close(ndcg_at(&ranking(&["x"]), &j, 10), 0.0));
    }

    #[test]
    fn average_precision_by_hand() {
        // Three relevant; found at ranks 1 and 3: (1/1 + 2/3) / 3.
        let j = judged(&[("a", 1), ("b", 1), ("c", 1)]);
        let got = average_precision(&ranking(&["a", "x", "b", "y"]), &j);
        assert!(close(got, (1.0 + 2.0 / 3.0) / 3.0), "{got}");
        assert!(close(average_precision(&ranking(&[]), &j), 0.0));
    }

    #[test]
    fn recall_and_reciprocal_rank_by_hand() {
        let j = judged(&[("a", 1), ("b", 1), ("z", 0)]);
        let r = ranking(&["x", "z", "b", "y"]);
        assert!(close(recall_at(&r, &j, 100), 0.5));
        assert!(close(recall_at(&r, &j, 2), 0.0));
        assert!(close(reciprocal_rank(&r, &j, 10), 1.0 / 3.0));
        assert!(close(reciprocal_rank(&r, &j, 2), 0.0));
    }

    #[test]
    fn passages_become_documents() {
        let p = [("a", 3.0), ("b", 5.0), ("a", 2.5), ("a", 1.0), ("c", 5.0)];
        let names = |v: Vec<(String, f32)>| v.into_iter().map(|(d, _)| d).collect::<Vec<_>>();
        // b and c tie: trec_eval's order, id descending.
        assert_eq!(names(aggregate(p, DocScore::Max)), vec!["c", "b", "a"]);
        assert_eq!(names(aggregate(p, DocScore::Sum)), vec!["a", "c", "b"]);
        let max_plus = aggregate(p, DocScore::MaxPlus);
        assert_eq!(max_plus[2], ("a".to_string(), 3.0 + 0.1 * 3.5));
    }

    #[test]
    fn reads_beir_and_trec_files() {
        let dir = tempfile::tempdir().unwrap();
        let q = dir.path().join("queries.jsonl");
        std::fs::write(
            &q,
            "{\"_id\": \"1\", \"text\": \"alpha (beta)\"}\n{\"_id\": 2, \"text\": \"gamma\"}\n",
        )
        .unwrap();
        let qs = read_queries(&q).unwrap();
        assert_eq!(
            qs[1],
            EvalQuery {
                id: "2".into(),
                text: "gamma".into()
            }
        );
        let t = dir.path().join("topics.tsv");
        std::fs::write(&t, "7\tdelta epsilon\n").unwrap();
        assert_eq!(read_queries(&t).unwrap()[0].text, "delta epsilon");

        let beir = dir.path().join("test.tsv");
        // SciFact's train.tsv repeats its header.
        let header = "query-id\tcorpus-id\tscore\n";
        std::fs::write(&beir, format!("{header}{header}1\td1\t1\n1\td2\t0\n")).unwrap();
        let r = read_qrels(&beir).unwrap();
        assert_eq!((r.len(), r["1"].len(), r["1"]["d1"]), (1, 2, 1));
        let trec = dir.path().join("qrels.txt");
        std::fs::write(&trec, "1 0 d1 2\n1 0 d3 1\n").unwrap();
        assert_eq!(read_qrels(&trec).unwrap()["1"]["d1"], 2);
        std::fs::write(&trec, "1 0 d1 high\n").unwrap();
        let err = read_qrels(&trec).unwrap_err().to_string();
        assert!(
            err.ends_with(":1: relevance \"high\" is not a number"),
            "{err}"
        );

        // An editor's byte-order mark sticks to nothing; a query given twice is an error.
        std::fs::write(&t, "\u{FEFF}q1\talpha\nq2\tbeta\n").unwrap();
        assert_eq!(read_queries(&t).unwrap()[0].id, "q1");
        std::fs::write(&beir, format!("\u{FEFF}{header}1\td1\t1\n")).unwrap();
        assert_eq!(read_qrels(&beir).unwrap()["1"]["d1"], 1);
        std::fs::write(&q, "\u{FEFF}{\"_id\": \"1\", \"text\": \"alpha\"}\n").unwrap();
        assert_eq!(read_queries(&q).unwrap()[0].id, "1");
        std::fs::write(&t, "q1\talpha\nq1\tbeta\n").unwrap();
        let err = read_queries(&t).unwrap_err().to_string();
        assert!(
            err.contains(":2: query \"q1\" is given twice (first at line 1)"),
            "{err}"
        );
    }
}
