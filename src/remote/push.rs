//! `durand push`: the local index's passages into a remote collection, the first time all of
//! them and afterwards only what changed — documents added, changed (their records
//! re-sent, passages they no longer have deleted) and removed (deleted remotely).
//!
//! What was pushed is remembered in `remote.json` in the index folder, beside the state and
//! saved searches and outside every generation: per collection name, each document's record
//! hash and passage count. It is trusted only while the collection holds as many records as
//! it says; otherwise (a collection made again, emptied, fed from another index, `--full`)
//! everything is sent and the collection reconciled with the local index from its record
//! count per document. The file is replaced atomically after every run, also a failed one,
//! with exactly the documents the cluster accepted, so a push that stops half-way resumes
//! where it stopped and one that never reached the cluster changes nothing.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use super::query::{equals, quote};
use super::record::{DocRecords, Documents, documents};
use super::{Method, Remote, RemoteError, schema};
use crate::index::DurandIndex;
use crate::index::layout::{LockError, lock_file, write_atomically};
use crate::report::{Reporter, Warning};

/// The file, in the index folder.
pub const FILE: &str = "remote.json";
/// Records per import request when not told otherwise.
pub const DEFAULT_BATCH: usize = 500;
/// Documents per delete request (their ids go into one filter).
const DELETE_BATCH: usize = 100;

/// What a push did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PushSummary {
    pub url: String,
    pub collection: String,
    /// The collection did not exist and was made.
    pub created: bool,
    /// Documents in the local index.
    pub documents: usize,
    pub added: usize,
    pub updated: usize,
    pub removed: usize,
    pub unchanged: usize,
    /// Passage records sent (and accepted).
    pub records: usize,
    pub rejected: Vec<Rejected>,
    pub seconds: f64,
    /// Records sent per second of the whole run (reading the index included).
    pub records_per_second: f64,
}

/// A record the cluster would not take.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejected {
    pub id: String,
    pub doc: String,
    pub error: String,
}

/// How to push.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PushOptions {
    /// Records per import request.
    pub batch: usize,
    /// Send every document, whatever was pushed before.
    pub full: bool,
}

impl Default for PushOptions {
    fn default() -> Self {
        PushOptions {
            batch: DEFAULT_BATCH,
            full: false,
        }
    }
}

/// What one document looked like when it was last pushed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Pushed {
    hash: String,
    passages: u32,
}

/// One collection's memory.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct CollectionState {
    /// The node last pushed through.
    url: String,
    /// When (RFC 3339).
    pushed: String,
    docs: BTreeMap<String, Pushed>,
}

/// `remote.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct State {
    collections: BTreeMap<String, CollectionState>,
}

