//! Command-line arguments (clap derive). Raw values only; `app` validates them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::eval::{DocScore, EvalOptions};

/// Full-text search over a folder of Afghanistan–Pakistan conflict news.
#[derive(Debug, Parser)]
#[command(name = "durand", version, about, max_term_width = 100)]
pub struct Cli {
    /// Index directory [default: ./index]
    #[arg(long, global = true, env = "DURAND_INDEX", value_name = "DIR")]
    pub index: Option<PathBuf>,

    /// When to colour the output (NO_COLOR is respected with `auto`)
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,

    /// On an error, also print every underlying cause in full
    #[arg(long, short = 'v', global = true)]
    pub verbose: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Index source folders and files (default ./seeds, or the sources the index remembers)
    Index(IndexArgs),
    /// Index, then re-index whenever the sources change, until Ctrl-C
    Watch(WatchArgs),
    /// Search the index and print ranked passages with highlighted snippets
    Search(SearchArgs),
    /// Show one document: its cleaned text, passages and metadata
    Show(ShowArgs),
    /// List the indexed documents
    Docs(DocsArgs),
    /// List every province, group, force, year or country with its document count
    Facets(FacetsArgs),
    /// Measure query latency: each query many times through the real search path
    Bench(BenchArgs),
    /// Measure ranking quality against relevance judgments (BEIR or TREC files)
    Eval(EvalArgs),
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Queries: BEIR queries.jsonl (`_id`, `text`) or `qid<TAB>text` lines
    #[arg(long, value_name = "FILE")]
    pub queries: PathBuf,

    /// Judgments: BEIR TSV (`query-id corpus-id score`) or TREC (`qid 0 docid rel`)
    #[arg(long, value_name = "FILE")]
    pub qrels: PathBuf,

    /// Cut-off for nDCG and MRR
    #[arg(long, default_value_t = EvalOptions::default().k, value_name = "K", value_parser = within(1, 1_000))]
    pub k: usize,

    /// Documents ranked per query (for MAP and the run file)
    #[arg(long, default_value_t = EvalOptions::default().depth, value_name = "N", value_parser = within(1, 100_000))]
    pub depth: usize,

    /// Require every word of a query (default: any word, as rankers are evaluated)
    #[arg(long)]
    pub all: bool,

    /// How a document's score comes from its passages' scores
    #[arg(long, value_enum, default_value_t = EvalOptions::default().doc_score, value_name = "HOW")]
    pub doc_score: DocScore,

    /// Also write the document rankings as a TREC run file (for trec_eval)
    #[arg(long, value_name = "FILE")]
    pub run: Option<PathBuf>,

    /// Print one JSON object
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Queries, one per line in `durand search` syntax, `#` comments [default: a built-in set]
    #[arg(long, value_name = "FILE")]
    pub queries: Option<PathBuf>,

    /// Timed runs of each query
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = within(1, 1_000_000))]
    pub iterations: usize,

    /// Untimed runs of each query first
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = within(0, 1_000_000))]
    pub warmup: usize,

    /// Print one JSON object
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Folders (walked recursively) or files: .txt, .md, .jsonl, .jsonl.gz
    #[arg(value_name = "SOURCE")]
    pub sources: Vec<PathBuf>,

    /// Rebuild from scratch instead of applying only what changed
    #[arg(long)]
    pub rebuild: bool,

    /// Print the summary as JSON (with `watch`, one JSON object per line per sync)
    #[arg(long)]
    pub json: bool,

    /// No progress bar and no warnings on stderr
    #[arg(short, long)]
    pub quiet: bool,

    /// Worker threads [default: all cores]
    #[arg(long, value_name = "N", value_parser = within(1, MAX_THREADS))]
    pub threads: Option<usize>,

    /// Index writer memory budget in MiB
    #[arg(long, value_name = "MIB", default_value_t = 256, value_parser = within(16, 32_768))]
    pub memory: usize,

    /// The most text one document may hold, in MiB; the rest of a longer one is left out,
    /// with a warning that names its file
    #[arg(long, value_name = "MIB", default_value_t = 32, value_parser = within(1, 4_096))]
    pub max_document_mib: usize,

    /// Extra entity names (TOML, like a durand.toml in a source folder); repeatable.
    /// Remembered by the index until a run names others or gives --no-gazetteer
    #[arg(long, value_name = "FILE")]
    pub gazetteer: Vec<PathBuf>,

    /// Forget the --gazetteer files the index remembers
    #[arg(long, conflicts_with = "gazetteer")]
    pub no_gazetteer: bool,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub index: IndexArgs,

    /// Wait this long after a change for more before re-indexing
    #[arg(long, value_name = "MS", default_value_t = 500, value_parser = within(10, 600_000))]
    pub debounce: usize,

    /// Index once and exit (fails at once when another indexer holds the index)
    #[arg(long)]
    pub once: bool,
}

