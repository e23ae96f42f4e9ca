//! One indexing run: bring the index in step with its sources, touching only what changed.
//!
//! Each document's stamp (content fingerprint plus where it was read from) is compared with
//! what the index holds; new documents are added, changed ones replaced, vanished ones
//! deleted, all in one tantivy commit. When what shapes the index changed (schema, analyzer,
//! cleaning rules…), or the index is unreadable, or `--rebuild` is asked, the run builds a
//! fresh generation instead and switches to it only once it is committed.
//!
//! Parsing, cleaning and splitting run in parallel (rayon) over bounded batches so memory
//! stays flat however large a JSONL source is.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;
use tantivy::collector::Count;
use tantivy::indexer::{NoMergePolicy, UserOperation};
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{Index, IndexWriter, TantivyDocument, Term};
use xxhash_rust::xxh3::xxh3_64;

use super::document::prepare;
use super::layout::{Layout, LockError};
use super::schema::{Fields, KIND_DOC, KIND_PASSAGE, build_schema};
use super::{Config, IndexError, IndexInfo, TABLE_FILE, read_info, register};
use crate::corpus::{RawDoc, scan};
use crate::report::{Reporter, Warning};
use crate::tag::{Table, Tagger};

/// Documents prepared in parallel per batch.
const BATCH: usize = 2048;
/// Segments an incremental run tolerates before merging them all.
const MAX_SEGMENTS: usize = 8;
/// The least memory tantivy accepts per indexing thread.
const MIN_THREAD_MEMORY: usize = 16 << 20;

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
    /// Entity table files (`--gazetteer`); a `durand.toml` at the top of a source folder is
    /// read too.
    pub gazetteers: Vec<PathBuf>,
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

struct Existing {
    stamp: u64,
    file: String,
}

/// Where a document stands relative to the index.
enum Change {
    Added,
    Updated,
}

fn stamp(raw: &RawDoc) -> u64 {
    raw.fingerprint ^ xxh3_64(raw.location().as_bytes()).rotate_left(17)
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

/// The name of the entity-table file read from the top of a source folder.
pub const USER_TABLE: &str = "durand.toml";

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
    let index = Index::create_in_dir(&generation, build_schema())?;
    register(&index);
    Ok(Target {
        index,
        generation,
        fresh: true,
        rebuilt: reason,
        previous,
    })
}

/// Reads every document's stamp and file from the fast fields.
fn existing_documents(index: &Index, dir: &Path) -> Result<HashMap<String, Existing>, IndexError> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let mut out = HashMap::new();
    let mut id = String::new();
    let mut file = String::new();
    for segment in searcher.segment_readers() {
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
            id.clear();
            file.clear();
            if let Some(ord) = ids.term_ords(doc).next() {
                ids.ord_to_str(ord, &mut id)
                    .map_err(|e| IndexError::io(dir, e))?;
            }
            if let Some(ord) = files.term_ords(doc).next() {
                files
                    .ord_to_str(ord, &mut file)
                    .map_err(|e| IndexError::io(dir, e))?;
            }
            out.insert(
                id.clone(),
                Existing {
                    stamp: fingerprint.first(doc).unwrap_or(0),
                    file: file.clone(),
                },
            );
        }
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

struct Run<'a> {
    writer: &'a IndexWriter<TantivyDocument>,
    fields: Fields,
    /// The tagger's automata are built on the first document that needs tagging.
    tagger: &'a OnceLock<Tagger>,
    table: &'a Table,
    existing: &'a HashMap<String, Existing>,
    seen: HashMap<String, String>,
    batch: Vec<(RawDoc, Change)>,
    summary: SyncSummary,
    reporter: &'a dyn Reporter,
}

