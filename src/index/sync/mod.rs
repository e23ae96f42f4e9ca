//! One indexing run: bring the index in step with its sources, touching only what changed.
//!
//! Every document has a stamp (a hash of its bytes and of the file they are in; not of a
//! JSONL record's line, so records moving up or down are unchanged). The index keeps each
//! document's stamp; a run reads the sources, and a document whose stamp the index already
//! holds is skipped *before it is parsed* — so re-reading a 500k-line JSONL to find the 1,000
//! lines appended to it costs little more than decompressing it. New documents are added,
//! changed ones replaced, vanished ones deleted, all in one tantivy commit.
//!
//! When what shapes the index changed (schema, analyzer, cleaning rules, entity tables…), or
//! the index is damaged, or `--rebuild` is asked, the run builds a fresh generation and
//! switches to it only once it is committed (see `super::layout`). Killing a run at any
//! moment leaves the last commit searchable; the next run finishes the job.
//!
//! The run's jobs, one module each: `inputs` (what the sources are), `target` (which
//! generation to write), `existing` (what the index holds) and `stages` (the reading
//! thread that classifies documents and the writing stage that analyses them in parallel and
//! feeds tantivy). Memory stays flat however large a source is.

mod embedding;
mod existing;
mod inputs;
mod stages;
mod stories;
mod target;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::sync_channel;
use std::time::Instant;

use serde::Serialize;
use tantivy::collector::Count;
use tantivy::indexer::NoMergePolicy;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{Index, IndexWriter, TantivyDocument, Term};

use super::layout::{Layout, LockError, WriteLock, manifest};
use super::schema::Fields;
use super::{Config, IndexError, IndexInfo, TABLE_FILE};
use crate::corpus::scan;
use crate::report::Reporter;
use crate::tag::Table;
use crate::tag::names::Names;
pub use inputs::resolve_sources;
use inputs::{base_of, resolve_inputs};
use stages::{Batch, read_all, write_all};

/// Batches in flight between reader and writer (bounds memory).
const BATCHES_IN_FLIGHT: usize = 2;
/// Segments an incremental run tolerates before merging them all.
const MAX_SEGMENTS: usize = 8;
/// The least memory tantivy accepts per indexing thread.
const MIN_THREAD_MEMORY: usize = 16 << 20;
/// The most memory tantivy accepts per indexing thread (its arena is addressed with 32 bits).
const MAX_THREAD_MEMORY: usize = 3 << 30;
/// The most indexing threads tantivy's writer runs; more threads still parse and analyse.
const MAX_WRITER_THREADS: usize = 8;

/// How `threads` cores are shared between the analysis (rayon) and tantivy's writer: half and
/// half, at least one each, at most [`MAX_WRITER_THREADS`] writing. The writer does about as
/// much work per document as the analysis (each took half of the samples of a profiled run),
/// so a thread more on either side only contends for the cores: on two cores, two of each
/// indexed 100,000 records 7-20% slower than one of each, in noisy rounds (BENCHMARKS.md).
fn share_threads(threads: usize) -> (usize, usize) {
    let writer = (threads / 2).clamp(1, MAX_WRITER_THREADS);
    (threads.saturating_sub(writer).max(1), writer)
}

/// The name of the entity-table file read from the top of a source folder.
pub const USER_TABLE: &str = "durand.toml";

/// The writer memory budget when none is given: 256 MiB.
pub const DEFAULT_MEMORY: usize = 256 << 20;
/// The most text one document may hold when no other cap is given: 32 MiB.
pub const DEFAULT_MAX_DOCUMENT: usize = 32 << 20;

