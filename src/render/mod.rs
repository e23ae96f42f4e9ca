//! Writers that turn results into text for a terminal or JSON for scripts: one writer per
//! output format, each implementing [`Render`], chosen once per command ([`writer`]). Every
//! writer takes any `io::Write`, so tests render into a `Vec<u8>` and benches into
//! `io::sink()`; nothing here knows about stdout.
//!
//! A new output format is one new file here implementing [`Render`], one variant of
//! [`Format`] and one arm of [`writer`].

pub mod csv;
pub mod json;
pub mod jsonl;
pub mod terminal;

use std::io::{self, Write};

use termcolor::{Ansi, HyperlinkSpec, NoColor, WriteColor};

use crate::bench::BenchReport;
use crate::eval::EvalReport;
use crate::eval::events::EventReport;
use crate::eval::tags::TagReport;
use crate::incidents::Incident;
use crate::incidents::timeline::Timeline;
use crate::index::sync::SyncSummary;
use crate::index::{StoredDoc, StoredPassage};
use crate::remote::push::PushSummary;
use crate::saved::{Alert, Broken, SavedRow};
use crate::search::census::BatchRow;
use crate::search::{FacetCounts, FacetField, SearchResults};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For people: aligned text, colour on a terminal.
    Text,
    /// One JSON document per command.
    Json,
    /// One JSON object per line (per hit, row or value), each written as soon as it is ready.
    Jsonl,
    /// A header row, then one row per hit, row or value (RFC 4180).
    Csv,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "JSON",
            Format::Jsonl => "JSON lines",
            Format::Csv => "CSV",
        }
    }
}

/// The error of a writer asked for something its format does not hold (the command line
/// only offers each format where it fits, so this is a mistake in a caller).
pub fn unsupported(what: &str, format: Format) -> io::Error {
    io::Error::new(
        io::ErrorKind::Unsupported,
        format!("{what} cannot be written as {}", format.name()),
    )
}

/// What every command can print, in one format. Text and JSON hold everything; the line-
/// and row-oriented formats hold the lists and tables (search hits, documents, facets,
/// incidents, timelines, batch rows) and keep the default, an `Unsupported` error, for the
/// rest.
pub trait Render {
    fn format(&self) -> Format;
    /// Ranked passages; `offset` numbers them from where the page starts.
    fn search(&mut self, r: &SearchResults, offset: usize) -> io::Result<()>;
    fn docs(&mut self, docs: &[StoredDoc]) -> io::Result<()>;
    fn facets(&mut self, counts: &FacetCounts, fields: &[FacetField]) -> io::Result<()>;
    /// Incidents (`durand events`); `total` counts them before the limit.
    fn events(&mut self, events: &[Incident], total: usize) -> io::Result<()>;
    fn timeline(&mut self, t: &Timeline) -> io::Result<()>;
    /// Counts per query line (`durand search --batch`), taken as they are counted: the row
    /// formats write each at once, the others when all are in.
    fn batch(&mut self, rows: &mut dyn Iterator<Item = BatchRow>) -> io::Result<()>;
    fn flush(&mut self) -> io::Result<()>;

