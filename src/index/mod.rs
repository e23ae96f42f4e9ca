//! The tantivy index: its schema, the one [`open`] function that registers the analyzer
//! (tantivy does not persist tokenizer registrations), the stored form of documents and
//! passages, and the indexing run that keeps the index in step with its sources.

mod directory;
pub mod document;
pub(crate) mod layout;
pub mod records;
pub mod schema;
pub mod sync;
pub mod vectors;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::directory::{Advice, MmapDirectory};
use tantivy::query::{BooleanQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Index, IndexReader, ReloadPolicy, Term};

use crate::analyzer::{ANALYZER_NAME, ANALYZER_VERSION, analyzer};
use crate::clean::CLEANER_VERSION;
use crate::tag::names::Names;
use crate::tag::{TAGGER_VERSION, Table};
pub use document::{DocMeta, RecordError, StoredDoc, StoredPassage};
use layout::Layout;
pub use layout::SemanticState;
pub use schema::{FORMAT_VERSION, Fields, KIND_DOC, KIND_PASSAGE};

/// Where the index lives when neither `--index` nor `$DURAND_INDEX` says otherwise.
pub const DEFAULT_DIR: &str = "index";

/// Bumped whenever passage splitting changes.
pub const PASSAGE_VERSION: u32 = 1;

/// Errors opening, reading or writing an index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("no index at {path} — run `{}` to build it", index_command(.path, ""))]
    Missing { path: String },
    #[error("the index at {path} is damaged ({detail}) — run `{}` to repair it", index_command(.path, " --rebuild"))]
    Corrupt {
        path: String,
        detail: String,
        /// The underlying error in full, for `--verbose`.
        cause: Option<String>,
    },
    #[error(
        "the index at {path} was built by a durand with another index format ({found}, this one reads {expected}) — run `{}`",
        index_command(.path, " --rebuild")
    )]
    Incompatible {
        path: String,
        found: u32,
        expected: u32,
    },
    /// The index's schema lacks a field this durand has (an entity kind added since).
    #[error(
        "the index at {path} was built by a durand with other fields ({detail}) — run `{}`",
        index_command(.path, "")
    )]
    OtherFields { path: String, detail: String },
    #[error(
        "another `durand index` is already updating {path}; wait for it to finish (searches keep working meanwhile)"
    )]
    Locked { path: String },
    #[error("{path} is a file, not an index folder — give `--index` a folder")]
    NotAFolder { path: String },
    #[error("{path} is a symbolic link {why} — give `--index` a folder")]
    BrokenLink { path: String, why: String },
    #[error(
        "{path} is not an index's file, and an index would overwrite it — move it away, or give `--index` another folder"
    )]
    NotAnIndex { path: String },
    #[error(
        "{path} is the index folder {index} or one of its generations: the index does not index itself"
    )]
    SourceInIndex { path: String, index: String },
    #[error("no sources to index: give a folder or file (`durand index seeds/`)")]
    NoSources,
    #[error(
        "the index at {path} no longer remembers its sources (its durand.json is gone or damaged) — give them again: `{}`",
        index_command(.path, " SOURCE…")
    )]
    SourcesForgotten { path: String },
    #[error(
        "not rebuilt: {path} cannot be read, and {documents} documents the index holds from it would be lost; make it readable again, or take it out of the sources to drop them (the index is as it was)"
    )]
    RebuildWouldLose { path: String, documents: usize },
    #[error("{path}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Corpus(#[from] crate::corpus::CorpusError),
    #[error(transparent)]
    Gazetteer(#[from] crate::tag::table::GazetteerError),
    #[error(transparent)]
    Tag(#[from] crate::tag::TagError),
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("indexing was interrupted; the previous index is intact")]
    Interrupted,
    #[error(
        "embedding was interrupted; the index is searchable and keeps the vectors made so far — run `durand index` to finish"
    )]
    EmbeddingInterrupted,
    #[error(transparent)]
    Embed(#[from] crate::embed::EmbedError),
}

impl IndexError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        IndexError::Io {
            path: shown(path),
            source,
        }
    }
}

