//! `durand bench`: query latency on the index, per query class.

use std::process::ExitCode;

use anyhow::Context as _;

use super::search::{open_or_build, query_embedder};
use super::{Context, note, options};
use crate::bench::run as bench;
use crate::cli::BenchArgs;

/// The query set used without `--queries`: words, phrases, filters and facets that the
/// collection's documents talk about.
const BUILTIN_QUERIES: &str = r#"# single words
pakistan
taliban
border
attack
militants
drone
# several words
cross-border attacks
security forces killed
pakistani military operation
taliban government kabul
# phrases
"security forces"
"hot pursuit"
"durand line"
# filtered
border --province "Khyber Pakhtunkhwa"
attack --group ttp
militants --country Afghanistan --from 2014
# with facets
pakistan --facets
taliban --facets --group "Afghan Taliban"
"#;

/// Added to the built-in set when the index has vectors: searches by meaning.
const SEMANTIC_QUERIES: &str = r#"# hybrid
cross-border attacks --hybrid
insurgents slain --hybrid
security forces killed --hybrid --province "Khyber Pakhtunkhwa"
# semantic
talks between pakistan and the taliban --semantic
"#;

pub(crate) fn run(ctx: &Context, args: BenchArgs) -> anyhow::Result<ExitCode> {
    let queries = match &args.queries {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            options::bench_queries(text.trim_start_matches('\u{FEFF}'), path)?
        }
        None => options::bench_queries(BUILTIN_QUERIES, std::path::Path::new("built-in queries"))?,
    };
    let index = open_or_build(ctx)?;
    let mut queries = queries;
    if args.queries.is_none() && index.semantic()?.is_some() {
        queries.extend(options::bench_queries(
            SEMANTIC_QUERIES,
            std::path::Path::new("built-in semantic queries"),
        )?);
    }
    let embedder = if queries.iter().any(|q| q.options.semantic.is_some()) {
        Some(query_embedder(ctx, &index)?)
    } else {
        None
    };
    let report = bench(
        &index,
        &queries,
        args.iterations,
        args.warmup,
        embedder.as_ref(),
    )?;
    for q in report.per_query.iter().filter(|q| q.total_hits == 0) {
        note(format!(
            "warning: {}: `{}` matches nothing in {}; its timings measure an empty search",
            q.origin,
            q.query,
            ctx.shown_dir()
        ));
    }
    let mut out = ctx.output(args.output.format());
    out.bench(&report, &ctx.shown_dir())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::bench::Class;

    #[test]
    fn the_builtin_queries_parse_into_every_class() {
        let qs = options::bench_queries(BUILTIN_QUERIES, std::path::Path::new("built-in")).unwrap();
        let classes: BTreeSet<Class> = qs.iter().map(|q| q.class).collect();
        assert_eq!(classes.len(), 5);
        let hot = qs.iter().find(|q| q.line == "\"hot pursuit\"").unwrap();
        assert_eq!(hot.class, Class::Phrase);
        assert_eq!(hot.options.query, "\"hot pursuit\"");
        assert!(hot.origin.starts_with("built-in:"));
    }

    #[test]
    fn the_semantic_queries_are_classed_by_how_they_rank() {
        let qs =
            options::bench_queries(SEMANTIC_QUERIES, std::path::Path::new("built-in")).unwrap();
        let classes: BTreeSet<Class> = qs.iter().map(|q| q.class).collect();
        assert_eq!(classes, BTreeSet::from([Class::Hybrid, Class::Semantic]));
        assert!(qs.iter().all(|q| q.options.semantic.is_some()));
    }
}
