//! Progress and warnings on stderr: an indicatif spinner once a run has lasted about a
//! second (only when stderr is a terminal), warnings as `durand: warning: …` lines, and
//! nothing at all with `--quiet`.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::report::{Reporter, Warning};

/// How long a run goes before a spinner appears.
const SHOW_AFTER: Duration = Duration::from_secs(1);

pub(crate) struct StderrReporter {
    quiet: bool,
    interactive: bool,
    state: Mutex<State>,
}

struct State {
    started: Instant,
    label: String,
    done: u64,
    bar: Option<ProgressBar>,
}

impl StderrReporter {
    /// `progress` allows the spinner (off for `--json` and `--quiet`).
    pub fn new(quiet: bool, progress: bool) -> Self {
        StderrReporter {
            quiet,
            interactive: progress && !quiet && std::io::stderr().is_terminal(),
            state: Mutex::new(State {
                started: Instant::now(),
                label: String::new(),
                done: 0,
                bar: None,
            }),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Reporter for StderrReporter {
    fn warn(&self, warning: Warning) {
        if self.quiet {
            return;
        }
        let line = format!("durand: warning: {warning}");
        let state = self.state();
        match &state.bar {
            Some(bar) => bar.println(line),
            None => {
                let _ = writeln!(std::io::stderr().lock(), "{line}");
            }
        }
    }

    fn start(&self, label: &str, _total: Option<u64>) {
        let mut s = self.state();
        s.started = Instant::now();
        s.label = label.to_string();
        s.done = 0;
    }

    fn advance(&self, steps: u64) {
        if !self.interactive {
            return;
        }
        let mut s = self.state();
        s.done += steps;
        if s.bar.is_none() && s.started.elapsed() >= SHOW_AFTER {
            let bar = ProgressBar::new_spinner().with_style(
                ProgressStyle::with_template("{spinner} {msg}: {human_pos} documents, {elapsed}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.set_message(s.label.clone());
            bar.enable_steady_tick(Duration::from_millis(120));
            s.bar = Some(bar);
        }
        let done = s.done;
        if let Some(bar) = &s.bar {
            bar.set_position(done);
        }
    }

    fn finish(&self) {
        if let Some(bar) = self.state().bar.take() {
            bar.finish_and_clear();
        }
    }
}
