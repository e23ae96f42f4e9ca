//! What lives in an index directory, and how it changes without ever leaving it unusable.
//!
//! ```text
//! index/
//!   CURRENT        names the generation searches use ("gen-3"); replaced atomically
//!   gen-3/         a tantivy index (meta.json, segment files)
//!   durand.json    what the index remembers (sources, gazetteer files) and the size and
//!                  modification time of every file of the current generation; replaced
//!                  atomically, and kept outside tantivy's files so that losing those never
//!                  loses it
//!   gen-3/vectors.bin  passage vectors of a semantic index (see `super::vectors`); checked
//!                  record by record, so not part of the manifest below
//!   durand.lock    held (flock) by the one `durand index` allowed to run
//!   saved.json     saved searches (`crate::saved`), with saved.lock
//!   remote.json    what was pushed to a remote cluster (`crate::remote::push`), with push.lock
//!   README.md, .gitignore   committed with the project, untouched
//! ```
//!
//! Other things may share the folder: only generations that hold nothing but durand's and
//! tantivy's files are ever removed ([`is_own_generation`]), and a `CURRENT` or `durand.json`
//! that nothing shows to be an index's is never overwritten ([`Layout::unowned_file`]).
//!
//! Incremental runs commit into the current generation (a tantivy commit is atomic). A full
//! rebuild that needs a new schema writes a fresh generation and then swaps `CURRENT`, so a
//! run killed at any moment leaves the previous generation searchable.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

/// The name of the pointer file.
pub const CURRENT: &str = "CURRENT";
/// The name of the state file.
pub const STATE: &str = "durand.json";
const LOCK: &str = "durand.lock";
pub(crate) const GEN_PREFIX: &str = "gen-";

/// What the index remembers between runs, outside tantivy's own files.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    /// The sources a bare `durand index` re-reads (see `sync::remember`).
    pub sources: Vec<String>,
    /// The `--gazetteer` files a bare `durand index` re-reads.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gazetteers: Vec<String>,
    /// The generation `files` describes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generation: Option<String>,
    /// Every file of that generation after the last commit: name → (bytes, modification time
    /// in nanoseconds). A file that is gone was lost from outside (a changed one is found by
    /// its checksum, which every run reads).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub files: BTreeMap<String, (u64, u64)>,
    /// Set when the index keeps passage vectors (`durand index --semantic`): the model that
    /// makes them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub semantic: Option<SemanticState>,
}

/// The embedding model a semantic index was built with.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SemanticState {
    /// Its folder, absolute.
    pub model: String,
    /// [`crate::embed::Embedder::fingerprint`].
    pub fingerprint: String,
    /// The weights file that fingerprint was computed from (absent in older indexes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<crate::embed::WeightsStamp>,
}

impl SemanticState {
    /// The weights and fingerprint a load may take as known.
    pub fn known_weights(&self) -> Option<(&crate::embed::WeightsStamp, &str)> {
        Some((self.weights.as_ref()?, self.fingerprint.as_str()))
    }
}

/// Writes `bytes` to `path` so that readers see the old content or the new, never a part:
/// a temporary file beside it, fsync, rename, fsync of the folder.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomically_with(path, |w| w.write_all(bytes))
}

/// Like [`write_atomically`], for content written piece by piece by `write` (through a
/// buffer). When `write` fails, the file at `path` is left as it was and the temporary one
/// removed. The temporary file has a name of its own (made with `O_EXCL`, so nothing at a
/// guessable name is followed); when `path` is a symbolic link, the file it points to is
/// the one replaced and the link stays.
pub fn write_atomically_with<T, E: From<io::Error>>(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<T, E>,
) -> Result<T, E> {
    let target = match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => fs::canonicalize(path)?,
        _ => path.to_path_buf(),
    };
    let name = target
        .file_name()
        .ok_or_else(|| io::Error::other("no file name"))?
        .to_string_lossy();
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // The permissions of the file replaced, or a new file's (0666 less the umask), not a
    // temporary file's 0600.
    #[cfg(unix)]
    builder.permissions(match fs::metadata(&target) {
        Ok(m) => m.permissions(),
        Err(_) => std::os::unix::fs::PermissionsExt::from_mode(0o666),
    });
    // tempfile names its random temporary path in the error; the caller names the target.
    let tmp = builder.tempfile_in(dir).map_err(|e| {
        let message = e.to_string();
        let cause = message.split(" at path ").next().unwrap_or(&message);
        io::Error::new(e.kind(), cause.to_string())
    })?;
    let mut out = io::BufWriter::new(tmp);
    // On an error the temporary file is removed when dropped.
    let value = write(&mut out)?;
    let tmp = out.into_inner().map_err(|e| e.into_error())?;
    tmp.as_file().sync_all()?;
    tmp.persist(&target).map_err(|e| e.error)?;
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(value)
}