/// How to run.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    pub dir: PathBuf,
    /// Sources to index; empty means the ones the index remembers.
    pub sources: Vec<PathBuf>,
    /// Sources to use when none are given and the index remembers none (a fresh or
    /// unreadable index).
    pub fallback: Vec<PathBuf>,
    /// Build from scratch even when nothing that shapes the index changed.
    pub rebuild: bool,
    /// Cores to use, shared between the analysis and tantivy's writer; `None` uses every core.
    pub threads: Option<usize>,
    /// tantivy writer memory budget in bytes.
    pub memory: usize,
    /// The most text (in bytes) one document may hold; the rest is left out with a warning.
    pub max_document_bytes: usize,
    /// Entity table files (`--gazetteer`); empty means the ones the index remembers. A
    /// `durand.toml` at the top of a source folder is read too.
    pub gazetteers: Vec<PathBuf>,
    /// Use no table files but the `durand.toml`s, forgetting remembered ones.
    pub forget_gazetteers: bool,
    /// A source that does not exist holds nothing (its documents are removed) instead of
    /// stopping the run: `durand watch`, where a folder may be deleted and come back.
    pub allow_missing: bool,
    /// Keep a vector of every passage for semantic search: `Some(true)` starts (or keeps)
    /// doing so, `Some(false)` stops and drops the vectors, `None` does what the index
    /// remembers.
    pub semantic: Option<bool>,
    /// The embedding model's folder; `None` uses the one the index remembers, else
    /// [`crate::embed::DEFAULT_MODEL_DIR`].
    pub model: Option<PathBuf>,
}

impl SyncOptions {
    pub fn new(dir: impl Into<PathBuf>, sources: Vec<PathBuf>) -> Self {
        SyncOptions {
            dir: dir.into(),
            sources,
            fallback: Vec::new(),
            rebuild: false,
            threads: None,
            memory: DEFAULT_MEMORY,
            max_document_bytes: DEFAULT_MAX_DOCUMENT,
            gazetteers: Vec::new(),
            forget_gazetteers: false,
            allow_missing: false,
            semantic: None,
            model: None,
        }
    }
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SyncSummary {
    pub added: usize,
    pub updated: usize,
    pub removed: usize,
    pub unchanged: usize,
    /// Documents in the index after the run.
    pub documents: usize,
    /// Passages in the index after the run.
    pub passages: usize,
    /// Records skipped because their id was already taken in this run.
    pub duplicates: usize,
    /// Why the run rebuilt from scratch, if it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rebuilt: Option<String>,
    /// In a semantic index, the passages embedded by this run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embedded: Option<usize>,
    pub took_ms: u64,
    /// Sources the index had that this run was not given: their documents were removed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dropped_sources: Vec<String>,
    /// The ids of the documents this run added or changed; `None` when it wrote every
    /// document anew (a first build, a rebuild). Not printed: saved searches count what is
    /// new for them among these.
    #[serde(skip)]
    pub written: Option<Vec<String>>,
    /// Saved searches that match documents this run added or changed and that they have
    /// not shown (filled by the caller, which knows how to read a saved search's flags);
    /// always present, empty when there are none.
    pub alerts: Vec<NewFor>,
}

/// How many of the documents a run added or changed a saved search matches and has not
/// shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewFor {
    pub name: String,
    pub new: usize,
}

impl SyncSummary {
    /// True when the run changed what the index holds.
    pub fn changed(&self) -> bool {
        self.added + self.updated + self.removed > 0 || self.rebuilt.is_some()
    }
}

/// How many records hold `term` (every passage's, or every document's).
fn count(index: &Index, term: Term) -> Result<usize, IndexError> {
    let reader = index.reader()?;
    let query = TermQuery::new(term, IndexRecordOption::Basic);
    Ok(reader.searcher().search(&query, &Count)?)
}

/// Fails when the index now at `dir` holds documents of `unreadable` files (and folders)
/// that this run did not read again (`read`), naming the first file and how many. An index
/// too damaged to open cannot say what it held: the rebuild goes on (the damaged index
/// serves nothing), and each file is named with what that means.
fn kept_by_the_old_index<V>(
    dir: &std::path::Path,
    unreadable: &[String],
    read: &rustc_hash::FxHashMap<String, V>,
    reporter: &dyn Reporter,
) -> Result<(), IndexError> {
    let old = match super::open(dir) {
        Ok(old) => old,
        // A first build replaces nothing.
        Err(IndexError::Missing { .. }) => return Ok(()),
        Err(_) => {
            for source in unreadable {
                reporter.warn(crate::report::Warning::new(
                source.clone(),
                "the damaged index being replaced cannot say what it held from it, so the rebuilt one holds only what was read now; the rest comes back once it reads again",
            ));
            }
            return Ok(());
        }
    };
    let searcher = old.reader.searcher();
    let existing = existing::existing_documents(&searcher, &old.fields)?;
    let all: Vec<usize> = (0..existing.len()).collect();
    let files = existing
        .ids_and_files(&all)
        .map_err(|e| IndexError::io(dir, e))?;
    for source in unreadable {
        let documents = files
            .iter()
            .filter(|(id, f)| is_under(f, source) && !read.contains_key(id))
            .count();
        if documents > 0 {
            return Err(IndexError::RebuildWouldLose {
                path: source.clone(),
                documents,
            });
        }
    }
    Ok(())
}

