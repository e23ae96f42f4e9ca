//! Dates as the collection writes them ("22 December 2014", "December 29, 2024", "Dec. 22",
//! "2014-12-22", "December 2014", "October of 2021", "13.08.2011" day first), normalised to ISO 8601 with their
//! precision.
//!
//! The cleaner uses this to read datelines and infobox dates, the corpus reader to read
//! front-matter and JSONL `date` values, and the tagger to find every date a passage mentions.
//! Validity (no 31 February) is checked with `jiff`; the clock is never consulted.

use std::fmt;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

/// How much of a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Year,
    Month,
    Day,
}

impl Precision {
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Year => "year",
            Precision::Month => "month",
            Precision::Day => "day",
        }
    }
}

/// A calendar date known to year, month or day precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: i16,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PartialDate {
    /// Days since 1970-01-01 of a day-precise date.
    pub fn day_number(&self) -> Option<i32> {
        let (m, day) = (self.month?, self.day?);
        let date = jiff::civil::Date::new(self.year, m as i8, day as i8).ok()?;
        date.since(jiff::civil::date(1970, 1, 1))
            .ok()
            .map(|s| s.get_days())
    }

    /// The day `n` days after 1970-01-01 (the inverse of [`PartialDate::day_number`]).
    pub fn from_day_number(n: i32) -> Option<Self> {
        let date = jiff::civil::date(1970, 1, 1)
            .checked_add(jiff::Span::new().try_days(n).ok()?)
            .ok()?;
        PartialDate::new(
            i32::from(date.year()),
            Some(date.month() as u8),
            Some(date.day() as u8),
        )
    }

    pub fn year(year: i16) -> Self {
        PartialDate {
            year,
            month: None,
            day: None,
        }
    }

    /// Builds a date, rejecting impossible ones (month 13, 31 April, years outside 1000–2999).
    pub fn new(year: i32, month: Option<u8>, day: Option<u8>) -> Option<Self> {
        if !(1000..=2999).contains(&year) {
            return None;
        }
        match (month, day) {
            (None, None) => {}
            (Some(m), None) if (1..=12).contains(&m) => {}
            (Some(m), Some(d)) => {
                jiff::civil::Date::new(year as i16, m as i8, d as i8).ok()?;
            }
            _ => return None,
        }
        Some(PartialDate {
            year: year as i16,
            month,
            day,
        })
    }

    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (Some(_), Some(_)) => Precision::Day,
            (Some(_), None) => Precision::Month,
            _ => Precision::Year,
        }
    }

    /// ISO 8601 at this date's precision: `2014`, `2014-12`, `2014-12-22`.
    pub fn iso(&self) -> String {
        self.to_string()
    }

    /// Parses the ISO forms written by [`PartialDate::iso`].
    pub fn parse_iso(s: &str) -> Option<Self> {
        let mut parts = s.trim().splitn(3, '-');
        let year: i32 = parts.next()?.parse().ok()?;
        let month = parts.next().map(|m| m.parse::<u8>()).transpose().ok()?;
        let day = parts.next().map(|d| d.parse::<u8>()).transpose().ok()?;
        PartialDate::new(year, month, day)
    }

    /// The date whose [`bounds`](Self::bounds) are `lo..=hi` (a day, a month or a year), if
    /// they are one.
    pub fn from_bounds(lo: u64, hi: u64) -> Option<Self> {
        let (year, month, day) = (lo / 10_000, lo / 100 % 100, lo % 100);
        let year = i32::try_from(year).ok()?;
        let date = if lo == hi {
            PartialDate::new(year, Some(month as u8), Some(day as u8))?
        } else if lo % 10_000 == 101 && hi == year as u64 * 10_000 + 1231 {
            PartialDate::new(year, None, None)?
        } else {
            PartialDate::new(year, Some(month as u8), None)?
        };
        (date.bounds() == (lo, hi)).then_some(date)
    }

    /// Inclusive bounds as `YYYYMMDD` numbers, for range filters on partial dates.
    pub fn bounds(&self) -> (u64, u64) {
        let y = self.year as u64 * 10_000;
        match (self.month, self.day) {
            (Some(m), Some(d)) => {
                let v = y + m as u64 * 100 + d as u64;
                (v, v)
            }
            (Some(m), None) => (y + m as u64 * 100 + 1, y + m as u64 * 100 + 31),
            _ => (y + 101, y + 1231),
        }
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

/// A date found in text. `year` is `None` for "January 7" until context supplies one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DateMatch {
    pub range: Range<usize>,
    pub year: Option<i16>,
    pub month: Option<u8>,
    pub day: Option<u8>,
    /// A starting point the text looks back to ("since 2021", "since the Taliban regained
    /// power in 2021"): a date in the past of the text, never its own date.
    pub since: bool,
}

impl DateMatch {
    /// The date with its own year, if it has one.
    pub fn explicit(&self) -> Option<PartialDate> {
        PartialDate::new(self.year? as i32, self.month, self.day)
    }
}

/// The months' names, lower case: the one list the date finder and the extractors share.
pub(crate) const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The number (1–12) of a month's name or its abbreviation ("Sep", "sept"), in any case.
pub(crate) fn month_number(name: &str) -> Option<u8> {
    // Compared without allocating: the extractors ask this of many words.
    let short = name.len() == 3 || name.eq_ignore_ascii_case("sept");
    let i = MONTHS.iter().position(|m| {
        m.eq_ignore_ascii_case(name)
            || short
                && m.get(..name.len())
                    .is_some_and(|p| p.eq_ignore_ascii_case(name))
    })?;
    u8::try_from(i + 1).ok()
}

