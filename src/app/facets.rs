//! `durand facets [FIELD]`: every value of a facet in the collection with its document count.

use std::io::Write;
use std::process::ExitCode;

use super::Context;
use super::search::open_or_build;
use crate::cli::{FacetField, FacetsArgs};
use crate::render::{json, terminal};
use crate::search::{Filters, collection_facets, filter_notes};

pub(crate) fn run(ctx: &Context, args: FacetsArgs) -> anyhow::Result<ExitCode> {
    let filters = Filters::try_from(&args.filters)?;
    let index = open_or_build(ctx)?;
    for n in filter_notes(&index, &filters) {
        super::note(n);
    }
    let counts = collection_facets(&index, &filters)?;
    let fields: Vec<&str> = match args.field {
        Some(f) => vec![f.name()],
        None => [
            FacetField::Province,
            FacetField::Group,
            FacetField::Force,
            FacetField::Year,
        ]
        .iter()
        .map(|f| f.name())
        .collect(),
    };
    let mut out = ctx.stdout(ctx.color && !args.json);
    let empty = fields
        .iter()
        .all(|f| counts.field(f).is_none_or(<[_]>::is_empty));
    if args.json {
        json::write(&mut out, &json::Facets::new(&counts, &fields))?;
    } else {
        terminal::facet_lists(&mut out, &counts, &fields)?;
    }
    out.flush()?;
    Ok(if empty {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
