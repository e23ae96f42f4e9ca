//! Counts over time: documents, stories, incidents or the killed per day, week, month or
//! year, every period between the first and the last present — or of the window asked for —
//! empty ones as zero.

use serde::Serialize;

use crate::date::PartialDate;

/// The width of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    Day,
    Week,
    Month,
    Year,
}

impl Period {
    /// The name in output (as serialised).
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
            Period::Year => "year",
        }
    }
}

/// What a bar counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Metric {
    Documents,
    Stories,
    Incidents,
    Killed,
}

impl Metric {
    /// The unit, as the chart states it.
    pub fn unit(self) -> &'static str {
        match self {
            Metric::Documents => "documents",
            Metric::Stories => "stories (near-duplicate reports counted once)",
            Metric::Incidents => "incidents",
            Metric::Killed => "killed (best figure of each incident)",
        }
    }
}

/// One period and its count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bucket {
    /// The first day of the period (ISO 8601).
    pub start: String,
    /// How the period is labelled (`2023-01`, `2023-W05`, `2023`).
    pub label: String,
    pub value: u64,
}

/// A timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Timeline {
    pub by: Period,
    pub metric: Metric,
    pub unit: &'static str,
    pub total: u64,
    /// Items without a date precise enough for the period, left out.
    pub undated: u64,
    pub buckets: Vec<Bucket>,
}

/// The first day of the period holding `d`, or `None` when `d` is less precise than it.
fn period_start(d: &PartialDate, by: Period) -> Option<jiff::civil::Date> {
    let precise_enough = match by {
        Period::Year => true,
        Period::Month => d.month.is_some(),
        Period::Day | Period::Week => d.day.is_some(),
    };
    if !precise_enough {
        return None;
    }
    days_of(d).and_then(|(first, _)| start_of(first, by))
}

/// The first day of the period holding `date`.
fn start_of(date: jiff::civil::Date, by: Period) -> Option<jiff::civil::Date> {
    match by {
        Period::Year => Some(date.first_of_year()),
        Period::Month => Some(date.first_of_month()),
        Period::Day => Some(date),
        Period::Week => {
            let back = date.weekday().to_monday_zero_offset();
            date.checked_sub(jiff::Span::new().days(i64::from(back)))
                .ok()
        }
    }
}

/// The first and the last day a date covers ("2023-02": 1 and 28 February).
fn days_of(d: &PartialDate) -> Option<(jiff::civil::Date, jiff::civil::Date)> {
    let first =
        jiff::civil::Date::new(d.year, d.month.unwrap_or(1) as i8, d.day.unwrap_or(1) as i8)
            .ok()?;
    let last = match (d.month, d.day) {
        (Some(_), Some(_)) => first,
        (Some(_), None) => first.last_of_month(),
        _ => jiff::civil::Date::new(d.year, 12, 31).ok()?,
    };
    Some((first, last))
}

fn next(start: jiff::civil::Date, by: Period) -> Option<jiff::civil::Date> {
    let span = match by {
        Period::Day => jiff::Span::new().days(1),
        Period::Week => jiff::Span::new().weeks(1),
        Period::Month => jiff::Span::new().months(1),
        Period::Year => jiff::Span::new().years(1),
    };
    start.checked_add(span).ok()
}

fn label(start: jiff::civil::Date, by: Period) -> String {
    match by {
        Period::Day => start.to_string(),
        Period::Week => {
            let week = start.iso_week_date();
            format!("{}-W{:02}", week.year(), week.week())
        }
        Period::Month => format!("{:04}-{:02}", start.year(), start.month()),
        Period::Year => format!("{:04}", start.year()),
    }
}

/// The most periods a timeline holds.
pub const MAX_BUCKETS: usize = 100_000;

/// A span with more periods than a timeline holds.
#[derive(Debug, thiserror::Error)]
#[error(
    "a timeline by {} from {first} to {last} would have more than {MAX_BUCKETS} periods",
    by.as_str()
)]
pub struct TooManyPeriods {
    pub by: Period,
    pub first: jiff::civil::Date,
    pub last: jiff::civil::Date,
}

