//! `durand facets [FIELD]`: every value of a facet in the collection with its document count.

use std::process::ExitCode;

use super::search::open_or_build;
use super::{Context, note, options};
use crate::cli::FacetsArgs;
use crate::search::{FacetCounts, FacetField, collection_facets, filter_notes};

pub(crate) fn run(ctx: &Context, args: FacetsArgs) -> anyhow::Result<ExitCode> {
    let filters = options::filters(&args.filters)?;
    let fields = options::facet_fields(&args);
    if let Some(remote) = super::remote::remote_of(&args.remote)? {
        let vocabulary = super::remote::vocabulary(ctx);
        let counts =
            crate::remote::search::facets(&remote, &filters, !args.no_collapse, &vocabulary)?;
        return print(ctx, &args, &counts, &fields);
    }
    let index = open_or_build(ctx)?;
    for n in filter_notes(&index, &filters)? {
        note(n);
    }
    let counts = collection_facets(&index, &filters, !args.no_collapse)?;
    print(ctx, &args, &counts, &fields)
}

fn print(
    ctx: &Context,
    args: &FacetsArgs,
    counts: &FacetCounts,
    fields: &[FacetField],
) -> anyhow::Result<ExitCode> {
    let empty = fields.iter().all(|f| counts.field(*f).is_empty());
    let mut out = ctx.paged_output(args.output.format());
    out.facets(counts, fields)?;
    out.flush()?;
    Ok(if empty {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
