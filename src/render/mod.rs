//! Writers that turn results into text for a terminal or JSON for scripts. Every function
//! takes any `io::Write` (or `termcolor::WriteColor` for colour), so tests render into a
//! `Vec<u8>` and benches into `io::sink()`; nothing here knows about stdout.

pub mod json;
pub mod terminal;

use std::io::{self, Write};

use termcolor::{Ansi, NoColor, WriteColor};

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
