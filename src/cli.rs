//! Command-line arguments (clap derive). Raw values only, each number with its range; `app`
//! turns them into the library's options. The entity filters (`--province`, `--group`, …) and
//! the facet names come from the registry of entity kinds, so a new kind needs nothing here.

use std::path::PathBuf;

use clap::builder::{PossibleValue, PossibleValuesParser};
use clap::{Arg, ArgAction, ArgMatches, Args, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::analysis::events::EventType;
use crate::eval::{DocScore, EvalOptions};
use crate::index::sync::{DEFAULT_MAX_DOCUMENT, DEFAULT_MEMORY};
use crate::search::{DEFAULT_LIMIT, FacetField};
use crate::tag::kinds::KINDS;
use crate::tag::{EntityKind, PerKind};

/// Full-text search over a folder of Afghanistan–Pakistan conflict news.
#[derive(Debug, Parser)]
#[command(
    name = "durand",
    // Usage lines say `durand` whatever the program file is called (a link, a renamed copy).
    bin_name = "durand",
    version,
    propagate_version = true,
    about,
    max_term_width = 100
)]
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

    /// When to make titles clickable links (OSC 8) to the article or its file; `auto` only
    /// on a terminal
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN",
          env = "DURAND_HYPERLINK")]
    pub hyperlink: ColorWhen,

    /// Never page long output on a terminal (the pager is $PAGER, else `less` with LESS=FRX when LESS is unset; `less` always gets -R)
    #[arg(long, global = true, env = "DURAND_NO_PAGER", value_parser = clap::builder::FalseyValueParser::new())]
    pub no_pager: bool,

    /// The sentence-embedding model's folder, for `index --semantic` and `search --hybrid`
    /// (fetched by scripts/fetch-model.sh) [default: the one the index remembers, else
    /// ./models/all-MiniLM-L6-v2]
    #[arg(long, global = true, env = "DURAND_MODEL", value_name = "DIR")]
    pub model: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

/// How `eval --hybrid` fuses the keyword and the semantic ranking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FusionArg {
    /// Min–max scaled scores, weighted (--weight)
    Weighted,
    /// Reciprocal-rank fusion, k = 60
    Rrf,
}