/// Sums `items` (a date and a value each) per period. The periods run from the first item's
/// to the last's; an end of `window` (the dates the items were filtered by) given moves
/// that end out to it, so a quiet start or end of the window shows as zeros. A span of more
/// than [`MAX_BUCKETS`] periods is an error, not a cut timeline.
pub fn timeline(
    items: impl IntoIterator<Item = (Option<PartialDate>, u64)>,
    by: Period,
    metric: Metric,
    window: (Option<PartialDate>, Option<PartialDate>),
) -> Result<Timeline, TooManyPeriods> {
    let mut sums: std::collections::BTreeMap<jiff::civil::Date, u64> = Default::default();
    let (mut total, mut undated) = (0, 0);
    for (date, value) in items {
        match date.as_ref().and_then(|d| period_start(d, by)) {
            Some(start) => {
                *sums.entry(start).or_insert(0) += value;
                total += value;
            }
            None => undated += value,
        }
    }
    let from = window
        .0
        .and_then(|d| days_of(&d))
        .and_then(|(first, _)| start_of(first, by));
    let to = window
        .1
        .and_then(|d| days_of(&d))
        .and_then(|(_, last)| start_of(last, by));
    let mut buckets = Vec::new();
    if let (Some(first), Some(last)) = (
        from.or_else(|| sums.keys().next().copied()),
        to.or_else(|| sums.keys().next_back().copied()),
    ) {
        let mut at = Some(first);
        while let Some(start) = at.filter(|s| *s <= last) {
            if buckets.len() >= MAX_BUCKETS {
                return Err(TooManyPeriods { by, first, last });
            }
            buckets.push(Bucket {
                start: start.to_string(),
                label: label(start, by),
                value: sums.get(&start).copied().unwrap_or(0),
            });
            at = next(start, by);
        }
    }
    Ok(Timeline {
        by,
        metric,
        unit: metric.unit(),
        total,
        undated,
        buckets,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<PartialDate> {
        PartialDate::parse_iso(s)
    }

    #[test]
    fn periods_fill_the_gaps_and_imprecise_dates_are_left_out() {
        let t = timeline(
            [
                (d("2023-01-30"), 1),
                (d("2023-03-02"), 2),
                (d("2023"), 5),
                (None, 1),
            ],
            Period::Month,
            Metric::Documents,
            (None, None),
        )
        .unwrap();
        let labels: Vec<(&str, u64)> = t
            .buckets
            .iter()
            .map(|b| (b.label.as_str(), b.value))
            .collect();
        assert_eq!(labels, vec![("2023-01", 1), ("2023-02", 0), ("2023-03", 2)]);
        assert_eq!((t.total, t.undated), (3, 6));
        let years = timeline(
            [(d("2023"), 5), (d("2021-06-01"), 1)],
            Period::Year,
            Metric::Killed,
            (None, None),
        )
        .unwrap();
        assert_eq!(years.buckets.len(), 3);
        assert_eq!(years.total, 6);
    }

    #[test]
    fn weeks_start_on_monday_and_are_labelled_by_iso_week() {
        // 2023-01-30 was a Monday; 2023-02-05 a Sunday.
        let t = timeline(
            [(d("2023-02-05"), 1), (d("2023-01-30"), 1)],
            Period::Week,
            Metric::Incidents,
            (None, None),
        )
        .unwrap();
        assert_eq!(t.buckets.len(), 1);
        assert_eq!(t.buckets[0].start, "2023-01-30");
        assert_eq!(t.buckets[0].label, "2023-W05");
        assert_eq!(t.buckets[0].value, 2);
    }

    #[test]
    fn a_window_given_is_covered_to_its_ends() {
        let labels =
            |t: &Timeline| -> Vec<String> { t.buckets.iter().map(|b| b.label.clone()).collect() };
        // 2023-03-31 is a Friday of week 13.
        let t = timeline(
            [(d("2023-02-08"), 1)],
            Period::Week,
            Metric::Documents,
            (d("2023-01"), d("2023-03")),
        )
        .unwrap();
        let weeks = labels(&t);
        assert_eq!(weeks.first().map(String::as_str), Some("2022-W52"));
        assert_eq!(weeks.last().map(String::as_str), Some("2023-W13"));
        assert_eq!(t.buckets.iter().map(|b| b.value).sum::<u64>(), 1);
        // One end given: the other is the data's; nothing found and a whole window: zeros.
        let t = timeline(
            [(d("2023-02-08"), 1)],
            Period::Month,
            Metric::Documents,
            (d("2022-12-15"), None),
        )
        .unwrap();
        assert_eq!(labels(&t), vec!["2022-12", "2023-01", "2023-02"]);
        let t = timeline(
            std::iter::empty(),
            Period::Year,
            Metric::Incidents,
            (d("2020"), d("2022")),
        )
        .unwrap();
        assert_eq!(labels(&t), vec!["2020", "2021", "2022"]);
        assert_eq!(t.total, 0);
        // More days than a timeline holds: an error that says what to do, not a cut.
        let e = timeline(
            [(d("2023-02-08"), 1)],
            Period::Day,
            Metric::Documents,
            (d("1000"), d("2999")),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("more than 100000 periods") && !e.contains("--"),
            "{e}"
        );
    }
}
