//! `durand search`: open (or, on a fresh clone, first build) the index, run the query, print.

use std::io::Write;
use std::process::ExitCode;

use anyhow::bail;

use super::progress::StderrReporter;
use super::{Context, DEFAULT_SOURCE, default_source, note};
use crate::cli::SearchArgs;
use crate::index::sync::{SyncOptions, sync};
use crate::index::{self, DurandIndex};
use crate::render::{json, terminal};
use crate::search::{SearchOptions, filter_notes, search};

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

pub(crate) fn run(ctx: &Context, args: SearchArgs) -> anyhow::Result<ExitCode> {
    let options = SearchOptions::try_from(&args)?;
    let index = open_or_build(ctx)?;
    for n in filter_notes(&index, &options.filters) {
        note(n);
    }
    let results = search(&index, &options)?;
    if results.fallback {
        note("no passage has all the words; showing passages with any of them (--all to insist)");
    }
    let mut out = ctx.stdout(ctx.color && !args.json);
    if args.json {
        json::write(&mut out, &results)?;
    } else {
        terminal::search(&mut out, &results, options.offset)?;
    }
    out.flush()?;
    // The process ends here: unmapping and freeing the index is the OS's job, faster.
    std::mem::forget(index);
    Ok(if results.total_hits > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
