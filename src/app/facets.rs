//! `durand facets [FIELD]`: every value of a facet in the collection with its document count.

use std::process::ExitCode;

use super::search::open_or_build;
use super::{Context, note, options};
use crate::cli::FacetsArgs;
use crate::search::{collection_facets, filter_notes};

pub(crate) fn run(ctx: &Context, args: FacetsArgs) -> anyhow::Result<ExitCode> {
    let filters = options::filters(&args.filters)?;
    let fields = options::facet_fields(&args);
    let index = open_or_build(ctx)?;
    for n in filter_notes(&index, &filters)? {
        note(n);
    }
    let counts = collection_facets(&index, &filters, !args.no_collapse)?;
    let empty = fields.iter().all(|f| counts.field(*f).is_empty());
    let mut out = ctx.paged_output(args.output.format());
    out.facets(&counts, &fields)?;
    out.flush()?;
    Ok(if empty {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