fn load(dir: &Path) -> Result<State, RemoteError> {
    let path = dir.join(FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text).map_err(|e| RemoteError::State {
            path: path.display().to_string(),
            detail: format!("{e}; delete it to push everything again"),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(State::default()),
        Err(e) => Err(RemoteError::State {
            path: path.display().to_string(),
            detail: e.to_string(),
        }),
    }
}

fn save(dir: &Path, state: &State) -> Result<(), RemoteError> {
    let path = dir.join(FILE);
    let bytes = serde_json::to_vec_pretty(state).expect("state serialises");
    write_atomically(&path, &bytes).map_err(|e| RemoteError::State {
        path: path.display().to_string(),
        detail: e.to_string(),
    })
}

/// The lock file one push holds, so that two pushes of one index never interleave their
/// changes to the cluster and to `remote.json` (the process dying releases it).
pub const LOCK_FILE: &str = "push.lock";

/// Takes the push lock of the index in `dir` without waiting.
pub fn lock(dir: &Path) -> Result<std::fs::File, RemoteError> {
    let path = dir.join(LOCK_FILE);
    lock_file(&path).map_err(|e| match e {
        LockError::Busy => RemoteError::Busy {
            path: path.display().to_string(),
        },
        LockError::Io(e) => RemoteError::State {
            path: path.display().to_string(),
            detail: e.to_string(),
        },
    })
}

/// Pushes `index` to `remote`'s collection.
pub fn push(
    index: &DurandIndex,
    remote: &Remote,
    options: PushOptions,
    reporter: &dyn Reporter,
) -> Result<PushSummary, RemoteError> {
    let started = Instant::now();
    let _lock = lock(&index.dir)?;
    let (description, created) = schema::ensure(remote)?;
    let holds = description
        .get("num_documents")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(0);
    let mut state = load(&index.dir)?;
    let key = remote.collection.clone();
    // What was pushed is trusted only while the collection holds exactly that many records:
    // a collection made again, emptied, or fed from elsewhere gets everything and is then
    // reconciled with the local index.
    let before = match state.collections.get(&key) {
        Some(s) if !options.full && !created && records_of(&s.docs) == holds => s.docs.clone(),
        _ => BTreeMap::new(),
    };
    let trusted = !before.is_empty() || (holds == 0 && !options.full);
    let docs = documents(index)?;
    let mut summary = PushSummary {
        url: remote.url().to_string(),
        collection: remote.collection.clone(),
        created,
        ..PushSummary::default()
    };
    // What the cluster has: as before, until this run changes it.
    let mut after: BTreeMap<String, Pushed> = before.clone();
    // Each local document's passage count, as it is read.
    let mut local: HashMap<String, u32> = HashMap::new();
    // Documents with more passages remotely than now: (id, passages now).
    let mut shrunk: Vec<(String, u32)> = Vec::new();
    reporter.start("pushing records", Some(docs.records));
    let mut importer = Importer {
        remote,
        path: format!("{}/documents/import", remote.collection_path()),
        batch_size: options.batch,
        reporter,
        batch: Vec::new(),
        batched: 0,
        summary: &mut summary,
        after: &mut after,
    };
    // Documents are read and sent a batch at a time; whatever happens, what the cluster took
    // is remembered below.
    let mut result = send_changes(docs, &before, &mut importer, &mut local, &mut shrunk);
    reporter.finish();
    summary.documents = local.len();
    let mut gone: Vec<String> = before
        .keys()
        .filter(|id| !local.contains_key(id.as_str()))
        .cloned()
        .collect();
    if result.is_ok() && !trusted {
        result = reconcile(remote, &local, holds.max(summary.records as u64)).map(|surplus| {
            shrunk.extend(surplus.shrunk);
            gone.extend(surplus.gone);
        });
    }
    if result.is_ok() {
        result = prune(remote, &shrunk, &gone, &mut after);
    }
    summary.removed = gone.iter().filter(|id| !after.contains_key(*id)).count();
    let left = records_of(&after);
    state.collections.insert(
        key,
        CollectionState {
            url: remote.url().to_string(),
            pushed: jiff::Timestamp::now().to_string(),
            docs: after,
        },
    );
    save(&index.dir, &state)?;
    result?;
    settle(remote, left)?;
    let seconds = started.elapsed().as_secs_f64();
    summary.seconds = (seconds * 1e3).round() / 1e3;
    summary.records_per_second = if seconds > 0.0 {
        (summary.records as f64 / seconds).round()
    } else {
        0.0
    };
    Ok(summary)
}

/// Waits (a few seconds at most) until the node answering counts the records this push
/// left: a follower applies the leader's writes a moment later, and the next push trusts its
/// remembered state only when the count agrees — else it would send everything again.
fn settle(remote: &Remote, expected: u64) -> Result<(), RemoteError> {
    for _ in 0..schema::REPLICATION_WAITS {
        let holds = schema::describe(remote)?
            .and_then(|d| d.get("num_documents").and_then(serde_json::Value::as_u64));
        if holds == Some(expected) {
            break;
        }
        std::thread::sleep(schema::REPLICATION_PAUSE);
    }
    Ok(())
}

/// The records a push state says the cluster holds.
fn records_of(docs: &BTreeMap<String, Pushed>) -> u64 {
    docs.values().map(|p| u64::from(p.passages)).sum()
}

/// Reads every local document, sending those that are new or changed since `before` and
/// noting each one's passage count in `local` and, when it has fewer passages than the
/// cluster holds, in `shrunk`.
fn send_changes(
    docs: Documents<'_>,
    before: &BTreeMap<String, Pushed>,
    importer: &mut Importer<'_>,
    local: &mut HashMap<String, u32>,
    shrunk: &mut Vec<(String, u32)>,
) -> Result<(), RemoteError> {
    for d in docs {
        let d = d?;
        let now = d.records.len() as u32;
        local.insert(d.doc_id.clone(), now);
        let old = before.get(&d.doc_id);
        // Also for an unchanged document: a trim that failed last time.
        if old.is_some_and(|p| p.passages > now) {
            shrunk.push((d.doc_id.clone(), now));
        }
        match old {
            Some(p) if p.hash == format!("{:016x}", d.hash) => {
                importer.summary.unchanged += 1;
                importer.reporter.advance(u64::from(now), 0);
            }
            Some(_) => {
                importer.summary.updated += 1;
                importer.add(d)?;
            }
            None => {
                importer.summary.added += 1;
                importer.add(d)?;
            }
        }
    }
    importer.flush()
}

/// Sends documents' records in batches, recording in `after` each document the cluster took
/// whole. A document imported in a new, shorter form keeps its old passage count until its
/// surplus passages are deleted ([`prune`]), so a failed trim is retried by the next push.
struct Importer<'a> {
    remote: &'a Remote,
    /// The collection's import endpoint.
    path: String,
    /// Records per request.
    batch_size: usize,
    reporter: &'a dyn Reporter,
    batch: Vec<DocRecords>,
    /// Records in `batch`.
    batched: usize,
    summary: &'a mut PushSummary,
    after: &'a mut BTreeMap<String, Pushed>,
}

