//! Which generation a run writes to: the current one, when it is of this durand's
//! configuration and undamaged, else a fresh one that replaces it once complete (and the
//! reason, which the summary prints).
//!
//! Damage from outside — a deleted, truncated or overwritten file — is found cheaply: the state
//! file remembers the size and modification time of every file of the generation after the
//! last commit, and only when one differs (or the state file does not describe this
//! generation) are the files' checksums read.

use std::path::{Path, PathBuf};

use tantivy::{Index, IndexReader};

use crate::index::layout::{CURRENT, Layout, State, changed_files};
use crate::index::schema::{build_schema, index_settings};
use crate::index::{Config, IndexError, IndexInfo, TABLE_FILE, describe, read_info, register};
use crate::tag::Table;
use crate::tag::names::Names;

/// The index generation a run writes to.
pub(super) struct Target {
    pub index: Index,
    pub generation: PathBuf,
    /// A fresh generation (published at the end) rather than the current one.
    pub fresh: bool,
    pub rebuilt: Option<String>,
    pub previous: Option<IndexInfo>,
}

/// Why the current generation cannot take an incremental run, and its metadata if it could
/// be read.
struct Rebuild {
    reason: String,
    info: Option<Box<IndexInfo>>,
}

/// Opens the current generation for an incremental run, or says why it cannot be one.
fn reuse(
    generation: &Path,
    dir: &Path,
    config: &Config,
    rebuild: bool,
    state: Option<&State>,
) -> Result<(Index, IndexInfo), Rebuild> {
    let again = |reason: String, info: Option<&IndexInfo>| Rebuild {
        reason,
        info: info.cloned().map(Box::new),
    };
    let index = Index::open_in_dir(generation).map_err(|e| {
        again(
            format!("the index could not be opened ({})", describe(&e)),
            None,
        )
    })?;
    register(&index);
    let info = match read_info(&index, dir) {
        Ok(info) => info,
        // Said as a reason, without the error's advice to rebuild.
        Err(IndexError::Incompatible {
            found, expected, ..
        }) => {
            return Err(again(
                format!("index format changed (version {found} → {expected})"),
                None,
            ));
        }
        Err(IndexError::Corrupt { detail, .. }) => {
            return Err(again(
                format!("the index could not be read ({detail})"),
                None,
            ));
        }
        Err(e) => return Err(again(e.to_string(), None)),
    };
    // A schema without a field of this durand's (a kind added since): a new one.
    if let Err(e) = crate::index::Fields::resolve(&index.schema()) {
        return Err(again(
            format!("the index's fields changed ({})", describe(&e)),
            Some(&info),
        ));
    }
    let changes = info.config.changes_to(config);
    if rebuild {
        return Err(again("--rebuild was given".to_string(), Some(&info)));
    }
    if !changes.is_empty() {
        return Err(again(changes.join(", "), Some(&info)));
    }
    if let Some(damage) = damage(&index, generation, state, &info.config.tables) {
        return Err(again(
            format!("the index was damaged ({damage})"),
            Some(&info),
        ));
    }
    // Every segment file opens (a missing or unreadable one fails here).
    let reader: Result<IndexReader, _> = index.reader();
    if let Err(e) = reader {
        return Err(again(
            format!("the index was damaged ({})", describe(&e)),
            Some(&info),
        ));
    }
    Ok((index, info))
}

/// Whether durand's own files of a generation read back and hold what they held when written:
/// the entity table with the fingerprint the index was tagged with (`tables`), the name index
/// with its checksum. A file copied or touched, with its content intact, is not damage.
fn own_files_damage(generation: &Path, tables: &str) -> Option<String> {
    let table = std::fs::read_to_string(generation.join(TABLE_FILE));
    match table.map(|text| Table::from_tsv(&text, TABLE_FILE)) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Some(format!("{TABLE_FILE} is missing"));
        }
        Err(e) => return Some(format!("{TABLE_FILE} does not read back: {e}")),
        Ok(Err(e)) => return Some(format!("{TABLE_FILE} does not read back: {e}")),
        Ok(Ok(t)) if t.fingerprint() != tables => {
            return Some(format!("{TABLE_FILE} was changed"));
        }
        Ok(Ok(_)) => {}
    }
    Names::open(generation).err().map(|e| match e.kind() {
        std::io::ErrorKind::NotFound => format!("{} is missing", crate::tag::names::NAMES_FILE),
        // its own checks name it ("names.bin is truncated"); the system's do not
        std::io::ErrorKind::InvalidData => e.to_string(),
        _ => format!("{}: {e}", crate::tag::names::NAMES_FILE),
    })
}

