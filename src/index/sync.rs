//! One indexing run: bring the index in step with its sources, touching only what changed.
//!
//! Every document has a stamp (a hash of its bytes and of the file they are in; not of a
//! JSONL record's line, so records moving up or down are unchanged). The index keeps each
//! document's stamp; a run reads the sources, and a document whose stamp the index already
//! holds is skipped *before it is parsed* — so re-reading a 500k-line JSONL to find the 1,000
//! lines appended to it costs little more than decompressing it. New documents are added, changed ones replaced, vanished ones deleted,
//! all in one tantivy commit.
//!
//! When what shapes the index changed (schema, analyzer, cleaning rules, entity tables…), or
//! the index is unreadable, or `--rebuild` is asked, the run builds a fresh generation and
//! switches to it only once it is committed (see [`super::layout`]). Killing a run at any
//! moment leaves the last commit searchable; the next run finishes the job.
//!
//! The run is a pipeline: one thread reads and classifies documents and hands bounded batches
//! to the caller's thread, which cleans, splits and tags them in parallel (rayon) and feeds
//! tantivy's indexing threads. Memory stays flat however large a source is.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use tantivy::collector::Count;
use tantivy::columnar::StrColumn;
use tantivy::indexer::{NoMergePolicy, UserOperation};
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{
    DocId, DocSet, Index, IndexWriter, InvertedIndexReader, Searcher, TERMINATED, TantivyDocument,
    Term,
};

use super::document::prepare;
use super::layout::{Layout, LockError};
use super::schema::{Fields, KIND_DOC, KIND_PASSAGE, build_schema};
use super::{Config, IndexError, IndexInfo, TABLE_FILE, read_info, register};
use crate::corpus::{RawDoc, Sink, SourceFile, scan};
use crate::report::{Reporter, Warning};
use crate::tag::names::Names;
use crate::tag::{Table, Tagger};

/// Documents per batch handed from the reader to the preparing threads.
const BATCH: usize = 1024;
/// Batches in flight between reader and writer (bounds memory).
const BATCHES_IN_FLIGHT: usize = 2;
/// Segments an incremental run tolerates before merging them all.
const MAX_SEGMENTS: usize = 8;
/// The least memory tantivy accepts per indexing thread.
const MIN_THREAD_MEMORY: usize = 16 << 20;

/// The name of the entity-table file read from the top of a source folder.
pub const USER_TABLE: &str = "durand.toml";

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
    /// Worker threads (parsing and tantivy's writer); `None` uses every core.
    pub threads: Option<usize>,
    /// tantivy writer memory budget in bytes.
    pub memory: usize,
    /// Entity table files (`--gazetteer`); empty means the ones the index remembers. A
    /// `durand.toml` at the top of a source folder is read too.
    pub gazetteers: Vec<PathBuf>,
    /// Use no table files but the `durand.toml`s, forgetting remembered ones.
    pub forget_gazetteers: bool,
}