impl Importer<'_> {
    /// Adds a document to the batch, sending the batch first when it would overflow.
    fn add(&mut self, d: DocRecords) -> Result<(), RemoteError> {
        if self.batched > 0 && self.batched + d.records.len() > self.batch_size {
            self.flush()?;
        }
        self.batched += d.records.len();
        self.batch.push(d);
        Ok(())
    }

    /// Sends the batch.
    fn flush(&mut self) -> Result<(), RemoteError> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let mut body = String::new();
        for line in self.batch.iter().flat_map(|d| &d.json) {
            body.push_str(line);
            body.push('\n');
        }
        let remote = self.remote;
        let mut refused: HashSet<String> = HashSet::new();
        // Documents without passages have nothing to send, only to remember.
        let answer = if body.is_empty() {
            super::Answer {
                status: 200,
                body: String::new(),
            }
        } else {
            remote.request(
                Method::Post,
                &self.path,
                &[("action", "upsert")],
                Some(&body),
            )?
        };
        if answer.status != 200 {
            return Err(remote.http_error("the import", &answer));
        }
        let records = self.batch.iter().flat_map(|d| d.records.iter());
        // One answer line per record, in order; a record the answer leaves out (a reply cut
        // short) is not known to be taken, so it counts as refused and goes again next time.
        let mut lines = answer.body.lines();
        for record in records {
            let error = match lines.next() {
                Some(line) => {
                    let v: serde_json::Value = remote.parse("the import", line)?;
                    if v.get("success").and_then(serde_json::Value::as_bool) == Some(true) {
                        self.summary.records += 1;
                        continue;
                    }
                    v.get("error")
                        .and_then(serde_json::Value::as_str)
                        .unwrap_or("rejected")
                        .to_string()
                }
                None => "the cluster's answer left it out".to_string(),
            };
            self.reporter.warn(Warning::of_kind(
                format!("record {}", record.id),
                "rejected by the cluster",
                format!("rejected by the cluster: {error}"),
            ));
            self.summary.rejected.push(Rejected {
                id: record.id.clone(),
                doc: record.doc_id.clone(),
                error,
            });
            refused.insert(record.doc_id.clone());
        }
        self.reporter
            .advance(self.batched as u64, body.len() as u64);
        // A refused document keeps its old entry (or none): it is sent again next time.
        for d in self
            .batch
            .drain(..)
            .filter(|d| !refused.contains(&d.doc_id))
        {
            let old = self.after.get(&d.doc_id).map_or(0, |p| p.passages);
            self.after.insert(
                d.doc_id,
                Pushed {
                    hash: format!("{:016x}", d.hash),
                    passages: old.max(d.records.len() as u32),
                },
            );
        }
        self.batched = 0;
        Ok(())
    }
}

