//! `durand show DOC`: one document as indexed, optionally with what cleaning removed.

use std::io::Write;
use std::process::ExitCode;

use anyhow::anyhow;

use super::Context;
use super::search::open_or_build;
use crate::cli::ShowArgs;
use crate::render::{json, terminal};

pub(crate) fn run(ctx: &Context, args: ShowArgs) -> anyhow::Result<ExitCode> {
    let index = open_or_build(ctx)?;
    let Some((doc, passages)) = index.document(&args.doc)? else {
        let ids: Vec<String> = index.documents()?.into_iter().map(|d| d.doc_id).collect();
        let closest = ids
            .iter()
            .map(|id| (strsim::jaro_winkler(&args.doc, id), id))
            .filter(|(s, _)| *s > 0.7)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        let hint = match closest {
            Some((_, id)) => format!(" — did you mean {id}?"),
            None => " — `durand docs` lists the ids".to_string(),
        };
        return Err(anyhow!("no document {:?} in the index{hint}", args.doc));
    };
    let mut out = ctx.stdout(ctx.color && !args.json);
    if args.json {
        json::write(&mut out, &json::ShowDoc::new(&doc, &passages, args.raw))?;
    } else {
        terminal::show(&mut out, &doc, &passages, args.raw)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