/// The months as dates write them, capitalised, longest first where one begins another:
/// `January|…|December|Sept|Jan|…|Dec`.
fn month_alternatives() -> String {
    let capital = |m: &str| m[..1].to_ascii_uppercase() + &m[1..];
    let full = MONTHS.iter().map(|m| capital(m));
    let short = MONTHS
        .iter()
        .filter(|m| m.len() > 3)
        .map(|m| capital(&m[..3]));
    full.chain(["Sept".to_string()])
        .chain(short)
        .collect::<Vec<_>>()
        .join("|")
}

static DATE_RE: LazyLock<Regex> = LazyLock::new(|| {
    let m = month_alternatives();
    let pattern = [
        // 2014-12-22 (a time after it is ignored)
        r"(?-u:\b)(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})(?:T|(?-u:\b))".to_string(),
        // 22 December 2014, 22nd Dec. 2014, 15th of March, 2016
        format!(r"(?-u:\b)(?P<d1>\d{{1,2}})(?:(?:st|nd|rd|th)\s+of\s+|(?:st|nd|rd|th)?\s+)(?P<m1>{m})(?-u:\b)\.?(?:,\s*|\s+)(?P<y1>\d{{4}})(?-u:\b)"),
        // 13.08.2011, 11/03/2016: day first, as Pakistani and British documents write them
        // (month first only when the second number cannot be a month, 12/25/2016, and in
        // "9/11/2001", September 11th as "9/11" is)
        r"(?-u:\b)(?P<n1>\d{1,2})(?P<s1>[./])(?P<n2>\d{1,2})(?P<s2>[./])(?P<ny>\d{4})(?-u:\b)".to_string(),
        // December 29, 2024 / Dec. 29 2024 / July15, 2017 (a missing space)
        format!(r"(?-u:\b)(?P<m2>{m})\.?\s*(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?:,\s*|\s+)(?P<y2>\d{{4}})(?-u:\b)"),
        // December 2014, October of 2021
        format!(r"(?-u:\b)(?P<m3>{m})(?-u:\b)\.?,?\s+(?:of\s+)?(?P<y3>\d{{4}})(?-u:\b)"),
        // 2014-12
        r"(?-u:\b)(?P<ym_y>\d{4})-(?P<ym_m>\d{2})(?-u:\b)".to_string(),
        // January 7, Dec. 22 (no year)
        format!(r"(?-u:\b)(?P<m4>{m})(?-u:\b)\.?\s+(?P<d4>\d{{1,2}})(?:st|nd|rd|th)?(?-u:\b)"),
        // 17 December, 17th of December (no year)
        format!(r"(?-u:\b)(?P<d5>\d{{1,2}})(?:(?:st|nd|rd|th)\s+of\s+|(?:st|nd|rd|th)?\s+)(?P<m5>{m})(?-u:\b)"),
        // 9/11, the attacks of 11 September 2001
        r"(?-u:\b)(?P<nine_eleven>9/11)(?-u:\b)".to_string(),
        // a bare year, checked for context below
        r"(?-u:\b)(?P<by>(?:1[6-9]|20)\d{2})(?-u:\b)".to_string(),
        // a year run into the word before or after it, as scraped pages run a heading into
        // its paragraph ("Big Fights1999 was", "India 1996Semi-Final"): after three
        // lower-case letters, or before a capitalised word
        r"[a-z]{3}(?P<gy>(?:19|20)\d{2})(?-u:\b)".to_string(),
        r"(?-u:\b)(?P<gr>(?:19|20)\d{2})[A-Z][a-z]".to_string(),
    ]
    .join("|");
    Regex::new(&pattern).expect("date pattern compiles")
});

/// Words before a four-digit number that make it a quantity or a label, not a year ("over
/// 2000 people", "Rs 1500", "Resolution 2593").
const NOT_YEAR_BEFORE: &[&str] = &[
    "over",
    "about",
    "nearly",
    "around",
    "some",
    "approximately",
    "roughly",
    "than",
    "least",
    "almost",
    "total",
    "estimated",
    "rs",
    "pkr",
    "usd",
    "number",
    "no",
    "resolution",
    "section",
    "article",
    "clause",
    "rule",
    "page",
    "room",
    "flat",
    "plot",
    "route",
    "code",
    "flight",
    "model",
    "only",
    "just",
    "up",
];
/// Words after a four-digit number that make it a count ("2000 soldiers").
const NOT_YEAR_AFTER: &[&str] = &[
    "people",
    "persons",
    "soldiers",
    "troops",
    "militants",
    "civilians",
    "families",
    "votes",
    "rupees",
    "dollars",
    "km",
    "kilometres",
    "kilometers",
    "miles",
    "metres",
    "meters",
    "feet",
    "ft",
    "hectares",
    "acres",
    "tonnes",
    "tons",
    "barrels",
    "cases",
    "deaths",
    "members",
    "students",
    "children",
    "women",
    "men",
    "refugees",
    "houses",
    "homes",
    "shops",
    "vehicles",
    "posts",
    "killed",
    "injured",
    "mw",
    "megawatts",
    "points",
    "runs",
    "seats",
    "employees",
    "workers",
    "teachers",
    "policemen",
    "personnel",
    "officials",
    "pilgrims",
    "units",
    "others",
    "kg",
    "litres",
    "bags",
    "crore",
    "lakh",
    "million",
    "billion",
    "candidates",
    "schools",
    "villages",
    "prisoners",
    "migrants",
    "afghans",
    "passengers",
];