/// What is wrong with the generation's files, if anything; `tables` is the fingerprint of the
/// entity table the index was tagged with. Every file is checked on every run: durand's own
/// read back, tantivy's against the checksum in its footer — damage that keeps a file's size
/// and modification time (a bad sector, a byte overwritten in place) heals too. Reading the
/// index costs little beside indexing (BENCHMARKS.md, "Hardening").
fn damage(index: &Index, generation: &Path, state: Option<&State>, tables: &str) -> Option<String> {
    if let Some(damage) = own_files_damage(generation, tables) {
        return Some(damage);
    }
    // A file the last run left that is gone is named as such, not as a failed read.
    let name = generation.file_name()?.to_string_lossy().into_owned();
    let manifest = state
        .filter(|s| s.generation.as_deref() == Some(name.as_str()))
        .map(|s| &s.files);
    if let Some(files) = manifest {
        let changed = changed_files(generation, files);
        if let Some((file, _)) = changed.iter().find(|(_, missing)| *missing) {
            return Some(format!("{file} is missing"));
        }
    }
    crate::index::checksum_damage(index)
}

/// The generation this run writes to.
pub(super) fn open_target(
    layout: &Layout,
    rebuild: bool,
    config: &Config,
    state: Option<&State>,
) -> Result<Target, IndexError> {
    let dir = layout.root();
    // A pointer that cannot be read is damage too, said as it is.
    let (current, unreadable) = match layout.current() {
        Ok(current) => (current, None),
        Err(e) => (None, Some(e)),
    };
    layout
        .remove_stale(current.as_deref())
        .map_err(|e| IndexError::io(dir, e))?;
    let (reason, previous) = match &current {
        // A state file that describes a generation, but no `CURRENT`: the pointer was lost.
        None => (
            match unreadable {
                Some(e) => Some(format!("the index was damaged ({e})")),
                None => state
                    .and_then(|s| s.generation.as_ref())
                    .map(|_| format!("the index was damaged ({} is missing)", CURRENT)),
            },
            None,
        ),
        Some(generation) => match reuse(generation, dir, config, rebuild, state) {
            Ok((index, info)) => {
                return Ok(Target {
                    index,
                    generation: generation.clone(),
                    fresh: false,
                    rebuilt: None,
                    previous: Some(info),
                });
            }
            Err(Rebuild { reason, info }) => (Some(reason), info.map(|i| *i)),
        },
    };
    let generation = layout
        .new_generation()
        .map_err(|e| IndexError::io(dir, e))?;
    let index = Index::builder()
        .schema(build_schema())
        .settings(index_settings())
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{BORDER, TestIndex};

    /// The current generation takes an incremental run while it is of this durand's
    /// configuration and undamaged; else the reason for a new one is said.
    #[test]
    fn a_generation_is_reused_unless_asked_changed_or_damaged() {
        let dir = tempfile::tempdir().unwrap();
        TestIndex::write(&dir, BORDER);
        TestIndex::sync(&dir);
        let index_dir = dir.path().join("index");
        let layout = Layout::new(&index_dir);
        let generation = layout.current().unwrap().expect("a current generation");
        let state = layout.read_state().unwrap();
        let config = Config::current(&Table::builtin());
        let reason = |config: &Config, rebuild: bool| {
            reuse(&generation, &index_dir, config, rebuild, state.as_ref())
                .err()
                .map(|r| r.reason)
        };
        assert_eq!(reason(&config, false), None);
        assert_eq!(
            reason(&config, true).as_deref(),
            Some("--rebuild was given")
        );
        let mut newer = config.clone();
        newer.tagger += 1;
        let said = reason(&newer, false).unwrap();
        assert!(said.starts_with("entity tagging changed"), "{said}");
        // durand's own file overwritten with its size kept: read back, it is damage.
        let table = generation.join(TABLE_FILE);
        let len = std::fs::metadata(&table).unwrap().len() as usize;
        std::fs::write(&table, "#".repeat(len)).unwrap();
        let said = reason(&config, false).unwrap();
        assert!(said.contains(TABLE_FILE), "{said}");
    }
}
