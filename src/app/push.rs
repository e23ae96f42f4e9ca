//! `durand push URL`: the local index's passages into a Typesense collection, then only
//! what changed.

use std::process::ExitCode;

use anyhow::bail;

use super::Context;
use super::progress::StderrReporter;
use super::remote::connect;
use super::search::open_or_build;
use crate::cli::PushArgs;
use crate::remote::push::{PushOptions, push};
use crate::render::Format;

pub(crate) fn run(ctx: &Context, args: PushArgs) -> anyhow::Result<ExitCode> {
    let remote = connect(&args.url, &args.access)?;
    let index = open_or_build(ctx)?;
    let format = args.output.format();
    let reporter = StderrReporter::new(args.quiet, format == Format::Text);
    let options = PushOptions {
        batch: args.batch,
        full: args.full,
    };
    let summary = push(&index, &remote, options, &reporter)?;
    let mut out = ctx.output(format);
    out.push_summary(&summary)?;
    out.flush()?;
    if !summary.rejected.is_empty() {
        bail!(
            "the cluster rejected {} of the records (listed in the summary); they are sent again by the next push",
            summary.rejected.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}