/// A path as messages show it: a relative one gets a leading `./` (`./index`).
/// The `durand index` command line that builds or rebuilds the index shown as `path`.
pub(crate) fn index_command(path: &str, extra: &str) -> String {
    // A rebuild re-reads the sources the index remembers; one that lost them (its state file
    // gone or damaged with its generation) must be given them again.
    let extra = if extra == " --rebuild" && !remembers_sources(Path::new(path)) {
        " --rebuild SOURCE…"
    } else {
        extra
    };
    if path == "./index" {
        return format!("durand index{extra}");
    }
    if path.contains(char::is_whitespace) {
        format!("durand --index '{path}' index{extra}")
    } else {
        format!("durand --index {path} index{extra}")
    }
}

/// Whether the index at `dir` remembers the sources a bare `durand index` re-reads.
fn remembers_sources(dir: &Path) -> bool {
    Layout::new(dir)
        .read_state()
        .ok()
        .flatten()
        .is_some_and(|s| !s.sources.is_empty())
}

pub fn shown(path: &Path) -> String {
    if path.is_relative() && !path.starts_with(".") && !path.starts_with("..") {
        format!("./{}", path.display())
    } else {
        path.display().to_string()
    }
}

/// What shapes an index. When any of it differs from the running durand, the next
/// `durand index` rebuilds from scratch and says which part changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Config {
    pub format: u32,
    pub analyzer: u32,
    pub cleaner: u32,
    pub passages: u32,
    pub tagger: u32,
    /// Absent from indexes written before it was kept: those read as version 1.
    #[serde(default = "first_version")]
    pub events: u32,
    /// Fingerprint of the effective entity tables (built-in plus the user's).
    pub tables: String,
}

fn first_version() -> u32 {
    1
}

impl Config {
    /// The configuration of this build of durand with entity tables `tables`.
    pub fn current(tables: &Table) -> Self {
        Config {
            format: FORMAT_VERSION,
            analyzer: ANALYZER_VERSION,
            cleaner: CLEANER_VERSION,
            passages: PASSAGE_VERSION,
            tagger: TAGGER_VERSION,
            events: crate::analysis::EVENTS_VERSION,
            tables: tables.fingerprint(),
        }
    }

    /// Human-readable differences from `newer`, empty when they are equal.
    pub fn changes_to(&self, newer: &Config) -> Vec<String> {
        let mut out = Vec::new();
        let mut cmp = |what: &str, a: u32, b: u32| {
            if a != b {
                out.push(format!("{what} changed (version {a} → {b})"));
            }
        };
        cmp("index format", self.format, newer.format);
        cmp("analyzer", self.analyzer, newer.analyzer);
        cmp("cleaning rules", self.cleaner, newer.cleaner);
        cmp("passage splitting", self.passages, newer.passages);
        cmp("entity tagging", self.tagger, newer.tagger);
        cmp("event extraction", self.events, newer.events);
        if self.tables != newer.tables {
            out.push("the entity tables changed".to_string());
        }
        out
    }
}

/// durand's own metadata, stored as the payload of every tantivy commit so that it changes
/// atomically with the index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexInfo {
    /// Version of durand that made the last commit.
    pub durand: String,
    pub config: Config,
    /// The sources a bare `durand index` re-reads: relative to the index directory's parent
    /// when inside it, else absolute.
    pub sources: Vec<String>,
    /// The `--gazetteer` files a bare `durand index` re-reads, stored like `sources`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gazetteers: Vec<String>,
}

/// The effective entity table saved in each generation (see [`crate::tag::table`]).
pub const TABLE_FILE: &str = "entities.tsv";

/// An opened index, ready to search.
pub struct DurandIndex {
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
    pub info: IndexInfo,
    pub dir: PathBuf,
    /// The generation directory the index lives in.
    pub generation: PathBuf,
    table: std::sync::OnceLock<Table>,
    names: std::sync::OnceLock<Names>,
    doc_ids: std::sync::OnceLock<Vec<Vec<String>>>,
    vectors: std::sync::OnceLock<Option<vectors::Vectors>>,
}