/// A weight between 0 and 1.
fn weight(s: &str) -> Result<f32, String> {
    let w: f32 = s
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a number in 0..=1"))?;
    if (0.0..=1.0).contains(&w) {
        Ok(w)
    } else {
        Err(format!("{w} is not in 0..=1"))
    }
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
    /// Documents like a given one ("more like this"): its distinctive words, and its meaning
    /// when the index keeps vectors
    Similar(SimilarArgs),
    /// Save searches to run again with `durand alerts`: add, list, rm
    #[command(subcommand)]
    Saved(SavedCommand),
    /// What arrived since you last looked: per saved search, the documents it matches that
    /// it has not shown before (then marks them seen)
    Alerts(AlertsArgs),
    /// List the indexed documents
    Docs(DocsArgs),
    /// List every value of a facet (an entity kind, event type, year, country) with its
    /// document count
    Facets(FacetsArgs),
    /// List incidents: reports of one event grouped, with place, date, type, actors and
    /// casualty figures
    Events(EventsArgs),
    /// Draw counts over time (documents, stories, incidents or killed) as a bar chart
    Timeline(TimelineArgs),
    /// Measure query latency: each query many times through the real search path
    Bench(BenchArgs),
    /// Measure ranking quality against relevance judgments (BEIR or TREC files), or tagging
    /// (--tags) and event (--events) quality against hand-labelled documents
    Eval(EvalArgs),
    /// Send the analysed passages to a Typesense cluster (then only what changed), for
    /// `search --remote`
    Push(PushArgs),
    /// Write the analysed passages for another engine (NDJSON, Elasticsearch bulk), or that
    /// engine's index configuration
    Export(ExportArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    Completions(CompletionsArgs),
    /// Print a manual page (roff; `durand man search | man -l -`), or write them all
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The command whose page to print (`search`, `saved add` …) [default: durand's own]
    #[arg(value_name = "COMMAND")]
    pub command: Vec<String>,

    /// Write every page (durand.1, durand-search.1, durand-saved-add.1 …) into DIR instead
    #[arg(long, value_name = "DIR", conflicts_with = "command")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

/// An output format for lists and tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// For people (the default)
    Text,
    /// One JSON document
    Json,
    /// One JSON object per line, written as each is ready
    Jsonl,
    /// Comma-separated values with a header row (RFC 4180)
    Csv,
}

/// How `search`, `docs`, `facets`, `events` and `timeline` print.
#[derive(Debug, Clone, Args)]
pub struct ListOutputArgs {
    /// Print one JSON object (same as --format json)
    #[arg(long, conflicts_with_all = ["csv", "format"])]
    pub json: bool,

    /// Print CSV with a header row (same as --format csv)
    #[arg(long, conflicts_with = "format")]
    pub csv: bool,

    /// Output format
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<FormatArg>,
}

/// Where a remote collection is: `search`, `docs` and `facets` use it instead of the local
/// index.
#[derive(Debug, Clone, Args)]
pub struct RemoteArgs {
    /// Run against a Typesense cluster instead of the local index: one node's address, or
    /// several separated by commas (tried in turn)
    #[arg(long, value_name = "URL")]
    pub remote: Option<String>,

    #[command(flatten)]
    pub access: RemoteAccessArgs,
}

/// The collection and key of a remote cluster.
#[derive(Debug, Clone, Args)]
pub struct RemoteAccessArgs {
    /// The remote collection
    #[arg(long, value_name = "NAME", default_value = crate::remote::DEFAULT_COLLECTION)]
    pub collection: String,

    /// The cluster's API key [default: $DURAND_REMOTE_KEY]
    #[arg(long, value_name = "KEY")]
    pub api_key: Option<String>,
}

#[derive(Debug, Args)]
pub struct PushArgs {
    /// The cluster: one node's address (http://HOST:PORT), or several separated by commas
    #[arg(value_name = "URL")]
    pub url: String,

    #[command(flatten)]
    pub access: RemoteAccessArgs,

    /// Records per import request (1 to 10,000)
    #[arg(long, value_name = "N", default_value_t = crate::remote::push::DEFAULT_BATCH,
          allow_negative_numbers = true, value_parser = within(1, MAX_BATCH))]
    pub batch: usize,

    /// Send every document, not only what changed since the last push
    #[arg(long)]
    pub full: bool,

    /// No progress bar and no per-record warnings (the summary still lists rejected records)
    #[arg(long, short = 'q')]
    pub quiet: bool,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// What `durand export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormatArg {
    /// One record per line (Quickwit, Typesense, jq)
    Ndjson,
    /// Elasticsearch / OpenSearch `_bulk` body: an action line before each record
    EsBulk,
}

/// The index configuration `durand export --config` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportConfigArg {
    /// A Quickwit index config (JSON)
    Quickwit,
    /// An Elasticsearch / OpenSearch index body: settings and mappings (JSON)
    Elasticsearch,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The records' format
    #[arg(
        long,
        value_enum,
        value_name = "FORMAT",
        default_value = "ndjson",
        conflicts_with = "config"
    )]
    pub format: ExportFormatArg,

    /// Instead of records, the target engine's index configuration with the same fields
    #[arg(long, value_enum, value_name = "ENGINE")]
    pub config: Option<ExportConfigArg>,

    /// The index name in `es-bulk` action lines and in configurations
    #[arg(long, value_name = "NAME", default_value = crate::remote::DEFAULT_COLLECTION)]
    pub name: String,

    /// Write here instead of stdout (replaced whole, atomically)
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum SavedCommand {
    /// Save a search: `durand saved add ttp-bajaur ttp --province Bajaur`. What it matches
    /// now counts as seen; `durand alerts` shows what arrives later
    Add(SavedAddArgs),
    /// List the saved searches with how many new documents each has
    List(SavedListArgs),
    /// Remove a saved search
    Rm(SavedRmArgs),
}

#[derive(Debug, Args)]
pub struct SavedAddArgs {
    /// A name: letters, digits, '-', '_', '.'
    #[arg(value_name = "NAME")]
    pub name: String,

    /// The query and any `durand search` filters (--province, --from, …)
    #[arg(value_name = "QUERY", required = true, num_args = 1.., trailing_var_arg = true,
          allow_hyphen_values = true)]
    pub query: Vec<String>,
}

#[derive(Debug, Args)]
pub struct SavedListArgs {
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct SavedRmArgs {
    /// The saved search's name
    #[arg(value_name = "NAME", required = true)]
    pub names: Vec<String>,
}

#[derive(Debug, Args)]
pub struct AlertsArgs {
    /// Only these saved searches [default: all]
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,

