//! `durand watch [SOURCE…]`: index, then re-index whenever a source file is added, changed or
//! removed (notify, debounced), printing each sync's summary, until Ctrl-C.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::time::Duration;

use anyhow::Context as _;
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};

use super::index::sync_options;
use super::progress::StderrReporter;
use super::{Context, note};
use crate::cli::WatchArgs;
use crate::index::IndexError;
use crate::index::sync::{SyncOptions, resolve_sources, sync};
use crate::render::{json, terminal};

/// How often the loop looks at the Ctrl-C flag while waiting for changes.
const POLL: Duration = Duration::from_millis(200);

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

/// One sync; prints its summary. Returns false when Ctrl-C interrupted it.
fn sync_once(
    options: &SyncOptions,
    reporter: &StderrReporter,
    stop: &AtomicBool,
    as_json: bool,
) -> anyhow::Result<bool> {
    match sync(options, reporter, Some(stop)) {
        Ok(summary) => {
            let mut out = std::io::stdout().lock();
            if as_json {
                json::write(&mut out, &summary)?;
            } else {
                terminal::sync_summary(&mut out, &summary)?;
            }
            out.flush()?;
            Ok(true)
        }
        Err(IndexError::Interrupted) => Ok(false),
        // Keep watching: the next change may fix it (or the other indexer finishes).
        Err(e) => {
            note(format!("{:#}", anyhow::Error::new(e)));
            Ok(true)
        }
    }
}

pub(crate) fn run(ctx: &Context, args: WatchArgs) -> anyhow::Result<ExitCode> {
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst))
            .context("installing the Ctrl-C handler")?;
    }
    let mut options = sync_options(ctx, &args.index);
    let sources: Vec<PathBuf> = resolve_sources(&options)?;
    options.sources = sources.clone();
    let reporter = StderrReporter::new(args.index.quiet, !args.index.json);
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
    let mut debouncer = new_debouncer(Duration::from_millis(args.debounce), None, tx)
        .context("starting the file watcher")?;
    for source in &sources {
        // A file is watched through its folder: editors and atomic writers replace the file
        // (write a copy, rename it over), which ends a watch on the file itself.
        let (target, mode) = if source.is_dir() {
            (source.as_path(), RecursiveMode::Recursive)
        } else {
            let folder = source.parent().filter(|p| !p.as_os_str().is_empty());
            (
                folder.unwrap_or(Path::new(".")),
                RecursiveMode::NonRecursive,
            )
        };
        debouncer
            .watch(target, mode)
            .with_context(|| format!("watching {}", source.display()))?;
    }
    if !sync_once(&options, &reporter, &stop, args.index.json)? {
        note("stopped");
        return Ok(ExitCode::SUCCESS);
    }
    // Later syncs only apply changes.
    options.rebuild = false;
    let names: Vec<String> = sources.iter().map(|s| s.display().to_string()).collect();
    note(format!(
        "watching {} for changes (Ctrl-C to stop)",
        names.join(", ")
    ));

    while !stop.load(Ordering::SeqCst) {
        match rx.recv_timeout(POLL) {
            Ok(Ok(events)) => {
                // Reading a file is not changing it (indexing itself opens every file).
                let changed = events.iter().any(|e| {
                    !matches!(e.kind, EventKind::Access(_))
                        && e.paths.iter().any(|p| relevant(p, &roots, &index_dir))
                });
                if changed && !sync_once(&options, &reporter, &stop, args.index.json)? {
                    break;
                }
            }
            Ok(Err(errors)) => {
                for e in errors {
                    note(format!("watch error: {e}"));
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    note("stopped");
    Ok(ExitCode::SUCCESS)
}
