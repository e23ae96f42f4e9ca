//! `durand events [QUERY]`: the incidents the matching reports describe, newest first.

use std::process::ExitCode;

use super::search::open_or_build;
use super::{Context, note, options};
use crate::cli::{EventSort, EventsArgs};
use crate::incidents::sort;
use crate::search::filter_notes;
use crate::search::reports::incidents_matching;

pub(crate) fn run(ctx: &Context, args: EventsArgs) -> anyhow::Result<ExitCode> {
    let filters = options::filters(&args.filters)?;
    let index = open_or_build(ctx)?;
    for n in filter_notes(&index, &filters)? {
        note(n);
    }
    let mut all = incidents_matching(&index, &args.query.join(" "), &filters, true)?;
    sort(&mut all, args.sort == EventSort::Killed);
    let total = all.len();
    all.truncate(args.limit);
    let mut out = ctx.paged_output(args.output.format());
    out.events(&all, total)?;
    out.flush()?;
    Ok(if total == 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
