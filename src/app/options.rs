//! From the command line to the library's options, checked once, before any index is opened
//! (dates parsed, names of ways and facets resolved). The library never sees a flag; the
//! errors here name the flag.
//!
//! Query lines — a query with its flags on one line, as `durand bench --queries` reads them —
//! are parsed here too, with clap, and their errors name the file and line.

use std::path::Path;

use clap::{CommandFactory, Parser};

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
    #[error(
        "{flag} {value:?} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD (years 1000 to 2999)"
    )]
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
        // At least none killed is no floor: incidents without a toll stay too.
        min_killed: args.min_killed.filter(|&n| n > 0).map(|n| n as u32),
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
    match (args.fusion.unwrap_or(FusionArg::Weighted), args.weight) {
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

/// The search a query line's words ask for (`ttp --province Bajaur`), or why not. A query
/// line runs on the local index (it counts, saves and alerts there).
pub fn words_options(words: &[String]) -> Result<SearchOptions, String> {
    let parsed = QueryLine::try_parse_from(words)
        .map_err(|e| super::one_line_usage_error(&e.render().to_string()).0)?;
    if parsed.args.batch.is_some() {
        return Err("a query line cannot hold --batch".to_string());
    }
    if parsed.args.remote.remote.is_some() {
        return Err("a query line runs on the local index; drop --remote".to_string());
    }
    search_options(&parsed.args).map_err(|e| e.to_string())
}

/// Where a query line runs, which decides which of `durand search`'s options mean anything
/// on it. A line that carries one that does not is refused, naming it, rather than run with
/// the option silently ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineUse {
    /// `bench --queries`: each line is searched as `durand search` would search it.
    Search,
    /// `search --batch`: each line is counted, and the batch prints the counts: how many
    /// hits print, in what format, order or grouping, and facets, mean nothing per line.
    Count,
    /// `saved add`: the query and its filters are kept; `durand alerts` decides how many
    /// hits print and in what format (its own `-n` and format). Its order (`--sort`) and
    /// collapsing are kept and used.
    Saved,
}

impl LineUse {
    /// The options (clap's ids) that mean nothing on such a line.
    fn meaningless(self) -> Vec<&'static str> {
        // How hits print: meaningless wherever the line's hits are not printed as its own.
        const PRINTING: [&str; 5] = ["limit", "offset", "json", "csv", "format"];
        // What is shown beside, and in what order: meaningless where only a count is.
        const SHOWING: [&str; 3] = ["facets", "sort", "no_collapse"];
        match self {
            LineUse::Search => Vec::new(),
            LineUse::Count => PRINTING.into_iter().chain(SHOWING).collect(),
            LineUse::Saved => PRINTING.to_vec(),
        }
    }

    /// Refuses a line that gives options meaning nothing where it runs, naming them.
    pub fn check(self, line: &str) -> Result<(), String> {
        let given = given_options(line, &self.meaningless());
        if given.is_empty() {
            return Ok(());
        }
        let given = given.join(", ");
        Err(match self {
            LineUse::Search => unreachable!("a searched line takes every option"),
            LineUse::Count => format!(
                "a batch line is only counted; drop {given} (the batch's format goes on the command line)"
            ),
            LineUse::Saved => format!(
                "a saved search keeps the query and its filters, not how hits print; drop {given} (give them to `durand search`)"
            ),
        })
    }
}

/// Which of the options `ids` (clap's ids) `line` gives, by their long names.
fn given_options(line: &str, ids: &[&str]) -> Vec<String> {
    if ids.is_empty() {
        return Vec::new();
    }
    let Ok(words) = line_words(line) else {
        return Vec::new();
    };
    let command = QueryLine::command();
    let Ok(matches) = command.clone().try_get_matches_from(&words) else {
        return Vec::new();
    };
    ids.iter()
        .filter(|id| matches.value_source(id) == Some(clap::parser::ValueSource::CommandLine))
        .filter_map(|id| {
            let arg = command.get_arguments().find(|a| a.get_id() == *id)?;
            Some(format!("--{}", arg.get_long()?))
        })
        .collect()
}

/// The search a saved line asks for (as `durand saved add` checked it).
pub fn line_options(line: &str) -> Result<SearchOptions, String> {
    words_options(&line_words(line)?)
}

/// Whether `flag` (`--province`, `-n`) is an option of a query line that takes a value;
/// `None` when it is no option at all. The options are read from clap once.
fn takes_value(flag: &str) -> Option<bool> {
    static FLAGS: std::sync::LazyLock<std::collections::HashMap<String, bool>> =
        std::sync::LazyLock::new(|| {
            let command = QueryLine::command();
            let mut flags = std::collections::HashMap::new();
            for arg in command.get_arguments() {
                let value = arg.get_action().takes_values();
                flags.extend(arg.get_long().map(|l| (format!("--{l}"), value)));
                flags.extend(arg.get_short().map(|c| (format!("-{c}"), value)));
            }
            flags
        });
    FLAGS.get(flag).copied()
}

