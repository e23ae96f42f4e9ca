//! The command layer: one function per subcommand, each turning checked arguments into calls
//! on the library and its output into stdout/stderr. This is the only layer that uses
//! `anyhow` and the only one that touches the process's standard streams.

mod bench;
mod docs;
mod eval;
mod facets;
mod index;
mod progress;
mod search;
mod show;
mod watch;

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::cli::{Cli, ColorWhen, Command};
use crate::index::DEFAULT_DIR;
use crate::render::Styled;

/// Runs a parsed command line. `Ok` carries grep's exit code: 0 found, 1 nothing found.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let ctx = Context::new(&cli);
    match cli.command {
        Command::Index(args) => index::run(&ctx, args),
        Command::Watch(args) => watch::run(&ctx, args),
        Command::Search(args) => search::run(&ctx, args),
        Command::Show(args) => show::run(&ctx, args),
        Command::Docs(args) => docs::run(&ctx, args),
        Command::Facets(args) => facets::run(&ctx, args),
        Command::Bench(args) => bench::run(&ctx, args),
        Command::Eval(args) => eval::run(&ctx, args),
    }
}

/// True when `err` comes from writing into a closed pipe (`durand search x | head -1`).
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// What every subcommand needs to know about its invocation.
pub(crate) struct Context {
    /// The index directory.
    pub dir: PathBuf,
    /// Whether `--index` or `$DURAND_INDEX` named it.
    pub explicit_dir: bool,
    pub color: bool,
}

impl Context {
    fn new(cli: &Cli) -> Self {
        let color = match cli.color {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && io::stdout().is_terminal()
            }
        };
        Context {
            dir: cli
                .index
                .clone()
                .unwrap_or_else(|| PathBuf::from(DEFAULT_DIR)),
            explicit_dir: cli.index.is_some(),
            color,
        }
    }

    /// The index directory as the user should read it (`./index` rather than `index`).
    pub fn shown_dir(&self) -> String {
        crate::index::shown(&self.dir)
    }

    /// A buffered, maybe coloured, stdout.
    pub fn stdout(&self, color: bool) -> Styled<io::BufWriter<io::StdoutLock<'static>>> {
        Styled::new(io::BufWriter::new(io::stdout().lock()), color)
    }
}

/// Writes a note for the user on stderr, ignoring failures (stderr may be closed too).
pub(crate) fn note(message: impl std::fmt::Display) {
    let _ = writeln!(io::stderr().lock(), "durand: {message}");
}

/// The default folder that a fresh clone indexes on first use.
pub(crate) const DEFAULT_SOURCE: &str = "seeds";

pub(crate) fn default_source() -> Option<&'static Path> {
    let p = Path::new(DEFAULT_SOURCE);
    p.is_dir().then_some(p)
}