/// Registers the analyzer on a freshly opened or created tantivy index.
pub(crate) fn register(index: &Index) {
    index.tokenizers().register(ANALYZER_NAME, analyzer());
}

/// A tantivy error as a short phrase that names the file it is about, for one-line messages:
/// "0a1b….pos is missing", "0a1b….store is damaged".
pub(crate) fn describe(e: &tantivy::TantivyError) -> String {
    use tantivy::TantivyError as T;
    use tantivy::directory::error::OpenReadError as R;
    let name = |p: &Path| {
        p.file_name().map_or_else(
            || p.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    };
    match e {
        T::OpenReadError(R::FileDoesNotExist(p)) => format!("{} is missing", name(p)),
        // tantivy reads a file's footer as it opens it: one that does not hold is damage.
        T::OpenReadError(R::IoError { io_error, filepath })
            if matches!(
                io_error.kind(),
                std::io::ErrorKind::InvalidData | std::io::ErrorKind::UnexpectedEof
            ) =>
        {
            format!("{} is damaged", name(filepath))
        }
        T::OpenReadError(R::IoError { filepath, .. }) => {
            format!("{} cannot be read", name(filepath))
        }
        T::DataCorruption(c) => {
            // The path is private; its Debug form is "Data corruption (in file `\"x\"`): …".
            let debug = format!("{c:?}");
            let file = debug
                .split_once("(in file `")
                .and_then(|(_, rest)| rest.split_once("`)"))
                .map(|(path, _)| name(Path::new(path.trim_matches('"'))));
            match file {
                Some(file) => format!("{file} is damaged"),
                None => "a file is damaged".to_string(),
            }
        }
        T::OpenDirectoryError(tantivy::directory::error::OpenDirectoryError::DoesNotExist(p)) => {
            format!("{} is missing", name(p))
        }
        other => {
            let text = other.to_string();
            let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
            text.chars().take(160).collect()
        }
    }
}

/// True for tantivy errors that mean the index's files are missing or damaged.
fn is_damage(e: &tantivy::TantivyError) -> bool {
    use tantivy::TantivyError as T;
    matches!(
        e,
        T::OpenReadError(_)
            | T::OpenDirectoryError(_)
            | T::DataCorruption(_)
            | T::IoError(_)
            | T::FieldNotFound(_)
            | T::SchemaError(_)
            | T::IncompatibleIndex(_)
    )
}

/// The error `e`, met reading the index at `dir`, as damage when it is damage: the file that
/// fails its checksum names it (tantivy's own messages rarely do: "Unsupported dictionary
/// type", "Failed to lookup Doc #254"), else `e` itself when it says the files are damaged;
/// otherwise `e` as it is.
fn read_error(dir: &Path, index: &Index, e: tantivy::TantivyError) -> IndexError {
    match checksum_damage(index).or_else(|| is_damage(&e).then(|| describe(&e))) {
        Some(detail) => IndexError::Corrupt {
            path: shown(dir),
            detail,
            cause: Some(format!("{e:?}")),
        },
        None => IndexError::Tantivy(e),
    }
}

pub(crate) fn corrupt(dir: &Path, detail: impl std::fmt::Display) -> IndexError {
    IndexError::Corrupt {
        path: shown(dir),
        detail: detail.to_string(),
        cause: None,
    }
}

impl IndexError {
    /// What a one-line message left out, for `--verbose`.
    pub fn details(&self) -> Option<&str> {
        match self {
            IndexError::Corrupt { cause, .. } => cause.as_deref(),
            _ => None,
        }
    }
}

/// Reads durand's metadata from the last commit of `index`.
pub(crate) fn read_info(index: &Index, dir: &Path) -> Result<IndexInfo, IndexError> {
    let metas = index.load_metas().map_err(|e| corrupt(dir, describe(&e)))?;
    info_from_payload(metas.payload.as_deref(), dir)
}

/// Reads durand's metadata straight from a generation's `meta.json` — only its `payload`,
/// without deserialising the schema and segment list a second time (search start-up).
fn read_info_fast(generation: &Path, dir: &Path) -> Result<IndexInfo, IndexError> {
    #[derive(Deserialize)]
    struct Meta {
        payload: Option<String>,
    }
    let bytes = std::fs::read(generation.join("meta.json"))
        .map_err(|e| corrupt(dir, format!("meta.json: {e}")))?;
    let meta: Meta = serde_json::from_slice(&bytes).map_err(|e| corrupt(dir, e))?;
    info_from_payload(meta.payload.as_deref(), dir)
}

fn info_from_payload(payload: Option<&str>, dir: &Path) -> Result<IndexInfo, IndexError> {
    let payload = payload.ok_or_else(|| corrupt(dir, "no durand metadata in the last commit"))?;
    let info: IndexInfo =
        serde_json::from_str(payload).map_err(|e| corrupt(dir, format!("metadata: {e}")))?;
    if info.config.format != FORMAT_VERSION {
        return Err(IndexError::Incompatible {
            path: shown(dir),
            found: info.config.format,
            expected: FORMAT_VERSION,
        });
    }
    Ok(info)
}

/// Opens the index in `dir` for searching: the one place that registers the analyzer.
pub fn open(dir: &Path) -> Result<DurandIndex, IndexError> {
    // An indexer finishing meanwhile may remove the files this read of `CURRENT` and
    // `meta.json` pointed to (a replaced generation, merged segments); once opened, they stay
    // readable. Reading the pointers again then finds the new commit.
    let mut attempts = 0;
    loop {
        match open_current(dir) {
            Err(IndexError::Corrupt { .. }) if attempts < 2 => attempts += 1,
            other => return other,
        }
    }
}

/// An index path that names something other than a folder is a mistake of the caller, not a
/// damaged index.
/// So is a path inside a file (`--index notes.txt/index`): the nearest existing folder on
/// the way is named; and a symbolic link on the way that leads to nothing or loops (neither
/// can be built into).
pub(crate) fn check_folder(dir: &Path) -> Result<(), IndexError> {
    for path in dir.ancestors().filter(|p| !p.as_os_str().is_empty()) {
        match std::fs::metadata(path) {
            Ok(meta) if !meta.is_dir() => {
                return Err(IndexError::NotAFolder { path: shown(path) });
            }
            Ok(_) => return Ok(()),
            Err(e) if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink()) => {
                let why = match std::fs::read_link(path) {
                    Ok(to) if e.kind() == std::io::ErrorKind::NotFound => {
                        format!("to {}, which does not exist", to.display())
                    }
                    _ => format!("that cannot be followed ({e})"),
                };
                return Err(IndexError::BrokenLink {
                    path: shown(path),
                    why,
                });
            }
            Err(_) => continue,
        }
    }
    Ok(())
}