impl SyncOptions {
    pub fn new(dir: impl Into<PathBuf>, sources: Vec<PathBuf>) -> Self {
        SyncOptions {
            dir: dir.into(),
            sources,
            fallback: Vec::new(),
            rebuild: false,
            threads: None,
            memory: 256 << 20,
            gazetteers: Vec::new(),
            forget_gazetteers: false,
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
    pub took_ms: u64,
}

/// What the index holds. Only stamps are loaded up front (the hot path: every unchanged
/// record of a re-read source is one stamp lookup); ids and files are looked up in the index
/// itself when a document is new or changed, or fetched in bulk for documents that vanished.
#[derive(Default)]
struct Existing {
    /// Entry -> stamp.
    stamps: Vec<u64>,
    /// Entry -> (segment, doc), in order, for binary search.
    places: Vec<(u32, DocId)>,
    by_stamp: FxHashMap<u64, u32>,
    segments: Vec<ExistingSegment>,
}

struct ExistingSegment {
    keys: Arc<InvertedIndexReader>,
    alive: Option<tantivy::fastfield::AliveBitSet>,
    ids: StrColumn,
    files: StrColumn,
}

impl Existing {
    fn len(&self) -> usize {
        self.stamps.len()
    }

    /// The entry of document `id`, looked up in the index's term dictionary.
    fn find(&self, id: &str, field: tantivy::schema::Field) -> std::io::Result<Option<usize>> {
        let term = Term::from_field_text(field, id);
        for (s, seg) in self.segments.iter().enumerate() {
            let Some(mut postings) = seg.keys.read_postings(&term, IndexRecordOption::Basic)?
            else {
                continue;
            };
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if seg.alive.as_ref().is_none_or(|a| a.is_alive(doc))
                    && let Ok(i) = self.places.binary_search(&(s as u32, doc))
                {
                    return Ok(Some(i));
                }
                doc = postings.advance();
            }
        }
        Ok(None)
    }

    /// The (id, file) of each of `entries`: one ordinal lookup each for a few, one pass over
    /// the dictionaries for many (a lookup decompresses a block).
    fn ids_and_files(&self, entries: &[usize]) -> std::io::Result<Vec<(String, String)>> {
        const BULK: usize = 64;
        let mut terms: Vec<Option<(Vec<String>, Vec<String>)>> = Vec::new();
        if entries.len() > BULK {
            for seg in &self.segments {
                terms.push(Some((column_terms(&seg.ids)?, column_terms(&seg.files)?)));
            }
        }
        let mut out = Vec::with_capacity(entries.len());
        for &e in entries {
            let (s, doc) = self.places[e];
            let seg = &self.segments[s as usize];
            let ord = |col: &StrColumn| col.term_ords(doc).next();
            let (id_ord, file_ord) = (ord(&seg.ids), ord(&seg.files));
            let mut id = String::new();
            let mut file = String::new();
            match terms.get(s as usize).and_then(Option::as_ref) {
                Some((ids, files)) => {
                    if let Some(o) = id_ord {
                        id = ids[o as usize].clone();
                    }
                    if let Some(o) = file_ord {
                        file = files[o as usize].clone();
                    }
                }
                None => {
                    if let Some(o) = id_ord {
                        seg.ids.ord_to_str(o, &mut id)?;
                    }
                    if let Some(o) = file_ord {
                        seg.files.ord_to_str(o, &mut file)?;
                    }
                }
            }
            out.push((id, file));
        }
        Ok(out)
    }
}

/// Where a document stands relative to the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Added,
    Updated,
}

/// Stores a source so that a bare `durand index` finds it again from any directory: relative
/// to the index directory's parent when it lies inside it, else absolute.
fn remember(dir: &Path, source: &Path) -> String {
    let source = std::fs::canonicalize(source).unwrap_or_else(|_| source.to_path_buf());
    let base = std::fs::canonicalize(dir)
        .ok()
        .and_then(|d| d.parent().map(Path::to_path_buf));
    match base.as_deref().and_then(|b| source.strip_prefix(b).ok()) {
        Some(rel) if rel.as_os_str().is_empty() => ".".to_string(),
        Some(rel) => rel.to_string_lossy().into_owned(),
        None => source.to_string_lossy().into_owned(),
    }
}

/// The inverse of [`remember`], shown relative to the working directory when possible.
fn recall(dir: &Path, stored: &str) -> PathBuf {
    let path = Path::new(stored);
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        let base = std::fs::canonicalize(dir)
            .ok()
            .and_then(|d| d.parent().map(Path::to_path_buf))
            .unwrap_or_default();
        base.join(path)
    };
    let cwd = std::env::current_dir().ok();
    match cwd.as_deref().and_then(|c| absolute.strip_prefix(c).ok()) {
        Some(rel) if rel.as_os_str().is_empty() => PathBuf::from("."),
        Some(rel) => rel.to_path_buf(),
        None => absolute,
    }
}

/// Strips a leading `./` so `seeds` and `./seeds` name documents the same way.
fn tidy(source: &Path) -> PathBuf {
    source
        .strip_prefix(".")
        .ok()
        .filter(|p| !p.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| source.to_path_buf())
}

/// What a run reads: its sources and its entity table files (besides `durand.toml`s).
struct Inputs {
    sources: Vec<PathBuf>,
    gazetteers: Vec<PathBuf>,
}