    /// Show every document each matches, not only the new ones
    #[arg(long)]
    pub all: bool,

    /// Leave what is shown unseen (show it again next time)
    #[arg(long)]
    pub keep: bool,

    /// How many passages to show per saved search
    #[arg(short = 'n', long, default_value_t = DEFAULT_LIMIT, value_name = "N", allow_negative_numbers = true, value_parser = within(0, MAX_HITS))]
    pub limit: usize,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct SimilarArgs {
    /// Document id (as `durand docs` lists it)
    #[arg(value_name = "DOC")]
    pub doc: String,

    /// How many passages to show
    #[arg(short = 'n', long, default_value_t = DEFAULT_LIMIT, value_name = "N", allow_negative_numbers = true, value_parser = within(0, MAX_HITS))]
    pub limit: usize,

    #[command(flatten)]
    pub filters: FilterArgs,

    /// Show every document of a story group, not only its best passage
    #[arg(long)]
    pub no_collapse: bool,

    /// By words alone, even when the index keeps vectors
    #[arg(long)]
    pub words: bool,

    #[command(flatten)]
    pub output: ListOutputArgs,
}

/// How a command prints its result.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// Print one JSON object
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Queries: BEIR queries.jsonl (`_id`, `text`) or `qid<TAB>text` lines
    #[arg(
        long,
        value_name = "FILE",
        required_unless_present_any = ["tags", "events"],
        requires = "qrels"
    )]
    pub queries: Option<PathBuf>,

    /// Judgments: BEIR TSV (`query-id corpus-id score`) or TREC (`qid 0 docid rel`)
    #[arg(long, value_name = "FILE", requires = "queries")]
    pub qrels: Option<PathBuf>,

    /// Instead of ranking: tagging quality against hand-labelled documents (JSON lines with
    /// `id`, `provinces`, `groups`, `forces`, `date`, `dates`; see eval/tags/README.md)
    #[arg(long, value_name = "LABELS", conflicts_with_all = ["queries", "qrels"])]
    pub tags: Option<PathBuf>,

    /// Instead of ranking: casualty figures, event types and incidents against hand labels
    /// (JSON lines of documents with `types` and `figures`, or incidents with `docs`; see
    /// eval/events/README.md); several files after one flag, or the flag repeated
    #[arg(long, value_name = "LABELS", num_args = 1.., conflicts_with_all = ["queries", "qrels", "tags"])]
    pub events: Vec<PathBuf>,

    /// With --tags or --events: only the labels of this split (`dev`, `test`)
    #[arg(long, value_name = "SPLIT")]
    pub split: Option<String>,

    /// Cut-off for nDCG and MRR
    #[arg(long, default_value_t = EvalOptions::default().k, value_name = "K", allow_negative_numbers = true, value_parser = within(1, 1_000))]
    pub k: usize,

    /// Documents ranked per query (for MAP and the run file)
    #[arg(long, default_value_t = EvalOptions::default().depth, value_name = "N", allow_negative_numbers = true, value_parser = within(1, 100_000))]
    pub depth: usize,

    /// Require every word of a query (default: any word, as rankers are evaluated)
    #[arg(long)]
    pub all: bool,

    /// How a document's score comes from its passages' scores
    #[arg(long, default_value = EvalOptions::default().doc_score.name(), value_name = "HOW",
          value_parser = doc_scores())]
    pub doc_score: String,

    /// Also write the document rankings as a TREC run file (for trec_eval)
    #[arg(long, value_name = "FILE")]
    pub run: Option<PathBuf>,

    /// Rank by words and meaning, as `search --hybrid` (the index needs vectors)
    #[arg(long, conflicts_with = "semantic")]
    pub hybrid: bool,

    /// Rank by meaning alone
    #[arg(long, conflicts_with_all = ["fusion", "weight"])]
    pub semantic: bool,

    /// With --hybrid: how the two rankings are fused [default: weighted]
    #[arg(long, value_enum, value_name = "HOW", requires = "hybrid")]
    pub fusion: Option<FusionArg>,

    /// With --hybrid --fusion weighted: the weight of the semantic score (the keyword
    /// score gets the rest) [default: the one `search --hybrid` uses]
    #[arg(long, value_name = "W", allow_negative_numbers = true, value_parser = weight,
          requires = "hybrid")]
    pub weight: Option<f32>,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Queries, one per line in `durand search` syntax, `#` comments [default: a built-in set]
    #[arg(long, value_name = "FILE")]
    pub queries: Option<PathBuf>,

    /// Timed runs of each query
    #[arg(long, value_name = "N", default_value_t = 100, allow_negative_numbers = true, value_parser = within(1, 1_000_000))]
    pub iterations: usize,

    /// Untimed runs of each query first
    #[arg(long, value_name = "N", default_value_t = 10, allow_negative_numbers = true, value_parser = within(0, 1_000_000))]
    pub warmup: usize,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Folders (walked recursively) or files: .txt, .md, .jsonl, .jsonl.gz
    #[arg(value_name = "SOURCE")]
    pub sources: Vec<PathBuf>,

    /// Rebuild from scratch instead of applying only what changed
    #[arg(long)]
    pub rebuild: bool,

    /// (With `watch`, one JSON object per line per sync)
    #[command(flatten)]
    pub output: OutputArgs,

    /// No progress bar and no warnings on stderr
    #[arg(short, long)]
    pub quiet: bool,

    /// Threads to use, half analysing and half writing (at least one each, at most 8
    /// writing) [default: all cores]
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = within(1, MAX_THREADS))]
    pub threads: Option<usize>,

    /// Index writer memory budget in MiB
    #[arg(long, value_name = "MIB", default_value_t = DEFAULT_MEMORY >> 20, allow_negative_numbers = true, value_parser = within(16, 32_768))]
    pub memory: usize,

    /// The most text one document may hold, in MiB; the rest of a longer one is left out,
    /// with a warning that names its file
    #[arg(long, value_name = "MIB", default_value_t = DEFAULT_MAX_DOCUMENT >> 20, allow_negative_numbers = true, value_parser = within(1, 4_096))]
    pub max_document_mib: usize,

    /// Extra entity names (TOML, like a durand.toml in a source folder); repeatable.
    /// Remembered by the index until a run names others or gives --no-gazetteer
    #[arg(long, value_name = "FILE")]
    pub gazetteer: Vec<PathBuf>,

    /// Forget the --gazetteer files the index remembers
    #[arg(long, conflicts_with = "gazetteer")]
    pub no_gazetteer: bool,

    /// Also keep a vector of every passage (from the --model folder) for `search --hybrid`
    /// and `--semantic`; remembered by the index, later runs embed only new and changed
    /// passages
    #[arg(long)]
    pub semantic: bool,

    /// Stop keeping vectors and delete them
    #[arg(long, conflicts_with = "semantic")]
    pub no_semantic: bool,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub index: IndexArgs,

    /// Wait this long after a change for more before re-indexing
    #[arg(long, value_name = "MS", default_value_t = 500, allow_negative_numbers = true, value_parser = within(10, 600_000))]
    pub debounce: usize,

    /// Index once and exit (fails at once when another indexer holds the index)
    #[arg(long)]
    pub once: bool,
}

