//! Progress and warnings on stderr: an indicatif spinner once a run has lasted about a
//! second (only when stderr is a terminal) counting documents and bytes — shown by a timer,
//! so that a run busy with one huge document shows it is alive —, warnings as
//! `durand: warning: …` lines — a flood of warnings of one kind (the same message but for an
//! id or a file name) summarised after the first few,
//! and in `durand watch` a warning that persists from one run to the next shown once — and
//! nothing at all with `--quiet`.

use std::collections::{HashMap, HashSet};
use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use indicatif::{HumanBytes, HumanCount, ProgressBar, ProgressStyle};

use crate::report::{Reporter, Warning};

/// How long a run goes before a spinner appears.
const SHOW_AFTER: Duration = Duration::from_secs(1);
/// How many warnings of one kind are printed before the rest are only counted.
const SAME_WARNINGS_SHOWN: usize = 5;

pub(crate) struct StderrReporter {
    quiet: bool,
    interactive: bool,
    /// Shared with the timer that shows the spinner of a phase still running after
    /// [`SHOW_AFTER`].
    state: Arc<Mutex<State>>,
    /// Where a spinner draws (stderr; hidden in tests).
    target: fn() -> indicatif::ProgressDrawTarget,
    /// Runs follow one another (`durand watch`): a warning the previous run gave is not
    /// repeated.
    runs: bool,
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
    /// Counts phases, so that a timer shows the spinner of its own phase only.
    phase: u64,
    /// Warnings seen per kind (their message without what varies).
    seen: HashMap<String, usize>,
    /// With `runs`, the warnings of the previous run and of this one, whole.
    previous_run: HashSet<String>,
    this_run: HashSet<String>,
}

impl StderrReporter {
    /// `progress` allows the spinner (off for `--json` and `--quiet`).
    pub fn new(quiet: bool, progress: bool) -> Self {
        StderrReporter {
            quiet,
            interactive: progress && !quiet && std::io::stderr().is_terminal(),
            state: Arc::new(Mutex::new(State {
                started: Instant::now(),
                label: String::new(),
                total: None,
                documents: 0,
                bytes: 0,
                bar: None,
                phase: 0,
                seen: HashMap::new(),
                previous_run: HashSet::new(),
                this_run: HashSet::new(),
            })),
            target: indicatif::ProgressDrawTarget::stderr,
            runs: false,
        }
    }

    /// For runs that follow one another: a warning is shown when it first appears, not again
    /// by each run while its cause persists (a source folder still missing).
    pub fn for_runs(mut self) -> Self {
        self.runs = true;
        self
    }

    /// Ends a run: its warnings are the ones the next run does not repeat.
    pub fn end_run(&self) {
        let mut state = self.state();
        state.previous_run = std::mem::take(&mut state.this_run);
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        lock(&self.state)
    }

    fn print(state: &State, line: &str) {
        // A warning names files and ids as they are: their control characters are shown.
        let line = &*crate::text::printable(line);
        match &state.bar {
            Some(bar) => bar.println(line),
            None => {
                let _ = writeln!(std::io::stderr().lock(), "{line}");
            }
        }
    }

