//! From the command line to the library's options, checked once, before any index is opened
//! (dates parsed, names of ways and facets resolved). The library never sees a flag; the
//! errors here name the flag.
//!
//! Query lines — a query with its flags on one line, as `durand bench --queries` reads them —
//! are parsed here too, with clap, and their errors name the file and line.

use std::path::Path;

use clap::Parser;

use super::{Context, default_source};
use crate::bench::{BenchQuery, Class};
use crate::cli::{
    EvalArgs, FacetsArgs, FilterArgs, FormatArg, FusionArg, IndexArgs, ListOutputArgs, OutputArgs,
    SearchArgs,
};
use crate::date::PartialDate;
use crate::eval::{DocScore, EvalOptions};
use crate::index::sync::SyncOptions;
use crate::render::Format;
use crate::search::hybrid::{self, Fusion};
use crate::search::{FacetField, Filters, ModeChoice, SearchOptions, Sort};

/// A flag with a bad value.
#[derive(Debug, thiserror::Error)]
pub enum OptionError {
    #[error("{flag} {value:?} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD")]
    Date { flag: &'static str, value: String },
    #[error("--from {from} is after --to {to}")]
    Range { from: PartialDate, to: PartialDate },
    #[error("{path}:{line}: {message}")]
    Line {
        path: String,
        line: usize,
        message: String,
    },
    #[error("{0}: no queries")]
    NoQueries(String),
    #[error("--facets cannot be written as {0}; use --format json, or `durand facets`")]
    FacetsFormat(&'static str),
}

impl OutputArgs {
    /// The format chosen on the command line.
    pub fn format(&self) -> Format {
        if self.json {
            Format::Json
        } else {
            Format::Text
        }
    }
}

impl ListOutputArgs {
    /// The format chosen on the command line: `--format`, or `--json` / `--csv`.
    pub fn format(&self) -> Format {
        match (self.format, self.json, self.csv) {
            (Some(FormatArg::Text), ..) => Format::Text,
            (Some(FormatArg::Json), ..) | (None, true, _) => Format::Json,
            (Some(FormatArg::Jsonl), ..) => Format::Jsonl,
            (Some(FormatArg::Csv), ..) | (None, _, true) => Format::Csv,
            (None, false, false) => Format::Text,
        }
    }
}

/// The filters of `search` and `facets`.
pub fn filters(args: &FilterArgs) -> Result<Filters, OptionError> {
    let date = |flag: &'static str, value: &Option<String>| {
        value
            .as_deref()
            .map(|v| {
                PartialDate::parse_iso(v).ok_or_else(|| OptionError::Date {
                    flag,
                    value: v.to_string(),
                })
            })
            .transpose()
    };
    let from = date("--from", &args.from)?;
    let to = date("--to", &args.to)?;
    if let (Some(f), Some(t)) = (from, to)
        && f.bounds().0 > t.bounds().1
    {
        return Err(OptionError::Range { from: f, to: t });
    }
    Ok(Filters {
        entities: args.entities.0.clone(),
        countries: args.country.clone(),
        from,
        to,
        in_passage: args.in_passage,
        types: args.types.clone(),
        min_killed: args.min_killed.map(|n| n as u32),
        docs: None,
    })
}

/// A search request.
pub fn search_options(args: &SearchArgs) -> Result<SearchOptions, OptionError> {
    let mut options = SearchOptions::new(args.query.join(" "));
    options.mode = match (args.all, args.any) {
        (true, _) => ModeChoice::All,
        (_, true) => ModeChoice::Any,
        _ => ModeChoice::Auto,
    };
    options.limit = args.limit;
    options.offset = args.offset;
    options.filters = filters(&args.filters)?;
    options.facets = args.facets;
    options.collapse = !args.no_collapse;
    options.sort = match args.sort.as_str() {
        "date" => Sort::Oldest,
        "-date" => Sort::Newest,
        _ => Sort::Relevance,
    };
    if args.facets && matches!(args.output.format(), Format::Csv | Format::Jsonl) {
        return Err(OptionError::FacetsFormat(args.output.format().name()));
    }
    if args.hybrid || args.semantic {
        // The vector is the query's, made once the index (and so its model) is open.
        options.semantic = Some(hybrid::SemanticQuery {
            vector: Vec::new(),
            only: args.semantic,
            fusion: hybrid::DEFAULT_FUSION,
        });
    }
    Ok(options)
}

/// The facets `durand facets` prints.
pub fn facet_fields(args: &FacetsArgs) -> Vec<FacetField> {
    match args.field.as_deref().and_then(FacetField::by_name) {
        Some(f) => vec![f],
        None => FacetField::shown().collect(),
    }
}

/// The sync options `durand index` and `durand watch` share.
pub fn sync_options(ctx: &Context, args: &IndexArgs) -> SyncOptions {
    let mut options = SyncOptions::new(&ctx.dir, args.sources.clone());
    options.fallback = default_source().into_iter().map(Into::into).collect();
    options.rebuild = args.rebuild;
    options.threads = args.threads;
    options.memory = args.memory.saturating_mul(1 << 20);
    options.max_document_bytes = args.max_document_mib.saturating_mul(1 << 20);
    options.gazetteers = args.gazetteer.clone();
    options.forget_gazetteers = args.no_gazetteer;
    options.semantic = match (args.semantic, args.no_semantic) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    };
    options.model = ctx.model.clone();
    options
}

