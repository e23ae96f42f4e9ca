//! `durand show DOC`: one document as indexed, optionally with what cleaning removed.

use std::process::ExitCode;

use anyhow::anyhow;

use super::Context;
use super::search::open_or_build;
use crate::cli::ShowArgs;
use crate::text::closest;

pub(crate) fn run(ctx: &Context, args: ShowArgs) -> anyhow::Result<ExitCode> {
    let index = open_or_build(ctx)?;
    let Some((doc, passages)) = index.document(&args.doc)? else {
        let ids: Vec<String> = index.documents()?.into_iter().map(|d| d.doc_id).collect();
        let hint = match closest(&args.doc, ids.iter().map(|id| (id.as_str(), id.as_str()))) {
            Some(id) => format!(" — did you mean {id}?"),
            None => " — `durand docs` lists the ids".to_string(),
        };
        return Err(anyhow!("no document {:?} in the index{hint}", args.doc));
    };
    let mut out = ctx.output(args.output.format());
    out.show(&doc, &passages, args.raw)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