/// Each input as given, else as the index remembers it (its metadata read once, and only
/// when needed), else the fallback sources. Remembering `--gazetteer` files means a bare
/// `durand index` keeps the names a `--gazetteer` run added.
fn resolve_inputs(options: &SyncOptions) -> Result<Inputs, IndexError> {
    let recall_sources = options.sources.is_empty();
    let recall_tables = options.gazetteers.is_empty() && !options.forget_gazetteers;
    let info = if recall_sources || recall_tables {
        remembered(&Layout::new(&options.dir))
    } else {
        None
    };
    let recall_all = |stored: &[String]| -> Vec<PathBuf> {
        stored.iter().map(|s| recall(&options.dir, s)).collect()
    };
    let sources: Vec<PathBuf> = match &info {
        _ if !recall_sources => options.sources.iter().map(|s| tidy(s)).collect(),
        Some(info) => recall_all(&info.sources),
        None => options.fallback.iter().map(|s| tidy(s)).collect(),
    };
    if sources.is_empty() {
        return Err(IndexError::NoSources);
    }
    let gazetteers = match &info {
        _ if !recall_tables => options.gazetteers.clone(),
        Some(info) => recall_all(&info.gazetteers),
        None => Vec::new(),
    };
    Ok(Inputs {
        sources,
        gazetteers,
    })
}

/// The sources a run reads: given, else remembered by the index, else the fallback.
pub fn resolve_sources(options: &SyncOptions) -> Result<Vec<PathBuf>, IndexError> {
    resolve_inputs(options).map(|inputs| inputs.sources)
}

/// The metadata of the current index, if it can be read (for the sources it remembers).
fn remembered(layout: &Layout) -> Option<IndexInfo> {
    let generation = layout.current().ok()??;
    let index = Index::open_in_dir(generation).ok()?;
    read_info(&index, layout.root()).ok()
}

/// The index generation this run writes to.
struct Target {
    index: Index,
    generation: PathBuf,
    /// A fresh generation (published at the end) rather than the current one.
    fresh: bool,
    rebuilt: Option<String>,
    previous: Option<IndexInfo>,
}

fn open_target(layout: &Layout, rebuild: bool, config: &Config) -> Result<Target, IndexError> {
    let dir = layout.root();
    let current = layout.current().unwrap_or(None);
    layout
        .remove_stale(current.as_deref())
        .map_err(|e| IndexError::io(dir, e))?;
    let mut previous = None;
    let reason = match &current {
        None => None,
        Some(generation) => match Index::open_in_dir(generation) {
            Err(e) => Some(format!("the existing index could not be opened ({e})")),
            Ok(index) => {
                register(&index);
                match read_info(&index, dir) {
                    // Said as a reason, without the error's advice to rebuild.
                    Err(IndexError::Incompatible {
                        found, expected, ..
                    }) => Some(format!(
                        "index format changed (version {found} → {expected})"
                    )),
                    Err(IndexError::Corrupt { detail, .. }) => {
                        Some(format!("the existing index could not be read ({detail})"))
                    }
                    Err(e) => Some(format!("{e}")),
                    Ok(info) => {
                        let changes = info.config.changes_to(config);
                        previous = Some(info);
                        if rebuild {
                            Some("--rebuild was given".to_string())
                        } else if !changes.is_empty() {
                            Some(changes.join(", "))
                        } else {
                            return Ok(Target {
                                index,
                                generation: generation.clone(),
                                fresh: false,
                                rebuilt: None,
                                previous,
                            });
                        }
                    }
                }
            }
        },
    };
    let generation = layout
        .new_generation()
        .map_err(|e| IndexError::io(dir, e))?;
    let index = Index::builder()
        .schema(build_schema())
        .settings(super::schema::index_settings())
        .create_in_dir(&generation)?;
    register(&index);
    Ok(Target {
        index,
        generation,
        fresh: true,
        rebuilt: reason,
        previous,
    })
}

/// Every term of a string column, by ordinal. Streaming the dictionary once is far cheaper
/// than looking terms up one ordinal at a time (each lookup decompresses a block).
fn column_terms(column: &tantivy::columnar::StrColumn) -> std::io::Result<Vec<String>> {
    let mut terms = Vec::with_capacity(column.num_terms());
    let mut stream = column.dictionary().stream()?;
    while let Some((key, _)) = stream.next() {
        terms.push(String::from_utf8_lossy(key).into_owned());
    }
    Ok(terms)
}

