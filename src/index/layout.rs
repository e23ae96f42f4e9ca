//! What lives in an index directory, and how it changes without ever leaving it unusable.
//!
//! ```text
//! index/
//!   CURRENT        names the generation searches use ("gen-3"); replaced atomically
//!   gen-3/         a tantivy index (meta.json, segment files)
//!   durand.lock    held (flock) by the one `durand index` allowed to run
//!   README.md, .gitignore   committed with the project, untouched
//! ```
//!
//! Incremental runs commit into the current generation (a tantivy commit is atomic). A full
//! rebuild that needs a new schema writes a fresh generation and then swaps `CURRENT`, so a
//! run killed at any moment leaves the previous generation searchable.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The name of the pointer file.
pub const CURRENT: &str = "CURRENT";
const LOCK: &str = "durand.lock";
const GEN_PREFIX: &str = "gen-";

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
            Err(e) => Err(e),
        }
    }

    /// Takes the write lock without waiting.
    pub fn lock(&self) -> Result<WriteLock, LockError> {
        fs::create_dir_all(&self.root).map_err(LockError::Io)?;
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(self.root.join(LOCK))
            .map_err(LockError::Io)?;
        match file.try_lock() {
            Ok(()) => Ok(WriteLock { _file: file }),
            Err(fs::TryLockError::WouldBlock) => Err(LockError::Busy),
            Err(fs::TryLockError::Error(e)) => Err(LockError::Io(e)),
        }
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

    /// Creates an empty directory for a new generation. Call with the write lock held.
    pub fn new_generation(&self) -> io::Result<PathBuf> {
        let next = self.generations()?.last().map_or(1, |(n, _)| n + 1);
        let path = self.root.join(format!("{GEN_PREFIX}{next}"));
        fs::create_dir_all(&path)?;
        Ok(path)
    }

    /// Points `CURRENT` at `generation` (write, fsync, rename) and removes the others.
    pub fn publish(&self, generation: &Path) -> io::Result<()> {
        let name = generation
            .file_name()
            .ok_or_else(|| io::Error::other("generation has no name"))?
            .to_string_lossy()
            .into_owned();
        let tmp = self.root.join(format!("{CURRENT}.tmp"));
        {
            let mut f = File::create(&tmp)?;
            writeln!(f, "{name}")?;
            f.sync_all()?;
        }
        fs::rename(&tmp, self.root.join(CURRENT))?;
        if let Ok(dir) = File::open(&self.root) {
            let _ = dir.sync_all();
        }
        self.remove_stale(Some(generation))
    }

    /// Removes generations other than `keep` (left by an interrupted rebuild or replaced).
    /// Call with the write lock held.
    pub fn remove_stale(&self, keep: Option<&Path>) -> io::Result<()> {
        for (_, path) in self.generations()? {
            if Some(path.as_path()) != keep {
                fs::remove_dir_all(&path)?;
            }
        }
        Ok(())
    }
}
