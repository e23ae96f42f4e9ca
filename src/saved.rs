//! Saved searches and what each has already shown, kept with the index so an analyst stops
//! re-running the same searches every week: `durand alerts` shows only the documents that
//! arrived since.
//!
//! They live in `saved.json` in the index folder, beside the state file and outside every
//! generation, so a rebuild or a healed index keeps them; each change is a read, modify and
//! atomic replace under a lock of its own (`saved.lock`), so `durand index` and `watch` may
//! run meanwhile. What a saved search has seen is the set of its documents' ids: ids survive
//! rebuilds, and a document that was only edited is not news.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::index::layout::write_atomically;

/// The file, in the index folder.
pub const FILE: &str = "saved.json";
pub(crate) const LOCK: &str = "saved.lock";
/// The longest name.
pub const MAX_NAME: usize = 64;

/// One saved search.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedSearch {
    /// The query and its flags, as `durand search` takes them on one line
    /// (`ttp --province Bajaur`).
    pub line: String,
    /// When it was saved (RFC 3339).
    pub created: String,
    /// When `durand alerts` last showed it, if ever.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shown: Option<String>,
    /// The documents it has matched and shown (or that matched when it was saved).
    #[serde(default)]
    pub seen: BTreeSet<String>,
}

impl SavedSearch {
    /// Of `documents` (what it matches now), those it has not seen, in order.
    pub fn unseen<'a>(&self, documents: &'a [String]) -> Vec<&'a String> {
        documents
            .iter()
            .filter(|d| !self.seen.contains(*d))
            .collect()
    }
}

/// A saved search as `durand saved list` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SavedRow {
    pub name: String,
    /// The query and its flags, as saved.
    pub search: String,
    pub created: String,
    pub shown: Option<String>,
    /// Documents it has seen.
    pub seen: usize,
    /// Documents it matches now that it has not seen (0 when it does not run).
    pub new: usize,
    /// Why it no longer runs (a flag naming what the entity tables no longer know).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// What `durand alerts` shows for one saved search.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    pub name: String,
    /// The query and its flags, as saved.
    pub search: String,
    /// Documents not seen before (all of them with `--all`).
    pub new: usize,
    /// How many of them the hits show (directly or as other reports of a shown story); only
    /// these become seen, the rest stay new.
    pub shown: usize,
    /// `new` counts every document the search matches, seen or not (`alerts --all`).
    #[serde(skip)]
    pub all: bool,
    /// Their best passages.
    #[serde(flatten)]
    pub results: crate::search::SearchResults,
}

/// A saved search that no longer runs (its flags name what the tables no longer know), and
/// why: `durand alerts` over all of them goes on without it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Broken {
    pub name: String,
    pub error: String,
}

/// Every saved search by name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saved {
    pub searches: BTreeMap<String, SavedSearch>,
}

/// Errors reading or changing the saved searches.
#[derive(Debug, thiserror::Error)]
pub enum SavedError {
    #[error("no saved search named {name:?}{hint}")]
    Unknown { name: String, hint: String },
    #[error("a saved search named {0:?} exists; remove it first (`durand saved rm {0}`)")]
    Exists(String),
    #[error(
        "{0:?} is not a saved-search name: use 1 to {MAX_NAME} letters, digits, '-', '_' or \
         '.', starting with a letter or digit"
    )]
    BadName(String),
    #[error("{path} is not readable as saved searches ({source}); move it away to start afresh")]
    Damaged {
        path: String,
        source: serde_json::Error,
    },
    #[error("{path}: {source}")]
    Io { path: String, source: io::Error },
}

/// Checks a name: it appears in commands and messages, so it is kept to a safe alphabet.
pub fn check_name(name: &str) -> Result<(), SavedError> {
    let ok = !name.is_empty()
        && name.len() <= MAX_NAME
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(SavedError::BadName(name.to_string()))
    }
}

/// The saved searches of one index folder.
pub struct Store {
    dir: PathBuf,
}

impl Store {
    pub fn new(index_dir: &Path) -> Self {
        Store {
            dir: index_dir.to_path_buf(),
        }
    }

    fn path(&self) -> PathBuf {
        self.dir.join(FILE)
    }

    fn io(&self, source: io::Error) -> SavedError {
        SavedError::Io {
            path: crate::index::shown(&self.path()),
            source,
        }
    }