/// Whether a four-digit number between 1600 and 2099 is a year here. It is, unless it reads
/// as a quantity, an amount or a label, or is part of a longer number.
fn bare_year_in_context(text: &str, range: &Range<usize>) -> bool {
    let before = &text[..range.start];
    let after = &text[range.end..];
    // "2,014" or "1.2014" or "2014/15" style numbers are not years on their own.
    if before.ends_with([',', '.', '$', '#', '/', '£', '€'])
        || after.starts_with([',', '/', '.'])
            && after[1..].starts_with(|c: char| c.is_ascii_digit())
        || after.trim_start().starts_with(['%', '$'])
    {
        return false;
    }
    let prev = before
        .trim_end()
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
        .to_lowercase();
    let next = after
        .trim_start()
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
        .to_lowercase();
    !NOT_YEAR_BEFORE.contains(&prev.as_str()) && !NOT_YEAR_AFTER.contains(&next.as_str())
}

/// Whether a range lies inside a web address (a word holding `://` or starting `www.`).
fn in_url(text: &str, range: &Range<usize>) -> bool {
    let start = crate::text::after_last(&text[..range.start], char::is_whitespace);
    let end = text[range.end..]
        .find(char::is_whitespace)
        .map_or(text.len(), |i| range.end + i);
    let word = &text[start..end];
    word.contains("://") || word.starts_with("www.")
}

/// Finds every date written in `text`, with or without a year.
pub(crate) fn find_dates(text: &str) -> Vec<DateMatch> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(caps) = DATE_RE.captures_at(text, pos) {
        let whole = caps.get(0).expect("group 0");
        // A year run into the next word: that word's letters may start a date of their own.
        pos = caps.name("gr").map_or(whole.end(), |g| g.end());
        // "Rs1.5 December 06, 2023", "75.7 0 December 16, 2023": a number that cannot be
        // the day of the month after it leaves the month to be read again.
        if let Some(month) = caps.name("m1").or_else(|| caps.name("m5"))
            && not_a_day(text, &caps)
        {
            pos = month.start();
            continue;
        }
        if let Some(end) = date_at(text, &caps, &mut out) {
            pos = pos.max(end);
        }
    }
    out
}

/// Whether the number before a month in a day-first match cannot be its day: 0 or above
/// 31, or the decimals of an amount ("Rs1.5 December").
fn not_a_day(text: &str, caps: &regex::Captures) -> bool {
    let Some(day) = caps.name("d1").or_else(|| caps.name("d5")) else {
        return false;
    };
    let b = text.as_bytes();
    let at = day.start();
    !day.as_str()
        .parse()
        .is_ok_and(|d: u8| (1..=31).contains(&d))
        || at >= 2 && matches!(b[at - 1], b'.' | b',') && b[at - 2].is_ascii_digit()
}

/// The day before or after a date that makes a range or list of days with it: "9-13 Oct",
/// "7 and 10 November" (the first day, before a day-first date) and "December 25 to 29"
/// (the last, after a month-first one), with the year when the phrase ends in one
/// ("December 25-29, 2023"). Returns the other day's range, the day, and the year.
fn range_day(text: &str, range: &Range<usize>, day: u8, month_first: bool) -> Option<RangeDay> {
    static BEFORE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:^|[^\d.,/:])(?P<day>\d{1,2})(?:st|nd|rd|th)?\s*(?:-|–|to|and|&)\s*$")
            .expect("range pattern compiles")
    });
    static AFTER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^\s*(?:-|–|to|and|&)\s*(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<year>(?:19|20)\d{2}))?(?P<tail>\s*(?:[.,;:)!?]|$|\s(?:in|at|on|for|with|from|during|after|before|when|while|as|and|but|this|last|next|respectively)\b))",
        )
        .expect("range pattern compiles")
    });
    let other = if month_first {
        let caps = AFTER.captures(&text[range.end..])?;
        // "March 3 - 11:30 am", "December 5, 2023 - 10:45 PM": a clock, not a day.
        let tail = caps.name("tail")?;
        if text[range.end + tail.end()..].starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        let day = caps.name("day")?;
        let year = caps.name("year");
        RangeDay {
            range: range.end + day.start()..range.end + day.end(),
            day: day.as_str().parse().ok()?,
            year: year.and_then(|y| y.as_str().parse().ok()),
            end: range.end + year.map_or(day.end(), |y| y.end()),
        }
    } else {
        let from = text.floor_char_boundary(range.start.saturating_sub(12));
        let caps = BEFORE.captures(&text[from..range.start])?;
        let day = caps.name("day")?;
        RangeDay {
            range: from + day.start()..from + day.end(),
            day: day.as_str().parse().ok()?,
            year: None,
            end: range.start,
        }
    };
    // A range runs forward ("9-13", not "13-9"), within the month.
    let ordered = if month_first {
        other.day > day
    } else {
        other.day < day
    };
    (ordered && (1..=31).contains(&other.day)).then_some(other)
}

/// The other day of a range of days ([`range_day`]).
struct RangeDay {
    range: Range<usize>,
    day: u8,
    year: Option<i16>,
    /// Where the range phrase ends (after the last day and its year).
    end: usize,
}

