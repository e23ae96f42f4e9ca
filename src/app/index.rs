//! `durand index`: sync the index with its sources and print a summary.

use std::process::ExitCode;

use anyhow::Context as _;

use super::progress::StderrReporter;
use super::{Context, default_source};
use crate::cli::IndexArgs;
use crate::index::sync::{SyncOptions, sync};
use crate::render::{json, terminal};

/// The sync options `durand index` and `durand watch` share.
pub(crate) fn sync_options(ctx: &Context, args: &IndexArgs) -> SyncOptions {
    let mut options = SyncOptions::new(&ctx.dir, args.sources.clone());
    options.fallback = default_source().into_iter().map(Into::into).collect();
    options.rebuild = args.rebuild;
    options.threads = args.threads;
    options.memory = args.memory.saturating_mul(1 << 20);
    options.max_document_bytes = args.max_document_mib.saturating_mul(1 << 20);
    options.gazetteers = args.gazetteer.clone();
    options.forget_gazetteers = args.no_gazetteer;
    options
}

pub(crate) fn run(ctx: &Context, args: IndexArgs) -> anyhow::Result<ExitCode> {
    let options = sync_options(ctx, &args);
    let reporter = StderrReporter::new(args.quiet, !args.json);
    let summary = sync(&options, &reporter, None)
        .with_context(|| format!("indexing into {}", ctx.shown_dir()))?;
    let mut out = ctx.stdout(false);
    if args.json {
        json::write(&mut out, &summary)?;
    } else {
        terminal::sync_summary(&mut out, &summary)?;
    }
    std::io::Write::flush(&mut out)?;
    Ok(ExitCode::SUCCESS)
}
