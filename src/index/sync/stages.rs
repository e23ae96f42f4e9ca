//! The two stages of a run. The reading stage (its own thread) reads every source file and
//! sorts documents into unchanged, duplicate, added and updated before parsing them where it
//! can (a known stamp skips the document); added and updated ones go on in bounded batches.
//! The writing stage analyses each batch in parallel (rayon: clean, passages, tags, dates,
//! events — [`crate::analysis`]), turns each analysed document into records and feeds
//! tantivy's writer.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender};

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use tantivy::indexer::UserOperation;
use tantivy::{IndexWriter, TantivyDocument, Term};

use super::existing::Existing;
use super::stories::Stories;
use crate::analysis::analyse;
use crate::corpus::{RawDoc, Sink, SourceFile};
use crate::index::IndexError;
use crate::index::document::records;
use crate::index::schema::Fields;
use crate::report::{Reporter, Warning};
use crate::tag::{Table, Tagger};

/// Documents per batch handed from the reader to the preparing threads.
pub(super) const BATCH: usize = 1024;

/// Where a document stands relative to the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Change {
    Added,
    Updated,
}

pub(super) type Batch = Vec<(RawDoc, Change)>;

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
    /// Ids of documents the index holds in another version, in the order read.
    updated_ids: Vec<String>,
    batch: Batch,
    tx: SyncSender<Batch>,
    /// The writing stage hung up (it failed or was cancelled).
    closed: bool,
    unchanged: usize,
    duplicates: usize,
    unreported: u64,
    unreported_bytes: u64,
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

    fn unchanged(&mut self, bytes: usize) {
        self.unchanged += 1;
        self.unreported += 1;
        self.unreported_bytes += bytes as u64;
        if self.unreported >= PROGRESS_STEP {
            self.reporter.advance(
                std::mem::take(&mut self.unreported),
                std::mem::take(&mut self.unreported_bytes),
            );
        }
    }

    fn duplicate(&mut self, raw: &RawDoc, first: &str) {
        self.reporter.warn(Warning::of_kind(
            raw.location(),
            "duplicate document id, skipped",
            format!(
                "duplicate document id {:?} (first read from {first}), skipped",
                raw.id
            ),
        ));
        self.duplicates += 1;
    }
}

impl Sink for Classifier<'_> {
    fn known(&mut self, stamp: u64, bytes: usize) -> bool {
        match self.existing.by_stamp.get(&stamp).map(|&i| i as usize) {
            // Exactly this version is indexed: nothing to do.
            Some(i) if !self.seen[i] => {
                self.seen[i] = true;
                self.unchanged(bytes);
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
                    self.unchanged(raw.text.len());
                    return;
                }
                self.updated_ids.push(raw.id.clone());
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
pub(super) struct ReadOutcome {
    pub error: Option<std::io::Error>,
    /// Which existing entries were seen.
    pub seen: Vec<bool>,
    pub unchanged: usize,
    pub duplicates: usize,
    /// Files (and folders) whose documents must be kept because they could not be read, as
    /// stored paths.
    pub unreadable: Vec<String>,
    /// The ids read by this run that the index did not hold (in a rebuild, every one).
    pub new_ids: FxHashMap<String, Arc<str>>,
    /// The ids of documents the index held in another version.
    pub updated_ids: Vec<String>,
}

/// The reading stage, on its own thread.
#[allow(clippy::too_many_arguments)]
pub(super) fn read_all(
    files: &[SourceFile],
    mut unreadable: Vec<String>,
    existing: &Existing,
    doc_key: tantivy::schema::Field,
    max_document_bytes: usize,
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
        updated_ids: Vec::new(),
        batch: Vec::with_capacity(BATCH),
        tx,
        closed: false,
        unchanged: 0,
        duplicates: 0,
        unreported: 0,
        unreported_bytes: 0,
        reporter,
    };
    for file in files {
        if c.closed || cancel.is_some_and(|f| f.load(Ordering::Relaxed)) {
            break;
        }
        if let Err(e) = file.read(reporter, &mut c, max_document_bytes) {
            reporter.warn(Warning::new(
                &file.display,
                format!("cannot read ({e}), skipped (documents indexed from it before are kept)"),
            ));
            unreadable.push(file.stored.clone());
        }
    }
    c.send();
    reporter.advance(c.unreported, c.unreported_bytes);
    ReadOutcome {
        error: c.error,
        seen: c.seen,
        unchanged: c.unchanged,
        duplicates: c.duplicates,
        unreadable,
        new_ids: c.new_ids,
        updated_ids: c.updated_ids,
    }
}

/// What `analyse` makes of `raw`, or `None` with a warning naming the document when it
/// stops on a bug (a panic): one document is left out, not the run.
fn or_left_out<T>(raw: &RawDoc, reporter: &dyn Reporter, analyse: impl FnOnce() -> T) -> Option<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(analyse))
        .map_err(|payload| {
            let what = crate::report::panic_message(&*payload);
            reporter.warn(Warning::of_kind(
                raw.location(),
                "left out: its analysis stopped on an internal error; please report it",
                format!(
                    "left out: its analysis stopped on an internal error ({what}); please report it"
                ),
            ));
        })
        .ok()
}

