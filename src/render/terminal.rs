//! The terminal writer: human-readable output. Colour goes through `termcolor`, so the same
//! code writes plain text when colour is off (pipes, `--color never`, `NO_COLOR`).

use crate::text::printable_line;
use std::io;

use termcolor::{Color, ColorSpec, HyperlinkSpec, WriteColor};
use unicode_width::{UnicodeWidthChar as _, UnicodeWidthStr as _};

use super::Render;
use crate::analysis::CasualtyRecord;
use crate::bench::{BenchReport, Stats};
use crate::eval::EvalReport;
use crate::eval::events::EventReport;
use crate::eval::tags::TagReport;
use crate::incidents::timeline::Timeline;
use crate::incidents::{Incident, Range3};
use crate::index::sync::SyncSummary;
use crate::index::{StoredDoc, StoredPassage};
use crate::remote::push::PushSummary;
use crate::saved::{Alert, Broken, SavedRow};
use crate::search::census::BatchRow;
use crate::search::{FacetCount, FacetCounts, FacetField, Mode, Ranker, SearchResults};

/// The terminal writer.
pub struct Terminal<W: WriteColor> {
    w: W,
    /// Titles are OSC 8 hyperlinks.
    links: bool,
}

impl<W: WriteColor> Terminal<W> {
    pub fn new(w: W, links: bool) -> Self {
        Terminal { w, links }
    }
}

impl<W: WriteColor> Render for Terminal<W> {
    fn format(&self) -> super::Format {
        super::Format::Text
    }

    fn search(&mut self, r: &SearchResults, offset: usize) -> io::Result<()> {
        search(&mut self.w, r, offset, self.links)
    }

    fn docs(&mut self, d: &[StoredDoc]) -> io::Result<()> {
        docs(&mut self.w, d, self.links)
    }

    fn batch(&mut self, rows: &mut dyn Iterator<Item = BatchRow>) -> io::Result<()> {
        // The table's width depends on every row.
        batch(&mut self.w, &rows.collect::<Vec<_>>())
    }

    fn saved(&mut self, rows: &[SavedRow]) -> io::Result<()> {
        saved(&mut self.w, rows)
    }

    /// A broken saved search is a note on stderr already (`app::saved::alerts`).
    fn alerts(&mut self, alerts: &[Alert], _broken: &[Broken]) -> io::Result<()> {
        for (i, a) in alerts.iter().enumerate() {
            if i > 0 {
                writeln!(self.w)?;
            }
            let noun = if a.new == 1 { "document" } else { "documents" };
            let fresh = if a.all { "" } else { " new" };
            let rest = if a.shown < a.new && !a.all {
                format!(
                    " ({} shown; {} stay new, -n shows more)",
                    a.shown,
                    a.new - a.shown
                )
            } else {
                String::new()
            };
            styled(
                &mut self.w,
                &title_style(),
                &format!("== {}: {}{fresh} {noun}{rest} ==", a.name, a.new),
            )?;
            writeln!(self.w)?;
            writeln!(self.w, "   {}", a.search)?;
            writeln!(self.w)?;
            search(&mut self.w, &a.results, 0, self.links)?;
        }
        Ok(())
    }

    fn show(&mut self, doc: &StoredDoc, passages: &[StoredPassage], raw: bool) -> io::Result<()> {
        show(&mut self.w, doc, passages, raw, self.links)
    }

    fn facets(&mut self, counts: &FacetCounts, fields: &[FacetField]) -> io::Result<()> {
        facet_lists(&mut self.w, counts, fields)
    }

    fn sync_summary(&mut self, s: &SyncSummary) -> io::Result<()> {
        sync_summary(&mut self.w, s)
    }

    fn push_summary(&mut self, s: &PushSummary) -> io::Result<()> {
        push_summary(&mut self.w, s)
    }

    fn bench(&mut self, r: &BenchReport, index: &str) -> io::Result<()> {
        bench(&mut self.w, r, index)
    }

    fn eval(&mut self, r: &EvalReport) -> io::Result<()> {
        eval(&mut self.w, r)
    }

    fn tag_eval(&mut self, r: &TagReport) -> io::Result<()> {
        tag_eval(&mut self.w, r)
    }

    fn event_eval(&mut self, r: &EventReport) -> io::Result<()> {
        event_eval(&mut self.w, r)
    }

    fn events(&mut self, events: &[Incident], total: usize) -> io::Result<()> {
        incidents(&mut self.w, events, total, self.links)
    }

    fn timeline(&mut self, t: &Timeline) -> io::Result<()> {
        timeline(&mut self.w, t)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.w.flush()
    }
}

fn spec(f: impl FnOnce(&mut ColorSpec)) -> ColorSpec {
    let mut s = ColorSpec::new();
    f(&mut s);
    s
}