/// True when `file` is `dir` or lies below it.
fn is_under(file: &str, dir: &str) -> bool {
    file == dir
        || file
            .strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Deletes a document's record and passages.
fn delete(writer: &IndexWriter<TantivyDocument>, fields: &Fields, id: &str) {
    writer.delete_term(Term::from_field_text(fields.doc_id, id));
    writer.delete_term(Term::from_field_text(fields.doc_key, id));
}

/// Whether a sync with `options` will embed passages (and so run the model at length), read
/// from what the index remembers without taking its lock.
pub fn embeds(options: &SyncOptions) -> bool {
    let state = Layout::new(&options.dir).read_state().ok().flatten();
    embedding::wanted(options, state.as_ref())
}

/// Runs one sync. `cancel` is polled between files and batches; when it is set the run stops
/// without committing and returns [`IndexError::Interrupted`].
pub fn sync(
    options: &SyncOptions,
    reporter: &dyn Reporter,
    cancel: Option<&AtomicBool>,
) -> Result<SyncSummary, IndexError> {
    let started = Instant::now();
    super::check_folder(&options.dir)?;
    let layout = Layout::new(&options.dir);
    let _lock = lock(&layout, &options.dir)?;
    let inputs = resolve_inputs(options)?;
    for (source, why) in &inputs.nested {
        reporter.warn(crate::report::Warning::new(
            source.display().to_string(),
            why.clone(),
        ));
    }
    // The model loads (or fails to) before anything is read.
    let embedder = embedding::embedder(options, inputs.state.as_ref())?;
    let table = table_of(&inputs)?;
    let config = Config::current(&table);
    let base = base_of(&options.dir);
    let own = std::fs::canonicalize(&options.dir).ok();
    let scanned = scan(
        &inputs.sources,
        base.as_deref(),
        own.as_deref(),
        options.allow_missing,
        reporter,
    )?;
    // The inputs are known to exist: remember them now, so that a run killed from here on is
    // finished by a bare `durand index`, whatever happens to the generation.
    let mut state = inputs.remembered(&options.dir);
    state.semantic = embedder.as_ref().map(embedding::remembered);
    layout
        .write_state(&state)
        .map_err(|e| IndexError::io(&options.dir, e))?;
    let mut target = target::open_target(&layout, options.rebuild, &config, inputs.state.as_ref())?;
    if target.fresh {
        write_tables(&table, &target.generation)?;
    }
    let fields = Fields::resolve(&target.index.schema())?;
    // Kept open for the whole run: the id lookups read through it.
    let reader = target.index.reader()?;
    let searcher = reader.searcher();
    let existing = if target.fresh {
        existing::Existing::default()
    } else {
        existing::existing_documents(&searcher, &fields)?
    };
    let (writer, pool) = writer_for(&target, options)?;

    let before = (!target.fresh).then_some(&searcher);
    let (mut read, added, updated) = read_and_write(
        &scanned.files,
        scanned.unreadable.clone(),
        &existing,
        Writing {
            writer: &writer,
            pool: &pool,
            fields,
            table: &table,
            before,
        },
        options,
        reporter,
        cancel,
    )?;
    // A rebuild starts from nothing, so what the index it replaces holds from files that
    // could not be read would be lost: refuse, keeping that index, unless it cannot be read.
    let new_ids = std::mem::take(&mut read.new_ids);
    // Only a rebuild replaces an index that may hold documents of files not read now.
    if target.fresh && target.rebuilt.is_some() && !read.unreadable.is_empty() {
        kept_by_the_old_index(&options.dir, &read.unreadable, &new_ids, reporter)?;
    }
    // What an update wrote, for the saved searches (a fresh index was written whole). The
    // ids of a rebuild are freed here, before the commit and its merge, when memory peaks
    // (half a million ids).
    let written = match target.fresh {
        true => None,
        false => {
            let mut ids: Vec<String> = new_ids.into_keys().collect();
            ids.append(&mut read.updated_ids);
            Some(ids)
        }
    };

    let mut summary = SyncSummary {
        added,
        updated,
        unchanged: read.unchanged,
        duplicates: read.duplicates,
        dropped_sources: inputs.dropped.clone(),
        written,
        ..SyncSummary::default()
    };
    remove_vanished(
        &existing,
        &read,
        &writer,
        &fields,
        &options.dir,
        &mut summary,
    )?;

    let info = IndexInfo {
        durand: env!("CARGO_PKG_VERSION").to_string(),
        config,
        sources: state.sources.clone(),
        gazetteers: state.gazetteers.clone(),
    };
    let changed = summary.added + summary.updated + summary.removed > 0;
    let committed = target.fresh || changed || target.previous.as_ref() != Some(&info);
    commit(writer, &target, committed, &info)?;
    if target.fresh {
        if embedder.is_some()
            && let Ok(Some(old)) = layout.current()
        {
            embedding::carry_over(&old, &target.generation)?;
        }
        layout
            .publish(&target.generation)
            .map_err(|e| IndexError::io(&options.dir, e))?;
    }
    // Vectors come after the commit: the index is searchable (and complete for BM25) while
    // they are made, and a run killed meanwhile keeps every chunk it synced.
    summary.embedded = match &embedder {
        Some(embedder) => Some(embedding::fill(
            &target.index,
            fields,
            &target.generation,
            embedder,
            reporter,
            cancel,
        )?),
        None => {
            embedding::forget(&target.generation)?;
            None
        }
    };
    record_files(&layout, &mut state, &target.generation)?;

    summary.documents = count(&target.index, fields.documents_term())?;
    summary.passages = count(&target.index, fields.passages_term())?;
    summary.rebuilt = target.rebuilt.take();
    summary.took_ms = started.elapsed().as_millis() as u64;
    Ok(summary)
}

/// What the writing stage writes with.
struct Writing<'a> {
    writer: &'a IndexWriter<TantivyDocument>,
    pool: &'a rayon::ThreadPool,
    fields: Fields,
    table: &'a Table,
    /// The index before this run, where story groups are looked up; `None` for a fresh one.
    before: Option<&'a tantivy::Searcher>,
}

