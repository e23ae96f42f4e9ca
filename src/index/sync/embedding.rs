//! The last stage of a semantic run: after tantivy's commit, every live passage whose key has
//! no vector yet is embedded and appended to the generation's vector file, in chunks that
//! are synced to disk as they finish (see `crate::index::vectors`). Because it looks at what
//! the index holds rather than at what this run added, the same stage embeds new and changed
//! passages, a whole index the first time `--semantic` is given, and whatever a killed run
//! left undone.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rustc_hash::FxHashSet;
use tantivy::schema::Value;
use tantivy::{DocAddress, Index, TantivyDocument};

use super::SyncOptions;
use crate::embed::{DEFAULT_MODEL_DIR, Embedder, passage_text};
use crate::index::layout::{SemanticState, State};
use crate::index::schema::Fields;
use crate::index::vectors::{self, Appender};
use crate::index::{IndexError, shown};
use crate::report::Reporter;

/// Passages embedded between two syncs of the vector file: what a killed run can lose.
const CHUNK: usize = 256;
/// Passages per forward pass of the model: one, so nothing is padding and each pass's
/// tensors stay small. With the passes in parallel on every core, batches of 2, 4, 8, 16 and
/// 32 were all slower (8 took 1.2–1.3× the time of 1 and 2.4× its memory; BENCHMARKS.md).
pub const BATCH: usize = 1;

/// Whether a run embeds: `--semantic` was given, or the index remembers that it is semantic
/// and `--no-semantic` was not.
pub(super) fn wanted(options: &SyncOptions, state: Option<&State>) -> bool {
    options
        .semantic
        .unwrap_or_else(|| state.is_some_and(|s| s.semantic.is_some()))
}

/// The model a run embeds with: the one asked for, else the one the index remembers when it
/// is semantic and `--no-semantic` was not given; `None` for a run without vectors.
pub(super) fn embedder(
    options: &SyncOptions,
    state: Option<&State>,
) -> Result<Option<Embedder>, IndexError> {
    if !wanted(options, state) {
        return Ok(None);
    }
    let remembered = state.and_then(|s| s.semantic.as_ref());
    let dir = options
        .model
        .clone()
        .or_else(|| remembered.map(|r| PathBuf::from(&r.model)))
        .unwrap_or_else(|| PathBuf::from(DEFAULT_MODEL_DIR));
    Ok(Some(Embedder::load_known(
        &dir,
        remembered.and_then(SemanticState::known_weights),
        None,
    )?))
}

/// What the state file remembers of `embedder`.
pub(super) fn remembered(embedder: &Embedder) -> SemanticState {
    let dir = embedder.dir();
    let model = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    SemanticState {
        model: model.display().to_string(),
        fingerprint: embedder.fingerprint().to_string(),
        weights: Some(embedder.weights().clone()),
    }
}

/// Embeds the passages of `index` that have no vector in `generation`'s file. Returns how
/// many it embedded; `cancel` stops it between chunks, keeping what was synced.
pub(super) fn fill(
    index: &Index,
    fields: Fields,
    generation: &Path,
    embedder: &Embedder,
    reporter: &dyn Reporter,
    cancel: Option<&AtomicBool>,
) -> Result<usize, IndexError> {
    let path = generation.join(vectors::FILE);
    let io = |e| IndexError::io(&path, e);
    let (mut appender, have) = Appender::open(&path, embedder.fingerprint()).map_err(io)?;
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let mut live = FxHashSet::default();
    let mut missing: Vec<(u64, DocAddress)> = Vec::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let keys = segment.fast_fields().u64("vector_key")?;
        let alive = segment.alive_bitset();
        for doc in 0..segment.max_doc() {
            if alive.is_some_and(|a| !a.is_alive(doc)) {
                continue;
            }
            if let Some(key) = keys.first(doc)
                && live.insert(key)
                && !have.contains(&key)
            {
                missing.push((key, DocAddress::new(ord as u32, doc)));
            }
        }
    }
    // Documents are stored in blocks: reading them in address order decompresses each once.
    missing.sort_by_key(|m| m.1);
    reporter.start("embedding passages", Some(missing.len() as u64));
    let mut embedded = 0;
    for chunk in missing.chunks(CHUNK) {
        if cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
            reporter.finish();
            return Err(IndexError::EmbeddingInterrupted);
        }
        let mut texts = Vec::with_capacity(chunk.len());
        for (_, address) in chunk {
            let doc: TantivyDocument = searcher.doc(*address)?;
            // Every passage is stored with its title and text.
            let get = |f, name: &str| {
                doc.get_first(f)
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
                    .ok_or_else(|| {
                        let dir = generation.parent().unwrap_or(generation);
                        crate::index::corrupt(dir, format!("a stored passage has no {name}"))
                    })
            };
            texts.push(passage_text(
                &get(fields.title, "title")?,
                &get(fields.text, "text")?,
            ));
        }
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let found = embedder.embed_many(&refs, BATCH)?;
        for ((key, _), vector) in chunk.iter().zip(&found) {
            appender.append(*key, vector).map_err(io)?;
        }
        appender.sync().map_err(io)?;
        embedded += chunk.len();
        let bytes: usize = texts.iter().map(String::len).sum();
        reporter.advance(chunk.len() as u64, bytes as u64);
    }
    reporter.finish();
    drop(appender);
    // Vectors of passages that are gone pile up as documents change: drop them once they
    // are as many as the live ones.
    if have.len() + embedded > 2 * live.len().max(1) {
        vectors::compact(&path, &live).map_err(io)?;
    }
    Ok(embedded)
}

/// Carries the vectors of the generation being replaced into a rebuilt one: they are keyed by
/// the text they were made from, so a rebuild embeds only what changed.
pub(super) fn carry_over(from: &Path, to: &Path) -> Result<(), IndexError> {
    let (old, new) = (from.join(vectors::FILE), to.join(vectors::FILE));
    if from == to || !old.is_file() || new.exists() {
        return Ok(());
    }
    std::fs::copy(&old, &new)
        .map(|_| ())
        .map_err(|e| IndexError::io(&old, e))
}

/// Removes the vectors of an index that is no longer semantic.
pub(super) fn forget(generation: &Path) -> Result<(), IndexError> {
    let path = generation.join(vectors::FILE);
    match std::fs::remove_file(&path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(IndexError::Io {
            path: shown(&path),
            source: e,
        }),
        _ => Ok(()),
    }
}