/// Splits a query line into the words clap reads: options and their values first, then
/// `--`, then the query's words as written. Query words keep their double quotes (a
/// `"phrase"`, `"words near"~3`, `title:"a b"`), and a query word may start with `-` (an
/// exclusion); an option value may be quoted, with double or single quotes, and loses them.
fn line_words(line: &str) -> Result<Vec<String>, String> {
    // Tokens: whitespace outside quotes separates; double quotes stay in the token; a token
    // (or an `--option=` value) that starts with a single quote runs to the closing one,
    // quotes dropped; an apostrophe inside a word is a letter.
    let mut tokens: Vec<String> = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            break;
        }
        let mut token = String::new();
        let mut quoted = false;
        while let Some(c) = chars.next_if(|&c| quoted || !c.is_whitespace()) {
            let value_starts =
                token.is_empty() || (token.starts_with("--") && token.ends_with('='));
            if c == '\'' && !quoted && value_starts {
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => token.push(c),
                        None => return Err("unbalanced quotes".to_string()),
                    }
                }
                continue;
            }
            quoted ^= c == '"';
            token.push(c);
        }
        // An unclosed double quote is the query parser's to report, with its column.
        tokens.push(token);
    }
    let unquote = |v: &str| -> String {
        v.strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .filter(|v| !v.contains('"'))
            .unwrap_or(v)
            .to_string()
    };
    let mut options = Vec::new();
    let mut query = Vec::new();
    let mut tokens = tokens.into_iter();
    while let Some(token) = tokens.next() {
        if let Some((flag, value)) = token.split_once('=').filter(|(f, _)| f.starts_with("--")) {
            options.push(format!("{flag}={}", unquote(value)));
            continue;
        }
        match takes_value(&token) {
            Some(true) => {
                options.push(token);
                options.extend(tokens.next().map(|v| unquote(&v)));
            }
            Some(false) => options.push(token),
            // An unknown `--option` is for clap to refuse; `-word` is an exclusion.
            None if token.starts_with("--") && token.len() > 2 => options.push(token),
            None => query.push(token),
        }
    }
    if !query.is_empty() {
        options.push("--".to_string());
        options.extend(query);
    }
    Ok(options)
}

/// Writes command-line words (`durand saved add NAME WORDS…`) as one query line that
/// [`line_options`] reads back to the same search.
pub fn words_line(words: &[String]) -> Result<String, String> {
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut value_next = false;
    for word in words {
        let is_value = std::mem::take(&mut value_next);
        // `--` only ends the options on the command line (`--type T -- mir`).
        if !is_value && word == "--" {
            continue;
        }
        if !is_value && !word.contains('=') {
            value_next = takes_value(word) == Some(true);
        }
        out.push(
            match word.split_once('=').filter(|(f, _)| f.starts_with("--")) {
                Some((flag, value)) => format!("{flag}={}", quoted_value(value)?),
                None if is_value => quoted_value(word)?,
                // A query word is written as it is: the line's words are the query's words.
                None => word.clone(),
            },
        );
    }
    Ok(out.join(" "))
}

/// An option's value as a query line writes it: bare when it can be, else quoted.
fn quoted_value(value: &str) -> Result<String, String> {
    let plain =
        !value.is_empty() && !value.contains(char::is_whitespace) && !value.contains(['"', '\'']);
    if plain {
        Ok(value.to_string())
    } else if !value.contains('\'') {
        Ok(format!("'{value}'"))
    } else if !value.contains('"') {
        Ok(format!("\"{value}\""))
    } else {
        Err(format!("{value} holds both kinds of quote"))
    }
}

/// A query line without its comment: a line that starts with `#` is all comment, and
/// elsewhere a `#` after white space and before white space or the end of the line starts
/// one (`TTP # the group`); a `#` inside a word is the word's (`#PTI`, `C#`).
fn without_comment(line: &str) -> &str {
    let line = line.trim();
    if line.starts_with('#') {
        return "";
    }
    let comment = line.char_indices().find(|&(i, c)| {
        c == '#'
            && line[..i].ends_with(char::is_whitespace)
            && line[i + 1..].chars().next().is_none_or(char::is_whitespace)
    });
    match comment {
        Some((i, _)) => line[..i].trim_end(),
        None => line,
    }
}

