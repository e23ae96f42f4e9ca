//! Progress and warnings on stderr: an indicatif spinner once a run has lasted about a
//! second (only when stderr is a terminal) counting documents and bytes, warnings as
//! `durand: warning: …` lines — a flood of the same warning summarised after the first few —
//! and nothing at all with `--quiet`.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{HumanBytes, HumanCount, ProgressBar, ProgressStyle};

use crate::report::{Reporter, Warning};

/// How long a run goes before a spinner appears.
const SHOW_AFTER: Duration = Duration::from_secs(1);
/// How many warnings with the same message are printed before the rest are only counted.
const SAME_WARNINGS_SHOWN: usize = 5;

pub(crate) struct StderrReporter {
    quiet: bool,
    interactive: bool,
    state: Mutex<State>,
}

struct State {
    started: Instant,
    label: String,
    /// Steps of the phase, when known (passages to embed): a bar with an estimate instead
    /// of a spinner.
    total: Option<u64>,
    documents: u64,
    bytes: u64,
    bar: Option<ProgressBar>,
    /// Warnings seen per message (the part after the file name).
    seen: HashMap<String, usize>,
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
                total: None,
                documents: 0,
                bytes: 0,
                bar: None,
                seen: HashMap::new(),
            }),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn print(state: &State, line: &str) {
        match &state.bar {
            Some(bar) => bar.println(line),
            None => {
                let _ = writeln!(std::io::stderr().lock(), "{line}");
            }
        }
    }

    /// Prints how many warnings of each message were not shown, and forgets them.
    pub fn summarize_warnings(&self) {
        if self.quiet {
            return;
        }
        let mut state = self.state();
        let mut hidden: Vec<(String, usize)> = state
            .seen
            .drain()
            .filter(|(_, n)| *n > SAME_WARNINGS_SHOWN)
            .map(|(message, n)| (message, n - SAME_WARNINGS_SHOWN))
            .collect();
        hidden.sort();
        for (message, n) in hidden {
            let more = HumanCount(n as u64);
            Self::print(
                &state,
                &format!("durand: warning: … and {more} more like that: {message}"),
            );
        }
    }
}

impl Reporter for StderrReporter {
    fn warn(&self, warning: Warning) {
        if self.quiet {
            return;
        }
        let mut state = self.state();
        let seen = state.seen.entry(warning.message.clone()).or_insert(0);
        *seen += 1;
        if *seen > SAME_WARNINGS_SHOWN {
            return;
        }
        Self::print(&state, &format!("durand: warning: {warning}"));
    }

    fn start(&self, label: &str, total: Option<u64>) {
        let mut s = self.state();
        s.started = Instant::now();
        s.label = label.to_string();
        s.total = total;
        s.documents = 0;
        s.bytes = 0;
    }

    fn advance(&self, documents: u64, bytes: u64) {
        if !self.interactive {
            return;
        }
        let mut s = self.state();
        s.documents += documents;
        s.bytes += bytes;
        if s.bar.is_none() && s.started.elapsed() >= SHOW_AFTER {
            let bar = match s.total {
                Some(total) => ProgressBar::new(total).with_style(
                    ProgressStyle::with_template(
                        "{msg} {wide_bar} {human_pos}/{human_len}, {elapsed}, {eta} left",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
                ),
                None => ProgressBar::new_spinner().with_style(
                    ProgressStyle::with_template("{spinner} {msg}, {elapsed}")
                        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                ),
            };
            bar.enable_steady_tick(Duration::from_millis(120));
            s.bar = Some(bar);
        }
        if let (Some(bar), Some(_)) = (&s.bar, s.total) {
            bar.set_position(s.documents);
            bar.set_message(s.label.clone());
        } else if let Some(bar) = &s.bar {
            bar.set_message(format!(
                "{}: {} documents, {}",
                s.label,
                HumanCount(s.documents),
                HumanBytes(s.bytes)
            ));
        }
    }

    fn finish(&self) {
        if let Some(bar) = self.state().bar.take() {
            bar.finish_and_clear();
        }
        self.summarize_warnings();
    }
}
