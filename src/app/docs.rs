//! `durand docs`: one row per indexed document.

use std::process::ExitCode;

use super::Context;
use super::search::open_or_build;
use crate::cli::DocsArgs;

pub(crate) fn run(ctx: &Context, args: DocsArgs) -> anyhow::Result<ExitCode> {
    let docs = match super::remote::remote_of(&args.remote)? {
        Some(remote) => crate::remote::search::documents(&remote)?,
        None => open_or_build(ctx)?.documents()?,
    };
    let mut out = ctx.paged_output(args.output.format());
    out.docs(&docs)?;
    out.flush()?;
    Ok(if docs.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