fn open_current(dir: &Path) -> Result<DurandIndex, IndexError> {
    check_folder(dir)?;
    let layout = Layout::new(dir);
    let generation = match layout.current().map_err(|e| corrupt(dir, e))? {
        Some(generation) => generation,
        // The index remembers its sources but lost the pointer to its files: damaged, and
        // `durand index` rebuilds it from those sources.
        None if remembers(dir) => {
            return Err(corrupt(dir, format!("{} is missing", layout::CURRENT)));
        }
        None => return Err(IndexError::Missing { path: shown(dir) }),
    };
    // A search touches a few scattered pages of each file. The kernel's default read-ahead
    // turns every first touch into a large read, which doubled cold-cache searches
    // (BENCHMARKS.md); random-access advice reads only the pages used.
    if !generation.is_dir() {
        let name = generation.file_name().unwrap_or_default().to_string_lossy();
        return Err(corrupt(dir, format!("its folder {name} is missing")));
    }
    let directory = MmapDirectory::open_with_madvice(&generation, Advice::Random)
        .map_err(|e| corrupt(dir, e))?;
    let index = Index::open(directory::ReadableDirectory(directory))
        .map_err(|e| corrupt(dir, describe(&e)))?;
    register(&index);
    let info = read_info_fast(&generation, dir)?;
    let fields = Fields::resolve(&index.schema()).map_err(|e| IndexError::OtherFields {
        path: shown(dir),
        detail: describe(&e),
    })?;
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .map_err(|e| read_error(dir, &index, e))?;
    Ok(DurandIndex {
        index,
        reader,
        fields,
        info,
        dir: dir.to_path_buf(),
        generation,
        table: std::sync::OnceLock::new(),
        names: std::sync::OnceLock::new(),
        doc_ids: std::sync::OnceLock::new(),
        vectors: std::sync::OnceLock::new(),
    })
}