/// One repeatable filter flag per entity kind of the registry (`--province NAME` …), built at
/// run time from the registry, as clap's derive cannot.
#[derive(Debug, Clone, Default)]
pub struct EntityFilterArgs(pub PerKind<Vec<String>>);

impl FromArgMatches for EntityFilterArgs {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        Ok(EntityFilterArgs(PerKind::from_fn(|kind: EntityKind| {
            m.get_many::<String>(kind.name())
                .map(|v| v.cloned().collect())
                .unwrap_or_default()
        })))
    }

    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

impl Args for EntityFilterArgs {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        KINDS.iter().fold(cmd, |cmd, spec| {
            cmd.arg(
                Arg::new(spec.name)
                    .long(spec.name)
                    .value_name("NAME")
                    .action(ArgAction::Append)
                    .help(spec.filter_help),
            )
        })
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_args(cmd)
    }
}

/// Entity and date filters, shared by `search` and `facets`.
#[derive(Debug, Args)]
pub struct FilterArgs {
    #[command(flatten)]
    pub entities: EntityFilterArgs,

    /// Only documents with a place in this country (Afghanistan, Pakistan); repeatable
    #[arg(long, value_name = "NAME")]
    pub country: Vec<String>,

    /// Only documents dated on or after this date (YYYY, YYYY-MM or YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,