/// Reads every document's stamp, and how to find its id and file later.
fn existing_documents(searcher: &Searcher, fields: &Fields) -> Result<Existing, IndexError> {
    let mut out = Existing::default();
    for (s, segment) in searcher.segment_readers().iter().enumerate() {
        let ff = segment.fast_fields();
        let kind = ff.u64("kind")?;
        let fingerprint = ff.u64("fingerprint")?;
        let (Some(ids), Some(files)) = (ff.str("doc_key")?, ff.str("file")?) else {
            continue;
        };
        for doc in segment.doc_ids_alive() {
            if kind.first(doc) != Some(KIND_DOC) {
                continue;
            }
            let stamp = fingerprint.first(doc).unwrap_or(0);
            out.by_stamp.insert(stamp, out.stamps.len() as u32);
            out.stamps.push(stamp);
            out.places.push((s as u32, doc));
        }
        out.segments.push(ExistingSegment {
            keys: segment.inverted_index(fields.doc_key)?,
            alive: segment.alive_bitset().cloned(),
            ids,
            files,
        });
    }
    Ok(out)
}

fn count(index: &Index, fields: &Fields, kind: u64) -> Result<usize, IndexError> {
    let reader = index.reader()?;
    let query = TermQuery::new(
        Term::from_field_u64(fields.kind, kind),
        IndexRecordOption::Basic,
    );
    Ok(reader.searcher().search(&query, &Count)?)
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

type Batch = Vec<(RawDoc, Change)>;

/// Progress is reported in steps of this many documents (the reporter takes a lock).
const PROGRESS_STEP: u64 = 1024;

/// The reading stage: sorts documents into unchanged, duplicate, added and updated, and
/// sends the last two on in batches.
struct Classifier<'a> {
    existing: &'a Existing,
    doc_key: tantivy::schema::Field,
    /// A failed index lookup (stops the run).
    error: Option<std::io::Error>,
    /// Which existing entries this run has seen.
    seen: Vec<bool>,
    /// Where an existing entry was claimed by a parsed document (for duplicate messages).
    claimed_at: FxHashMap<usize, Arc<str>>,
    /// Ids new to the index seen in this run, with where.
    new_ids: FxHashMap<String, Arc<str>>,
    batch: Batch,
    tx: SyncSender<Batch>,
    /// The writing stage hung up (it failed or was cancelled).
    closed: bool,
    unchanged: usize,
    duplicates: usize,
    unreported: u64,
    reporter: &'a dyn Reporter,
}

impl Classifier<'_> {
    fn send(&mut self) {
        if self.batch.is_empty() || self.closed {
            return;
        }
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        self.closed = self.tx.send(batch).is_err();
    }

    fn unchanged(&mut self) {
        self.unchanged += 1;
        self.unreported += 1;
        if self.unreported >= PROGRESS_STEP {
            self.reporter.advance(std::mem::take(&mut self.unreported));
        }
    }

    fn duplicate(&mut self, raw: &RawDoc, first: &str) {
        self.reporter.warn(Warning::new(
            raw.location(),
            format!(
                "duplicate document id {:?} (first read from {first}), skipped",
                raw.id
            ),
        ));
        self.duplicates += 1;
    }
}

impl Sink for Classifier<'_> {
    fn known(&mut self, stamp: u64) -> bool {
        match self.existing.by_stamp.get(&stamp).map(|&i| i as usize) {
            // Exactly this version is indexed: nothing to do.
            Some(i) if !self.seen[i] => {
                self.seen[i] = true;
                self.unchanged();
                true
            }
            // Unknown, or its id was already taken by another document in this run (then it
            // is parsed and reported as a duplicate).
            _ => false,
        }
    }

    fn document(&mut self, raw: RawDoc) {
        let location: Arc<str> = Arc::from(raw.location().as_str());
        let found = match self.existing.find(&raw.id, self.doc_key) {
            Ok(found) => found,
            Err(e) => {
                self.error.get_or_insert(e);
                self.closed = true;
                return;
            }
        };
        let change = match found {
            Some(i) => {
                if self.seen[i] {
                    let first = match self.claimed_at.get(&i) {
                        Some(at) => at.to_string(),
                        None => self
                            .existing
                            .ids_and_files(&[i])
                            .map(|v| v[0].1.clone())
                            .unwrap_or_default(),
                    };
                    self.duplicate(&raw, &first);
                    return;
                }
                self.seen[i] = true;
                self.claimed_at.insert(i, location);
                if self.existing.stamps[i] == raw.stamp {
                    self.unchanged();
                    return;
                }
                Change::Updated
            }
            None => {
                if let Some(first) = self.new_ids.get(&raw.id).cloned() {
                    self.duplicate(&raw, &first);
                    return;
                }
                self.new_ids.insert(raw.id.clone(), location);
                Change::Added
            }
        };
        self.batch.push((raw, change));
        if self.batch.len() >= BATCH {
            self.send();
        }
    }
}

