//! The command layer: one function per subcommand, each turning checked arguments into calls
//! on the library and its output into stdout/stderr. This is the only layer that uses
//! `anyhow` and the only one that touches the process's standard streams.

mod bench;
mod docs;
mod eval;
mod events;
mod facets;
mod index;
mod options;
mod progress;
mod search;
mod show;
mod timeline;
mod watch;

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::cli::{Cli, ColorWhen, Command};
use crate::index::DEFAULT_DIR;
use crate::render::{Format, Render, writer};

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
        Command::Events(args) => events::run(&ctx, args),
        Command::Timeline(args) => timeline::run(&ctx, args),
        Command::Bench(args) => bench::run(&ctx, args),
        Command::Eval(args) => eval::run(&ctx, args),
    }
}

/// Reports a command line clap rejected as one `durand: …` line (clap's tip folded into it)
/// and, at most, its usage line; `--help` and `--version` print as clap prints them.
pub fn usage_error(err: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = err.print();
        return ExitCode::from(err.exit_code().clamp(0, 255) as u8);
    }
    let (message, usage) = one_line_usage_error(&err.render().to_string());
    let mut stderr = io::stderr().lock();
    let _ = writeln!(stderr, "durand: {message}");
    if let Some(usage) = usage {
        let _ = writeln!(stderr, "{usage}");
    }
    ExitCode::from(2)
}

/// clap's rendered error (`error: …`, blank lines, `tip: …`, `Usage: …`, `For more
/// information…`) as one message line and the usage line, if any.
fn one_line_usage_error(rendered: &str) -> (String, Option<String>) {
    let mut message = String::new();
    let mut tips = Vec::new();
    let mut usage = None;
    for line in rendered.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("error: ") {
            message = rest.to_string();
        } else if let Some(rest) = line.strip_prefix("tip: ") {
            tips.push(rest.to_string());
        } else if let Some(rest) = line.strip_prefix("Usage: ") {
            usage = Some(format!("usage: {rest} (see --help)"));
        }
    }
    if message.is_empty() {
        message = rendered
            .lines()
            .next()
            .unwrap_or("bad arguments")
            .to_string();
    }
    if !tips.is_empty() {
        message = format!("{message} ({})", tips.join("; "));
    }
    (message, usage)
}

/// Prints a failed command's error as one `durand: …` sentence. Causes that only repeat what
/// an outer message already says are dropped and line breaks inside a dependency's message
/// are folded; `--verbose` adds every cause in full on the lines below.
pub fn report_error(err: &anyhow::Error, verbose: bool) {
    let mut stderr = io::stderr().lock();
    let _ = writeln!(stderr, "durand: {}", one_line(err));
    if verbose {
        for cause in err.chain() {
            let _ = writeln!(stderr, "  {cause:?}");
            let index_error = cause
                .downcast_ref::<crate::index::IndexError>()
                .or_else(
                    || match cause.downcast_ref::<crate::search::SearchError>() {
                        Some(crate::search::SearchError::Open(e)) => Some(e),
                        _ => None,
                    },
                );
            if let Some(details) = index_error.and_then(crate::index::IndexError::details) {
                let _ = writeln!(stderr, "  caused by: {details}");
            }
        }
    }
}

/// The error chain as one line without repetitions.
pub(crate) fn one_line(err: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() || out.contains(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
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
    /// The embedding model's folder, when `--model` or `$DURAND_MODEL` named one.
    pub model: Option<PathBuf>,
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
            model: cli.model.clone(),
        }
    }

    /// The index directory as the user should read it (`./index` rather than `index`).
    pub fn shown_dir(&self) -> String {
        crate::index::shown(&self.dir)
    }

    /// The writer of `format` over a buffered stdout: the one place a command's output
    /// format is chosen.
    pub fn output(&self, format: Format) -> Box<dyn Render> {
        writer(format, io::BufWriter::new(io::stdout().lock()), self.color)
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