    /// Only documents dated on or before this date (YYYY, YYYY-MM or YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,

    /// Apply the entity and country filters to what each passage itself mentions
    #[arg(long)]
    pub in_passage: bool,

    /// Only documents reporting this event type (air strike, drone strike, suicide bombing,
    /// bombing, armed clash, targeted killing, shelling, abduction, military operation,
    /// protest, other violence; `-` for spaces also works); repeatable
    #[arg(long = "type", value_name = "TYPE", value_parser = event_type)]
    pub types: Vec<EventType>,

    /// Only documents reporting at least N killed in conflict (totals over a period and
    /// earlier incidents do not count)
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = within(0, MAX_KILLED))]
    pub min_killed: Option<usize>,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query: words, "phrases", "words near"~N, -exclude, +require, OR, field:value,
    /// prefix* (put `--` before a query that starts with `-`)
    #[arg(required_unless_present = "batch", value_name = "QUERY")]
    pub query: Vec<String>,

    /// Run one query per line of FILE (same syntax and flags as here, `#` comments; `-` is
    /// stdin) and print a row of counts per line: documents, passages, stories, first and
    /// last date
    #[arg(long, value_name = "FILE", conflicts_with_all = ["query", "facets", "hybrid", "semantic", "remote"])]
    pub batch: Option<PathBuf>,

    /// Order: best match first, oldest first (`date`) or newest first (`-date`); undated
    /// documents come last
    #[arg(long, value_name = "ORDER", default_value = "relevance", allow_hyphen_values = true,
          value_parser = PossibleValuesParser::new(["relevance", "date", "-date"]))]
    pub sort: String,

    /// Require every word (no fallback to any word)
    #[arg(long, conflicts_with = "any")]
    pub all: bool,

    /// Any word suffices
    #[arg(long)]
    pub any: bool,

    /// How many passages to show
    #[arg(short = 'n', long, default_value_t = DEFAULT_LIMIT, value_name = "N", allow_negative_numbers = true, value_parser = within(0, MAX_HITS))]
    pub limit: usize,

    /// Skip this many passages first
    #[arg(long, default_value_t = 0, value_name = "N", allow_negative_numbers = true, value_parser = within(0, MAX_HITS))]
    pub offset: usize,

    #[command(flatten)]
    pub filters: FilterArgs,

    /// Also count matching documents per entity kind, event type and year
    #[arg(long)]
    pub facets: bool,

    /// Show every document of a story group (near-duplicate reports), not only its best
    /// hit, and count each in the facets
    #[arg(long)]
    pub no_collapse: bool,

    /// Rank by words and meaning: BM25 fused with the cosine of passage vectors (needs an
    /// index built with `durand index --semantic`)
    #[arg(long, conflicts_with = "semantic")]
    pub hybrid: bool,

    /// Rank by meaning alone: the passages whose vectors are nearest the query's
    #[arg(long)]
    pub semantic: bool,

    #[command(flatten)]
    pub remote: RemoteArgs,

    #[command(flatten)]
    pub output: ListOutputArgs,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Document id (as `durand docs` lists it)
    #[arg(value_name = "DOC")]
    pub doc: String,

    /// Also show what cleaning removed
    #[arg(long)]
    pub raw: bool,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct DocsArgs {
    #[command(flatten)]
    pub remote: RemoteArgs,

    #[command(flatten)]
    pub output: ListOutputArgs,
}

#[derive(Debug, Args)]
pub struct FacetsArgs {
    /// Only this facet [default: all but country]
    #[arg(value_name = "FIELD", value_parser = facet_names())]
    pub field: Option<String>,

    #[command(flatten)]
    pub filters: FilterArgs,

    /// Count every document of a story group (near-duplicate reports), not the story once
    #[arg(long)]
    pub no_collapse: bool,

    #[command(flatten)]
    pub remote: RemoteArgs,

    #[command(flatten)]
    pub output: ListOutputArgs,
}

#[derive(Debug, Args)]
#[command(mut_arg("min_killed", |a| a.help(INCIDENT_MIN_KILLED)))]
#[command(mut_arg("from", |a| a.help("Only incidents dated on or after this date (YYYY, YYYY-MM or YYYY-MM-DD), each with all its reports")))]
#[command(mut_arg("to", |a| a.help("Only incidents dated on or before this date (YYYY, YYYY-MM or YYYY-MM-DD), each with all its reports")))]
pub struct EventsArgs {
    /// Only incidents whose reports match this query (same syntax as `search`)
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,

