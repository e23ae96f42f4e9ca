//! `durand eval`: nDCG, MAP, recall and MRR of the document rankings for judged queries.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context as _;

use super::{Context, note, options};
use crate::cli::EvalArgs;
use crate::eval::{evaluate, read_qrels, read_queries, write_run};

pub(crate) fn run(ctx: &Context, args: EvalArgs) -> anyhow::Result<ExitCode> {
    let queries = read_queries(&args.queries)?;
    let qrels = read_qrels(&args.qrels)?;
    // No index built from ./seeds on first use here: judgments are for another collection.
    let index = crate::index::open(&ctx.dir)?;
    let eval_options = options::eval_options(&args);
    let source = args.queries.display().to_string();
    let (report, lines) = evaluate(&index, &queries, &qrels, &eval_options, &source)?;
    if report.unindexed > 0 {
        note(format!(
            "{} relevant judged documents are not in the index at {}; they count as not found",
            report.unindexed,
            ctx.shown_dir()
        ));
    }
    if let Some(path) = &args.run {
        let file =
            std::fs::File::create(path).with_context(|| format!("writing {}", path.display()))?;
        let mut w = std::io::BufWriter::new(file);
        write_run(&mut w, &lines, "durand")?;
        w.flush()?;
    }
    let mut out = ctx.output(args.output.format());
    out.eval(&report)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
