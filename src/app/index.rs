//! `durand index`: sync the index with its sources and print a summary.

use std::process::ExitCode;

use anyhow::Context as _;

use super::progress::StderrReporter;
use super::{Context, options};
use crate::cli::IndexArgs;
use crate::index::sync::{embeds, sync};
use crate::render::Format;

pub(crate) fn run(ctx: &Context, args: IndexArgs) -> anyhow::Result<ExitCode> {
    let sync_options = options::sync_options(ctx, &args);
    let format = args.output.format();
    if embeds(&sync_options) {
        super::process::keep_freed_memory();
    }
    let reporter = StderrReporter::new(args.quiet, format == Format::Text);
    let mut summary = sync(&sync_options, &reporter, None)
        .with_context(|| format!("indexing into {}", ctx.shown_dir()))?;
    summary.alerts = super::saved::new_counts(&ctx.dir, summary.written.as_deref());
    if !summary.dropped_sources.is_empty() {
        let dropped = summary.dropped_sources.join(", ");
        let all: Vec<String> = summary
            .dropped_sources
            .iter()
            .cloned()
            .chain(args.sources.iter().map(|s| s.display().to_string()))
            .map(|s| shlex::try_quote(&s).map_or(s.clone(), |q| q.into_owned()))
            .collect();
        let (are, their, them) = match summary.dropped_sources.len() {
            1 => ("is", "its", "it"),
            _ => ("are", "their", "them"),
        };
        super::note(format!(
            "{dropped} {are} no longer a source of this index, so {their} documents were removed; to keep {them}, name {them} too: `{} {}`",
            crate::index::index_command(&ctx.shown_dir(), ""),
            all.join(" ")
        ));
    }
    let mut out = ctx.output(format);
    out.sync_summary(&summary)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