    #[command(flatten)]
    pub filters: FilterArgs,

    /// How many incidents to list
    #[arg(short = 'n', long, default_value_t = 20, value_name = "N", allow_negative_numbers = true, value_parser = within(0, MAX_HITS))]
    pub limit: usize,

    /// Order: newest first, or most killed first
    #[arg(long, value_enum, default_value_t = EventSort::Date, value_name = "ORDER")]
    pub sort: EventSort,

    #[command(flatten)]
    pub output: ListOutputArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EventSort {
    Date,
    Killed,
}

#[derive(Debug, Args)]
#[command(mut_arg("min_killed", |a| a.help(TIMELINE_MIN_KILLED)))]
#[command(mut_arg("from", |a| a.help("Only documents dated on or after this date (YYYY, YYYY-MM or YYYY-MM-DD); with `--metric incidents` or `killed`, incidents so dated, each with all its reports")))]
#[command(mut_arg("to", |a| a.help("Only documents dated on or before this date (YYYY, YYYY-MM or YYYY-MM-DD); with `--metric incidents` or `killed`, incidents so dated, each with all its reports")))]
pub struct TimelineArgs {
    /// Only what matches this query (same syntax as `search`)
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,

    #[command(flatten)]
    pub filters: FilterArgs,

    /// Width of each bar's period
    #[arg(long, value_enum, default_value_t = TimelineBy::Month, value_name = "PERIOD")]
    pub by: TimelineBy,

    /// What each bar counts
    #[arg(long, value_enum, default_value_t = TimelineMetric::Documents, value_name = "WHAT")]
    pub metric: TimelineMetric,

    #[command(flatten)]
    pub output: ListOutputArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TimelineBy {
    Day,
    Week,
    Month,
    Year,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TimelineMetric {
    Documents,
    Stories,
    Incidents,
    Killed,
}

/// What `--min-killed` means where incidents are counted; elsewhere it filters documents.
const INCIDENT_MIN_KILLED: &str =
    "Only incidents whose best death toll is at least N, each with all its reports";
/// The same for `timeline`, which counts documents too.
const TIMELINE_MIN_KILLED: &str = "Only incidents whose best death toll is at least N, each with all its reports (with `--metric documents` or `stories`: documents reporting at least N killed)";

/// The largest `--min-killed`.
pub const MAX_KILLED: usize = 1_000_000;

/// An event type by name (`suicide bombing`, `suicide-bombing`).
fn event_type(value: &str) -> Result<EventType, String> {
    EventType::parse(value).ok_or_else(|| {
        let names: Vec<&str> = EventType::ALL.iter().map(|t| t.as_str()).collect();
        format!("not an event type; use one of: {}", names.join(", "))
    })
}

/// The most worker threads `--threads` accepts.
pub const MAX_THREADS: usize = 64;
/// The most passages `--limit` and `--offset` accept (either is also cut to the number of
/// passages in the index).
pub const MAX_HITS: usize = 10_000_000;

/// The most records `push --batch` sends in one request.
pub const MAX_BATCH: usize = 10_000;

/// A whole number in `lo..=hi`. Whatever else is given — a negative number, one too large
/// for any integer type, a word — the message (after clap's "invalid value … for '--flag'")
/// names the range.
fn within(lo: usize, hi: usize) -> impl Fn(&str) -> Result<usize, String> + Clone + Send + Sync {
    move |s: &str| {
        let t = s.trim();
        let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("{s:?} is not a whole number in {lo}..={hi}"));
        }
        // "-0" is zero; any other negative number is out of range.
        let negative = t.starts_with('-');
        match digits.parse::<usize>() {
            Ok(n) if (lo..=hi).contains(&n) && !(negative && n != 0) => Ok(n),
            _ => Err(format!("{t} is not in {lo}..={hi}")),
        }
    }
}

/// The facets `durand facets` takes, from the registry.
fn facet_names() -> PossibleValuesParser {
    PossibleValuesParser::new(FacetField::all().map(FacetField::name))
}

/// The ways of scoring documents, with their help, from the library's list.
fn doc_scores() -> PossibleValuesParser {
    PossibleValuesParser::new(
        DocScore::ALL
            .iter()
            .map(|d| PossibleValue::new(d.name()).help(d.help())),
    )
}
