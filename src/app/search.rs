//! `durand search`: open (or, on a fresh clone, first build) the index, run the query, print.

use std::process::ExitCode;

use std::io::Read;
use std::path::Path;

use anyhow::{Context as _, bail};

use super::progress::StderrReporter;
use super::{Context, DEFAULT_SOURCE, default_source, note, options};
use crate::cli::SearchArgs;
use crate::embed::Embedder;
use crate::index::sync::{SyncOptions, sync};
use crate::index::{self, DurandIndex};
use crate::render::Format;
use crate::search::census::{BatchRow, census, check, check_filters};
use crate::search::hybrid;
use crate::search::{ModeChoice, SearchResults, filter_notes, search};

/// The error for a command run while the first build of the index is still being written,
/// when that is the case (an index that exists or remembers a build is not a first build).
pub(crate) fn first_build_running(ctx: &Context) -> Option<anyhow::Error> {
    (index::being_written(&ctx.dir) && !index::exists(&ctx.dir) && !index::remembers(&ctx.dir))
        .then(|| {
            anyhow::anyhow!(
                "the first build of the index at {} is still running; try again when it finishes",
                ctx.shown_dir()
            )
        })
}

/// Opens the index; at the default location on a fresh clone, builds it from ./seeds first.
pub(crate) fn open_or_build(ctx: &Context) -> anyhow::Result<DurandIndex> {
    if let Some(running) = first_build_running(ctx) {
        return Err(running);
    }
    // A damaged index (one that remembers its sources) is reported by `open`, never replaced
    // by the seeds.
    if !index::exists(&ctx.dir) && !index::remembers(&ctx.dir) && !ctx.explicit_dir {
        let Some(seeds) = default_source() else {
            bail!(
                "no index at {} — run `durand index SOURCE…` to build one",
                ctx.shown_dir()
            );
        };
        note(format!(
            "no index at {} yet; building it from ./{DEFAULT_SOURCE} first",
            ctx.shown_dir()
        ));
        let options = SyncOptions::new(&ctx.dir, vec![seeds.to_path_buf()]);
        let summary = sync(&options, &StderrReporter::new(false, true), None)?;
        note(format!(
            "indexed {} documents, {} passages",
            summary.documents, summary.passages
        ));
    }
    match index::open(&ctx.dir) {
        Err(e @ index::IndexError::Missing { .. }) => {
            Err(first_build_running(ctx).unwrap_or_else(|| e.into()))
        }
        other => Ok(other?),
    }
}

/// The model that embeds queries for `index` (or `--model`'s).
pub(crate) fn query_embedder(ctx: &Context, index: &DurandIndex) -> anyhow::Result<Embedder> {
    Ok(hybrid::embedder_for(index, ctx.model.as_deref(), None)?)
}

pub(crate) fn run(ctx: &Context, args: SearchArgs) -> anyhow::Result<ExitCode> {
    if let Some(file) = &args.batch {
        return batch(ctx, file, &args);
    }
    let mut search_options = options::search_options(&args)?;
    if let Some(remote) = super::remote::remote_of(&args.remote)? {
        let vocabulary = super::remote::vocabulary(ctx);
        let results = crate::remote::search::search(&remote, &search_options, &vocabulary)?;
        return print_results(ctx, args.output.format(), &results, search_options.offset);
    }
    let index = open_or_build(ctx)?;
    hybrid::embed_one_query(&index, ctx.model.as_deref(), &mut search_options)?;
    for n in filter_notes(&index, &search_options.filters)? {
        note(n);
    }
    let results = search(&index, &search_options)?;
    note_unembedded(&index, &results);
    // A fusion ranks passages without the words too: the note is about BM25 alone.
    if results.fallback && search_options.semantic.is_none() {
        note("no passage has all the words; showing passages with any of them (--all to insist)");
    }
    // The process ends here: unmapping and freeing the index is the OS's job, faster.
    std::mem::forget(index);
    print_results(ctx, args.output.format(), &results, search_options.offset)
}