/// Reads the date (or dates, for a range of days) that `caps` matched into `out`. Returns
/// where reading goes on when it read past the match (a range's last day and its year).
fn date_at(text: &str, caps: &regex::Captures, out: &mut Vec<DateMatch>) -> Option<usize> {
    let whole = caps.get(0).expect("group 0");
    let mut range = whole.range();
    if whole.as_str().ends_with('T') {
        range.end -= 1;
    }
    let day_first = caps.name("m1").is_some() || caps.name("m5").is_some();
    let month_first = caps.name("m2").is_some() || caps.name("m4").is_some();
    let num = |name: &str| caps.name(name).and_then(|m| m.as_str().parse::<i32>().ok());
    let month = |name: &str| caps.name(name).and_then(|m| month_number(m.as_str()));
    let (year, m, d) = if let Some(y) = num("iy") {
        (
            Some(y),
            num("im").map(|v| v as u8),
            num("id").map(|v| v as u8),
        )
    } else if let Some(y) = num("y1") {
        (Some(y), month("m1"), num("d1").map(|v| v as u8))
    } else if let Some(y) = num("ny") {
        let (a, b) = (num("n1").unwrap_or(0), num("n2").unwrap_or(0));
        let slash = caps.name("s1").is_some_and(|m| m.as_str() == "/");
        // "1.5/2016" is not a date, nor a notification number ("No. 2/4/2016-Admin")
        if caps.name("s1").map(|m| m.as_str()) != caps.name("s2").map(|m| m.as_str())
            || !(1900..=2099).contains(&y)
            || text[range.end..]
                .strip_prefix('-')
                .is_some_and(|rest| rest.starts_with(|c: char| c.is_alphabetic()))
        {
            return None;
        }
        // "9/11/2001" is September 11th, as "9/11" is.
        let (day, month) = if slash && (a, b) == (9, 11) || a <= 12 && b > 12 {
            (b, a)
        } else {
            (a, b)
        };
        (Some(y), Some(month as u8), Some(day as u8))
    } else if let Some(y) = num("y2") {
        (Some(y), month("m2"), num("d2").map(|v| v as u8))
    } else if let Some(y) = num("y3") {
        // "November, December and January 2023-24": a season spanning two years, no month
        let next = format!("{:02}", (y + 1) % 100);
        if text[range.end..]
            .strip_prefix(['-', '–'])
            .and_then(|rest| rest.strip_prefix(next.as_str()))
            .is_some_and(|rest| !rest.starts_with(|c: char| c.is_ascii_digit()))
        {
            return None;
        }
        (Some(y), month("m3"), None)
    } else if let Some(y) = num("ym_y") {
        // "in 2005-06", "fiscal year 2011-12": a span of two years (not counted, as fiscal
        // years are not), not June 2005
        if num("ym_m") == Some((y + 1) % 100) {
            return None;
        }
        (Some(y), num("ym_m").map(|v| v as u8), None)
    } else if caps.name("m4").is_some() {
        (None, month("m4"), num("d4").map(|v| v as u8))
    } else if caps.name("m5").is_some() {
        // "the Rungrado 1st of May Stadium" names a place, not a day
        let named = whole.as_str().contains(" of ")
            && text[range.end..]
                .strip_prefix(' ')
                .is_some_and(|rest| rest.starts_with(|c: char| c.is_uppercase()));
        if named {
            return None;
        }
        (None, month("m5"), num("d5").map(|v| v as u8))
    } else if caps.name("nine_eleven").is_some() {
        (Some(2001), Some(9), Some(11))
    } else if let Some(y) = num("by") {
        if !bare_year_in_context(text, &range) {
            return None;
        }
        (Some(y), None, None)
    } else if let Some(glued) = caps.name("gy").or_else(|| caps.name("gr")) {
        range = glued.range();
        // Not in an address, a handle or a file name ("john2019@mail.com", "report2019.pdf").
        let word_start = text[..range.start]
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8());
        let word_end = text[range.end..]
            .find(char::is_whitespace)
            .map_or(text.len(), |i| range.end + i);
        let word = &text[word_start..word_end];
        let extension = text[range.end..]
            .strip_prefix('.')
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_alphabetic()));
        if word.contains(['@', '/', '\\', '_']) || extension || !bare_year_in_context(text, &range)
        {
            return None;
        }
        (glued.as_str().parse::<i32>().ok(), None, None)
    } else {
        return None;
    };
    // "the September 11 attacks" are 2001's.
    let year = match (year, m, d) {
        (None, Some(9), Some(11))
            if text[range.end..]
                .trim_start()
                .get(..6)
                .is_some_and(|w| w.eq_ignore_ascii_case("attack")) =>
        {
            Some(2001)
        }
        _ => year,
    };
    // Numbers inside a web address are not dates ("…/october-13-2023").
    if in_url(text, &range) {
        return None;
    }
    // Validate what can be validated now; yearless dates are checked against a leap year.
    let check_year = year.unwrap_or(2000);
    PartialDate::new(check_year, m, d)?;
    let since = looks_back_from(text, &range);
    let other = d
        .filter(|_| day_first || month_first)
        .and_then(|day| range_day(text, &range, day, month_first))
        // A day already read as part of an earlier date ("March 3 to 15 April": the 3 is
        // March's) is not read again.
        .filter(|o| {
            out.last()
                .is_none_or(|last| o.range.start >= last.range.end)
        });
    let mut dates = vec![DateMatch {
        range,
        year: year.map(|y| y as i16),
        month: m,
        day: d,
        since,
    }];
    let mut resume = None;
    if let Some(other) = other {
        // "December 25-29, 2023": the year at the end is the whole range's.
        dates[0].year = dates[0].year.or(other.year);
        let date = DateMatch {
            range: other.range,
            day: Some(other.day),
            ..dates[0].clone()
        };
        if month_first {
            resume = Some(other.end);
            dates.push(date);
        } else {
            dates.insert(0, date);
        }
    }
    out.extend(dates);
    resume
}

/// Words of the same clause looked at before a date for "since".
const SINCE_WINDOW: usize = 8;
/// Bytes before a date that can hold those words.
const SINCE_BYTES: usize = 256;

/// Whether "since" opens the clause a date closes: within [`SINCE_WINDOW`] words before it
/// and no clause punctuation in between.
fn looks_back_from(text: &str, range: &Range<usize>) -> bool {
    // The clause can only matter within a few words: look at a bounded stretch, so a text
    // without punctuation costs no more per date than any other.
    let from = text.floor_char_boundary(range.start.saturating_sub(SINCE_BYTES));
    let before = &text[from..range.start];
    let clause = before
        .rsplit(['.', ';', ':', ',', '!', '?', '(', '\n'])
        .next()
        .unwrap_or(before);
    clause
        .split_whitespace()
        .rev()
        .take(SINCE_WINDOW)
        .any(|w| w.eq_ignore_ascii_case("since"))
}