    /// The saved searches (none when the file does not exist).
    pub fn load(&self) -> Result<Saved, SavedError> {
        match fs::read(self.path()) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|source| SavedError::Damaged {
                path: crate::index::shown(&self.path()),
                source,
            }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Saved::default()),
            Err(e) => Err(self.io(e)),
        }
    }

    /// Reads, lets `change` modify, and replaces the file atomically, holding the lock so two
    /// changes never lose one another. Nothing is written when `change` fails.
    pub fn update<T>(
        &self,
        change: impl FnOnce(&mut Saved) -> Result<T, SavedError>,
    ) -> Result<T, SavedError> {
        fs::create_dir_all(&self.dir).map_err(|e| self.io(e))?;
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(self.dir.join(LOCK))
            .map_err(|e| self.io(e))?;
        lock.lock().map_err(|e| self.io(e))?;
        let mut saved = self.load()?;
        let out = change(&mut saved)?;
        let json = serde_json::to_vec_pretty(&saved).map_err(|e| self.io(io::Error::other(e)))?;
        write_atomically(&self.path(), &json).map_err(|e| self.io(e))?;
        Ok(out)
    }
}

impl Saved {
    /// The saved search called `name`, or an error that suggests the nearest name.
    pub fn get(&self, name: &str) -> Result<&SavedSearch, SavedError> {
        self.searches.get(name).ok_or_else(|| self.unknown(name))
    }

    fn unknown(&self, name: &str) -> SavedError {
        let names = self.searches.keys().map(|k| (k.as_str(), k.as_str()));
        let hint = match crate::text::closest(name, names) {
            Some(near) => format!(" — did you mean {near}?"),
            None if self.searches.is_empty() => {
                " — there are none; `durand saved add NAME QUERY` saves one".to_string()
            }
            None => " — `durand saved list` lists them".to_string(),
        };
        SavedError::Unknown {
            name: name.to_string(),
            hint,
        }
    }

    /// Adds a search that has seen `documents` (what it matches now).
    pub fn add(
        &mut self,
        name: &str,
        line: &str,
        now: &str,
        documents: &[String],
    ) -> Result<(), SavedError> {
        check_name(name)?;
        if self.searches.contains_key(name) {
            return Err(SavedError::Exists(name.to_string()));
        }
        self.searches.insert(
            name.to_string(),
            SavedSearch {
                line: line.to_string(),
                created: now.to_string(),
                shown: None,
                seen: documents.iter().cloned().collect(),
            },
        );
        Ok(())
    }

    pub fn remove(&mut self, name: &str) -> Result<SavedSearch, SavedError> {
        self.get(name)?;
        Ok(self.searches.remove(name).expect("checked above"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked() {
        for good in ["ttp-bajaur", "a", "TTP_2023.weekly", &"x".repeat(MAX_NAME)] {
            assert!(check_name(good).is_ok(), "{good}");
        }
        for bad in ["", "-x", ".x", "a b", "a/b", "ü", &"x".repeat(MAX_NAME + 1)] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn changes_are_kept_and_a_failed_change_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(&dir.path().join("index"));
        assert_eq!(store.load().unwrap(), Saved::default());
        store
            .update(|s| {
                s.add(
                    "ttp",
                    "ttp --province Bajaur",
                    "2026-01-01T00:00:00Z",
                    &["a".into()],
                )
            })
            .unwrap();
        let err = store
            .update(|s| s.add("ttp", "other", "2026-01-02T00:00:00Z", &[]))
            .unwrap_err();
        assert!(matches!(err, SavedError::Exists(_)));
        let saved = store.load().unwrap();
        let ttp = saved.get("ttp").unwrap();
        assert_eq!(ttp.line, "ttp --province Bajaur");
        let now = ["a".to_string(), "b".to_string()];
        assert_eq!(ttp.unseen(&now), [&now[1]]);

        let err = saved.get("tpp").unwrap_err().to_string();
        assert!(err.contains("did you mean ttp"), "{err}");

        store.update(|s| s.remove("ttp").map(|_| ())).unwrap();
        assert!(store.load().unwrap().searches.is_empty());

        fs::write(dir.path().join("index").join(FILE), b"{oops").unwrap();
        let err = store.load().unwrap_err().to_string();
        assert!(err.contains("not readable"), "{err}");
    }
}