/// How `durand eval --hybrid` fuses.
pub fn fusion(args: &EvalArgs) -> Fusion {
    match (args.fusion, args.weight) {
        (FusionArg::Rrf, _) => Fusion::Rrf { k: 60.0 },
        (FusionArg::Weighted, Some(w)) => Fusion::Weighted { semantic: w },
        (FusionArg::Weighted, None) => hybrid::DEFAULT_FUSION,
    }
}

/// How `durand eval` runs.
pub fn eval_options(args: &EvalArgs) -> EvalOptions {
    EvalOptions {
        k: args.k,
        depth: args.depth,
        mode: if args.all {
            ModeChoice::All
        } else {
            ModeChoice::Any
        },
        // clap accepted only the names DocScore lists.
        doc_score: DocScore::by_name(&args.doc_score).unwrap_or(EvalOptions::default().doc_score),
        semantic: None,
    }
}

/// A query line as clap reads it: a `durand search` command line without the command.
#[derive(Parser)]
#[command(no_binary_name = true)]
struct QueryLine {
    #[command(flatten)]
    args: SearchArgs,
}

/// One query of a query-lines file, where it was written and its options.
pub struct ParsedLine {
    pub line: usize,
    pub text: String,
    pub options: SearchOptions,
}

/// The search a query line's words ask for (`ttp --province Bajaur`), or why not.
pub fn words_options(words: &[String]) -> Result<SearchOptions, String> {
    let parsed = QueryLine::try_parse_from(words).map_err(|e| {
        let rendered = e.render().to_string();
        let first = rendered.lines().next().unwrap_or("").trim();
        first.strip_prefix("error: ").unwrap_or(first).to_string()
    })?;
    if parsed.args.batch.is_some() {
        return Err("a query line cannot hold --batch".to_string());
    }
    search_options(&parsed.args).map_err(|e| e.to_string())
}

/// The search a saved line asks for (as `durand saved add` checked it).
pub fn line_options(line: &str) -> Result<SearchOptions, String> {
    let words = shlex::split(line).ok_or_else(|| "unbalanced quotes".to_string())?;
    words_options(&words)
}

/// Parses query lines: one query per line in `durand search` syntax (`words --province
/// kunar --facets`), `#` comments and blank lines ignored. `path` names the source in errors.
pub fn query_lines(text: &str, path: &str) -> Result<Vec<ParsedLine>, OptionError> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let err = |message: String| OptionError::Line {
            path: path.to_string(),
            line: i + 1,
            message,
        };
        let words = shlex::split(line).ok_or_else(|| err("unbalanced quotes".to_string()))?;
        // `"hot pursuit"` on its own is a phrase query, not two words.
        let words = if line.starts_with('"') && words.len() == 1 {
            vec![format!("\"{}\"", words[0])]
        } else {
            words
        };
        let options = words_options(&words).map_err(err)?;
        out.push(ParsedLine {
            line: i + 1,
            text: line.to_string(),
            options,
        });
    }
    if out.is_empty() {
        return Err(OptionError::NoQueries(path.to_string()));
    }
    Ok(out)
}

/// The queries of a bench run, from query lines.
pub fn bench_queries(text: &str, path: &Path) -> Result<Vec<BenchQuery>, OptionError> {
    let shown = path.display().to_string();
    Ok(query_lines(text, &shown)?
        .into_iter()
        .map(|q| BenchQuery {
            origin: format!("{shown}:{}", q.line),
            class: Class::of(&q.options),
            line: q.text,
            options: q.options,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_lines_parse_flags_and_name_their_line() {
        let qs = query_lines(
            "# comment\nborder --province kunar --facets\n\"hot pursuit\"\n",
            "q.txt",
        )
        .unwrap();
        assert_eq!(qs.len(), 2);
        assert_eq!(qs[0].line, 2);
        let province = crate::tag::EntityKind::PROVINCE;
        assert_eq!(
            qs[0].options.filters.entities.get(province),
            &vec!["kunar".to_string()]
        );
        assert!(qs[0].options.facets);
        assert_eq!(qs[1].options.query, "\"hot pursuit\"");
        let err = query_lines("border\nattack --nope\n", "q.txt")
            .err()
            .unwrap()
            .to_string();
        assert!(err.starts_with("q.txt:2: unexpected argument"), "{err}");
        let err = query_lines("x --from 2014-13\n", "q.txt")
            .err()
            .unwrap()
            .to_string();
        assert!(
            err.contains("q.txt:1: --from \"2014-13\" is not a date"),
            "{err}"
        );
        let err = query_lines("# only comments\n", "q.txt")
            .err()
            .unwrap()
            .to_string();
        assert_eq!(err, "q.txt: no queries");
    }
}