fn title_style() -> ColorSpec {
    spec(|s| {
        s.set_bold(true);
    })
}

fn meta_style() -> ColorSpec {
    spec(|s| {
        s.set_fg(Some(Color::Cyan));
    })
}

fn match_style() -> ColorSpec {
    spec(|s| {
        s.set_fg(Some(Color::Red)).set_bold(true);
    })
}

/// `text` in `style` (a style of nothing writes the text alone, with no escapes).
fn styled<W: WriteColor>(w: &mut W, style: &ColorSpec, text: &str) -> io::Result<()> {
    if style.is_none() {
        return write!(w, "{text}");
    }
    w.set_color(style)?;
    write!(w, "{text}")?;
    w.reset()
}

/// Writes `text` with the byte ranges in `highlights` styled as matches.
pub(crate) fn highlighted<W: WriteColor>(
    w: &mut W,
    text: &str,
    highlights: &[[usize; 2]],
) -> io::Result<()> {
    let mut at = 0;
    for &[start, end] in highlights {
        if start < at
            || end > text.len()
            || !text.is_char_boundary(start)
            || !text.is_char_boundary(end)
        {
            continue;
        }
        write!(w, "{}", &text[at..start])?;
        styled(w, &match_style(), &text[start..end])?;
        at = end;
    }
    write!(w, "{}", &text[at..])
}

/// How the passages were ranked, as the footer says it.
fn mode_words(r: &SearchResults) -> String {
    if let Some(doc) = &r.like {
        let how = if r.ranker == Ranker::Hybrid {
            "words and meaning"
        } else {
            "words"
        };
        return format!("like {}, by {how}", printable_line(doc));
    }
    let words = match (r.ranker, r.mode) {
        (Ranker::Semantic, _) => "by meaning",
        (Ranker::Hybrid, Mode::All) => "all words and meaning",
        (Ranker::Hybrid, Mode::Any) => "any word and meaning",
        (Ranker::Bm25, Mode::All) => "all words",
        (Ranker::Bm25, Mode::Any) => "any word",
    };
    words.to_string()
}

/// Where a title links to: the article when its address is known, else its file.
fn link_target(url: Option<&str>, path: &str) -> Option<String> {
    if let Some(url) = url {
        return Some(url.to_string());
    }
    let path = std::path::absolute(path).ok()?;
    Some(format!("file://{}", percent_path(&path.to_string_lossy())))
}

/// A path as a URL path: bytes other than unreserved characters and `/` percent-encoded.
fn percent_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `text` as an OSC 8 hyperlink to `target` (terminals without support show the text). The
/// target has no control characters, which would end the sequence early.
fn linked<W: WriteColor>(w: &mut W, target: &str, style: &ColorSpec, text: &str) -> io::Result<()> {
    let clean: String = target.chars().filter(|c| !c.is_control()).collect();
    w.set_hyperlink(&HyperlinkSpec::open(clean.as_bytes()))?;
    styled(w, style, text)?;
    w.set_hyperlink(&HyperlinkSpec::close())
}

/// A title, in `style`: with `links`, a hyperlink to its article (`url`) or its file
/// (`path`). Every title the terminal writer prints goes through here.
fn title<W: WriteColor>(
    w: &mut W,
    links: bool,
    (url, path): (Option<&str>, &str),
    style: &ColorSpec,
    text: &str,
) -> io::Result<()> {
    match link_target(url, path).filter(|_| links) {
        Some(target) => linked(w, &target, style, text),
        None => styled(w, style, text),
    }
}

