//! The one channel through which the library tells the user something while it works:
//! warnings about sources (non-UTF-8, empty, binary, duplicate ids) and indexing progress.
//! The library never prints; the command layer decides whether this goes to a progress bar
//! on stderr, plain stderr lines, or nowhere (tests, `--quiet`).

use std::fmt;
use std::sync::Mutex;

/// Something the user should know about a source, which did not stop the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The file (and line, for JSONL) the warning is about.
    pub location: String,
    pub message: String,
    /// What kind of warning it is: its message without what varies from one to the next (an
    /// id, another file, a size). A flood of one kind is summarised by it.
    pub kind: String,
}

impl Warning {
    /// A warning whose message is its kind (it says nothing that varies).
    pub fn new(location: impl Into<String>, message: impl Into<String>) -> Self {
        let message = message.into();
        Warning {
            location: location.into(),
            kind: message.clone(),
            message,
        }
    }

    /// A warning of `kind` whose message says more (`duplicate document id "x" …`).
    pub fn of_kind(
        location: impl Into<String>,
        kind: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Warning {
            location: location.into(),
            message: message.into(),
            kind: kind.into(),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// Receives warnings and progress. Implementations must be cheap and thread-safe: indexing
/// calls them from rayon workers.
pub trait Reporter: Sync {
    fn warn(&self, warning: Warning);
    /// A phase starts; `total` is the number of steps when known.
    fn start(&self, _label: &str, _total: Option<u64>) {}
    /// `documents` more documents, holding `bytes` bytes of text, were read or indexed.
    fn advance(&self, _documents: u64, _bytes: u64) {}
    fn finish(&self) {}
}

/// Drops everything.
pub struct Silent;

impl Reporter for Silent {
    fn warn(&self, _warning: Warning) {}
}

/// Keeps warnings in memory (tests, and callers that print them later).
#[derive(Default)]
pub struct Collect {
    warnings: Mutex<Vec<Warning>>,
}

impl Collect {
    pub fn take(&self) -> Vec<Warning> {
        std::mem::take(&mut *self.warnings.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl Reporter for Collect {
    fn warn(&self, warning: Warning) {
        self.warnings
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(warning);
    }
}

/// What a panic said (its payload when it is text), for a message that names it.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_string())
}