/// What the reading stage learnt.
struct ReadOutcome {
    error: Option<std::io::Error>,
    /// Which existing entries were seen.
    seen: Vec<bool>,
    unchanged: usize,
    duplicates: usize,
    /// Files (and folders) whose documents must be kept because they could not be read.
    unreadable: Vec<String>,
}

/// The reading stage, on its own thread.
fn read_all(
    files: &[SourceFile],
    mut unreadable: Vec<String>,
    existing: &Existing,
    doc_key: tantivy::schema::Field,
    tx: SyncSender<Batch>,
    reporter: &dyn Reporter,
    cancel: Option<&AtomicBool>,
) -> ReadOutcome {
    let mut c = Classifier {
        existing,
        doc_key,
        error: None,
        seen: vec![false; existing.len()],
        claimed_at: FxHashMap::default(),
        new_ids: FxHashMap::default(),
        batch: Vec::with_capacity(BATCH),
        tx,
        closed: false,
        unchanged: 0,
        duplicates: 0,
        unreported: 0,
        reporter,
    };
    for file in files {
        if c.closed || cancel.is_some_and(|f| f.load(Ordering::Relaxed)) {
            break;
        }
        if let Err(e) = file.read(reporter, &mut c) {
            reporter.warn(Warning::new(
                &file.display,
                format!("cannot read ({e}); its indexed documents are kept"),
            ));
            unreadable.push(file.display.clone());
        }
    }
    c.send();
    reporter.advance(c.unreported);
    ReadOutcome {
        error: c.error,
        seen: c.seen,
        unchanged: c.unchanged,
        duplicates: c.duplicates,
        unreadable,
    }
}

/// The writing stage: prepares each batch in parallel and adds each document's records as
/// one tantivy batch, so they land in one segment next to each other. Returns (added,
/// updated).
fn write_all(
    rx: Receiver<Batch>,
    writer: &IndexWriter<TantivyDocument>,
    fields: Fields,
    table: &Table,
    reporter: &dyn Reporter,
    cancel: Option<&AtomicBool>,
) -> Result<(usize, usize), IndexError> {
    let tagger: OnceLock<Tagger> = OnceLock::new();
    let (mut added, mut updated) = (0, 0);
    for batch in rx {
        if cancel.is_some_and(|f| f.load(Ordering::Relaxed)) {
            return Err(IndexError::Interrupted);
        }
        // The automata are built only when something needs tagging.
        let tagger = tagger.get_or_init(|| Tagger::new(table.clone()));
        let prepared: Vec<_> = batch
            .par_iter()
            .map(|(raw, _)| prepare(raw, &fields, tagger))
            .collect();
        for ((_, change), doc) in batch.iter().zip(prepared) {
            let mut ops = Vec::with_capacity(doc.records.len() + 2);
            if *change == Change::Updated {
                ops.push(UserOperation::Delete(Term::from_field_text(
                    fields.doc_id,
                    &doc.id,
                )));
                ops.push(UserOperation::Delete(Term::from_field_text(
                    fields.doc_key,
                    &doc.id,
                )));
                updated += 1;
            } else {
                added += 1;
            }
            ops.extend(doc.records.into_iter().map(UserOperation::Add));
            writer.run(ops)?;
        }
        reporter.advance(batch.len() as u64);
    }
    Ok((added, updated))
}

