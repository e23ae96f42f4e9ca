//! The command layer: one function per subcommand, each turning checked arguments into calls
//! on the library and its output into stdout/stderr. This is the only layer that uses
//! `anyhow` and the only one that touches the process's standard streams.

mod bench;
mod docs;
mod eval;
mod events;
mod export;
mod facets;
mod index;
mod options;
mod pager;
mod process;
mod progress;
mod push;
mod remote;
mod saved;
mod search;
mod show;
mod similar;
mod timeline;
mod watch;

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::CommandFactory;

use crate::cli::{Cli, ColorWhen, Command, SavedCommand};
use crate::index::DEFAULT_DIR;
use crate::render::{Format, Render, Style, writer};
use crate::text::printable;

/// Sets what the whole process runs with (see `process`).
///
/// # Safety
/// It writes the environment: call it before the process starts a second thread.
pub unsafe fn set_process_defaults() {
    // SAFETY: passed on to the caller.
    unsafe { process::one_model_thread_per_pass() };
    // SAFETY: passed on to the caller.
    unsafe { empty_options_unset() };
    process::quiet_panics();
}

/// The environment variables options fall back to (`DURAND_INDEX` …), by option (`--index`).
fn option_variables() -> Vec<(String, std::ffi::OsString)> {
    Cli::command()
        .get_arguments()
        .filter_map(|a| Some((format!("--{}", a.get_long()?), a.get_env()?.to_os_string())))
        .collect()
}

/// An option's environment variable set to nothing counts as not set (as an empty `PAGER`
/// does), rather than as an empty `--index`.
///
/// # Safety
/// It writes the environment: call it before the process starts a second thread.
unsafe fn empty_options_unset() {
    // Every run passes here: the command tree is built only when there is something to unset.
    let empty = |(name, value): (std::ffi::OsString, std::ffi::OsString)| {
        value.is_empty() && name.to_string_lossy().starts_with("DURAND_")
    };
    if !std::env::vars_os().any(empty) {
        return;
    }
    for (_, var) in option_variables() {
        if std::env::var_os(&var).is_some_and(|v| v.is_empty()) {
            // SAFETY: the caller promises that no other thread exists to read the environment.
            unsafe { std::env::remove_var(&var) };
        }
    }
}

/// Runs a parsed command line. `Ok` carries grep's exit code: 0 found, 1 nothing found. A
/// panic comes back as an error that names it and the repair for a damaged index.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    process::check_model_threads()?;
    let ctx = Context::new(&cli);
    let command = cli.command;
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| dispatch(&ctx, command))) {
        // A read that stopped on one of tantivy's own errors, whichever command it was: when
        // a file of the index fails its checksum, that is the answer, with the repair.
        Ok(Err(e)) => match e
            .chain()
            .find_map(|c| c.downcast_ref::<tantivy::TantivyError>())
        {
            Some(raw) => {
                let cause = format!("{raw:?}");
                Err(crate::index::diagnose(&ctx.dir, Some(cause)).map_or(e, Into::into))
            }
            None => Err(e),
        },
        Ok(done) => done,
        Err(_) => {
            let panic = process::last_panic();
            let what = panic
                .as_ref()
                .map_or_else(|| "a panic".to_string(), |p| p.what.clone());
            // Rust's own report, for `--verbose`.
            let report = panic.map(|p| match p.backtrace {
                Some(backtrace) => format!("panicked: {}\n{backtrace}", p.what),
                None => format!("panicked: {}", p.what),
            });
            // A sound index never stops a read: the same answer.
            if let Some(damage) = crate::index::diagnose(&ctx.dir, report.clone()) {
                return Err(damage.into());
            }
            let path = crate::index::shown(&ctx.dir);
            Err(Panicked {
                message: format!(
                    "stopped by an internal error ({what}); if the index is damaged, `{}` repairs it",
                    crate::index::index_command(&path, " --rebuild")
                ),
                report,
            }
            .into())
        }
    }
}

/// A panic [`run`] caught that no damage explains: one line, and with `--verbose` Rust's
/// own report below it.
struct Panicked {
    message: String,
    report: Option<String>,
}