/// tantivy writes `meta.json` and `.managed.json` through temporary files, which are private
/// to their owner (0600), while the index's other files follow the umask: an index another
/// user may read failed to open for them. Gives the two the permissions of a file durand
/// wrote into the generation (the entity table). A failure changes nothing that worked.
pub fn share_tantivy_files(generation: &Path) {
    let Ok(like) = fs::metadata(generation.join(super::TABLE_FILE)) else {
        return;
    };
    for name in ["meta.json", ".managed.json"] {
        let _ = fs::set_permissions(generation.join(name), like.permissions());
    }
}

/// The size and modification time of every file in a generation folder (lock files and the
/// vector file, which checks itself, aside).
pub fn manifest(generation: &Path) -> io::Result<BTreeMap<String, (u64, u64)>> {
    let mut out = BTreeMap::new();
    for entry in fs::read_dir(generation)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".lock")
            || name.starts_with(super::vectors::FILE)
            || !entry.file_type()?.is_file()
        {
            continue;
        }
        out.insert(name, stamp(&entry.metadata()?));
    }
    Ok(out)
}

/// A file's size and modification time in nanoseconds (0 when the system has none): how
/// durand tells a file it has seen from one that changed.
pub fn stamp(meta: &fs::Metadata) -> (u64, u64) {
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as u64);
    (meta.len(), modified)
}

/// Files of `expected` that are missing from `generation` or differ in size or modification
/// time, as `(name, missing)`.
pub fn changed_files(
    generation: &Path,
    expected: &BTreeMap<String, (u64, u64)>,
) -> Vec<(String, bool)> {
    expected
        .iter()
        .filter_map(|(name, want)| match fs::metadata(generation.join(name)) {
            Ok(meta) if stamp(&meta) == *want => None,
            Ok(_) => Some((name.clone(), false)),
            Err(_) => Some((name.clone(), true)),
        })
        .collect()
}

/// Takes an exclusive lock on the file at `path` (created when missing) without waiting; the
/// lock lasts as long as the returned file is open, and the process dying releases it.
pub fn lock_file(path: &Path) -> Result<File, LockError> {
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(LockError::Io)?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => Err(LockError::Busy),
        Err(fs::TryLockError::Error(e)) => Err(LockError::Io(e)),
    }
}

/// An index directory.
#[derive(Debug, Clone)]
pub struct Layout {
    root: PathBuf,
}

/// Held while indexing; dropping it releases the lock (so does the process dying).
#[derive(Debug)]
pub struct WriteLock {
    _file: File,
}

/// Why the write lock could not be taken.
#[derive(Debug)]
pub enum LockError {
    Busy,
    Io(io::Error),
}