/// The date a text is most likely from, judging by what it mentions: the latest of its dates
/// that are not looked back to (`since`), yearless ones resolved as [`resolve_years`] does.
pub(crate) fn latest_date(
    matches: &[DateMatch],
    resolved: &[(Range<usize>, PartialDate)],
) -> Option<PartialDate> {
    let since: std::collections::HashSet<(usize, usize)> = matches
        .iter()
        .filter(|m| m.since)
        .map(|m| (m.range.start, m.range.end))
        .collect();
    resolved
        .iter()
        .filter(|(r, _)| !since.contains(&(r.start, r.end)))
        .map(|(_, d)| *d)
        .max()
}

/// Reads a metadata date value (front matter, JSONL `date`, infobox `Date:`): ISO dates and
/// datetimes, `DD-MM-YYYY` / `DD/MM/YYYY` (day first, as the Pakistani press writes them),
/// or any written form `find_dates` knows. Returns the first date that carries a year.
pub fn parse_date_value(value: &str) -> Option<PartialDate> {
    let v = value.trim();
    static DMY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?-u:\b)").expect("dmy pattern compiles")
    });
    if let Some(c) = DMY.captures(v) {
        let d: u8 = c[1].parse().ok()?;
        let m: u8 = c[2].parse().ok()?;
        let y: i32 = c[3].parse().ok()?;
        return PartialDate::new(y, Some(m), Some(d));
    }
    if v.len() == 4
        && let Ok(y) = v.parse::<i32>()
    {
        return PartialDate::new(y, None, None);
    }
    // A month as metadata writes it, "2005-06", read here: in running text the date finder
    // takes that form for a span of two years
    if let Some((y, m)) = v.split_once('-')
        && y.len() == 4
        && m.len() == 2
        && let (Ok(y), Ok(m)) = (y.parse::<i32>(), m.parse::<u8>())
    {
        return PartialDate::new(y, Some(m), None);
    }
    iso_date(v).or_else(|| find_dates(v).iter().find_map(DateMatch::explicit))
}

/// The shape nearly every feed's metadata has, `2023-01-01` alone or before a time
/// (`2023-01-01 23:02:37+00:00`, `2023-01-01T23:02:37Z`), read without the date finder;
/// anything else, or an impossible date, is left to it.
fn iso_date(v: &str) -> Option<PartialDate> {
    let b = v.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() < 10
        || !(digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10))
        || b.get(10).is_some_and(|c| !matches!(c, b'T' | b' '))
    {
        return None;
    }
    let number = |r: std::ops::Range<usize>| v[r].parse().ok();
    PartialDate::new(
        number(0..4)?,
        Some(number(5..7)? as u8),
        Some(number(8..10)? as u8),
    )
}

/// Gives yearless dates a year: the publication year when known (stepping back a year for a
/// date that would fall more than a month after publication: "December 22" in a January
/// article), else the nearest explicit year mentioned before it, else the latest year the
/// text mentions. Years looked back to ("since 2021") give no context. Dates left without a
/// year are dropped.
pub(crate) fn resolve_years(
    matches: &[DateMatch],
    published: Option<PartialDate>,
    text: &str,
) -> Vec<(Range<usize>, PartialDate)> {
    let mut out = Vec::with_capacity(matches.len());
    let latest_year = matches
        .iter()
        .filter(|m| !m.since)
        .filter_map(|m| m.year)
        .max();
    let mut last_year: Option<i16> = None;
    for (i, m) in matches.iter().enumerate() {
        if let Some(date) = m.explicit() {
            if !m.since {
                last_year = Some(date.year);
            }
            out.push((m.range.clone(), date));
            continue;
        }
        // "between January 4 and January 13, 2011": the year of the phrase.
        if let Some(next) = matches.get(i + 1)
            && let Some(year) = next.year
            && let Some(between) = text.get(m.range.end..next.range.start)
            && joins_a_range(between)
            && let Some(date) = PartialDate::new(year as i32, m.month, m.day)
        {
            out.push((m.range.clone(), date));
            continue;
        }
        let year = match published {
            Some(p) => {
                let mut y = p.year as i32;
                let (month, day) = (m.month.unwrap_or(1) as i32, m.day.unwrap_or(1) as i32);
                let (p_month, p_day) = (p.month.unwrap_or(12) as i32, p.day.unwrap_or(28) as i32);
                // "would be finalised by December 14" in August: this December, a few months
                // ahead, is what the future wording means.
                let near_future = || {
                    within_days(
                        p,
                        y,
                        m.month.unwrap_or(1),
                        m.day.unwrap_or(1),
                        NEAR_FUTURE_DAYS,
                    ) && (speaks_of_future(text, &m.range)
                        || clause_before_has(text, &m.range, &["would"]))
                };
                if month - p_month > 1 && !near_future() {
                    // "December 22" in a January article: last December.
                    y -= 1;
                } else if (month, day) < (p_month, p_day)
                    && (speaks_of_future(text, &m.range)
                        || !speaks_of_past(text, &m.range)
                            && within_days(
                                p,
                                y + 1,
                                m.month.unwrap_or(1),
                                m.day.unwrap_or(1),
                                SOON_DAYS,
                            ))
                {
                    // "elections on February 8" in a December article that says "will",
                    // or "the February 8 elections" in one of 30 December that does not say
                    // "were": next February (a date eleven months back would have its year
                    // written).
                    y += 1;
                }
                Some(y)
            }
            None => last_year.or(latest_year).map(i32::from),
        };
        if let Some(date) = year.and_then(|y| PartialDate::new(y, m.month, m.day)) {
            out.push((m.range.clone(), date));
        }
    }
    out
}