impl std::fmt::Display for Panicked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::fmt::Debug for Panicked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)?;
        match &self.report {
            Some(report) => write!(f, "\n  {report}"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for Panicked {}

fn dispatch(ctx: &Context, command: Command) -> anyhow::Result<ExitCode> {
    // These touch the index folder's own files before opening the index (which checks).
    if matches!(
        command,
        Command::Watch(_) | Command::Saved(_) | Command::Alerts(_)
    ) {
        crate::index::check_folder(&ctx.dir)?;
    }
    match command {
        Command::Index(args) => index::run(ctx, args),
        Command::Watch(args) => watch::run(ctx, args),
        Command::Search(args) => search::run(ctx, args),
        Command::Show(args) => show::run(ctx, args),
        Command::Similar(args) => similar::run(ctx, args),
        Command::Saved(SavedCommand::Add(args)) => saved::add(ctx, args),
        Command::Saved(SavedCommand::List(args)) => saved::list(ctx, args),
        Command::Saved(SavedCommand::Rm(args)) => saved::rm(ctx, args),
        Command::Alerts(args) => saved::alerts(ctx, args),
        Command::Docs(args) => docs::run(ctx, args),
        Command::Facets(args) => facets::run(ctx, args),
        Command::Events(args) => events::run(ctx, args),
        Command::Timeline(args) => timeline::run(ctx, args),
        Command::Bench(args) => bench::run(ctx, args),
        Command::Eval(args) => eval::run(ctx, args),
        Command::Push(args) => push::run(ctx, args),
        Command::Export(args) => export::run(ctx, args),
        Command::Completions(args) => {
            // Made in memory first: clap_complete panics when its writer fails (a closed
            // pipe); writing it here reports that as every command does.
            let mut script = Vec::new();
            clap_complete::generate(args.shell, &mut Cli::command(), "durand", &mut script);
            let mut out = stdout();
            out.write_all(&script)?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Man(args) => man(args),
    }
}

/// `durand man`: one command's manual page on stdout, or every page into a folder.
fn man(args: crate::cli::ManArgs) -> anyhow::Result<ExitCode> {
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    if let Some(dir) = &args.out {
        if std::fs::metadata(dir).is_ok_and(|m| !m.is_dir()) {
            anyhow::bail!(
                "--out {} is not a folder: give the folder the manual pages go into",
                dir.display()
            );
        }
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        clap_mangen::generate_to(command, dir)
            .with_context(|| format!("writing manual pages into {}", dir.display()))?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut page = command;
    for (depth, name) in args.command.iter().enumerate() {
        let Some(sub) = page.find_subcommand(name).cloned() else {
            let known: Vec<&str> = page.get_subcommands().map(|c| c.get_name()).collect();
            let above = ["durand"]
                .into_iter()
                .chain(args.command[..depth].iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join(" ");
            if known.is_empty() {
                anyhow::bail!(
                    "`{above}` has no commands under it; `durand man {}` is its page",
                    args.command[..depth].join(" ")
                );
            }
            anyhow::bail!(
                "`{above}` has no command {name:?}; it has {}",
                known.join(", ")
            );
        };
        page = sub;
    }
    let mut out = stdout();
    clap_mangen::Man::new(page).render(&mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Reports a command line clap rejected as one `durand: …` line (clap's tip folded into it)
/// and, at most, its usage line; `--help` and `--version` print as clap prints them.
pub fn usage_error(err: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if err.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        // A command group without its command (`durand saved`): which ones it has, not the
        // whole help.
        let (_, usage) = one_line_usage_error(&err.render().to_string());
        if let Some(group) = usage.as_deref().and_then(command_of) {
            let names: Vec<&str> = group
                .get_subcommands()
                .filter(|c| !c.is_hide_set() && c.get_name() != "help")
                .map(|c| c.get_name())
                .collect();
            let path = group.get_bin_name().unwrap_or("durand");
            let mut stderr = io::stderr().lock();
            let _ = writeln!(
                stderr,
                "durand: `{path}` needs a command: {}",
                names.join(", ")
            );
            if let Some(usage) = usage {
                let _ = writeln!(stderr, "{usage}");
            }
            return ExitCode::from(2);
        }
    }
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        return match err.print() {
            Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
                let _ = writeln!(io::stderr().lock(), "durand: writing the help: {e}");
                ExitCode::from(2)
            }
            _ => ExitCode::from(err.exit_code().clamp(0, 255) as u8),
        };
    }
    let (mut message, mut usage) = one_line_usage_error(&err.render().to_string());
    // clap's usage after an unknown argument puts the one it suggests in as if it were
    // required ("usage: durand similar --hyperlink <WHEN> <DOC>"): the command's own usage.
    if err.kind() == clap::error::ErrorKind::UnknownArgument {
        usage = usage.map(|u| plain_usage(&u).unwrap_or(u));
    }
    // A value the command line does not hold came from the option's environment variable:
    // say so, or the user looks for an option they never gave.
    if let Some(clap::error::ContextValue::String(arg)) =
        err.get(clap::error::ContextKind::InvalidArg)
    {
        let option = arg.split([' ', '=']).next().unwrap_or_default();
        let given = std::env::args_os()
            .skip(1)
            .take_while(|a| a != "--")
            .any(|a| {
                let a = a.to_string_lossy();
                a == option || a.starts_with(&format!("{option}="))
            });
        if let Some((_, var)) = option_variables()
            .into_iter()
            .find(|(long, _)| long == option)
            .filter(|_| !given)
        {
            message = format!(
                "${} (standing for {option}): {message}",
                var.to_string_lossy()
            );
        }
    }
    let mut stderr = io::stderr().lock();
    let _ = writeln!(stderr, "durand: {message}");
    if let Some(usage) = usage {
        let _ = writeln!(stderr, "{usage}");
    }
    ExitCode::from(2)
}

/// The usage line of the command `usage` (as [`one_line_usage_error`] gives it) is about,
/// as `--help` shows it.
fn plain_usage(usage: &str) -> Option<String> {
    let mut page = command_of(usage)?;
    let rendered = page.render_usage().to_string();
    let line = rendered.trim().strip_prefix("Usage: ")?;
    Some(format!("usage: {line} (see --help)"))
}

/// The command (or group) a usage line (as [`one_line_usage_error`] gives it) is about,
/// built (so that it knows its full name, `durand saved`).
fn command_of(usage: &str) -> Option<clap::Command> {
    let mut command = Cli::command();
    command.build();
    let mut words = usage.strip_prefix("usage: durand")?.split_whitespace();
    let mut page = command;
    while let Some(sub) = words.next().and_then(|w| page.find_subcommand(w).cloned()) {
        page = sub;
    }
    Some(page)
}

/// clap's rendered error (`error: …`, blank lines, `tip: …`, `Usage: …`, `For more
/// information…`) as one message line and the usage line, if any.
pub(crate) fn one_line_usage_error(rendered: &str) -> (String, Option<String>) {
    let mut message = String::new();
    let mut tips = Vec::new();
    let mut usage = None;
    // The lines that continue the error (the missing arguments, the possible values) until
    // the first blank line.
    let mut continues = false;
    for line in rendered.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("error: ") {
            message = rest.to_string();
            continues = true;
        } else if let Some(rest) = line.strip_prefix("tip: ") {
            tips.push(rest.to_string());
        } else if let Some(rest) = line.strip_prefix("Usage: ") {
            usage = Some(format!("usage: {rest} (see --help)"));
        } else if line.is_empty() {
            continues = false;
        } else if continues {
            message = format!("{} {line}", message.trim_end());
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
    let _ = writeln!(stderr, "durand: {}", printable(&one_line(err)));
    if verbose {
        for cause in err.chain() {
            let index_error = cause
                .downcast_ref::<crate::index::IndexError>()
                .or_else(
                    || match cause.downcast_ref::<crate::search::SearchError>() {
                        Some(crate::search::SearchError::Open(e)) => Some(e),
                        _ => None,
                    },
                );
            match index_error.and_then(crate::index::IndexError::details) {
                // (its debug form would repeat the details, a backtrace among them)
                Some(details) => {
                    let _ = writeln!(stderr, "  {cause}\n  caused by: {details}");
                }
                None => {
                    let _ = writeln!(stderr, "  {cause:?}");
                }
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
    /// Colour and hyperlinks in text output.
    pub style: Style,
    /// Long text output may go through a pager (stdout is a terminal, no `--no-pager`).
    pub page: bool,
    /// The embedding model's folder, when `--model` or `$DURAND_MODEL` named one.
    pub model: Option<PathBuf>,
}

/// Whether `when` is on, `auto` meaning "stdout is a terminal" (and `auto_too`).
fn on(when: ColorWhen, auto_too: bool) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => auto_too && io::stdout().is_terminal(),
    }
}

impl Context {
    fn new(cli: &Cli) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
        let style = Style {
            color: on(cli.color, !no_color),
            links: on(cli.hyperlink, !dumb),
        };
        Context {
            dir: cli
                .index
                .clone()
                .unwrap_or_else(|| PathBuf::from(DEFAULT_DIR)),
            explicit_dir: cli.index.is_some(),
            style,
            page: !cli.no_pager && io::stdout().is_terminal(),
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
        writer(format, io::BufWriter::new(stdout()), self.style)
    }

    /// The same for output that may be long (results, lists, documents): through a pager
    /// when it is text on a terminal.
    pub fn paged_output(&self, format: Format) -> Box<dyn Render> {
        if self.page
            && format == Format::Text
            && let Some(pager) = pager::Pager::start()
        {
            return writer(format, io::BufWriter::new(pager), self.style);
        }
        self.output(format)
    }
}

/// Standard output, whose errors say that they are standard output's ("writing to standard
/// output: No space left on device"); a closed pipe stays a plain broken pipe, which ends a
/// command quietly.
pub(crate) struct Stdout(io::StdoutLock<'static>);

pub(crate) fn stdout() -> Stdout {
    Stdout(io::stdout().lock())
}

impl Stdout {
    fn named(e: io::Error) -> io::Error {
        if e.kind() == io::ErrorKind::BrokenPipe {
            return e;
        }
        io::Error::new(e.kind(), format!("writing to standard output: {e}"))
    }
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf).map_err(Self::named)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush().map_err(Self::named)
    }
}

/// Writes a note for the user on stderr, ignoring failures (stderr may be closed too).
pub(crate) fn note(message: impl std::fmt::Display) {
    let message = message.to_string();
    let _ = writeln!(io::stderr().lock(), "durand: {}", printable(&message));
}

/// The default folder that a fresh clone indexes on first use.
pub(crate) const DEFAULT_SOURCE: &str = "seeds";

pub(crate) fn default_source() -> Option<&'static Path> {
    let p = Path::new(DEFAULT_SOURCE);
    p.is_dir().then_some(p)
}