impl Layout {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Layout { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The state file, if there is one. A file that is not valid is reported as
    /// `InvalidData`.
    pub fn read_state(&self) -> io::Result<Option<State>> {
        match fs::read(self.root.join(STATE)) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Replaces the state file atomically. Call with the write lock held.
    pub fn write_state(&self, state: &State) -> io::Result<()> {
        let json = serde_json::to_vec_pretty(state).map_err(io::Error::other)?;
        write_atomically(&self.root.join(STATE), &json)
    }

    /// The generation directory `CURRENT` names, if any.
    pub fn current(&self) -> io::Result<Option<PathBuf>> {
        match fs::read_to_string(self.root.join(CURRENT)) {
            Ok(name) => {
                let name = name.trim();
                if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("{CURRENT} holds an invalid generation name {name:?}"),
                    ));
                }
                Ok(Some(self.root.join(name)))
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io::Error::new(e.kind(), format!("{CURRENT}: {e}"))),
        }
    }

    /// Whether an indexer holds the write lock now (read without creating anything: a shared
    /// lock taken and let go at once, which only an exclusive holder refuses).
    pub fn locked(&self) -> bool {
        File::open(self.root.join(LOCK))
            .is_ok_and(|file| matches!(file.try_lock_shared(), Err(fs::TryLockError::WouldBlock)))
    }

    /// Takes the write lock without waiting.
    pub fn lock(&self) -> Result<WriteLock, LockError> {
        fs::create_dir_all(&self.root).map_err(LockError::Io)?;
        lock_file(&self.root.join(LOCK)).map(|file| WriteLock { _file: file })
    }

    fn generations(&self) -> io::Result<Vec<(u64, PathBuf)>> {
        let mut out = Vec::new();
        let entries = match fs::read_dir(&self.root) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(out),
            Err(e) => return Err(e),
        };
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if let Some(n) = name.strip_prefix(GEN_PREFIX).and_then(|n| n.parse().ok()) {
                out.push((n, entry.path()));
            }
        }
        out.sort();
        Ok(out)
    }

    /// A `CURRENT` or state file that an index run would overwrite although nothing shows it
    /// to be an index's: the state file does not read as durand's and `CURRENT` names no
    /// generation of durand's files (a user's notes called `CURRENT` beside their articles).
    /// A damaged index always has one of the two, so it still heals.
    pub fn unowned_file(&self) -> io::Result<Option<&'static str>> {
        let state = self.root.join(STATE);
        let current = self.root.join(CURRENT);
        if !state.exists() && !current.exists() {
            return Ok(None);
        }
        let state_is_ours = || {
            fs::read(&state)
                .ok()
                .is_some_and(|b| serde_json::from_slice::<State>(&b).is_ok())
        };
        // Read only when the state file says nothing: this runs before every index run.
        let current_is_ours = || {
            self.current()
                .ok()
                .flatten()
                .is_some_and(|g| generation_number(&g).is_some() && is_own_generation(&g))
        };
        if state_is_ours() || current_is_ours() {
            return Ok(None);
        }
        Ok(Some(if current.exists() { CURRENT } else { STATE }))
    }

    /// Creates an empty directory for a new generation. Call with the write lock held.
    pub fn new_generation(&self) -> io::Result<PathBuf> {
        let next = self.generations()?.last().map_or(1, |(n, _)| n + 1);
        let path = self.root.join(format!("{GEN_PREFIX}{next}"));
        fs::create_dir_all(&path)?;
        Ok(path)
    }

    /// Points `CURRENT` at `generation` (write, fsync, rename) and removes the others. A
    /// `CURRENT` that became an empty folder is replaced; one that holds things is not
    /// durand's to remove.
    pub fn publish(&self, generation: &Path) -> io::Result<()> {
        let name = generation
            .file_name()
            .ok_or_else(|| io::Error::other("generation has no name"))?
            .to_string_lossy()
            .into_owned();
        let pointer = self.root.join(CURRENT);
        // A link that leads nowhere is replaced (written through, it could not be).
        if fs::symlink_metadata(&pointer).is_ok_and(|m| m.is_symlink())
            && fs::metadata(&pointer).is_err()
        {
            fs::remove_file(&pointer)?;
        }
        if fs::symlink_metadata(&pointer).is_ok_and(|m| m.is_dir())
            && fs::remove_dir(&pointer).is_err()
        {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "{} is a folder with things in it where the index keeps its pointer; move it away",
                    pointer.display()
                ),
            ));
        }
        write_atomically(&self.root.join(CURRENT), format!("{name}\n").as_bytes())?;
        self.remove_stale(Some(generation))
    }

    /// Removes generations other than `keep` (left by an interrupted rebuild or replaced).
    /// Anything else with a generation's name — a folder holding more than an index's files,
    /// a file or a link where a folder was — is left alone: it may be the user's, and a new
    /// generation takes the next number anyway. Call with the write lock held.
    pub fn remove_stale(&self, keep: Option<&Path>) -> io::Result<()> {
        for (_, path) in self.generations()? {
            if Some(path.as_path()) != keep
                && fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir())
                && is_own_generation(&path)
            {
                fs::remove_dir_all(&path)?;
            }
        }
        Ok(())
    }
}

