//! What a run reads: the sources and gazetteer files given, else the ones the index
//! remembers (in its state file, outside tantivy's own files, so a damaged generation never
//! loses them), else the fallback (`./seeds` on a fresh clone). Paths are remembered in a form
//! that does not depend on the folder durand runs from.

use std::path::{Path, PathBuf};

use super::SyncOptions;
use crate::index::layout::{Layout, State};
use crate::index::{IndexError, read_info};

/// The folder stored paths are relative to: the index directory's parent, canonical.
pub(crate) fn base_of(dir: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(dir)
        .ok()
        .and_then(|d| d.parent().map(Path::to_path_buf))
}

/// Stores a path so that a later run finds it again from any directory: relative to the
/// index directory's parent when it lies inside it, else absolute; `/`-separated (the same
/// form as a document's stored file).
pub(crate) fn remember(base: Option<&Path>, path: &Path) -> String {
    crate::corpus::stored_path(base, path)
}

/// The inverse of [`remember`], shown relative to the working directory when possible.
fn recall(base: Option<&Path>, stored: &str) -> PathBuf {
    let path = Path::new(stored);
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        base.unwrap_or(Path::new("")).join(path)
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
pub(super) struct Inputs {
    pub sources: Vec<PathBuf>,
    pub gazetteers: Vec<PathBuf>,
    /// The index's state file as read at the start (kept for its manifest).
    pub state: Option<State>,
    /// Sources the index remembered that the sources given leave out (their documents go),
    /// as paths from the working folder (the index stores them from its own parent).
    pub dropped: Vec<String>,
    /// Sources given that were left out because another source holds them (or they were
    /// given twice), each with what to say about it.
    pub nested: Vec<(PathBuf, String)>,
}

/// Sources inside another folder source, or given twice, with why: read again, their files
/// would be second documents under other ids. They are left out; the outer source reads
/// them.
fn nested(sources: &[PathBuf]) -> Vec<(usize, String)> {
    let canonical: Vec<Option<PathBuf>> = sources
        .iter()
        .map(|s| std::fs::canonicalize(s).ok())
        .collect();
    let mut out = Vec::new();
    for (i, inner) in canonical.iter().enumerate() {
        let Some(inner) = inner else { continue };
        let outer = canonical.iter().enumerate().find(|(j, other)| {
            other.as_ref().is_some_and(|other| {
                *j != i && other.is_dir() && inner.starts_with(other) && (inner != other || *j < i)
            })
        });
        if let Some((j, other)) = outer {
            let why = if other.as_ref() == Some(inner) {
                "given twice: read once".to_string()
            } else {
                format!(
                    "lies in {}, also a source: read once, as part of it",
                    sources[j].display()
                )
            };
            out.push((i, why));
        }
    }
    out
}

impl Inputs {
    /// The state that remembers these inputs, carrying `previous`'s manifest over.
    pub fn remembered(&self, dir: &Path) -> State {
        let base = base_of(dir);
        let previous = self.state.clone().unwrap_or_default();
        State {
            sources: self
                .sources
                .iter()
                .map(|s| remember(base.as_deref(), s))
                .collect(),
            gazetteers: self
                .gazetteers
                .iter()
                .map(|g| remember(base.as_deref(), g))
                .collect(),
            ..previous
        }
    }
}

/// Each input as given, else as the index remembers it, else the fallback sources.
/// Remembering `--gazetteer` files means a bare `durand index` keeps the names a
/// `--gazetteer` run added.
pub(super) fn resolve_inputs(options: &SyncOptions) -> Result<Inputs, IndexError> {
    let layout = Layout::new(&options.dir);
    let state = remembered(&layout);
    let base = base_of(&options.dir);
    let recall_all = |stored: &[String]| -> Vec<PathBuf> {
        stored.iter().map(|s| recall(base.as_deref(), s)).collect()
    };
    let mut sources: Vec<PathBuf> = match &state {
        _ if !options.sources.is_empty() => options.sources.iter().map(|s| tidy(s)).collect(),
        Some(state) if !state.sources.is_empty() => recall_all(&state.sources),
        _ => options.fallback.iter().map(|s| tidy(s)).collect(),
    };
    let inside = nested(&sources);
    let nested: Vec<(PathBuf, String)> = inside
        .iter()
        .map(|(i, why)| (sources[*i].clone(), why.clone()))
        .collect();
    for (i, _) in inside.iter().rev() {
        sources.remove(*i);
    }
    if sources.is_empty() {
        // An index was built here (its pointer or a generation is left) but its state is not.
        let built = crate::index::exists(&options.dir)
            || crate::index::layout::Layout::new(&options.dir).has_own_generation();
        return Err(if built {
            IndexError::SourcesForgotten {
                path: crate::index::shown(&options.dir),
            }
        } else {
            IndexError::NoSources
        });
    }
    // The index's own folder and its generations hold no documents: named as a source, they
    // would take every document away. (A folder of the user's beside them is a source like
    // any other; walking a source never enters the index.)
    if let Ok(index) = std::fs::canonicalize(&options.dir) {
        let own = |s: &std::path::Path| {
            s == index
                || s.strip_prefix(&index).is_ok_and(|rest| {
                    rest.components().next().is_some_and(|c| {
                        c.as_os_str()
                            .to_string_lossy()
                            .starts_with(crate::index::layout::GEN_PREFIX)
                    })
                })
        };
        for source in &sources {
            if std::fs::canonicalize(source).is_ok_and(|s| own(&s)) {
                return Err(IndexError::SourceInIndex {
                    path: source.display().to_string(),
                    index: crate::index::shown(&options.dir),
                });
            }
        }
    }
    let dropped = match &state {
        Some(state) if !options.sources.is_empty() => {
            let now: Vec<String> = sources
                .iter()
                .map(|s| remember(base.as_deref(), s))
                .collect();
            let now_canonical: Vec<PathBuf> = sources
                .iter()
                .filter_map(|s| std::fs::canonicalize(s).ok())
                .collect();
            // Not dropped: one named again, or one inside a source named (still read).
            let kept = |stored: &String| {
                now.contains(stored)
                    || std::fs::canonicalize(recall(base.as_deref(), stored))
                        .is_ok_and(|c| now_canonical.iter().any(|n| c.starts_with(n)))
            };
            state
                .sources
                .iter()
                .filter(|s| !kept(s))
                .map(|s| recall(base.as_deref(), s).display().to_string())
                .collect()
        }
        _ => Vec::new(),
    };
    let gazetteers = match &state {
        _ if !options.gazetteers.is_empty() || options.forget_gazetteers => {
            options.gazetteers.clone()
        }
        Some(state) => recall_all(&state.gazetteers),
        None => Vec::new(),
    };
    Ok(Inputs {
        sources,
        gazetteers,
        state,
        dropped,
        nested,
    })
}

/// The sources a run reads: given, else remembered by the index, else the fallback.
pub fn resolve_sources(options: &SyncOptions) -> Result<Vec<PathBuf>, IndexError> {
    resolve_inputs(options).map(|inputs| inputs.sources)
}

/// What the index remembers: its state file, else (an index written before there was one)
/// the metadata of its last commit. A damaged state file counts as none: the sources can be
/// given again, and the next commit writes it anew.
fn remembered(layout: &Layout) -> Option<State> {
    if let Ok(Some(state)) = layout.read_state() {
        return Some(state);
    }
    let generation = layout.current().ok()??;
    let index = tantivy::Index::open_in_dir(generation).ok()?;
    let info = read_info(&index, layout.root()).ok()?;
    Some(State {
        sources: info.sources,
        gazetteers: info.gazetteers,
        ..State::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_remembered_the_same_from_any_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir_all(root.join("index")).unwrap();
        std::fs::create_dir_all(root.join("seeds/2025")).unwrap();
        let base = base_of(&root.join("index"));
        assert_eq!(base.as_deref(), Some(root.as_path()));
        // The same folder named absolutely and through `..` is remembered the same way.
        let a = remember(base.as_deref(), &root.join("seeds"));
        let b = remember(base.as_deref(), &root.join("seeds/2025/.."));
        assert_eq!((a.as_str(), b.as_str()), ("seeds", "seeds"));
        assert_eq!(remember(base.as_deref(), &root), ".");
        let outside = tempfile::tempdir().unwrap();
        let c = remember(base.as_deref(), outside.path());
        assert!(Path::new(&c).is_absolute(), "{c}");
        assert_eq!(recall(base.as_deref(), &c), PathBuf::from(&c));
    }
}
