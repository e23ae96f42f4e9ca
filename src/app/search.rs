//! `durand search`: open (or, on a fresh clone, first build) the index, run the query, print.

use std::process::ExitCode;

use anyhow::bail;

use super::progress::StderrReporter;
use super::{Context, DEFAULT_SOURCE, default_source, note, options};
use crate::cli::SearchArgs;
use crate::embed::Embedder;
use crate::index::sync::{SyncOptions, sync};
use crate::index::{self, DurandIndex};
use crate::search::hybrid;
use crate::search::{filter_notes, search};

/// Opens the index; at the default location on a fresh clone, builds it from ./seeds first.
pub(crate) fn open_or_build(ctx: &Context) -> anyhow::Result<DurandIndex> {
    if !index::exists(&ctx.dir) && !ctx.explicit_dir {
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
    Ok(index::open(&ctx.dir)?)
}

/// The model that embeds queries for `index` (or `--model`'s).
pub(crate) fn query_embedder(ctx: &Context, index: &DurandIndex) -> anyhow::Result<Embedder> {
    Ok(hybrid::embedder_for(index, ctx.model.as_deref())?)
}

pub(crate) fn run(ctx: &Context, args: SearchArgs) -> anyhow::Result<ExitCode> {
    let mut search_options = options::search_options(&args)?;
    let index = open_or_build(ctx)?;
    if search_options.semantic.is_some() {
        hybrid::embed_query(&query_embedder(ctx, &index)?, &mut search_options)?;
    }
    for n in filter_notes(&index, &search_options.filters)? {
        note(n);
    }
    let results = search(&index, &search_options)?;
    // A fusion ranks passages without the words too: the note is about BM25 alone.
    if results.fallback && search_options.semantic.is_none() {
        note("no passage has all the words; showing passages with any of them (--all to insist)");
    }
    let mut out = ctx.output(args.output.format());
    out.search(&results, search_options.offset)?;
    out.flush()?;
    // The process ends here: unmapping and freeing the index is the OS's job, faster.
    std::mem::forget(index);
    Ok(if results.total_hits > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