/// Says on stderr that a search by meaning left passages out for want of a vector, and
/// what embeds them.
pub(crate) fn note_unembedded(index: &DurandIndex, results: &SearchResults) {
    let n = results.unembedded;
    if n > 0 {
        let (passages, them) = match n {
            1 => ("passage has", "it"),
            _ => ("passages have", "them"),
        };
        note(format!(
            "{n} {passages} no vector yet (an interrupted `durand index`?), so meaning could not rank {them}; `{}` embeds {them}",
            index::index_command(&index::shown(&index.dir), ""),
        ));
    }
}

/// Prints ranked passages; grep's exit code: found or not.
pub(crate) fn print_results(
    ctx: &Context,
    format: Format,
    results: &SearchResults,
    offset: usize,
) -> anyhow::Result<ExitCode> {
    let mut out = ctx.paged_output(format);
    out.search(results, offset)?;
    out.flush()?;
    Ok(if results.total_hits > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `durand search --batch FILE`: one row of counts per query line. The whole file is checked
/// before anything runs, so a mistake on line 40 is reported before 39 searches.
fn batch(ctx: &Context, file: &Path, args: &SearchArgs) -> anyhow::Result<ExitCode> {
    let (text, shown) = if file == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("reading the batch from stdin")?;
        (text, "stdin".to_string())
    } else {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("reading the batch {}", file.display()))?;
        (text, file.display().to_string())
    };
    let lines = options::query_lines(&text, &shown, options::LineUse::Count)?;
    for q in &lines {
        if q.options.semantic.is_some() {
            bail!(
                "{shown}:{}: --hybrid and --semantic rank and have no count; count by words",
                q.line
            );
        }
    }
    // The batch's own flags (filters, --all/--any) apply to every line that sets none.
    let common = options::search_options(args)?;
    let index = open_or_build(ctx)?;
    // Checked on their own first: a bad one is the command line's, not a line's.
    check_filters(&index, &common.filters)?;
    let total = lines.len();
    // Every line is checked before any is counted, so a bad one is refused before output;
    // what a filter stands for is said once for the batch's own, per line for a line's.
    let mut notes = filter_notes(&index, &common.filters)?;
    let mut queries = Vec::with_capacity(total);
    for q in lines {
        let mut o = q.options;
        if o.filters.is_empty() {
            o.filters = common.filters.clone();
        } else {
            let line = q.line;
            notes.extend(
                filter_notes(&index, &o.filters)?
                    .into_iter()
                    .map(|n| format!("{shown}:{line}: {n}")),
            );
        }
        if o.mode == ModeChoice::Auto {
            o.mode = common.mode;
        }
        check(&index, &o).with_context(|| format!("{shown}:{}", q.line))?;
        queries.push((q.line, q.text, o));
    }
    for n in notes {
        note(n);
    }
    // Rows are counted as the writer takes them (JSON lines and CSV print each at once); a
    // line that fails (a damaged index) stops the batch.
    let mut failure = None;
    let mut empty: Vec<String> = Vec::new();
    let mut rows = queries
        .into_iter()
        .map_while(|(line, text, o)| match census(&index, &o) {
            Ok(census) => Some(BatchRow { line, text, census }),
            Err(e) => {
                failure = Some(anyhow::Error::new(e).context(format!("{shown}:{line}")));
                None
            }
        })
        .inspect(|r| {
            if r.census.passages == 0 {
                empty.push(format!("{} ({:?})", r.line, r.text));
            }
        });
    let mut out = ctx.paged_output(args.output.format());
    out.batch(&mut rows)?;
    drop(rows);
    out.flush()?;
    if let Some(e) = failure {
        return Err(e);
    }
    if !empty.is_empty() {
        note(format!(
            "{} of {} lines matched nothing: line {}",
            empty.len(),
            total,
            empty.join(", ")
        ));
    }
    std::mem::forget(index);
    Ok(if empty.len() < total {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