/// The reading stage on its own thread, feeding the analysis and writing stage on the pool:
/// what was read, and how many documents were added and updated.
#[allow(clippy::too_many_arguments)]
fn read_and_write(
    files: &[crate::corpus::SourceFile],
    unreadable: Vec<String>,
    existing: &existing::Existing,
    w: Writing,
    options: &SyncOptions,
    reporter: &dyn Reporter,
    cancel: Option<&AtomicBool>,
) -> Result<(stages::ReadOutcome, usize, usize), IndexError> {
    reporter.start("indexing", None);
    let (tx, rx) = sync_channel::<Batch>(BATCHES_IN_FLIGHT);
    let (read, written) = std::thread::scope(|scope| {
        let reader = scope.spawn(|| {
            read_all(
                files,
                unreadable,
                existing,
                w.fields.doc_key,
                options.max_document_bytes,
                tx,
                reporter,
                cancel,
            )
        });
        let mut stories = stories::Stories::new(w.before, &options.dir, w.fields);
        let written = w.pool.install(|| {
            write_all(
                rx,
                w.writer,
                w.fields,
                w.table,
                &mut stories,
                reporter,
                cancel,
            )
        });
        // The writer is done (or failed, dropping the receiver): the reader stops soon.
        (reader.join(), written)
    });
    reporter.finish();
    let mut read = read.map_err(|_| {
        IndexError::io(
            &options.dir,
            std::io::Error::other("reader thread panicked"),
        )
    })?;
    if let Some(e) = read.error.take() {
        return Err(IndexError::io(&options.dir, e));
    }
    let (added, updated) = written?;
    if cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
        return Err(IndexError::Interrupted);
    }
    Ok((read, added, updated))
}

