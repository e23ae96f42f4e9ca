//! `durand docs`: one row per indexed document.

use std::io::Write;
use std::process::ExitCode;

use super::Context;
use super::search::open_or_build;
use crate::cli::DocsArgs;
use crate::render::{json, terminal};

pub(crate) fn run(ctx: &Context, args: DocsArgs) -> anyhow::Result<ExitCode> {
    let index = open_or_build(ctx)?;
    let docs = index.documents()?;
    let mut out = ctx.stdout(ctx.color && !args.json);
    if args.json {
        let list = json::DocList {
            documents: docs.iter().map(json::DocRow::new).collect(),
        };
        json::write(&mut out, &list)?;
    } else {
        terminal::docs(&mut out, &docs)?;
    }
    out.flush()?;
    Ok(if docs.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