impl Run<'_> {
    fn offer(&mut self, mut raw: RawDoc) -> Result<(), IndexError> {
        if let Some(first) = self.seen.get(&raw.id) {
            self.reporter.warn(Warning::new(
                raw.location(),
                format!(
                    "duplicate document id {:?} (first read from {first}), skipped",
                    raw.id
                ),
            ));
            self.summary.duplicates += 1;
            return Ok(());
        }
        self.seen.insert(raw.id.clone(), raw.location());
        let s = stamp(&raw);
        raw.fingerprint = s;
        let change = match self.existing.get(&raw.id) {
            Some(e) if e.stamp == s => {
                self.summary.unchanged += 1;
                self.reporter.advance(1);
                return Ok(());
            }
            Some(_) => Change::Updated,
            None => Change::Added,
        };
        self.batch.push((raw, change));
        if self.batch.len() >= BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), IndexError> {
        let batch = std::mem::take(&mut self.batch);
        if batch.is_empty() {
            return Ok(());
        }
        let fields = self.fields;
        let tagger = self.tagger.get_or_init(|| Tagger::new(self.table.clone()));
        let prepared: Vec<_> = batch
            .par_iter()
            .map(|(raw, _)| prepare(raw, &fields, tagger))
            .collect();
        for ((_, change), doc) in batch.iter().zip(prepared) {
            let mut ops = Vec::with_capacity(doc.records.len() + 2);
            match change {
                Change::Updated => {
                    ops.push(UserOperation::Delete(Term::from_field_text(
                        fields.doc_id,
                        &doc.id,
                    )));
                    ops.push(UserOperation::Delete(Term::from_field_text(
                        fields.doc_key,
                        &doc.id,
                    )));
                    self.summary.updated += 1;
                }
                Change::Added => self.summary.added += 1,
            }
            // One batch: a document's records land in one segment, next to each other.
            ops.extend(doc.records.into_iter().map(UserOperation::Add));
            self.writer.run(ops)?;
        }
        self.reporter.advance(batch.len() as u64);
        Ok(())
    }
}

/// Runs one sync. `cancel` is polled between batches; when it is set the run stops without
/// committing and returns [`IndexError::Interrupted`].
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
    let sources: Vec<PathBuf> = if !options.sources.is_empty() {
        options.sources.iter().map(|s| tidy(s)).collect()
    } else if let Some(info) = remembered(&layout) {
        info.sources
            .iter()
            .map(|s| recall(&options.dir, s))
            .collect()
    } else {
        options.fallback.iter().map(|s| tidy(s)).collect()
    };
    if sources.is_empty() {
        return Err(IndexError::NoSources);
    }
    let mut table_files = options.gazetteers.clone();
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
    }
    let scanned = scan(&sources, reporter)?;
    let files = scanned.files;

    let fields = Fields::resolve(&target.index.schema())?;
    let existing = if target.fresh {
        HashMap::new()
    } else {
        existing_documents(&target.index, &options.dir)?
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
    let tagger = OnceLock::new();
    let mut run = Run {
        writer: &writer,
        fields,
        tagger: &tagger,
        table: &table,
        existing: &existing,
        seen: HashMap::new(),
        batch: Vec::with_capacity(BATCH),
        summary: SyncSummary::default(),
        reporter,
    };
    let mut unreadable: HashSet<String> = HashSet::new();
    let unlisted = scanned.unreadable;
    pool.install(|| -> Result<(), IndexError> {
        for file in &files {
            if cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
                return Err(IndexError::Interrupted);
            }
            let mut failure = None;
            let result = file.read(reporter, &mut |raw| {
                if failure.is_none()
                    && let Err(e) = run.offer(raw)
                {
                    failure = Some(e);
                }
            });
            if let Some(e) = failure {
                return Err(e);
            }
            if let Err(e) = result {
                reporter.warn(Warning::new(
                    &file.display,
                    format!("cannot read ({e}); its indexed documents are kept"),
                ));
                unreadable.insert(file.display.clone());
            }
            if run.batch.len() >= BATCH / 4 {
                run.flush()?;
            }
        }
        run.flush()
    })?;
    reporter.finish();
    if cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
        return Err(IndexError::Interrupted);
    }

    let Run {
        mut summary, seen, ..
    } = run;
    // Documents of files that could not be read stay as they are; the rest that vanished go.
    for (id, e) in &existing {
        if seen.contains_key(id) {
            continue;
        }
        if unreadable.contains(&e.file) || unlisted.iter().any(|p| is_under(&e.file, p)) {
            summary.unchanged += 1;
        } else {
            delete(&writer, &fields, id);
            summary.removed += 1;
        }
    }

    let info = IndexInfo {
        durand: env!("CARGO_PKG_VERSION").to_string(),
        config,
        sources: sources.iter().map(|s| remember(&options.dir, s)).collect(),
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
