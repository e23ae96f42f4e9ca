//! Long output on a terminal goes through a pager, as git and man do: `$PAGER` (split like a
//! shell would), else `less` with `LESS=FRX` when `LESS` is unset (quit when it fits on one
//! screen, keep colours, leave the text on the screen). Never when stdout is not a terminal,
//! with `--no-pager`, or when `PAGER` is set but empty; a pager that cannot start is skipped.

use std::io::{self, Write};
use std::process::{Child, ChildStdin, Command, Stdio};

/// A running pager; what is written goes to its input. Dropping it closes the input and
/// waits for the reader to quit.
pub(crate) struct Pager {
    child: Child,
    input: Option<ChildStdin>,
}

/// The pager's command line: `$PAGER` or `less`; `None` when `PAGER` is set to nothing.
fn command_line() -> Option<Vec<String>> {
    match std::env::var("PAGER") {
        Ok(p) if p.trim().is_empty() => None,
        Ok(p) => shlex::split(&p).filter(|w| !w.is_empty()),
        Err(_) => Some(vec!["less".to_string()]),
    }
}

impl Pager {
    /// Starts the pager, or `None` when there is none to start.
    pub fn start() -> Option<Pager> {
        let words = command_line()?;
        let mut command = Command::new(&words[0]);
        command.args(&words[1..]).stdin(Stdio::piped());
        if std::env::var_os("LESS").is_none() {
            command.env("LESS", "FRX");
        }
        let mut child = command.spawn().ok()?;
        let input = child.stdin.take();
        Some(Pager { child, input })
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
        let _ = self.child.wait();
    }
}