/// Runs one sync. `cancel` is polled between files and batches; when it is set the run stops
/// without committing and returns [`IndexError::Interrupted`].
pub fn sync(
    options: &SyncOptions,
    reporter: &dyn Reporter,
    cancel: Option<&AtomicBool>,
) -> Result<SyncSummary, IndexError> {
    let started = Instant::now();
    let layout = Layout::new(&options.dir);
    let _lock = layout.lock().map_err(|e| match e {
        LockError::Busy => IndexError::Locked {
            path: super::shown(&options.dir),
        },
        LockError::Io(e) => IndexError::io(&options.dir, e),
    })?;
    let Inputs {
        sources,
        gazetteers,
    } = resolve_inputs(options)?;
    let mut table_files = gazetteers.clone();
    table_files.extend(
        sources
            .iter()
            .map(|s| s.join(USER_TABLE))
            .filter(|p| p.is_file()),
    );
    let table = Table::with_user_files(&table_files)?;
    let config = Config::current(&table);
    let mut target = open_target(&layout, options.rebuild, &config)?;
    if target.fresh {
        let path = target.generation.join(TABLE_FILE);
        std::fs::write(&path, table.to_tsv()).map_err(|e| IndexError::io(&path, e))?;
        Names::write(&table, &target.generation)
            .map_err(|e| IndexError::io(&target.generation, e))?;
    }
    let scanned = scan(&sources, reporter)?;
    let fields = Fields::resolve(&target.index.schema())?;
    // Kept open for the whole run: the id lookups read through it.
    let reader = target.index.reader()?;
    let searcher = reader.searcher();
    let existing = if target.fresh {
        Existing::default()
    } else {
        existing_documents(&searcher, &fields)?
    };

    let threads = options
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
        .max(1);
    let memory = options.memory.max(threads * MIN_THREAD_MEMORY);
    let mut writer: IndexWriter<TantivyDocument> =
        target.index.writer_with_num_threads(threads, memory)?;
    if target.fresh {
        // One merge at the end beats many in the background for a full build.
        writer.set_merge_policy(Box::new(NoMergePolicy));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| IndexError::io(&options.dir, std::io::Error::other(e)))?;

    reporter.start("indexing", None);
    let (tx, rx) = sync_channel::<Batch>(BATCHES_IN_FLIGHT);
    let (read, written) = std::thread::scope(|scope| {
        let reader = scope.spawn(|| {
            read_all(
                &scanned.files,
                scanned.unreadable.clone(),
                &existing,
                fields.doc_key,
                tx,
                reporter,
                cancel,
            )
        });
        let written = pool.install(|| write_all(rx, &writer, fields, &table, reporter, cancel));
        // The writer is done (or failed, dropping the receiver): the reader stops soon.
        (reader.join(), written)
    });
    reporter.finish();
    let read = read.map_err(|_| {
        IndexError::io(
            &options.dir,
            std::io::Error::other("reader thread panicked"),
        )
    })?;
    if let Some(e) = read.error {
        return Err(IndexError::io(&options.dir, e));
    }
    let (added, updated) = written?;
    if cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
        return Err(IndexError::Interrupted);
    }

    let mut summary = SyncSummary {
        added,
        updated,
        unchanged: read.unchanged,
        duplicates: read.duplicates,
        ..SyncSummary::default()
    };
    // Documents of files that could not be read stay as they are; the rest that vanished go.
    let vanished: Vec<usize> = (0..existing.len()).filter(|&i| !read.seen[i]).collect();
    let vanished = existing
        .ids_and_files(&vanished)
        .map_err(|e| IndexError::io(&options.dir, e))?;
    for (id, file) in vanished {
        if read.unreadable.iter().any(|p| is_under(&file, p)) {
            summary.unchanged += 1;
        } else {
            delete(&writer, &fields, &id);
            summary.removed += 1;
        }
    }

    let info = IndexInfo {
        durand: env!("CARGO_PKG_VERSION").to_string(),
        config,
        sources: sources.iter().map(|s| remember(&options.dir, s)).collect(),
        gazetteers: gazetteers
            .iter()
            .map(|g| remember(&options.dir, g))
            .collect(),
    };
    let changed = summary.added + summary.updated + summary.removed > 0;
    if target.fresh || changed || target.previous.as_ref() != Some(&info) {
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(&serde_json::to_string(&info).expect("metadata serialises"));
        commit.commit()?;
        let segments = target.index.searchable_segment_ids()?;
        if segments.len() > 1 && (target.fresh || segments.len() > MAX_SEGMENTS) {
            writer.merge(&segments).wait()?;
        }
        writer.garbage_collect_files().wait()?;
    }
    writer.wait_merging_threads()?;
    if target.fresh {
        layout
            .publish(&target.generation)
            .map_err(|e| IndexError::io(&options.dir, e))?;
    }

    summary.documents = count(&target.index, &fields, KIND_DOC)?;
    summary.passages = count(&target.index, &fields, KIND_PASSAGE)?;
    summary.rebuilt = target.rebuilt.take();
    summary.took_ms = started.elapsed().as_millis() as u64;
    Ok(summary)
}