/// The first of `index`'s files that fails the checksum tantivy keeps in its footer, or
/// why they could not be read, described; `None` when every file holds.
pub(crate) fn checksum_damage(index: &Index) -> Option<String> {
    match index.validate_checksum() {
        Ok(bad) => {
            let mut bad: Vec<String> = bad
                .iter()
                .map(|p| p.to_string_lossy().into_owned())
                .collect();
            bad.sort();
            bad.first()
                .map(|file| format!("{file} failed its checksum"))
        }
        Err(e) => Some(describe(&e)),
    }
}

/// What is damaged in the index at `dir`, when something is: one of tantivy's files that
/// fails its checksum (or does not open), or durand's name index that does not read back.
/// For the command layer, after a read stopped where a sound index never stops (`cause`
/// says how, for `--verbose`); it reads every file, so it is not for the ordinary path.
pub fn diagnose(dir: &Path, cause: Option<String>) -> Option<IndexError> {
    let generation = Layout::new(dir).current().ok()??;
    let detail = match Index::open_in_dir(&generation) {
        Err(e) => describe(&e),
        Ok(index) => checksum_damage(&index)
            .or_else(|| Names::open(&generation).err().map(|e| e.to_string()))?,
    };
    Some(IndexError::Corrupt {
        path: shown(dir),
        detail,
        cause,
    })
}

/// True when an indexer is writing into `dir` now (its first build, when there is no
/// index yet).
pub fn being_written(dir: &Path) -> bool {
    Layout::new(dir).locked()
}

/// True when `dir` holds an index (it may still fail to open).
pub fn exists(dir: &Path) -> bool {
    dir.join(layout::CURRENT).is_file()
}

/// Whether `dir` remembers, beside its files, a generation it built: an index was built
/// there, even if its files are now damaged or gone (not a first build still running).
pub fn remembers(dir: &Path) -> bool {
    Layout::new(dir)
        .read_state()
        .ok()
        .flatten()
        .is_some_and(|s| s.generation.is_some())
}

impl DurandIndex {
    /// A tantivy error met while reading this index: damage ("the index at ./index is damaged
    /// (0a1b.pos is missing) — run `durand index --rebuild` to repair it") or a plain error.
    pub fn damaged(&self, e: tantivy::TantivyError) -> IndexError {
        read_error(&self.dir, &self.index, e)
    }

    /// The embedding model this index keeps passage vectors of, when it is semantic. A state
    /// file that does not read is damage, not "not semantic".
    pub fn semantic(&self) -> Result<Option<SemanticState>, IndexError> {
        let state = Layout::new(&self.dir)
            .read_state()
            .map_err(|e| self.own_file(layout::STATE, e))?;
        Ok(state.and_then(|s| s.semantic))
    }

    /// The passage vectors of a semantic index, read on first use; `None` when there are
    /// none yet. A vector file that does not read is damage.
    pub fn vectors(&self) -> Result<Option<&vectors::Vectors>, IndexError> {
        if let Some(v) = self.vectors.get() {
            return Ok(v.as_ref());
        }
        let v = vectors::Vectors::open(&self.generation.join(vectors::FILE))
            .map_err(|e| self.own_file(vectors::FILE, e))?;
        Ok(self.vectors.get_or_init(|| v).as_ref())
    }

    /// The name index saved with the generation (cheap to open; see [`crate::tag::names`]).
    /// A missing or damaged one is an error: resolving names differently from indexing
    /// would be worse.
    pub(crate) fn names(&self) -> Result<&Names, IndexError> {
        if let Some(names) = self.names.get() {
            return Ok(names);
        }
        let names = Names::open(&self.generation).map_err(|e| self.own_file("names.bin", e))?;
        Ok(self.names.get_or_init(|| names))
    }