/// `durand search` for a terminal; `links` makes titles hyperlinks.
pub(crate) fn search<W: WriteColor>(
    w: &mut W,
    r: &SearchResults,
    offset: usize,
    links: bool,
) -> io::Result<()> {
    for (i, hit) in r.hits.iter().enumerate() {
        let text = format!("{}. {}", offset + i + 1, hit.title);
        title(
            w,
            links,
            (hit.url.as_deref(), &hit.path),
            &title_style(),
            &text,
        )?;
        writeln!(w)?;
        let mut meta = vec![printable_line(&hit.doc).into_owned()];
        if let Some(section) = &hit.section {
            meta.push(section.clone());
        }
        if let Some(date) = &hit.date {
            meta.push(date.clone());
        }
        meta.push(format!("passage {}", hit.passage));
        if let (Some(k), Some(n)) = (hit.words_matched, r.words) {
            meta.push(format!("{k} of {n} words"));
        }
        write!(w, "   ")?;
        styled(w, &meta_style(), &meta.join(" · "))?;
        writeln!(w)?;
        write!(w, "   ")?;
        highlighted(w, &hit.snippet, &hit.highlights)?;
        writeln!(w)?;
        let mut reported: Vec<String> = hit
            .events
            .iter()
            .map(|e| e.kind.as_str().to_string())
            .collect();
        reported.extend(hit.casualties.iter().map(figure));
        if !reported.is_empty() {
            write!(w, "   ")?;
            styled(w, &meta_style(), &reported.join(" · "))?;
            writeln!(w)?;
        }
        if let Some(similar) = &hit.similar {
            let mut line = format!("   +{} similar", similar.count);
            if !similar.sources.is_empty() {
                line.push_str(&format!(" ({})", similar.sources.join(", ")));
            }
            styled(w, &meta_style(), &line)?;
            writeln!(w)?;
        }
        writeln!(w)?;
    }
    if let Some(f) = &r.facets {
        facet_table(w, f)?;
        writeln!(w)?;
    }
    let shown = r.hits.len();
    let noun = if r.total_hits == 1 {
        "passage"
    } else {
        "passages"
    };
    // Near-duplicates collapsed: how many hits the pages hold, when fewer than the passages.
    let collapsed = r
        .collapsed_hits
        .map(|n| format!(", {n} once near-duplicates are collapsed"))
        .unwrap_or_default();
    if shown == 0 && offset > 0 && r.total_hits > 0 {
        writeln!(
            w,
            "none of {} {noun} ({}){collapsed} shown: the page starts at {}, past the last · {:.1} ms",
            r.total_hits,
            mode_words(r),
            offset + 1,
            r.took_ms
        )
    } else if shown == 0 || shown == r.total_hits {
        writeln!(
            w,
            "{} {noun} ({}) · {:.1} ms",
            r.total_hits,
            mode_words(r),
            r.took_ms
        )
    } else {
        writeln!(
            w,
            "showing {}–{} of {} {noun} ({}){collapsed} · {:.1} ms",
            offset + 1,
            offset + shown,
            r.total_hits,
            mode_words(r),
            r.took_ms
        )
    }
}

/// `durand search --batch` as a table: one row per query line.
pub(crate) fn batch<W: WriteColor>(w: &mut W, rows: &[BatchRow]) -> io::Result<()> {
    let width = rows
        .iter()
        .map(|r| r.text.width())
        .max()
        .unwrap_or(5)
        .clamp(5, 48);
    styled(
        w,
        &title_style(),
        format!(
            "{:>5}  {:width$}  {:>6}  {:>8}  {:>7}  {:10}  {:10}",
            "LINE", "QUERY", "DOCS", "PASSAGES", "STORIES", "FIRST", "LAST"
        )
        .trim_end(),
    )?;
    writeln!(w)?;
    for r in rows {
        let c = &r.census;
        let text = padded(&cut_to_width(&r.text, width), width);
        let date =
            |d: Option<crate::date::PartialDate>| d.map_or("-".to_string(), |d| d.to_string());
        let mut line = format!(
            "{:>5}  {text}  {:>6}  {:>8}  {:>7}  {:10}  {:10}",
            r.line,
            c.documents.len(),
            c.passages,
            c.stories,
            date(c.first),
            date(c.last)
        );
        if c.fallback {
            line.push_str("  (any word)");
        }
        if c.passages == 0 {
            styled(w, &meta_style(), line.trim_end())?;
        } else {
            write!(w, "{}", line.trim_end())?;
        }
        writeln!(w)?;
    }
    let none = rows.iter().filter(|r| r.census.passages == 0).count();
    writeln!(w)?;
    let noun = if rows.len() == 1 { "query" } else { "queries" };
    writeln!(w, "{} {noun}, {} matched nothing", rows.len(), none)
}

/// `durand saved list` as a table.
pub(crate) fn saved<W: WriteColor>(w: &mut W, rows: &[SavedRow]) -> io::Result<()> {
    if rows.is_empty() {
        return writeln!(
            w,
            "no saved searches; `durand saved add NAME QUERY` saves one"
        );
    }
    let width = rows
        .iter()
        .map(|r| r.name.width())
        .max()
        .unwrap_or(4)
        .max(4);
    styled(
        w,
        &title_style(),
        &format!("{:width$}  {:>5}  {:>6}  SEARCH", "NAME", "NEW", "SEEN"),
    )?;
    writeln!(w)?;
    for r in rows {
        // One row each, whatever the saved line holds (a quoted line break).
        let search: String = r
            .search
            .chars()
            .flat_map(|c| {
                let escaped: Vec<char> = if c.is_control() {
                    c.escape_default().collect()
                } else {
                    vec![c]
                };
                escaped
            })
            .collect();
        let new = match &r.error {
            Some(_) => "?".to_string(),
            None => r.new.to_string(),
        };
        write!(
            w,
            "{}  {new:>5}  {:>6}  {search}",
            padded(&r.name, width),
            r.seen
        )?;
        if let Some(e) = &r.error {
            write!(w, "  (does not run: {e})")?;
        }
        writeln!(w)?;
    }
    Ok(())
}