/// What a collection holds beyond the local index.
#[derive(Debug, Default)]
struct Surplus {
    /// Documents with more passages remotely than locally: (id, passages locally).
    shrunk: Vec<(String, u32)>,
    /// Documents only the collection has.
    gone: Vec<String>,
}

/// What the collection holds beyond the local index, from its record count per document:
/// documents with more passages than locally (to trim) and documents it alone has. `records`
/// bounds how many documents it can hold (Typesense allocates for the facet values asked).
fn reconcile(
    remote: &Remote,
    local: &HashMap<String, u32>,
    records: u64,
) -> Result<Surplus, RemoteError> {
    let search = serde_json::json!({"searches": [{
        "collection": remote.collection,
        "q": "*",
        "query_by": "terms",
        "facet_by": "doc_id",
        "max_facet_values": records.max(1),
        "per_page": 0,
    }]});
    let v = remote.json(
        Method::Post,
        "/multi_search",
        &[],
        Some(&search.to_string()),
        "counting records per document",
    )?;
    let mut surplus = Surplus::default();
    let counts = v
        .pointer("/results/0/facet_counts/0/counts")
        .and_then(serde_json::Value::as_array)
        .cloned()
        .unwrap_or_default();
    for c in counts {
        let (Some(id), Some(n)) = (
            c.get("value").and_then(serde_json::Value::as_str),
            c.get("count").and_then(serde_json::Value::as_u64),
        ) else {
            continue;
        };
        match local.get(id) {
            None => surplus.gone.push(id.to_string()),
            Some(&mine) if n > u64::from(mine) => surplus.shrunk.push((id.to_string(), mine)),
            Some(_) => {}
        }
    }
    Ok(surplus)
}

/// Deletes the passages shrunk documents no longer have and the documents removed locally,
/// updating `after` as each succeeds.
fn prune(
    remote: &Remote,
    shrunk: &[(String, u32)],
    gone: &[String],
    after: &mut BTreeMap<String, Pushed>,
) -> Result<(), RemoteError> {
    let documents_path = format!("{}/documents", remote.collection_path());
    for (id, passages) in shrunk {
        let filter = format!(
            "{} && passage:>={passages}",
            equals("doc_id", &[quote(id)?], false)
        );
        delete(remote, &documents_path, &filter)?;
        if let Some(p) = after.get_mut(id) {
            p.passages = *passages;
        }
    }
    for chunk in gone.chunks(DELETE_BATCH) {
        let ids = chunk
            .iter()
            .map(|id| quote(id))
            .collect::<Result<Vec<_>, _>>()?;
        delete(
            remote,
            &documents_path,
            &format!("doc_id:=[{}]", ids.join(",")),
        )?;
        for id in chunk {
            after.remove(id);
        }
    }
    Ok(())
}

fn delete(remote: &Remote, path: &str, filter: &str) -> Result<(), RemoteError> {
    let answer = remote.request(Method::Delete, path, &[("filter_by", filter)], None)?;
    match answer.status {
        200 | 404 => Ok(()),
        _ => Err(remote.http_error("a delete", &answer)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Silent;
    use crate::testing::{BORDER, TestIndex};

    #[test]
    fn a_second_push_of_one_index_is_refused_before_it_sends_anything() {
        let t = TestIndex::new(BORDER);
        let held = lock(&t.index.dir).expect("the first push locks");
        // Nothing listens on port 9: refused before any request, the error is Busy.
        let remote = Remote::new("http://127.0.0.1:9", "key", "durand").unwrap();
        let err = push(&t.index, &remote, PushOptions::default(), &Silent).unwrap_err();
        assert!(matches!(err, RemoteError::Busy { .. }), "{err}");
        assert!(err.to_string().contains("another `durand push`"), "{err}");
        drop(held);
        let err = push(&t.index, &remote, PushOptions::default(), &Silent).unwrap_err();
        assert!(matches!(err, RemoteError::Unreachable { .. }), "{err}");
    }
}
