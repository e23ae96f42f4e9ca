//! Long output on a terminal goes through a pager, as git and man do: `$PAGER` (split like a
//! shell would), else `less` with `LESS=FRX` when `LESS` is unset (quit when it fits on one
//! screen, keep colours, leave the text on the screen). `less` is always given `-R`, so a
//! user's `LESS` without it still shows colours and links rather than their escape codes
//! (the user's other settings stay). Never when stdout is not a terminal,
//! with `--no-pager`, or when `PAGER` is set but empty; a pager that cannot start is skipped,
//! and one that fails (`PAGER=false`) is named on stderr, since what it was given is lost.

use std::io::{self, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};

/// Set when a pager failed: what it was given may not have been shown (`alerts` must then
/// not mark it seen).
static FAILED: AtomicBool = AtomicBool::new(false);

/// Whether a pager of this process failed (known once its output was dropped).
pub(crate) fn failed() -> bool {
    FAILED.load(Ordering::Relaxed)
}

/// A running pager; what is written goes to its input. Dropping it closes the input and
/// waits for the reader to quit.
pub(crate) struct Pager {
    child: Child,
    input: Option<ChildStdin>,
    /// Its program, to name it when it fails.
    program: String,
}

/// The pager's command line: `$PAGER` or `less`; `None` when `PAGER` is set to nothing.
fn command_line() -> Option<Vec<String>> {
    match std::env::var("PAGER") {
        Ok(p) if p.trim().is_empty() => None,
        Ok(p) => shlex::split(&p).filter(|w| !w.is_empty()),
        Err(_) => Some(vec!["less".to_string()]),
    }
}

/// Whether `program` (as `$PAGER` names it) is `less`, which shows colour and link escapes
/// only with `-R`.
fn is_less(program: &str) -> bool {
    std::path::Path::new(program)
        .file_stem()
        .is_some_and(|name| name == "less")
}

impl Pager {
    /// Starts the pager, or `None` when there is none to start.
    pub fn start() -> Option<Pager> {
        let words = command_line()?;
        let mut command = Command::new(&words[0]);
        // Before the user's own options, which may still change it (`less -r`).
        if is_less(&words[0]) {
            command.arg("-R");
        }
        command.args(&words[1..]).stdin(Stdio::piped());
        if std::env::var_os("LESS").is_none() {
            command.env("LESS", "FRX");
        }
        let mut child = command.spawn().ok()?;
        let input = child.stdin.take();
        Some(Pager {
            child,
            input,
            program: words[0].clone(),
        })
    }
}

impl Write for Pager {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.input {
            Some(input) => input.write(buf),
            None => Err(io::ErrorKind::BrokenPipe.into()),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.input {
            Some(input) => input.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for Pager {
    fn drop(&mut self) {
        drop(self.input.take());
        // A reader who quits early is a success (less exits 0); a pager that failed, or quit
        // without reading, has lost the output, and silence would hide it.
        if let Ok(status) = self.child.wait()
            && let Some(code) = status.code()
            && code != 0
        {
            FAILED.store(true, Ordering::Relaxed);
            super::note(format!(
                "the pager `{}` failed (exit status {code}), so the output may not have been \
                 shown; `--no-pager` (or `PAGER=` set empty) prints it directly",
                self.program
            ));
        }
    }
}