/// `durand index` summary line.
fn push_summary<W: io::Write>(w: &mut W, s: &PushSummary) -> io::Result<()> {
    if s.created {
        writeln!(w, "created the collection {:?} at {}", s.collection, s.url)?;
    }
    writeln!(
        w,
        "added {}, updated {}, removed {}, unchanged {} — {} records sent to {:?} at {} in {:.2} s ({:.0} records/s)",
        s.added,
        s.updated,
        s.removed,
        s.unchanged,
        s.records,
        s.collection,
        s.url,
        s.seconds,
        s.records_per_second
    )?;
    if !s.rejected.is_empty() {
        // One line per reason (a schema mismatch rejects every record alike), with the first
        // few ids; `--json` lists every record.
        let mut reasons: Vec<(&str, Vec<&str>)> = Vec::new();
        for r in &s.rejected {
            match reasons.iter_mut().find(|(error, _)| *error == r.error) {
                Some((_, ids)) => ids.push(&r.id),
                None => reasons.push((&r.error, vec![&r.id])),
            }
        }
        writeln!(w, "{} records rejected:", s.rejected.len())?;
        for (error, ids) in reasons.iter().take(MAX_REJECTION_REASONS) {
            let shown: Vec<&str> = ids.iter().take(MAX_REJECTED_IDS).copied().collect();
            let more = match ids.len().saturating_sub(MAX_REJECTED_IDS) {
                0 => String::new(),
                n => format!(" and {n} more"),
            };
            writeln!(w, "  {error}: {}{more}", shown.join(", "))?;
        }
        if let Some(n) = reasons
            .len()
            .checked_sub(MAX_REJECTION_REASONS)
            .filter(|n| *n > 0)
        {
            writeln!(w, "  … and {n} more reasons (`--json` lists every record)")?;
        }
    }
    Ok(())
}

/// How many reasons a push's summary lists, and how many ids of each.
const MAX_REJECTION_REASONS: usize = 10;
const MAX_REJECTED_IDS: usize = 3;

/// A blank line, then a section's title on a line of its own.
fn heading<W: WriteColor>(w: &mut W, title: &str) -> io::Result<()> {
    writeln!(w)?;
    styled(w, &title_style(), title)?;
    writeln!(w)
}

pub(crate) fn sync_summary<W: io::Write>(w: &mut W, s: &SyncSummary) -> io::Result<()> {
    if let Some(why) = &s.rebuilt {
        writeln!(w, "rebuilt from scratch: {why}")?;
    }
    writeln!(
        w,
        "added {}, updated {}, removed {}, unchanged {} — {}, {} in {:.2} s",
        s.added,
        s.updated,
        s.removed,
        s.unchanged,
        counted(s.documents, "document"),
        counted(s.passages, "passage"),
        s.took_ms as f64 / 1000.0
    )?;
    if let Some(n) = s.embedded {
        writeln!(w, "semantic: embedded {}", counted(n, "passage"))?;
    }
    for a in &s.alerts {
        writeln!(w, "{} new for {}", a.new, a.name)?;
    }
    Ok(())
}

/// `1 document`, `5 documents`.
fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `durand docs` as a table; `links` makes titles hyperlinks.
pub(crate) fn docs<W: WriteColor>(w: &mut W, docs: &[StoredDoc], links: bool) -> io::Result<()> {
    let id_width = docs
        .iter()
        .map(|d| printable_line(&d.doc_id).width())
        .max()
        .unwrap_or(3)
        .max(3);
    styled(
        w,
        &title_style(),
        &format!(
            "{:id_width$}  {:10}  {:>8}  TITLE",
            "DOC", "DATE", "PASSAGES"
        ),
    )?;
    writeln!(w)?;
    for d in docs {
        write!(
            w,
            "{}  {:10}  {:>8}  ",
            padded(&printable_line(&d.doc_id), id_width),
            d.date.as_deref().unwrap_or("-"),
            d.meta.passages,
        )?;
        title(
            w,
            links,
            (d.meta.url.as_deref(), &d.path),
            &ColorSpec::new(),
            &d.meta.title,
        )?;
        writeln!(w)?;
    }
    Ok(())
}

