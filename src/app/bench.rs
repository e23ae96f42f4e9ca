//! `durand bench`: query latency on the index, per query class.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context as _;

use super::search::open_or_build;
use super::{Context, note};
use crate::bench::{BUILTIN_QUERIES, parse_queries, run as bench};
use crate::cli::BenchArgs;
use crate::render::{json, terminal};

pub(crate) fn run(ctx: &Context, args: BenchArgs) -> anyhow::Result<ExitCode> {
    let queries = match &args.queries {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            parse_queries(&text, &path.display().to_string())?
        }
        None => parse_queries(BUILTIN_QUERIES, "built-in queries")?,
    };
    let index = open_or_build(ctx)?;
    let report = bench(&index, &queries, args.iterations, args.warmup)?;
    for q in report.per_query.iter().filter(|q| q.total_hits == 0) {
        note(format!(
            "warning: {}: `{}` matches nothing in {}; its timings measure an empty search",
            q.origin,
            q.query,
            ctx.shown_dir()
        ));
    }
    let mut out = ctx.stdout(ctx.color && !args.json);
    if args.json {
        json::write(&mut out, &report)?;
    } else {
        terminal::bench(&mut out, &report, &ctx.shown_dir())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
