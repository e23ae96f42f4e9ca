//! `durand show DOC`: one document as indexed, optionally with what cleaning removed.

use std::process::ExitCode;

use super::Context;
use super::search::open_or_build;
use super::similar::no_document;
use crate::cli::ShowArgs;

pub(crate) fn run(ctx: &Context, args: ShowArgs) -> anyhow::Result<ExitCode> {
    let index = open_or_build(ctx)?;
    let Some((doc, passages)) = index.document(&args.doc)? else {
        return Err(no_document(&index, &args.doc)?);
    };
    let mut out = ctx.paged_output(args.output.format());
    out.show(&doc, &passages, args.raw)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