    /// Prints how many warnings of each kind were not shown, and forgets them.
    pub fn summarize_warnings(&self) {
        if self.quiet {
            return;
        }
        let mut state = self.state();
        let mut hidden: Vec<(String, usize)> = state
            .seen
            .drain()
            .filter(|(_, n)| *n > SAME_WARNINGS_SHOWN)
            .map(|(kind, n)| (kind, n - SAME_WARNINGS_SHOWN))
            .collect();
        hidden.sort();
        for (kind, n) in hidden {
            let more = HumanCount(n as u64);
            Self::print(
                &state,
                &format!("durand: warning: … and {more} more like that: {kind}"),
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
        if self.runs {
            let whole = warning.to_string();
            let repeated = state.previous_run.contains(&whole);
            state.this_run.insert(whole);
            if repeated {
                return;
            }
        }
        let seen = state.seen.entry(warning.kind.clone()).or_insert(0);
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
        s.phase += 1;
        if !self.interactive {
            return;
        }
        // The spinner appears after SHOW_AFTER even if nothing advances meanwhile (one huge
        // document being analysed).
        let (state, phase, target) = (Arc::clone(&self.state), s.phase, self.target);
        std::thread::spawn(move || {
            std::thread::sleep(SHOW_AFTER);
            let mut s = lock(&state);
            if s.phase == phase && s.bar.is_none() {
                s.show(target());
                s.redraw();
            }
        });
    }

    fn advance(&self, documents: u64, bytes: u64) {
        if !self.interactive {
            return;
        }
        let mut s = self.state();
        s.documents += documents;
        s.bytes += bytes;
        if s.bar.is_none() && s.started.elapsed() >= SHOW_AFTER {
            s.show((self.target)());
        }
        s.redraw();
    }

    fn finish(&self) {
        let mut s = self.state();
        s.phase += 1;
        if let Some(bar) = s.bar.take() {
            bar.finish_and_clear();
        }
        drop(s);
        self.summarize_warnings();
    }
}

fn lock(state: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

impl State {
    /// Shows the phase's spinner (or bar, when its steps are known), its clock counting
    /// from the phase's start.
    fn show(&mut self, target: indicatif::ProgressDrawTarget) {
        let bar = match self.total {
            Some(total) => ProgressBar::with_draw_target(Some(total), target).with_style(
                ProgressStyle::with_template(
                    "{msg} {wide_bar} {human_pos}/{human_len}, {elapsed}, {eta} left",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            ),
            None => ProgressBar::with_draw_target(None, target).with_style(
                ProgressStyle::with_template("{spinner} {msg}, {elapsed}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            ),
        }
        .with_elapsed(self.started.elapsed());
        bar.enable_steady_tick(Duration::from_millis(120));
        self.bar = Some(bar);
    }

    /// Puts the counts in the spinner's message.
    fn redraw(&self) {
        let Some(bar) = &self.bar else { return };
        if self.total.is_some() {
            bar.set_position(self.documents);
            bar.set_message(self.label.clone());
        } else {
            bar.set_message(format!(
                "{}: {} documents, {}",
                self.label,
                HumanCount(self.documents),
                HumanBytes(self.bytes)
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phase_that_does_not_advance_shows_its_spinner_after_a_second() {
        let mut reporter = StderrReporter::new(false, true);
        reporter.interactive = true;
        reporter.target = indicatif::ProgressDrawTarget::hidden;
        reporter.start("indexing", None);
        std::thread::sleep(SHOW_AFTER + Duration::from_millis(500));
        assert!(
            reporter.state().bar.is_some(),
            "no spinner without an advance"
        );
        reporter.finish();
        assert!(reporter.state().bar.is_none());
        // A phase that ends before the second never shows one.
        reporter.start("pushing", None);
        reporter.finish();
        std::thread::sleep(SHOW_AFTER + Duration::from_millis(500));
        assert!(reporter.state().bar.is_none());
    }

    /// The warnings a reporter printed, by wrapping `warn` in a count of the lines it let
    /// through (the `seen` counts of messages shown).
    fn shown(reporter: &StderrReporter, warning: Warning) -> bool {
        let before: usize = reporter.state().seen.values().sum();
        reporter.warn(warning);
        let after: usize = reporter.state().seen.values().sum();
        after > before
    }

    #[test]
    fn in_runs_a_persisting_warning_is_shown_once_and_again_when_it_comes_back() {
        let gone = || Warning::new("seeds", "does not exist (any more)");
        let other = || Warning::new("news/a.txt", "is not UTF-8");
        let single = StderrReporter::new(false, false);
        assert!(shown(&single, gone()));
        single.end_run();
        assert!(
            shown(&single, gone()),
            "one run after another without for_runs repeats"
        );
        let runs = StderrReporter::new(false, false).for_runs();
        assert!(shown(&runs, gone()) && shown(&runs, other()));
        runs.end_run();
        assert!(!shown(&runs, gone()), "the cause persists: not again");
        runs.end_run();
        // A run without it (the folder is back) ends; when it goes again, it is shown again.
        runs.end_run();
        assert!(shown(&runs, gone()));
        assert!(shown(&runs, other()));
    }
}