/// Takes the index's write lock, and refuses a folder holding a file of the user's that has
/// an index file's name (it would be overwritten).
fn lock(layout: &Layout, dir: &Path) -> Result<WriteLock, IndexError> {
    let lock = layout.lock().map_err(|e| match e {
        LockError::Busy => IndexError::Locked {
            path: super::shown(dir),
        },
        LockError::Io(e) => IndexError::io(dir, e),
    })?;
    if let Some(file) = layout.unowned_file().map_err(|e| IndexError::io(dir, e))? {
        return Err(IndexError::NotAnIndex {
            path: super::shown(&dir.join(file)),
        });
    }
    Ok(lock)
}

/// The entity table of a run: the built-in one, the gazetteer files given, and each
/// source's own `durand.toml`.
fn table_of(inputs: &inputs::Inputs) -> Result<Table, IndexError> {
    let mut files = inputs.gazetteers.clone();
    files.extend(
        inputs
            .sources
            .iter()
            .map(|s| s.join(USER_TABLE))
            .filter(|p| p.is_file()),
    );
    Ok(Table::with_user_files(&files)?)
}

/// Saves the table a new generation is tagged with, and its name index, beside it.
fn write_tables(table: &Table, generation: &Path) -> Result<(), IndexError> {
    let path = generation.join(TABLE_FILE);
    std::fs::write(&path, table.to_tsv()).map_err(|e| IndexError::io(&path, e))?;
    Names::write(table, generation).map_err(|e| IndexError::io(generation, e))
}

