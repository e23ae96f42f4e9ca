//! `durand watch [SOURCE…]`: index, then re-index whenever a source file is added, changed or
//! removed (notify, debounced), printing each sync that changed something, until Ctrl-C.
//!
//! A watched folder that is deleted has its documents removed; when it comes back it is
//! watched again and indexed. When another indexer holds the index, the sync waits for it,
//! retrying with backoff (`--once` fails at once instead).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::time::Duration;

use anyhow::Context as _;
use notify_debouncer_full::notify::event::ModifyKind;
use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use super::options::sync_options;
use super::progress::StderrReporter;
use super::{Context, note};
use crate::cli::WatchArgs;
use crate::index::IndexError;
use crate::index::sync::{SyncOptions, SyncSummary, embeds, resolve_sources, sync};
use crate::render::{Format, Style, writer};

/// How often the loop looks at the Ctrl-C flag and at vanished or returned folders.
const POLL: Duration = Duration::from_millis(200);
/// The first and the longest wait before trying again while another indexer runs.
const RETRY_FIRST: Duration = Duration::from_millis(500);
const RETRY_MAX: Duration = Duration::from_secs(30);

/// True for a change durand should react to: below a watched root, not inside the index,
/// and not a hidden entry (a name starting with `.` below the root; the root's own parents
/// may be hidden folders).
fn relevant(path: &Path, roots: &[PathBuf], index_dir: &Path) -> bool {
    if path.starts_with(index_dir) {
        return false;
    }
    roots.iter().any(|root| {
        path.strip_prefix(root).is_ok_and(|rel| {
            !rel.components()
                .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        })
    })
}

/// Prints a sync's summary (one line, flushed at once: another program may be reading).
fn print_summary(summary: &SyncSummary, format: Format) -> anyhow::Result<()> {
    let mut out = writer(format, super::stdout(), Style::default());
    out.sync_summary(summary)?;
    out.flush()?;
    Ok(())
}

/// What one watching session knows.
struct Session<'a> {
    options: SyncOptions,
    reporter: StderrReporter,
    stop: &'a AtomicBool,
    format: Format,
    shown_dir: String,
}

impl Session<'_> {
    /// One sync, waiting out another indexer. Returns false when Ctrl-C interrupted it.
    fn sync(&self, first: bool) -> anyhow::Result<bool> {
        let mut wait = RETRY_FIRST;
        let mut told = false;
        loop {
            let result = sync(&self.options, &self.reporter, Some(self.stop));
            self.reporter.end_run();
            match result {
                Ok(mut summary) => {
                    // The first summary always; later only those that changed something.
                    if first || summary.changed() {
                        summary.alerts =
                            super::saved::new_counts(&self.options.dir, summary.written.as_deref());
                        print_summary(&summary, self.format)?;
                    }
                    return Ok(true);
                }
                Err(IndexError::Interrupted) => return Ok(false),
                Err(IndexError::Locked { .. }) => {
                    if !told {
                        note(format!(
                            "another `durand index` is updating {}; waiting for it (Ctrl-C to stop)",
                            self.shown_dir
                        ));
                        told = true;
                    }
                    if !self.sleep(wait) {
                        return Ok(false);
                    }
                    wait = (wait * 2).min(RETRY_MAX);
                }
                // The first sync must work; later, keep watching: the next change may fix it.
                Err(e) if first => return Err(e.into()),
                Err(e) => {
                    note(super::one_line(&anyhow::Error::new(e)));
                    return Ok(true);
                }
            }
        }
    }

    /// Sleeps `total`, waking early on Ctrl-C. Returns false when stopped.
    fn sleep(&self, total: Duration) -> bool {
        let mut slept = Duration::ZERO;
        while slept < total {
            if self.stop.load(Ordering::SeqCst) {
                return false;
            }
            std::thread::sleep(POLL.min(total - slept));
            slept += POLL;
        }
        !self.stop.load(Ordering::SeqCst)
    }
}

/// A folder the watcher follows: a source folder, or the folder of a source file.
struct Watched {
    source: PathBuf,
    folder: PathBuf,
    mode: RecursiveMode,
    /// The ways events may name the folder (through the path given, or its target).
    names: Vec<PathBuf>,
    /// Whether the folder is being watched. A watch ends with the folder it was set on: when
    /// the folder is deleted (or moved away), even if another is made under its name at once.
    attached: bool,
    /// The folder was seen missing, so its return is news.
    missing: bool,
}

impl Watched {
    fn of(source: &Path) -> Self {
        // A file is watched through its folder: editors and atomic writers replace the file
        // (write a copy, rename it over), which ends a watch on the file itself.
        let (folder, mode) = if source.is_file() {
            let folder = source.parent().filter(|p| !p.as_os_str().is_empty());
            (
                folder.unwrap_or(Path::new(".")).to_path_buf(),
                RecursiveMode::NonRecursive,
            )
        } else {
            (source.to_path_buf(), RecursiveMode::Recursive)
        };
        let names = [
            std::fs::canonicalize(&folder).ok(),
            std::path::absolute(&folder).ok(),
        ]
        .into_iter()
        .flatten()
        .collect();
        Watched {
            source: source.to_path_buf(),
            folder,
            mode,
            names,
            attached: false,
            missing: false,
        }
    }