/// The writing stage: prepares each batch in parallel and adds each document's records as
/// one tantivy batch, so they land in one segment next to each other. Returns (added,
/// updated).
pub(super) fn write_all(
    rx: Receiver<Batch>,
    writer: &IndexWriter<TantivyDocument>,
    fields: Fields,
    table: &Table,
    stories: &mut Stories,
    reporter: &dyn Reporter,
    cancel: Option<&AtomicBool>,
) -> Result<(usize, usize), IndexError> {
    let mut tagger: Option<Tagger> = None;
    let (mut added, mut updated) = (0, 0);
    for batch in rx {
        if cancel.is_some_and(|f| f.load(Ordering::Relaxed)) {
            return Err(IndexError::Interrupted);
        }
        // The automata are built only when something needs tagging.
        let tagger = match &mut tagger {
            Some(t) => &*t,
            None => tagger.insert(Tagger::new(table.clone())?),
        };
        // A document whose analysis stops on a bug is left out with a warning, not the run:
        // its earlier version (if any) stays, and the next run tries it again.
        let prepared: Vec<_> = batch
            .par_iter()
            .map(|(raw, _)| {
                or_left_out(raw, reporter, || {
                    records(raw, &analyse(raw, tagger), &fields)
                })
            })
            .collect();
        for ((_, change), doc) in batch.iter().zip(prepared) {
            let Some(mut doc) = doc else {
                continue;
            };
            let story = stories.assign(&doc.id, &doc.signature, doc.day)?;
            doc.set_story(&fields, story);
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
        let bytes: usize = batch.iter().map(|(raw, _)| raw.text.len()).sum();
        reporter.advance(batch.len() as u64, bytes as u64);
    }
    Ok((added, updated))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Collect;

    #[test]
    fn a_document_whose_analysis_panics_is_left_out_with_a_warning() {
        let raw = RawDoc {
            id: "a".into(),
            file: "news/a.jsonl".into(),
            line: Some(3),
            title: None,
            date: None,
            source: None,
            url: None,
            text: "text".into(),
            stamp: 1,
        };
        let reporter = Collect::default();
        assert_eq!(or_left_out(&raw, &reporter, || 7), Some(7));
        assert!(reporter.take().is_empty());
        let none: Option<u8> = or_left_out(&raw, &reporter, || {
            panic!("byte index 3 is not a char boundary")
        });
        assert_eq!(none, None);
        let warnings = reporter.take();
        assert_eq!(warnings.len(), 1);
        let w = warnings[0].to_string();
        assert!(
            w.starts_with("news/a.jsonl:3: left out") && w.contains("char boundary"),
            "{w}"
        );
    }
}