/// The tantivy writer of a run and the pool its analysis runs on, the threads and memory
/// shared between them.
fn writer_for(
    target: &target::Target,
    options: &SyncOptions,
) -> Result<(IndexWriter<TantivyDocument>, rayon::ThreadPool), IndexError> {
    let threads = options
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
        .max(1);
    let (analysis_threads, writer_threads) = share_threads(threads);
    let per_thread = (options.memory / writer_threads).clamp(MIN_THREAD_MEMORY, MAX_THREAD_MEMORY);
    let writer: IndexWriter<TantivyDocument> = target
        .index
        .writer_with_num_threads(writer_threads, per_thread * writer_threads)?;
    if target.fresh {
        // One merge at the end beats many in the background for a full build.
        writer.set_merge_policy(Box::new(NoMergePolicy));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(analysis_threads)
        .build()
        .map_err(|e| IndexError::io(&options.dir, std::io::Error::other(e)))?;
    Ok((writer, pool))
}

/// Deletes the documents the run did not see again, except those of files that could not be
/// read (they stay as they are, counted unchanged).
fn remove_vanished(
    existing: &existing::Existing,
    read: &stages::ReadOutcome,
    writer: &IndexWriter<TantivyDocument>,
    fields: &Fields,
    dir: &Path,
    summary: &mut SyncSummary,
) -> Result<(), IndexError> {
    let vanished: Vec<usize> = (0..existing.len()).filter(|&i| !read.seen[i]).collect();
    let vanished = existing
        .ids_and_files(&vanished)
        .map_err(|e| IndexError::io(dir, e))?;
    for (id, file) in vanished {
        if read.unreadable.iter().any(|p| is_under(&file, p)) {
            summary.unchanged += 1;
        } else {
            delete(writer, fields, &id);
            summary.removed += 1;
        }
    }
    Ok(())
}

/// Commits what the run wrote (with `info` as the commit's payload) when `committed`, merges
/// a fresh build into one segment or a fragmented index's segments, and lets the writer go.
fn commit(
    mut writer: IndexWriter<TantivyDocument>,
    target: &target::Target,
    committed: bool,
    info: &IndexInfo,
) -> Result<(), IndexError> {
    if committed {
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(&serde_json::to_string(info).expect("metadata serialises"));
        commit.commit()?;
        let segments = target.index.searchable_segment_ids()?;
        if segments.len() > 1 && (target.fresh || segments.len() > MAX_SEGMENTS) {
            writer.merge(&segments).wait()?;
        }
        writer.garbage_collect_files().wait()?;
    }
    writer.wait_merging_threads()?;
    crate::index::layout::share_tantivy_files(&target.generation);
    Ok(())
}

/// Records in the state file what the generation's files look like now, so the next run
/// notices damage from outside.
fn record_files(
    layout: &Layout,
    state: &mut super::layout::State,
    generation: &Path,
) -> Result<(), IndexError> {
    let name = generation
        .file_name()
        .map(|n| n.to_string_lossy().into_owned());
    let files = manifest(generation).map_err(|e| IndexError::io(generation, e))?;
    if state.generation != name || state.files != files {
        state.generation = name;
        state.files = files;
        layout
            .write_state(state)
            .map_err(|e| IndexError::io(layout.root(), e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::testing::{BORDER, TestIndex};

    #[test]
    fn cores_are_shared_half_and_half_with_one_thread_each_at_least() {
        let shares: Vec<_> = [1, 2, 3, 4, 7, 64]
            .into_iter()
            .map(super::share_threads)
            .collect();
        assert_eq!(shares, [(1, 1), (1, 1), (2, 1), (2, 2), (4, 3), (56, 8)]);
    }

    #[test]
    fn a_run_embeds_when_asked_else_when_the_index_remembers_it_is_semantic() {
        use crate::index::layout::{Layout, SemanticState, State};
        let dir = tempfile::tempdir().unwrap();
        let mut options = super::SyncOptions::new(dir.path(), Vec::new());
        let asked = |options: &mut super::SyncOptions| {
            [None, Some(true), Some(false)].map(|flag| {
                options.semantic = flag;
                super::embeds(options)
            })
        };
        assert_eq!(asked(&mut options), [false, true, false]);
        let state = State {
            semantic: Some(SemanticState::default()),
            ..State::default()
        };
        Layout::new(dir.path()).write_state(&state).unwrap();
        assert_eq!(asked(&mut options), [true, true, false]);
    }

    #[test]
    fn a_run_adds_updates_removes_and_leaves_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        TestIndex::write(&dir, BORDER);
        let first = TestIndex::sync(&dir);
        assert_eq!((first.added, first.documents), (4, 4));
        assert_eq!(first.passages, 5);
        let again = TestIndex::sync(&dir);
        assert_eq!(
            (again.added, again.unchanged, again.changed()),
            (0, 4, false)
        );

        let mut docs = BORDER.to_vec();
        docs.remove(3);
        docs[0].3 = "Shelling in Kunar went on for a second week.";
        docs.push((
            "new",
            "Curfew in Bannu",
            "2024-02-01",
            "A curfew in Bannu, Pakistan.",
        ));
        docs.push(("new", "A duplicate id", "2024-02-01", "Is skipped."));
        TestIndex::write(&dir, &docs);
        let s = TestIndex::sync(&dir);
        assert_eq!(
            (s.added, s.updated, s.removed, s.unchanged, s.duplicates),
            (1, 1, 1, 2, 1)
        );
        assert_eq!(s.documents, 4);
    }

    #[test]
    fn an_unreadable_source_keeps_its_documents() {
        let dir = tempfile::tempdir().unwrap();
        TestIndex::write(&dir, BORDER);
        TestIndex::sync(&dir);
        // A gzip file that is not gzip fails to read part-way: its documents stay.
        let source = TestIndex::source(&dir);
        let gz = source.with_extension("jsonl.gz");
        std::fs::rename(&source, &gz).unwrap();
        std::fs::write(&gz, b"not gzip at all").unwrap();
        let mut options = super::SyncOptions::new(dir.path().join("index"), vec![gz]);
        options.threads = Some(1);
        let collect = crate::report::Collect::default();
        let s = super::sync(&options, &collect, None).unwrap();
        // The file moved: the old documents are gone, the new file yields nothing readable.
        assert_eq!(s.removed, 4);
        assert!(
            collect
                .take()
                .iter()
                .any(|w| w.message.contains("cannot read"))
        );
    }
}
