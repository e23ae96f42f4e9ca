//! `durand show DOC`: one document as indexed, optionally with what cleaning removed.

use std::process::ExitCode;

use super::Context;
use super::search::open_or_build;
use super::similar::document_id;
use crate::cli::ShowArgs;

pub(crate) fn run(ctx: &Context, args: ShowArgs) -> anyhow::Result<ExitCode> {
    let index = open_or_build(ctx)?;
    let id = document_id(&index, &args.doc)?;
    let Some((doc, passages)) = index.document(&id)? else {
        return Err(super::similar::no_document(&index, &args.doc)?);
    };
    let mut out = ctx.paged_output(args.output.format());
    out.show(&doc, &passages, args.raw)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
