//! `durand timeline [QUERY]`: documents, stories, incidents or the killed per period.

use std::collections::HashSet;
use std::process::ExitCode;

use super::search::open_or_build;
use super::{Context, note, options};
use crate::cli::{TimelineArgs, TimelineBy, TimelineMetric};
use crate::incidents::timeline::{Metric, Period, timeline};
use crate::search::filter_notes;
use crate::search::reports::{incidents_matching, matching_documents};

pub(crate) fn run(ctx: &Context, args: TimelineArgs) -> anyhow::Result<ExitCode> {
    let filters = options::filters(&args.filters)?;
    let index = open_or_build(ctx)?;
    for n in filter_notes(&index, &filters)? {
        note(n);
    }
    let query = args.query.join(" ");
    let window = (filters.from, filters.to);
    let by = match args.by {
        TimelineBy::Day => Period::Day,
        TimelineBy::Week => Period::Week,
        TimelineBy::Month => Period::Month,
        TimelineBy::Year => Period::Year,
    };
    let t = match args.metric {
        TimelineMetric::Documents => {
            let docs = matching_documents(&index, &query, &filters, false)?;
            timeline(
                docs.iter().map(|d| (d.date, 1)),
                by,
                Metric::Documents,
                window,
            )
        }
        TimelineMetric::Stories => {
            // A story counts once, at its earliest dated report (undated only when none is).
            let mut docs = matching_documents(&index, &query, &filters, false)?;
            docs.sort_by_key(|d| (d.date.is_none(), d.date.map(|d| d.bounds().0)));
            let mut seen = HashSet::new();
            let first: Vec<_> = docs.into_iter().filter(|d| seen.insert(d.story)).collect();
            timeline(
                first.iter().map(|d| (d.date, 1)),
                by,
                Metric::Stories,
                window,
            )
        }
        TimelineMetric::Incidents | TimelineMetric::Killed => {
            // Follow-ups add no incident and no figure: not gathered.
            let found = incidents_matching(&index, &query, &filters, false)?;
            let killed = args.metric == TimelineMetric::Killed;
            let items = found.iter().map(|i| {
                let date = i
                    .date
                    .as_deref()
                    .and_then(crate::date::PartialDate::parse_iso);
                let value = if killed {
                    u64::from(i.killed.best.unwrap_or(0))
                } else {
                    1
                };
                (date, value)
            });
            let metric = if killed {
                Metric::Killed
            } else {
                Metric::Incidents
            };
            timeline(items, by, metric, window)
        }
    };
    let t = t.map_err(|e| {
        anyhow::anyhow!("{e}; narrow --from/--to or count by a longer period (--by)")
    })?;
    let mut out = ctx.paged_output(args.output.format());
    out.timeline(&t)?;
    out.flush()?;
    Ok(if t.total == 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
