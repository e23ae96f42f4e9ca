//! `durand eval`: nDCG, MAP, recall and MRR of the document rankings for judged queries, or
//! (`--tags`) precision and recall of the tags on hand-labelled documents.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;

use super::{Context, note, options};
use crate::cli::EvalArgs;
use crate::eval::events::{evaluate_events, read_event_labels};
use crate::eval::tags::{evaluate_tags, read_tag_labels};
use crate::eval::{EvalSemantic, evaluate, read_qrels, read_queries, write_run};

pub(crate) fn run(ctx: &Context, args: EvalArgs) -> anyhow::Result<ExitCode> {
    if let Some(labels) = &args.tags {
        return tags(ctx, &args, labels);
    }
    if !args.events.is_empty() {
        return events(ctx, &args);
    }
    if args.split.is_some() {
        anyhow::bail!("--split applies to --tags and --events labels only");
    }
    let (Some(queries), Some(qrels)) = (&args.queries, &args.qrels) else {
        anyhow::bail!("give --queries and --qrels, or --tags LABELS");
    };
    let queries_read = read_queries(queries)?;
    let qrels = read_qrels(qrels)?;
    // No index built from ./seeds on first use here: judgments are for another collection.
    let index = crate::index::open(&ctx.dir)?;
    let mut eval_options = options::eval_options(&args);
    if args.hybrid || args.semantic {
        let embedder = crate::search::hybrid::embedder_for(&index, ctx.model.as_deref(), None)?;
        eval_options.semantic = Some(EvalSemantic {
            embedder: std::sync::Arc::new(embedder),
            fusion: options::fusion(&args),
            only: args.semantic,
        });
    }
    let source = queries.display().to_string();
    let (report, lines) = evaluate(&index, &queries_read, &qrels, &eval_options, &source)?;
    if report.unindexed > 0 {
        note(format!(
            "{} relevant judged documents are not in the index at {}; they count as not found",
            report.unindexed,
            ctx.shown_dir()
        ));
    }
    if let Some(path) = &args.run {
        let writing = || format!("writing {}", path.display());
        let file = std::fs::File::create(path).with_context(writing)?;
        let mut w = std::io::BufWriter::new(file);
        write_run(&mut w, &lines, "durand").with_context(writing)?;
        w.flush().with_context(writing)?;
    }
    let mut out = ctx.output(args.output.format());
    out.eval(&report)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `durand eval --tags LABELS [--split S]`.
fn tags(ctx: &Context, args: &EvalArgs, labels: &Path) -> anyhow::Result<ExitCode> {
    let labels = read_tag_labels(labels)?;
    let index = crate::index::open(&ctx.dir)?;
    let report = evaluate_tags(&index, &labels, args.split.as_deref())?;
    check_found(ctx, args, report.documents, &report.missing)?;
    let mut out = ctx.output(args.output.format());
    out.tag_eval(&report)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `durand eval --events LABELS… [--split S]`.
fn events(ctx: &Context, args: &EvalArgs) -> anyhow::Result<ExitCode> {
    let labels = read_event_labels(&args.events)?;
    let index = crate::index::open(&ctx.dir)?;
    let report = evaluate_events(&index, &labels, args.split.as_deref())?;
    let reports = report.incidents.map_or(0, |i| i.reports);
    check_found(ctx, args, report.documents + reports, &report.missing)?;
    let mut out = ctx.output(args.output.format());
    out.event_eval(&report)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Labels are only worth scoring against an index that holds their documents: none found is
/// an error that says what to index; some missing is a note.
fn check_found(
    ctx: &Context,
    args: &EvalArgs,
    found: usize,
    missing: &[String],
) -> anyhow::Result<()> {
    let split = args
        .split
        .as_deref()
        .map(|s| format!(" of split {s:?}"))
        .unwrap_or_default();
    if found == 0 && missing.is_empty() {
        anyhow::bail!("the labels hold no documents{split} to score");
    }
    if found == 0 {
        anyhow::bail!(
            "none of the labelled documents{split} is in the index at {}; index the collection they were drawn from",
            ctx.shown_dir()
        );
    }
    if !missing.is_empty() {
        let n = missing.len();
        note(format!(
            "{n} labelled {} not in the index at {}; {} not counted",
            if n == 1 {
                "document is"
            } else {
                "documents are"
            },
            ctx.shown_dir(),
            if n == 1 { "it is" } else { "they are" },
        ));
    }
    Ok(())
}