/// Entity and date filters, shared by `search` and `facets`.
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Only documents tagged with this province, district or city (any spelling); repeatable
    #[arg(long, value_name = "NAME")]
    pub province: Vec<String>,

    /// Only documents mentioning this armed group (any alias); repeatable
    #[arg(long, value_name = "NAME")]
    pub group: Vec<String>,

    /// Only documents mentioning this state force; repeatable
    #[arg(long, value_name = "NAME")]
    pub force: Vec<String>,

    /// Only documents with a place in this country (Afghanistan, Pakistan); repeatable
    #[arg(long, value_name = "NAME")]
    pub country: Vec<String>,

    /// Only documents dated on or after this date (YYYY, YYYY-MM or YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,

    /// Only documents dated on or before this date (YYYY, YYYY-MM or YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,

    /// Apply --province/--group/--force/--country to what each passage itself mentions
    #[arg(long)]
    pub in_passage: bool,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query: words, "phrases", -exclude, +require, OR, field:value, prefix*
    /// (put `--` before a query that starts with `-`)
    #[arg(required = true, value_name = "QUERY")]
    pub query: Vec<String>,

    /// Require every word (no fallback to any word)
    #[arg(long, conflicts_with = "any")]
    pub all: bool,

    /// Any word suffices
    #[arg(long)]
    pub any: bool,

    /// How many passages to show
    #[arg(short = 'n', long, default_value_t = 10, value_name = "N", value_parser = within(0, MAX_HITS))]
    pub limit: usize,

    /// Skip this many passages first
    #[arg(long, default_value_t = 0, value_name = "N", value_parser = within(0, MAX_HITS))]
    pub offset: usize,

    #[command(flatten)]
    pub filters: FilterArgs,

    /// Also count matching documents per province, group, force and year
    #[arg(long)]
    pub facets: bool,

    /// Print one JSON object
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Document id (as `durand docs` lists it)
    #[arg(value_name = "DOC")]
    pub doc: String,

    /// Also show what cleaning removed
    #[arg(long)]
    pub raw: bool,

    /// Print one JSON object
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DocsArgs {
    /// Print one JSON object
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FacetField {
    Province,
    Group,
    Force,
    Year,
    Country,
}

impl FacetField {
    pub fn name(self) -> &'static str {
        match self {
            FacetField::Province => "province",
            FacetField::Group => "group",
            FacetField::Force => "force",
            FacetField::Year => "year",
            FacetField::Country => "country",
        }
    }
}

#[derive(Debug, Args)]
pub struct FacetsArgs {
    /// Only this facet [default: province, group, force and year]
    #[arg(value_enum, value_name = "FIELD")]
    pub field: Option<FacetField>,

    #[command(flatten)]
    pub filters: FilterArgs,

    /// Print one JSON object
    #[arg(long)]
    pub json: bool,
}

/// The most worker threads `--threads` accepts.
pub const MAX_THREADS: usize = 64;
/// The most passages `--limit` and `--offset` accept (either is also cut to the number of
/// passages in the index).
pub const MAX_HITS: usize = 10_000_000;

/// A whole number in `lo..=hi`; clap's message names the flag, the value and the range.
fn within(lo: usize, hi: usize) -> clap::builder::RangedU64ValueParser<usize> {
    clap::builder::RangedU64ValueParser::<usize>::new().range(lo as u64..=hi as u64)
}