/// How far ahead a yearless date without future wording may still be next year's.
const SOON_DAYS: i64 = 62;
/// How far ahead future wording may put a yearless date that would otherwise be last year's.
const NEAR_FUTURE_DAYS: i64 = 122;

/// Whether the day `month`/`day` of `year` lies at most `days` days after `published` (a
/// day-precise date).
fn within_days(published: PartialDate, year: i32, month: u8, day: u8, days: i64) -> bool {
    let ahead = PartialDate::new(year, Some(month), Some(day))
        .and_then(|d| d.day_number())
        .zip(published.day_number())
        .map(|(to, from)| i64::from(to) - i64::from(from));
    ahead.is_some_and(|ahead| (0..=days).contains(&ahead))
}

/// Whether the text between two dates joins them into one phrase ("and", "to", "-").
fn joins_a_range(between: &str) -> bool {
    matches!(
        between.trim().to_lowercase().as_str(),
        "and" | "to" | "-" | "–" | "—" | "through" | "until" | "till" | "or" | ","
    )
}

/// Words around a date that put it in the future of the text.
const FUTURE_WORDS: &[&str] = &[
    "will",
    "next",
    "scheduled",
    "deadline",
    "upcoming",
    "due",
    "planned",
    "expected",
    "shall",
    "coming",
    "slated",
    "forthcoming",
];

/// Words around a date that put it in the past of the text.
const PAST_WORDS: &[&str] = &["was", "were", "had", "did", "ago", "last", "previous"];

/// Whether the clause around a date speaks of the future.
fn speaks_of_future(text: &str, range: &Range<usize>) -> bool {
    clause_has(text, range, FUTURE_WORDS)
}

/// Whether the clause around a date speaks of the past.
fn speaks_of_past(text: &str, range: &Range<usize>) -> bool {
    clause_has(text, range, PAST_WORDS)
}

/// Whether the clause before a date holds one of `words` (lower case): "would be finalised
/// by December 14", not "On June 3, the minister said he would resign".
fn clause_before_has(text: &str, range: &Range<usize>, words: &[&str]) -> bool {
    let from = text.floor_char_boundary(range.start.saturating_sub(80));
    text[from..range.start]
        .rsplit(['.', ';', '!', '?', ','])
        .next()
        .unwrap_or("")
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| words.contains(&w.to_lowercase().as_str()))
}