    /// The entity table the index was tagged with, read on first use (searches that name no
    /// entity never pay for it). A missing or damaged one is an error.
    pub fn table(&self) -> Result<&Table, IndexError> {
        if let Some(table) = self.table.get() {
            return Ok(table);
        }
        let path = self.generation.join(TABLE_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| self.own_file(TABLE_FILE, e))?;
        let table = Table::from_tsv(&text, TABLE_FILE)
            .map_err(|e| corrupt(&self.dir, format!("{TABLE_FILE} does not read back: {e}")))?;
        Ok(self.table.get_or_init(|| table))
    }

    /// One of durand's own files of the generation could not be read.
    fn own_file(&self, name: &str, e: std::io::Error) -> IndexError {
        let detail = match e.kind() {
            std::io::ErrorKind::NotFound => format!("{name} is missing"),
            // The message already names the file and what is wrong with it.
            std::io::ErrorKind::InvalidData => e.to_string(),
            _ => format!("{name} cannot be read: {e}"),
        };
        corrupt(&self.dir, detail)
    }

    /// A stored record that does not read back.
    pub(crate) fn unreadable(&self, e: document::RecordError) -> IndexError {
        corrupt(&self.dir, e)
    }

    /// Every segment's passage document ids (`doc_id`) by ordinal, read once, streaming the
    /// column dictionaries, for callers that map many hits to ids. Segment numbers match
    /// every searcher of this index: its reader is never reloaded ([`ReloadPolicy::Manual`]).
    pub fn id_terms(&self) -> Result<&[Vec<String>], IndexError> {
        let cell = &self.doc_ids;
        if let Some(ids) = cell.get() {
            return Ok(ids);
        }
        let searcher = self.reader.searcher();
        let mut all = Vec::new();
        for segment in searcher.segment_readers() {
            let terms = match segment.fast_fields().str("doc_id")? {
                Some(col) => self.column_terms(&col)?,
                None => Vec::new(),
            };
            all.push(terms);
        }
        Ok(cell.get_or_init(|| all))
    }

    /// Every term of a string fast column, in term-ordinal order (one pass over its
    /// dictionary; looking ordinals up one by one is much slower).
    pub(crate) fn column_terms(
        &self,
        column: &tantivy::columnar::StrColumn,
    ) -> Result<Vec<String>, IndexError> {
        let mut terms = Vec::new();
        let mut stream = column
            .dictionary()
            .stream()
            .map_err(|e| corrupt(&self.dir, e))?;
        while let Some((key, _)) = stream.next() {
            terms.push(String::from_utf8_lossy(key).into_owned());
        }
        Ok(terms)
    }

    /// The stored document record and passages of `doc_id`, passages in order.
    pub fn document(
        &self,
        doc_id: &str,
    ) -> Result<Option<(StoredDoc, Vec<StoredPassage>)>, IndexError> {
        let searcher = self.reader.searcher();
        let query = BooleanQuery::union(vec![
            Box::new(TermQuery::new(
                Term::from_field_text(self.fields.doc_id, doc_id),
                IndexRecordOption::Basic,
            )),
            Box::new(TermQuery::new(
                Term::from_field_text(self.fields.doc_key, doc_id),
                IndexRecordOption::Basic,
            )),
        ]);
        let addresses = searcher
            .search(&query, &records::Records)
            .map_err(|e| self.damaged(e))?;
        let mut doc = None;
        let mut passages = Vec::new();
        for address in addresses {
            let stored = self.stored(&searcher, address)?;
            if document::is_doc_record(&stored, &self.fields) {
                doc = Some(
                    StoredDoc::from_stored(&stored, &self.fields)
                        .map_err(|e| self.unreadable(e))?,
                );
            } else {
                passages.push(
                    StoredPassage::from_stored(&stored, &self.fields)
                        .map_err(|e| self.unreadable(e))?,
                );
            }
        }
        passages.sort_by_key(|p| p.ord);
        Ok(doc.map(|d| (d, passages)))
    }