/// `durand show` for a terminal; `raw` adds what cleaning removed, `links` makes the title
/// a hyperlink.
pub(crate) fn show<W: WriteColor>(
    w: &mut W,
    d: &StoredDoc,
    passages: &[StoredPassage],
    raw: bool,
    links: bool,
) -> io::Result<()> {
    title(
        w,
        links,
        (d.meta.url.as_deref(), &d.path),
        &title_style(),
        &d.meta.title,
    )?;
    writeln!(w)?;
    let field = |w: &mut W, name: &str, value: &str| -> io::Result<()> {
        styled(w, &meta_style(), &format!("{name:>9}"))?;
        writeln!(w, "  {value}")
    };
    field(w, "doc", &printable_line(&d.doc_id))?;
    field(w, "path", &d.path)?;
    if let Some(date) = &d.date {
        let mut v = date.clone();
        if let Some(p) = d.date_precision() {
            v.push_str(&format!(" ({} precision", p.as_str()));
            if let Some(src) = d.meta.date_source {
                v.push_str(", ");
                v.push_str(src.phrase());
            }
            v.push(')');
        }
        field(w, "date", &v)?;
    }
    for (name, value) in [
        ("source", &d.meta.source),
        ("url", &d.meta.url),
        ("byline", &d.meta.byline),
        ("dateline", &d.meta.dateline),
    ] {
        if let Some(v) = value {
            field(w, name, v)?;
        }
    }
    for (k, v) in &d.meta.infobox {
        field(w, "infobox", &format!("{k}: {v}"))?;
    }
    for e in &d.meta.entities {
        let name = match &e.place {
            Some(place) => format!("{place} ({})", e.value),
            None => e.value.clone(),
        };
        let found = e
            .found
            .iter()
            .map(|f| format!("\"{f}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let photo = if e.file_photo {
            " (in a file photo's caption)"
        } else {
            ""
        };
        field(
            w,
            e.kind.name(),
            &format!("{name} ×{} — {found}{photo}", e.count),
        )?;
    }
    if !d.meta.event_types.is_empty() {
        let types: Vec<&str> = d.meta.event_types.iter().map(|t| t.as_str()).collect();
        field(w, "events", &types.join(", "))?;
    }
    for c in &d.meta.casualties {
        let place = match c.passage {
            Some(p) => format!("passage {p}"),
            None => "title".to_string(),
        };
        field(
            w,
            "casualty",
            &format!("{} — \"{}\" ({place})", figure(c), c.text),
        )?;
    }
    field(w, "passages", &passages.len().to_string())?;
    let mut section: Option<&str> = None;
    for p in passages {
        if p.section.as_deref() != section {
            section = p.section.as_deref();
            if let Some(s) = section {
                heading(w, &format!("== {s} =="))?;
            }
        }
        writeln!(w)?;
        styled(w, &meta_style(), &format!("[{}]", p.ord))?;
        writeln!(w, " {}", p.text)?;
    }
    if raw {
        heading(w, "Removed by cleaning")?;
        if d.meta.removed.is_empty() {
            writeln!(w, "(nothing)")?;
        }
        for r in &d.meta.removed {
            styled(
                w,
                &meta_style(),
                &format!("[{}, bytes {}–{}]", r.reason, r.start, r.end),
            )?;
            writeln!(w)?;
            for line in r.text.lines() {
                writeln!(w, "  | {line}")?;
            }
        }
    }
    Ok(())
}

/// How many values of a facet a compact table shows before "…".
const FACET_VALUES_SHOWN: usize = 8;

/// The compact facet table under search results: one line per facet.
pub(crate) fn facet_table<W: WriteColor>(w: &mut W, f: &FacetCounts) -> io::Result<()> {
    for field in FacetField::shown() {
        let (name, counts) = (field.name(), f.field(field));
        styled(w, &meta_style(), &format!("{name:<9}"))?;
        if counts.is_empty() {
            writeln!(w, "-")?;
            continue;
        }
        let mut parts: Vec<String> = counts
            .iter()
            .take(FACET_VALUES_SHOWN)
            .map(|c| format!("{} {}", c.value, c.count))
            .collect();
        if counts.len() > FACET_VALUES_SHOWN {
            parts.push(format!("… {} more", counts.len() - FACET_VALUES_SHOWN));
        }
        writeln!(w, "{}", parts.join(" · "))?;
    }
    Ok(())
}

/// `durand facets`: each facet as a list of values with document counts.
pub(crate) fn facet_lists<W: WriteColor>(
    w: &mut W,
    f: &FacetCounts,
    fields: &[FacetField],
) -> io::Result<()> {
    for (i, field) in fields.iter().enumerate() {
        let (name, counts): (&str, &[FacetCount]) = (field.name(), f.field(*field));
        if i > 0 {
            writeln!(w)?;
        }
        styled(
            w,
            &title_style(),
            &format!("{name} ({} values)", counts.len()),
        )?;
        writeln!(w)?;
        let width = counts.iter().map(|c| c.value.width()).max().unwrap_or(0);
        for c in counts {
            writeln!(w, "  {}  {:>6}", padded(&c.value, width), c.count)?;
        }
    }
    Ok(())
}

fn stats_row<W: io::Write>(w: &mut W, label: &str, s: &Stats) -> io::Result<()> {
    writeln!(
        w,
        "{label:<14} {:>8} {:>9.1} {:>9.1} {:>9.1} {:>9.1} {:>9.0}",
        s.queries, s.p50_us, s.p90_us, s.p99_us, s.max_us, s.qps
    )
}

/// `durand bench` as a table: per class, overall, and ranking alone; then each query.
pub(crate) fn bench<W: WriteColor>(w: &mut W, r: &BenchReport, index: &str) -> io::Result<()> {
    writeln!(
        w,
        "{} queries × {} runs ({} warm-up) on {index}",
        r.per_query.len(),
        r.iterations,
        r.warmup
    )?;
    styled(
        w,
        &title_style(),
        &format!(
            "{:<14} {:>8} {:>9} {:>9} {:>9} {:>9} {:>9}",
            "class", "runs", "p50 µs", "p90 µs", "p99 µs", "max µs", "qps"
        ),
    )?;
    writeln!(w)?;
    for (class, s) in &r.classes {
        stats_row(w, class.label(), s)?;
    }
    stats_row(w, "all", &r.overall)?;
    stats_row(w, "ranking only", &r.rank_only)?;
    writeln!(w)?;
    for q in &r.per_query {
        writeln!(
            w,
            "{:>9.1} µs  {:>8} hits  {:<13}  {}",
            q.p50_us,
            q.total_hits,
            q.class.label(),
            q.query
        )?;
    }
    Ok(())
}

/// `durand eval` as a short table.
pub(crate) fn eval<W: WriteColor>(w: &mut W, r: &EvalReport) -> io::Result<()> {
    writeln!(
        w,
        "{} judged queries ({} without judgments skipped, {} judged but missing) in {:.1} s, ranked by {}",
        r.queries,
        r.unjudged,
        r.missing,
        r.took_ms as f64 / 1000.0,
        r.ranking
    )?;
    for (name, value) in [
        (format!("nDCG@{}", r.k), r.ndcg_at_k),
        ("MAP".to_string(), r.map),
        ("Recall@100".to_string(), r.recall_at_100),
        (format!("MRR@{}", r.k), r.mrr_at_k),
    ] {
        styled(w, &meta_style(), &format!("{name:>12}"))?;
        writeln!(w, "  {value:.4}")?;
    }
    Ok(())
}

/// " (dev split)" after a count of labelled documents, or nothing.
fn split_note(split: Option<&str>) -> String {
    split.map(|s| format!(" ({s} split)")).unwrap_or_default()
}

/// `durand eval --tags`: scores per kind, dates, then every mistake.
pub(crate) fn tag_eval<W: WriteColor>(w: &mut W, r: &TagReport) -> io::Result<()> {
    let split = split_note(r.split.as_deref());
    writeln!(w, "{} labelled documents{split}", r.documents)?;
    if !r.missing.is_empty() {
        writeln!(
            w,
            "{} not in the index: {}",
            r.missing.len(),
            r.missing.join(", ")
        )?;
    }
    styled(
        w,
        &title_style(),
        &format!(
            "{:<14} {:>9} {:>7} {:>6} {:>5} {:>5} {:>5}",
            "", "precision", "recall", "F1", "TP", "FP", "FN"
        ),
    )?;
    writeln!(w)?;
    let rows = r
        .kinds
        .iter()
        .map(|(k, s)| (*k, s))
        .chain(std::iter::once(("document date", &r.document_dates)));
    for (name, s) in rows {
        writeln!(
            w,
            "{name:<14} {:>9} {:>7} {:>6} {:>5} {:>5} {:>5}",
            score(s.precision, 4),
            score(s.recall, 4),
            score(s.f1, 4),
            s.true_positives,
            s.false_positives,
            s.false_negatives
        )?;
    }
    let d = &r.dates;
    writeln!(
        w,
        "dates in text   {} right ({} of {}; {} wrong, {} missed, {} tagged where none was labelled)",
        score(d.accuracy, 4),
        d.right,
        d.labelled,
        d.wrong,
        d.missed,
        d.extra
    )?;
    if !r.unknown.is_empty() {
        heading(
            w,
            "Labelled values the index's tables do not know (always missed)",
        )?;
        for u in &r.unknown {
            let hint = u
                .closest
                .as_ref()
                .map(|c| format!(" (did you mean \"{c}\"?)"))
                .unwrap_or_default();
            writeln!(
                w,
                "  {:<14} \"{}\"{hint} — {}",
                u.kind,
                u.value,
                u.docs.join(", ")
            )?;
        }
    }
    if !r.mistakes.is_empty() {
        heading(w, "Mistakes")?;
        for m in &r.mistakes {
            let found = m
                .found
                .iter()
                .map(|f| format!("\"{f}\""))
                .collect::<Vec<_>>()
                .join(", ");
            let tagged = if m.tagged.is_empty() {
                String::new()
            } else {
                format!(" (tagged {})", m.tagged.join(", "))
            };
            writeln!(
                w,
                "  {:<7} {:<14} {} {} — {found}{tagged}",
                m.error, m.kind, m.doc, m.value
            )?;
        }
    }
    Ok(())
}

/// A number or range: `59`, `59+`, `10–12`, with `~` when approximate.
/// A casualty figure in a few words: `59+ killed (unspecified)`, with its flags.
fn figure(c: &CasualtyRecord) -> String {
    let (kind, who) = (c.kind.as_str(), c.who.as_str());
    let mut out = format!(
        "{} {kind} ({who})",
        crate::analysis::casualty::amount(c.min, c.max, c.approx)
    );
    if c.aggregate {
        out.push_str(", a total");
    }
    if c.past {
        out.push_str(", an earlier incident");
    }
    out
}

/// Low–high and best, as `17–101, best 101`.
fn range3(r: &Range3) -> Option<String> {
    let (low, best, high) = (r.low?, r.best?, r.high?);
    Some(if low == high {
        low.to_string()
    } else {
        format!("{low}–{high}, best {best}")
    })
}

/// `durand events`: one block per incident; `links` makes headlines hyperlinks.
pub(crate) fn incidents<W: WriteColor>(
    w: &mut W,
    events: &[Incident],
    total: usize,
    links: bool,
) -> io::Result<()> {
    for e in events {
        let date = e.date.as_deref().unwrap_or("undated");
        let types: Vec<&str> = e.types.iter().map(|t| t.as_str()).collect();
        styled(w, &title_style(), &format!("{date}  {}", types.join(", ")))?;
        // "Kabul, Afghanistan", not "Kabul, Kabul, Afghanistan" for the city of its province.
        let mut place: Vec<&str> = [&e.place, &e.province, &e.country]
            .into_iter()
            .filter_map(|p| p.as_deref())
            .collect();
        place.dedup();
        if !place.is_empty() {
            write!(w, "  {}", place.join(", "))?;
        }
        writeln!(w)?;
        let mut facts = Vec::new();
        if let Some(k) = range3(&e.killed) {
            facts.push(format!("killed {k}"));
        }
        if let Some(k) = range3(&e.wounded) {
            facts.push(format!("wounded {k}"));
        }
        let actors: Vec<&str> = e.actors.values().flatten().map(String::as_str).collect();
        if !actors.is_empty() {
            facts.push(actors.join(", "));
        }
        let mut reports = if e.reports.len() == 1 {
            "1 report".to_string()
        } else {
            format!("{} reports", e.reports.len())
        };
        match e.reports.iter().filter(|r| r.follow_up).count() {
            0 => {}
            1 => reports.push_str(" (1 follow-up)"),
            n => reports.push_str(&format!(" ({n} follow-ups)")),
        }
        // Reports from files name no source: then only the reports are counted.
        facts.push(match e.sources {
            0 => reports,
            1 => format!("{reports}, 1 source"),
            n => format!("{reports}, {n} sources"),
        });
        write!(w, "  ")?;
        styled(w, &meta_style(), &facts.join(" · "))?;
        writeln!(w)?;
        write!(w, "  ")?;
        title(
            w,
            links,
            (e.headline_url.as_deref(), &e.headline_path),
            &ColorSpec::new(),
            &e.headline,
        )?;
        writeln!(w)?;
        writeln!(w)?;
    }
    let noun = if total == 1 { "incident" } else { "incidents" };
    if events.len() < total {
        writeln!(w, "showing {} of {total} {noun}", events.len())
    } else {
        writeln!(w, "{total} {noun}")
    }
}

/// Eighths of a block, for bar ends.
const BLOCKS: [char; 8] = ['▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'];
/// The longest bar, in characters.
const BAR_WIDTH: usize = 50;

/// A bar of `value` out of `max`, in eighths of a character.
fn bar(value: u64, max: u64) -> String {
    if value == 0 || max == 0 {
        return String::new();
    }
    let eighths = ((value as u128 * (BAR_WIDTH as u128) * 8).div_ceil(max as u128)) as usize;
    let mut out = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        out.push(BLOCKS[eighths % 8 - 1]);
    }
    out
}