/// Whether the clause around a date holds one of `words` (lower case).
fn clause_has(text: &str, range: &Range<usize>, words: &[&str]) -> bool {
    let from = text.floor_char_boundary(range.start.saturating_sub(80));
    let to = text.ceil_char_boundary((range.end + 40).min(text.len()));
    let before = text[from..range.start]
        .rsplit(['.', ';', '!', '?'])
        .next()
        .unwrap_or("");
    let after = text[range.end..to]
        .split(['.', ';', '!', '?'])
        .next()
        .unwrap_or("");
    before
        .split(|c: char| !c.is_alphanumeric())
        .chain(after.split(|c: char| !c.is_alphanumeric()))
        .any(|w| words.contains(&w.to_lowercase().as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// ISO dates read directly are read as the date finder reads them, impossible
        /// ones and other tails included.
        #[test]
        fn iso_metadata_dates_read_as_the_date_finder_reads_them(
            y in 0u32..10_000,
            m in 0u32..14,
            d in 0u32..33,
            tail in proptest::sample::select(&["", "T23:02:37Z", " 23:02:37+00:00", "x", "0", " ", "-05"][..]),
        ) {
            let v = format!("{y:04}-{m:02}-{d:02}{tail}");
            let finder = find_dates(&v).iter().find_map(DateMatch::explicit);
            proptest::prop_assert_eq!(parse_date_value(&v), finder, "{}", v);
        }
    }

    #[test]
    fn bounds_give_back_their_date() {
        for text in ["2023", "2023-02", "2023-02-28", "1999-12-31"] {
            let d = PartialDate::parse_iso(text).unwrap();
            let (lo, hi) = d.bounds();
            assert_eq!(PartialDate::from_bounds(lo, hi), Some(d), "{text}");
        }
        assert_eq!(PartialDate::from_bounds(20230105, 20230109), None);
        assert_eq!(PartialDate::from_bounds(20231399, 20231399), None);
    }

    fn found(text: &str) -> Vec<String> {
        resolve_years(&find_dates(text), None, text)
            .into_iter()
            .map(|(_, d)| d.iso())
            .collect()
    }

    #[test]
    fn every_written_form() {
        assert_eq!(found("on 22 December 2014 after"), vec!["2014-12-22"]);
        assert_eq!(found("Published December 29, 2024"), vec!["2024-12-29"]);
        assert_eq!(found("Date: December 2014"), vec!["2014-12"]);
        assert_eq!(found("published 2014-12"), vec!["2014-12"]);
        // a span of two years, as a fiscal year is, is no date
        assert!(found("trained by German oncologists in 2005-06, adding").is_empty());
        assert!(found("for fiscal year 2011-12 to 2014-15").is_empty());
        assert!(found("over November, December, and January 2023-24.").is_empty());
        assert_eq!(found("in January 2023-25 plans"), vec!["2023-01"]);
        assert_eq!(found("in August and October of 2021"), vec!["2021-10"]);
        assert_eq!(found("filed 2014-12-22T10:00"), vec!["2014-12-22"]);
        assert_eq!(found("Dec. 22 2014"), vec!["2014-12-22"]);
        assert_eq!(found("the 2nd June 2019 raid"), vec!["2019-06-02"]);
        assert_eq!(found("the 15th of March, 2016"), vec!["2016-03-15"]);
        assert_eq!(found("expired on 13.08.2011 in LRH"), vec!["2011-08-13"]);
        assert_eq!(found("received on 11/03/2016 and"), vec!["2016-03-11"]);
        assert_eq!(found("filed 12/25/2016"), vec!["2016-12-25"]);
        assert!(found("version 1.5/2016").is_empty());
        assert_eq!(found("the 9/11/2001 attacks"), vec!["2001-09-11"]);
        assert!(found("Notification No. 2/4/2016-Admin").is_empty());
        assert!(found("3 of May's sons").is_empty());
        assert!(found("the Rungrado 1st of May Stadium").is_empty());
    }

    #[test]
    fn years_run_into_a_word_are_years() {
        assert_eq!(
            found("Big Fights1999 was the eventful year; India 1996Semi-Final"),
            vec!["1999", "1996"]
        );
        // The year's own bytes, not the letters around it.
        let text = "Big Fights1999 was";
        let m = &find_dates(text)[0];
        assert_eq!(&text[m.range.clone()], "1999");
        // Not inside a code or a name in capitals, nor a count glued to its unit, nor an
        // address, a handle or a file name.
        assert!(found("flight PK2019 and model X2020a and 2020kg").is_empty());
        assert!(
            found("write to john2019@mail.com or see report2019.pdf or @ali_khan2019").is_empty()
        );
        // A word after a wide space (no-break, ideographic) is cut on its character bounds.
        assert_eq!(
            found("\u{a0}Fights1999 was\u{3000}Fights2001"),
            vec!["1999", "2001"]
        );
    }

    #[test]
    fn bare_years_unless_they_count_something() {
        assert_eq!(
            found("the ICC World Cup 2023 and the 1992 Cup"),
            vec!["2023", "1992"]
        );
        assert_eq!(found("the tomb of Kasim Khan (died 1635)"), vec!["1635"]);
        assert_eq!(found("the Martial Laws of 1958-1972"), vec!["1958", "1972"]);
        assert!(found("over 2000 people fled").is_empty());
        assert!(found("2000 soldiers and Rs 1500 each").is_empty());
        assert!(found("Resolution 2593 of the council").is_empty());
        assert!(found("see https://example.org/news/october-13-2023 for more").is_empty());
    }

    #[test]
    fn the_attacks_of_september_11_and_a_missing_space() {
        assert_eq!(found("after 9/11, the war"), vec!["2001-09-11"]);
        assert_eq!(found("since the September 11 attacks"), vec!["2001-09-11"]);
        assert_eq!(found("on July15, 2017 the court"), vec!["2017-07-15"]);
        assert_eq!(
            found("dated 21 March,2005 and December 09,2023"),
            vec!["2005-03-21", "2023-12-09"]
        );
    }

    #[test]
    fn a_yearless_date_takes_the_year_of_its_phrase() {
        assert_eq!(
            found("between January 4 and January 13, 2011 after the killing"),
            vec!["2011-01-04", "2011-01-13"]
        );
    }

    #[test]
    fn ranges_and_lists_of_days_give_each_day() {
        assert_eq!(
            found("held on 9-13 Oct 2023 in Lahore"),
            vec!["2023-10-09", "2023-10-13"]
        );
        assert_eq!(
            found("on 7 and 10 November 2023, raids"),
            vec!["2023-11-07", "2023-11-10"]
        );
        assert_eq!(
            found("attacks on October 18 and 29 respectively in 2023"),
            vec!["2023-10-18", "2023-10-29", "2023"]
        );
        assert_eq!(
            found("from December 25 to 29, 2023."),
            vec!["2023-12-25", "2023-12-29"]
        );
        assert_eq!(
            found("In 2018 it ran 24-30 April."),
            vec!["2018", "2018-04-24", "2018-04-30"]
        );
        // A count after a date is no day; a range runs forward.
        assert_eq!(
            found("On March 3, 2023 and 4 soldiers died"),
            vec!["2023-03-03"]
        );
        assert_eq!(found("In 2018, 30-24 April."), vec!["2018", "2018-04-24"]);
        // A day of an earlier date is not read again, and never overlaps it.
        assert_eq!(
            found("The campaign ran from March 3 to 15 April 2023 in Peshawar."),
            vec!["2023-03-03", "2023-04-15"]
        );
        assert_eq!(
            found("Raids on March 3 and 5 May 2023"),
            vec!["2023-03-03", "2023-05-05"]
        );
        assert_eq!(
            found("from December 5 to 9 and 12 December 2023"),
            vec!["2023-12-05", "2023-12-09", "2023-12-12"]
        );
        // Clock times are no days.
        assert_eq!(
            found("Published December 5, 2023 - 10:45 PM"),
            vec!["2023-12-05"]
        );
        assert_eq!(
            found("In 2023. Updated March 3 - 11:30 am"),
            vec!["2023", "2023-03-03"]
        );
        assert_eq!(
            found("In 2023. KARACHI, March 3 - 5.45pm"),
            vec!["2023", "2023-03-03"]
        );
        assert_eq!(
            found("In 2023. at 10:05 - 11 March"),
            vec!["2023", "2023-03-11"]
        );
    }

    #[test]
    fn a_number_before_a_month_that_is_not_its_day_leaves_the_month() {
        assert_eq!(
            found("Rs. 358.5 -Rs1.5 December 06, 2023 Rs. 361"),
            vec!["2023-12-06"]
        );
        assert_eq!(
            found("Rs. 75.7 0 December 16, 2023 Rs. 75.7"),
            vec!["2023-12-16"]
        );
    }

    #[test]
    fn future_wording_rolls_a_yearless_date_forward() {
        let on = |y, m, d| PartialDate::new(y, Some(m), Some(d));
        for (text, published, want) in [
            (
                "Elections will be held on February 8, the commission said.",
                on(2023, 12, 15),
                "2024-02-08",
            ),
            (
                "Polls are slated for February 8, three months away.",
                on(2023, 11, 2),
                "2024-02-08",
            ),
            // Without it, a past February of the same year.
            (
                "Elections were held on February 8, the commission said.",
                on(2023, 12, 15),
                "2023-02-08",
            ),
            // "the Nov. 8 election" in a February article: last November.
            (
                "the Nov. 8 presidential election",
                on(2024, 2, 3),
                "2023-11-08",
            ),
            // "would be finalised by December 14" in August: this December, not last.
            (
                "new constituencies would be finalised by December 14, state TV said",
                on(2023, 8, 17),
                "2023-12-14",
            ),
            // Reported speech with "would" and a past date, or future wording about a date
            // most of a year ahead, keeps the past.
            (
                "On December 22, the PM said he would visit Kabul.",
                on(2025, 1, 8),
                "2024-12-22",
            ),
            (
                "On June 3, the minister said he would resign.",
                on(2023, 8, 17),
                "2023-06-03",
            ),
            (
                "Talks were expected on December 22.",
                on(2025, 1, 8),
                "2024-12-22",
            ),
        ] {
            let got: Vec<String> = resolve_years(&find_dates(text), published, text)
                .into_iter()
                .map(|(_, d)| d.iso())
                .collect();
            assert_eq!(got, vec![want], "{text}");
        }
    }

    #[test]
    fn yearless_dates_take_the_year_before_them() {
        assert_eq!(
            found("In 2014 things happened. On 17 December, a visit. Dec. 22 too."),
            vec!["2014", "2014-12-17", "2014-12-22"]
        );
        assert!(found("On January 7, militants").is_empty());
        // No year before it: the latest year the text mentions.
        assert_eq!(
            found("On January 7, militants attacked. The first clash in 2025, after 2024."),
            vec!["2025-01-07", "2025", "2024"]
        );
    }

    #[test]
    fn years_looked_back_to_are_not_context() {
        let text = "since the Taliban regained power in 2021. On May 10, talks. Since 2019, raids";
        let matches = find_dates(text);
        let since: Vec<bool> = matches.iter().map(|m| m.since).collect();
        assert_eq!(since, vec![true, false, true]);
        // May 10 has no year to take; the text has no date of its own.
        let resolved = resolve_years(&matches, None, text);
        let iso: Vec<String> = resolved.iter().map(|(_, d)| d.iso()).collect();
        assert_eq!(iso, vec!["2021", "2019"]);
        assert_eq!(latest_date(&matches, &resolved), None);
        // "since" in an earlier clause does not reach.
        let matches = find_dates("Since then, the talks of March 2023 failed");
        assert!(!matches[0].since);
        let resolved = resolve_years(&matches, None, text);
        assert_eq!(
            latest_date(&matches, &resolved).map(|d| d.iso()),
            Some("2023-03".to_string())
        );
    }

    #[test]
    fn yearless_dates_take_the_publication_year() {
        let published = PartialDate::new(2025, Some(1), Some(8));
        let got: Vec<String> = resolve_years(
            &find_dates("On January 7 and on December 22"),
            published,
            "On January 7 and on December 22",
        )
        .into_iter()
        .map(|(_, d)| d.iso())
        .collect();
        assert_eq!(got, vec!["2025-01-07", "2024-12-22"]);
        // Late in December, a day of the coming weeks is next year's; one of mid-year is
        // this year's.
        let published = PartialDate::new(2023, Some(12), Some(30));
        let text = "ahead of the February 8 general elections, as on June 3";
        let got: Vec<String> = resolve_years(&find_dates(text), published, text)
            .into_iter()
            .map(|(_, d)| d.iso())
            .collect();
        assert_eq!(got, vec!["2024-02-08", "2023-06-03"]);
    }

    #[test]
    fn numbers_are_not_years() {
        assert!(found("about 2,000 militants and 1,600 deaths").is_empty());
        assert!(found("killed 2014 people").is_empty());
        assert_eq!(
            found("since the Taliban regained power in 2021."),
            vec!["2021"]
        );
    }

    #[test]
    fn impossible_dates_are_dropped() {
        assert!(found("31 February 2014").is_empty());
        assert!(found("May 45").is_empty());
    }

    #[test]
    fn metadata_values() {
        assert_eq!(
            parse_date_value("2023-04-06 00:49:23+00:00").unwrap().iso(),
            "2023-04-06"
        );
        assert_eq!(parse_date_value("01-05-2018").unwrap().iso(), "2018-05-01");
        assert_eq!(parse_date_value("2014").unwrap().iso(), "2014");
        assert_eq!(parse_date_value("2005-06").unwrap().iso(), "2005-06");
        assert_eq!(parse_date_value("December 2014").unwrap().iso(), "2014-12");
        assert!(parse_date_value("yesterday").is_none());
    }

    #[test]
    fn bounds_cover_the_precision() {
        assert_eq!(PartialDate::year(2014).bounds(), (20140101, 20141231));
        assert_eq!(
            PartialDate::parse_iso("2014-12").unwrap().bounds(),
            (20141201, 20141231)
        );
    }

    #[test]
    fn a_day_number_converts_back_to_its_date() {
        for iso in ["1970-01-01", "2023-01-30", "2024-02-29", "2999-12-31"] {
            let d = PartialDate::parse_iso(iso).unwrap();
            let n = d.day_number().unwrap();
            assert_eq!(PartialDate::from_day_number(n), Some(d), "{iso}");
        }
        assert_eq!(
            PartialDate::from_day_number(19_387 + 14).map(|d| d.iso()),
            Some("2023-02-13".to_string())
        );
        assert_eq!(PartialDate::from_day_number(i32::MAX), None);
    }
}
