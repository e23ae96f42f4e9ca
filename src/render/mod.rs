//! Writers that turn results into text for a terminal or JSON for scripts: one writer per
//! output format, each implementing [`Render`], chosen once per command ([`writer`]). Every
//! writer takes any `io::Write`, so tests render into a `Vec<u8>` and benches into
//! `io::sink()`; nothing here knows about stdout.
//!
//! A new output format is one new file here implementing [`Render`], one variant of
//! [`Format`] and one arm of [`writer`].

pub mod csv;
pub mod json;
pub mod terminal;

use std::io::{self, Write};

use termcolor::{Ansi, NoColor, WriteColor};

use crate::bench::BenchReport;
use crate::eval::EvalReport;
use crate::eval::events::EventReport;
use crate::eval::tags::TagReport;
use crate::incidents::Incident;
use crate::incidents::timeline::Timeline;
use crate::index::sync::SyncSummary;
use crate::index::{StoredDoc, StoredPassage};
use crate::search::{FacetCounts, FacetField, SearchResults};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For people: aligned text, colour on a terminal.
    Text,
    /// One JSON document per command.
    Json,
}

/// What every command can print, in one format.
pub trait Render {
    /// Ranked passages; `offset` numbers them from where the page starts.
    fn search(&mut self, r: &SearchResults, offset: usize) -> io::Result<()>;
    fn docs(&mut self, docs: &[StoredDoc]) -> io::Result<()>;
    /// One document; `raw` adds what cleaning removed.
    fn show(&mut self, doc: &StoredDoc, passages: &[StoredPassage], raw: bool) -> io::Result<()>;
    fn facets(&mut self, counts: &FacetCounts, fields: &[FacetField]) -> io::Result<()>;
    fn sync_summary(&mut self, s: &SyncSummary) -> io::Result<()>;
    fn bench(&mut self, r: &BenchReport, index: &str) -> io::Result<()>;
    fn eval(&mut self, r: &EvalReport) -> io::Result<()>;
    /// Tagging quality (`durand eval --tags`).
    fn tag_eval(&mut self, r: &TagReport) -> io::Result<()>;
    /// Figure, event-type and incident quality (`durand eval --events`).
    fn event_eval(&mut self, r: &EventReport) -> io::Result<()>;
    /// Incidents (`durand events`); `total` counts them before the limit.
    fn events(&mut self, events: &[Incident], total: usize) -> io::Result<()>;
    fn timeline(&mut self, t: &Timeline) -> io::Result<()>;
    fn flush(&mut self) -> io::Result<()>;
}

/// The writer of `format` over `out`; `color` applies to text only.
pub fn writer<'a, W: Write + 'a>(format: Format, out: W, color: bool) -> Box<dyn Render + 'a> {
    match format {
        Format::Text => Box::new(terminal::Terminal::new(Styled::new(out, color))),
        Format::Json => Box::new(json::Json::new(out)),
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

impl<W: Write> Write for Styled<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Styled::Color(w) => w.write(buf),
            Styled::Plain(w) => w.write(buf),
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
}