    /// The stored document record of `doc_id` alone (no passages).
    pub fn document_record(
        &self,
        searcher: &tantivy::Searcher,
        doc_id: &str,
    ) -> Result<Option<StoredDoc>, IndexError> {
        let query = TermQuery::new(
            Term::from_field_text(self.fields.doc_key, doc_id),
            IndexRecordOption::Basic,
        );
        let found = searcher
            .search(
                &query,
                &tantivy::collector::TopDocs::with_limit(1).order_by_score(),
            )
            .map_err(|e| self.damaged(e))?;
        let Some((_, address)) = found.into_iter().next() else {
            return Ok(None);
        };
        let stored = self.stored(searcher, address)?;
        StoredDoc::from_stored(&stored, &self.fields)
            .map(Some)
            .map_err(|e| self.unreadable(e))
    }

    /// One stored record.
    pub fn stored(
        &self,
        searcher: &tantivy::Searcher,
        address: tantivy::DocAddress,
    ) -> Result<tantivy::TantivyDocument, IndexError> {
        searcher.doc(address).map_err(|e| self.damaged(e))
    }

    /// The passage stored at `address`.
    pub fn passage(
        &self,
        searcher: &tantivy::Searcher,
        address: tantivy::DocAddress,
    ) -> Result<StoredPassage, IndexError> {
        let stored = self.stored(searcher, address)?;
        StoredPassage::from_stored(&stored, &self.fields).map_err(|e| self.unreadable(e))
    }

    /// Every document record, sorted by id.
    pub fn documents(&self) -> Result<Vec<StoredDoc>, IndexError> {
        let searcher = self.reader.searcher();
        let query = TermQuery::new(self.fields.documents_term(), IndexRecordOption::Basic);
        let addresses = searcher
            .search(&query, &records::Records)
            .map_err(|e| self.damaged(e))?;
        let mut docs = Vec::with_capacity(addresses.len());
        for address in addresses {
            let stored = self.stored(&searcher, address)?;
            docs.push(
                StoredDoc::from_stored(&stored, &self.fields).map_err(|e| self.unreadable(e))?,
            );
        }
        docs.sort_by(|a, b| a.doc_id.cmp(&b.doc_id));
        Ok(docs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An index whose schema lacks a field this durand has (as one built before an entity
    /// kind was added would): reading it says so and what to run; the next run rebuilds it.
    #[test]
    fn an_index_without_a_field_of_this_durand_says_so_and_the_next_run_rebuilds() {
        let dir = tempfile::tempdir().unwrap();
        crate::testing::TestIndex::write(&dir, crate::testing::BORDER);
        crate::testing::TestIndex::sync(&dir);
        let index_dir = dir.path().join("index");
        let generation = open(&index_dir).unwrap().generation;
        let meta_path = generation.join("meta.json");
        let mut meta: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&meta_path).unwrap()).unwrap();
        let fields = meta["schema"].as_array_mut().unwrap();
        let last = fields.pop().unwrap();
        std::fs::write(&meta_path, meta.to_string()).unwrap();
        let e = open(&index_dir).err().expect("refused");
        assert!(matches!(e, IndexError::OtherFields { .. }), "{e}");
        let said = e.to_string();
        assert!(
            said.contains(last["name"].as_str().unwrap()) && said.contains("index`"),
            "{said}"
        );
        let summary = crate::testing::TestIndex::sync(&dir);
        assert!(summary.rebuilt.is_some());
        assert_eq!(
            open(&index_dir).unwrap().info.config,
            Config::current(&Table::builtin())
        );
    }

    #[test]
    fn an_index_from_before_event_versions_has_its_events_extracted_again() {
        let now = Config::current(&Table::builtin());
        let mut json = serde_json::to_value(&now).unwrap();
        json.as_object_mut().unwrap().remove("events");
        let old: Config = serde_json::from_value(json).unwrap();
        assert_eq!(old.events, 1);
        assert_eq!(
            old.changes_to(&now),
            vec![format!(
                "event extraction changed (version 1 → {})",
                crate::analysis::EVENTS_VERSION
            )]
        );
        assert!(now.changes_to(&now).is_empty());
    }
}