/// Parses query lines: one query per line in `durand search` syntax (`words --province
/// kunar --facets`), `#` comments and blank lines ignored, each line checked for what it
/// is used for. `path` names the source in errors.
pub fn query_lines(text: &str, path: &str, used: LineUse) -> Result<Vec<ParsedLine>, OptionError> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = without_comment(raw);
        if line.is_empty() {
            continue;
        }
        let err = |message: String| OptionError::Line {
            path: path.to_string(),
            line: i + 1,
            message,
        };
        let options = line_options(line).map_err(err)?;
        used.check(line).map_err(err)?;
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
    Ok(query_lines(text, &shown, LineUse::Search)?
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
            "# comment\nborder --province kunar --facets # the border\n\"hot pursuit\"\n",
            "q.txt",
            LineUse::Search,
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
        let err = query_lines("border\nattack --nope\n", "q.txt", LineUse::Search)
            .err()
            .unwrap()
            .to_string();
        assert!(err.starts_with("q.txt:2: unexpected argument"), "{err}");
        let err = query_lines("x --from 2014-13\n", "q.txt", LineUse::Search)
            .err()
            .unwrap()
            .to_string();
        assert!(
            err.contains("q.txt:1: --from \"2014-13\" is not a date"),
            "{err}"
        );
        let err = query_lines("# only comments\n", "q.txt", LineUse::Search)
            .err()
            .unwrap()
            .to_string();
        assert_eq!(err, "q.txt: no queries");
    }

    #[test]
    fn a_line_refuses_the_options_that_mean_nothing_where_it_runs() {
        let line = "Bajaur -n 1 --province kunar --format csv --facets --sort=-date";
        assert!(LineUse::Search.check(line).is_ok());
        let saved = LineUse::Saved.check(line).unwrap_err();
        assert!(saved.contains("drop --limit, --format ("), "{saved}");
        let count = LineUse::Count.check(line).unwrap_err();
        assert!(
            count.contains("drop --limit, --format, --facets, --sort ("),
            "{count}"
        );
        for used in [LineUse::Saved, LineUse::Count] {
            assert!(used.check("taliban -ttp --province kunar --any").is_ok());
        }
        assert!(LineUse::Saved.check("x --sort=-date --no-collapse").is_ok());
        let err = LineUse::Count.check("x --json --offset 5").unwrap_err();
        assert!(err.contains("drop --offset, --json ("), "{err}");
    }

    #[test]
    fn a_comment_starts_at_a_hash_between_spaces_or_at_the_end() {
        assert_eq!(without_comment("  # all comment"), "");
        assert_eq!(without_comment("#all comment"), "");
        assert_eq!(without_comment("TTP # the group"), "TTP");
        assert_eq!(without_comment("TTP\t#"), "TTP");
        assert_eq!(without_comment("TTP #\tthe group # more"), "TTP");
        assert_eq!(without_comment("#PTI rally"), "");
        assert_eq!(without_comment("rally #PTI"), "rally #PTI");
        assert_eq!(without_comment("C# and F# #PTI # tags"), "C# and F# #PTI");
        assert_eq!(
            without_comment("x --province Kunar  "),
            "x --province Kunar"
        );
    }

    #[test]
    fn a_query_line_keeps_the_query_language() {
        let query = |line: &str| line_options(line).unwrap().query;
        assert_eq!(
            query("\"drone strike\"~1 kunar"),
            "\"drone strike\"~1 kunar"
        );
        assert_eq!(
            query("title:\"kunar offensive\""),
            "title:\"kunar offensive\""
        );
        assert_eq!(query("taliban -ttp"), "taliban -ttp");
        assert_eq!(query("Pakistan's army"), "Pakistan's army");
        let o = line_options("\"hot pursuit\" --province \"North Waziristan\" -n 3").unwrap();
        assert_eq!(o.query, "\"hot pursuit\"");
        assert_eq!(o.limit, 3);
        let province = crate::tag::EntityKind::PROVINCE;
        assert_eq!(
            o.filters.entities.get(province),
            &vec!["North Waziristan".to_string()]
        );
        let o = line_options("--province='North Waziristan' --any ttp").unwrap();
        assert_eq!(
            o.filters.entities.get(province),
            &vec!["North Waziristan".to_string()]
        );
        assert_eq!(o.query, "ttp");
        // An unclosed double quote is left to the query parser, which names its column.
        assert_eq!(query("\"unclosed"), "\"unclosed");
        assert_eq!(
            line_options("x --province 'Kunar").err().unwrap(),
            "unbalanced quotes"
        );
        let err = line_options("ttp --remote http://x").err().unwrap();
        assert!(err.contains("drop --remote"), "{err}");
        // clap's whole message, on one line: what is missing, the possible values.
        assert_eq!(
            line_options("").err().unwrap(),
            "the following required arguments were not provided: <QUERY>..."
        );
        let err = line_options("ttp --sort sideways").err().unwrap();
        assert!(
            err.ends_with("[possible values: relevance, date, -date]"),
            "{err}"
        );
    }

    #[test]
    fn command_line_words_round_trip_through_a_saved_line() {
        let cases: &[&[&str]] = &[
            &["ttp", "--province", "Bajaur"],
            &["\"drone strike\"~2", "--province", "North Waziristan"],
            &["taliban -ttp", "--from", "2023"],
            &["--group", "ttp", "attack"],
            &["kunar", "--province=North Waziristan", "--from=2023"],
            &["x", "--province", "it's \"odd\""],
        ];
        for words in cases {
            let words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
            let direct = words_options(&words);
            match words_line(&words) {
                Ok(line) => {
                    let back = line_options(&line);
                    assert_eq!(
                        format!("{:?}", back),
                        format!("{:?}", direct),
                        "{words:?} as {line}"
                    );
                }
                Err(e) => assert!(e.contains("both kinds of quote"), "{e}"),
            }
        }
    }
}