    /// True when `event` says the folder itself went away (deleted, or moved elsewhere): its
    /// watch went with it. The folder's inode number cannot tell: a folder made again at
    /// once under the same name often gets the same one.
    fn lost_by(&self, event: &notify_debouncer_full::notify::Event) -> bool {
        matches!(
            event.kind,
            EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_))
        ) && event
            .paths
            .iter()
            .any(|p| self.names.iter().any(|n| n == p))
    }
}

type Watcher = Debouncer<RecommendedWatcher, RecommendedCache>;

/// Ends the watches whose folder `events` say went away. Returns true when one did.
fn detach_lost(
    watcher: &mut Watcher,
    folders: &mut [Watched],
    events: &[notify_debouncer_full::DebouncedEvent],
) -> bool {
    let mut lost = false;
    for w in folders.iter_mut().filter(|w| w.attached) {
        if events.iter().any(|e| w.lost_by(e)) {
            let _ = watcher.unwatch(&w.folder);
            w.attached = false;
            lost = true;
        }
    }
    lost
}

/// Watches the folders that exist and are not watched (again), forgets those that vanished.
/// Returns true when anything changed (a sync is due).
fn reattach(watcher: &mut Watcher, folders: &mut [Watched]) -> bool {
    let mut changed = false;
    for w in folders.iter_mut() {
        let exists = w.folder.is_dir();
        // A folder that vanished is reported by the sync this causes (its documents go).
        if w.attached && !exists {
            let _ = watcher.unwatch(&w.folder);
            w.attached = false;
            changed = true;
        }
        if !w.attached && exists && watcher.watch(&w.folder, w.mode).is_ok() {
            w.attached = true;
            changed = true;
            if w.missing {
                note(format!("{} is back; indexing it", w.source.display()));
            }
        }
        w.missing = !exists;
    }
    changed
}

pub(crate) fn run(ctx: &Context, args: WatchArgs) -> anyhow::Result<ExitCode> {
    let mut options = sync_options(ctx, &args.index);
    let sources: Vec<PathBuf> = resolve_sources(&options)?;
    options.sources = sources.clone();
    if embeds(&options) {
        super::process::keep_freed_memory();
    }
    if args.once {
        let reporter = StderrReporter::new(args.index.quiet, !args.index.output.json);
        let mut summary = sync(&options, &reporter, None)
            .with_context(|| format!("indexing into {}", ctx.shown_dir()))?;
        summary.alerts = super::saved::new_counts(&ctx.dir, summary.written.as_deref());
        print_summary(&summary, args.index.output.format())?;
        return Ok(ExitCode::SUCCESS);
    }

    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst))
            .context("installing the Ctrl-C handler")?;
    }
    std::fs::create_dir_all(&ctx.dir).ok();
    let index_dir = std::fs::canonicalize(&ctx.dir).unwrap_or_else(|_| ctx.dir.clone());
    // Events may name a path through the link the user gave or through its target.
    let roots: Vec<PathBuf> = sources
        .iter()
        .flat_map(|s| [std::fs::canonicalize(s).ok(), std::path::absolute(s).ok()])
        .flatten()
        .collect();

    // Watch before the first sync, so nothing changed meanwhile goes unnoticed.
    let (tx, rx) = channel::<DebounceEventResult>();
    let debounce = Duration::from_millis(args.debounce as u64);
    let mut watcher = new_debouncer(debounce, None, tx).context("starting the file watcher")?;
    let mut folders: Vec<Watched> = sources.iter().map(|s| Watched::of(s)).collect();
    for w in &mut folders {
        // A source that is gone is said as `durand index` says it, not as the watcher does.
        if !w.source.exists() {
            return Err(crate::corpus::CorpusError::Missing(w.source.display().to_string()).into());
        }
        watcher
            .watch(&w.folder, w.mode)
            .with_context(|| format!("watching {}", w.source.display()))?;
        w.attached = true;
    }
    let session = Session {
        options,
        reporter: StderrReporter::new(args.index.quiet, !args.index.output.json).for_runs(),
        stop: &stop,
        format: args.index.output.format(),
        shown_dir: ctx.shown_dir(),
    };
    if !session.sync(true)? {
        note("stopped");
        return Ok(ExitCode::SUCCESS);
    }
    // Later syncs only apply changes, and a source that vanished holds nothing.
    let mut session = session;
    session.options.rebuild = false;
    session.options.allow_missing = true;
    let names: Vec<String> = sources.iter().map(|s| s.display().to_string()).collect();
    note(format!(
        "watching {} for changes (Ctrl-C to stop)",
        names.join(", ")
    ));

    while !stop.load(Ordering::SeqCst) {
        let due = match rx.recv_timeout(POLL) {
            Ok(Ok(events)) => {
                let lost = detach_lost(&mut watcher, &mut folders, &events);
                // Reading a file is not changing it (indexing itself opens every file).
                lost || events.iter().any(|e| {
                    !matches!(e.kind, EventKind::Access(_))
                        && e.paths.iter().any(|p| relevant(p, &roots, &index_dir))
                })
            }
            Ok(Err(errors)) => {
                for e in errors {
                    note(format!("watch error: {e}"));
                }
                false
            }
            Err(RecvTimeoutError::Timeout) => false,
            Err(RecvTimeoutError::Disconnected) => break,
        };
        let due = reattach(&mut watcher, &mut folders) || due;
        if due && !session.sync(false)? {
            break;
        }
    }
    note("stopped");
    Ok(ExitCode::SUCCESS)
}