/// The number of a generation folder's name (`gen-3` → 3).
fn generation_number(path: &Path) -> Option<u64> {
    path.file_name()?
        .to_str()?
        .strip_prefix(GEN_PREFIX)?
        .parse()
        .ok()
}

/// Whether a generation folder holds only what durand and tantivy write there: segment files
/// (`<32 hex digits>[.<opstamp>].<ext>`), `meta.json`, `.managed.json`, tantivy's locks,
/// durand's own files and temporary files (`.tmpXXXXXX` left by a killed commit), and a
/// Finder's `.DS_Store`; no folder.
pub fn is_own_generation(path: &Path) -> bool {
    let Ok(entries) = fs::read_dir(path) else {
        return false;
    };
    entries.into_iter().all(|entry| {
        let Ok(entry) = entry else {
            return false;
        };
        if !entry.file_type().is_ok_and(|t| t.is_file()) {
            return false;
        }
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            return false;
        };
        let segment = name.split_once('.').is_some_and(|(stem, rest)| {
            stem.len() == 32
                && stem.bytes().all(|b| b.is_ascii_hexdigit())
                && rest
                    .split('.')
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric()))
        });
        segment
            || matches!(
                name,
                "meta.json"
                    | ".managed.json"
                    | crate::index::TABLE_FILE
                    | crate::tag::names::NAMES_FILE
            )
            || name == crate::index::vectors::FILE
            || name.starts_with(".tantivy-")
            || name.starts_with(".tmp")
            || name.ends_with(".tmp")
            || name == ".DS_Store"
    })
}

impl Layout {
    /// Whether a generation of durand's own (a `gen-N` folder of an index's files) is here:
    /// an index was built in this folder.
    pub fn has_own_generation(&self) -> bool {
        self.generations()
            .is_ok_and(|all| all.iter().any(|(_, p)| p.is_dir() && is_own_generation(p)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_into_a_missing_folder_says_why_without_a_temporary_name() {
        let dir = tempfile::tempdir().unwrap();
        let e = write_atomically(&dir.path().join("nowhere/x.nd"), b"x").unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::NotFound);
        assert!(!e.to_string().contains(".tmp"), "{e}");
    }

    #[test]
    fn the_state_round_trips_and_notices_files_changed_from_outside() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::new(dir.path().join("index"));
        assert_eq!(layout.read_state().unwrap(), None);
        let generation = layout.root().join("gen-1");
        fs::create_dir_all(&generation).unwrap();
        fs::write(generation.join("a.store"), b"abc").unwrap();
        fs::write(generation.join("b.pos"), b"defg").unwrap();
        fs::write(generation.join(".tantivy-writer.lock"), b"").unwrap();
        let state = State {
            sources: vec!["seeds".into()],
            generation: Some("gen-1".into()),
            files: manifest(&generation).unwrap(),
            ..State::default()
        };
        assert_eq!(state.files.len(), 2, "lock files are not part of it");
        layout.write_state(&state).unwrap();
        assert_eq!(layout.read_state().unwrap(), Some(state.clone()));
        assert!(changed_files(&generation, &state.files).is_empty());

        fs::remove_file(generation.join("b.pos")).unwrap();
        fs::write(generation.join("a.store"), b"abcX").unwrap();
        let changed = changed_files(&generation, &state.files);
        assert_eq!(
            changed,
            vec![("a.store".to_string(), false), ("b.pos".to_string(), true)]
        );

        // A damaged state file is an error of its own kind, not a panic.
        fs::write(layout.root().join(STATE), b"{not json").unwrap();
        let err = layout.read_state().unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
    }
}