    /// One document; `raw` adds what cleaning removed.
    fn show(
        &mut self,
        _doc: &StoredDoc,
        _passages: &[StoredPassage],
        _raw: bool,
    ) -> io::Result<()> {
        Err(unsupported("a document", self.format()))
    }
    fn sync_summary(&mut self, _s: &SyncSummary) -> io::Result<()> {
        Err(unsupported("an indexing summary", self.format()))
    }
    fn bench(&mut self, _r: &BenchReport, _index: &str) -> io::Result<()> {
        Err(unsupported("a benchmark", self.format()))
    }
    fn eval(&mut self, _r: &EvalReport) -> io::Result<()> {
        Err(unsupported("an evaluation", self.format()))
    }
    /// Tagging quality (`durand eval --tags`).
    fn tag_eval(&mut self, _r: &TagReport) -> io::Result<()> {
        Err(unsupported("an evaluation", self.format()))
    }
    /// Figure, event-type and incident quality (`durand eval --events`).
    fn event_eval(&mut self, _r: &EventReport) -> io::Result<()> {
        Err(unsupported("an evaluation", self.format()))
    }
    /// The saved searches (`durand saved list`).
    fn saved(&mut self, _rows: &[SavedRow]) -> io::Result<()> {
        Err(unsupported("saved searches", self.format()))
    }
    /// What is new per saved search (`durand alerts`), and the saved searches that no longer
    /// run.
    fn alerts(&mut self, _alerts: &[Alert], _broken: &[Broken]) -> io::Result<()> {
        Err(unsupported("alerts", self.format()))
    }
    /// What `durand push` sent.
    fn push_summary(&mut self, _s: &PushSummary) -> io::Result<()> {
        Err(unsupported("a push summary", self.format()))
    }
}

/// How text output looks: colour, and titles as OSC 8 hyperlinks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
    pub links: bool,
}

/// The writer of `format` over `out`; `style` applies to text only.
pub fn writer<'a, W: Write + 'a>(format: Format, out: W, style: Style) -> Box<dyn Render + 'a> {
    match format {
        Format::Text => Box::new(terminal::Terminal::new(
            Styled::new(out, style.color),
            style.links,
        )),
        Format::Json => Box::new(json::Json::new(out)),
        Format::Jsonl => Box::new(jsonl::Jsonl::new(out)),
        Format::Csv => Box::new(csv::Csv::new(out)),
    }
}

/// A writer that emits ANSI colour codes or not.
pub enum Styled<W: Write> {
    Color(Ansi<W>),
    Plain(NoColor<W>),
}

impl<W: Write> Styled<W> {
    pub fn new(inner: W, color: bool) -> Self {
        if color {
            Styled::Color(Ansi::new(inner))
        } else {
            Styled::Plain(NoColor::new(inner))
        }
    }
}

impl<W: Write> Styled<W> {
    fn inner(&mut self) -> &mut dyn Write {
        match self {
            Styled::Color(w) => w,
            Styled::Plain(w) => w,
        }
    }

    /// The writer under the colours, for escape sequences of durand's own.
    fn raw(&mut self) -> &mut W {
        match self {
            Styled::Color(w) => w.get_mut(),
            Styled::Plain(w) => w.get_mut(),
        }
    }
}

/// Text goes out with its control characters shown as `�` (a file name, an id or a source
/// holding an escape sequence must not drive the terminal); colours and links, which durand
/// writes itself, go around this.
impl<W: Write> Write for Styled<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match std::str::from_utf8(buf) {
            Ok(text) if text.chars().any(crate::text::is_unprintable) => {
                self.inner()
                    .write_all(crate::text::printable(text).as_bytes())?;
                Ok(buf.len())
            }
            _ => self.inner().write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Styled::Color(w) => w.flush(),
            Styled::Plain(w) => w.flush(),
        }
    }
}

impl<W: Write> WriteColor for Styled<W> {
    fn supports_color(&self) -> bool {
        matches!(self, Styled::Color(_))
    }

    fn set_color(&mut self, spec: &termcolor::ColorSpec) -> io::Result<()> {
        match self {
            Styled::Color(w) => w.set_color(spec),
            Styled::Plain(w) => w.set_color(spec),
        }
    }

    fn reset(&mut self) -> io::Result<()> {
        match self {
            Styled::Color(w) => w.reset(),
            Styled::Plain(w) => w.reset(),
        }
    }

    /// Links are written whether colours are or not (`--hyperlink` is its own switch).
    fn supports_hyperlinks(&self) -> bool {
        true
    }

    fn set_hyperlink(&mut self, link: &HyperlinkSpec) -> io::Result<()> {
        let raw = self.raw();
        raw.write_all(b"\x1b]8;;")?;
        if let Some(uri) = link.uri() {
            raw.write_all(uri)?;
        }
        raw.write_all(b"\x1b\\")
    }
}