/// `durand timeline`: a horizontal bar chart, one line per period, the unit stated.
pub(crate) fn timeline<W: WriteColor>(w: &mut W, t: &Timeline) -> io::Result<()> {
    let by = t.by.as_str();
    styled(w, &title_style(), &format!("{} per {by}", t.unit))?;
    writeln!(w)?;
    let max = t.buckets.iter().map(|b| b.value).max().unwrap_or(0);
    let label_width = t.buckets.iter().map(|b| b.label.len()).max().unwrap_or(0);
    let value_width = max.to_string().len();
    for b in &t.buckets {
        styled(w, &meta_style(), &format!("{:<label_width$}", b.label))?;
        let bar = bar(b.value, max);
        if bar.is_empty() {
            writeln!(w, " {:>value_width$}", b.value)?;
        } else {
            writeln!(w, " {:>value_width$} {bar}", b.value)?;
        }
    }
    write!(w, "total {}", t.total)?;
    if t.undated > 0 {
        write!(
            w,
            " · {} without a date precise enough, left out",
            t.undated
        )?;
    }
    writeln!(w)
}

/// A score to `places` decimals, or a dash where it is undefined (a precision over nothing
/// found; JSON says `null`).
fn score(value: Option<f64>, places: usize) -> String {
    value.map_or_else(|| "—".to_string(), |v| format!("{v:.places$}"))
}

/// `durand eval --events`: the scores, then every mistake.
pub(crate) fn event_eval<W: WriteColor>(w: &mut W, r: &EventReport) -> io::Result<()> {
    let split = split_note(r.split.as_deref());
    styled(
        w,
        &title_style(),
        &format!("{} labelled documents{split}", r.documents),
    )?;
    writeln!(w)?;
    // Scores over nothing (label files of incidents alone) are said as that, not as 1.000.
    let row = |w: &mut W, name: &str, s: &crate::eval::tags::Scores| -> io::Result<()> {
        if s.true_positives + s.false_positives + s.false_negatives == 0 {
            return writeln!(w, "{name:<18} none labelled, none found");
        }
        let [p, r, f1] = [s.precision, s.recall, s.f1].map(|v| score(v, 3));
        let (right, wrong, missed) = (s.true_positives, s.false_positives, s.false_negatives);
        writeln!(
            w,
            "{name:<18} P {p}  R {r}  F1 {f1}  ({right} right, {wrong} wrong, {missed} missed)"
        )
    };
    row(w, "casualty figures", &r.casualties)?;
    if r.casualties.true_positives == 0 {
        writeln!(w, "{:<18} no figure found right to judge", "who right")?;
    } else {
        writeln!(
            w,
            "{:<18} {}  ({} of {} figures found right)",
            "who right",
            score(r.who_accuracy, 3),
            r.who_right,
            r.casualties.true_positives
        )?;
    }
    row(w, "event types", &r.types)?;
    for (name, s) in &r.per_type {
        row(w, &format!("  {name}"), s)?;
    }
    if let Some(c) = &r.incidents {
        writeln!(
            w,
            "{:<18} B-cubed P {}  R {}  F1 {}  ({} incidents, {} reports)",
            "incidents",
            score(c.bcubed_precision, 3),
            score(c.bcubed_recall, 3),
            score(c.bcubed_f1, 3),
            c.incidents,
            c.reports
        )?;
    }
    if !r.mistakes.is_empty() {
        heading(w, "Mistakes")?;
        for m in &r.mistakes {
            write!(w, "{}  {}: {}", m.doc, m.what, m.value)?;
            if !m.text.is_empty() {
                write!(w, " — \"{}\"", m.text)?;
            }
            writeln!(w)?;
        }
    }
    Ok(())
}

/// `s` followed by spaces to fill `width` columns of a terminal (a wide character, such as
/// an emoji or a CJK one, takes two; a combining mark none), never cut.
fn padded(s: &str, width: usize) -> String {
    format!("{s}{}", " ".repeat(width.saturating_sub(s.width())))
}

/// `s` cut to at most `width` columns, with "…" where it was cut.
fn cut_to_width(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Columns line up by what a terminal shows: an emoji or a CJK character takes two
    /// columns, a combining mark none.
    #[test]
    fn columns_are_padded_and_cut_by_display_width() {
        assert_eq!(padded("ab", 4), "ab  ");
        assert_eq!(padded("🙂", 4), "🙂  ");
        assert_eq!(padded("e\u{301}", 3), "e\u{301}  ");
        assert_eq!(padded("toolong", 3), "toolong");
        assert_eq!(cut_to_width("short", 8), "short");
        assert_eq!(cut_to_width("abcdefgh", 5), "abcd…");
        assert_eq!(cut_to_width("🙂🙂🙂🙂", 5), "🙂🙂…");
    }
}
