//! Shared helpers for the integration tests: a temporary working directory holding copies of
//! the seeds and small fixtures, the real `durand` binary run inside it, and the JSON shapes
//! its output is parsed into before anything is compared.
#![allow(dead_code)]

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use assert_cmd::Command;
use serde::Deserialize;
use tempfile::TempDir;

pub const SEEDS: [&str; 5] = [
    "000_89de5a12d8fb28cf",
    "001_d7ba932abea2e6ad",
    "002_ae5b66014a923a75",
    "003_a50a9388cdaa740f",
    "004_876aeaa1c60dd448",
];

#[derive(Debug, Deserialize)]
pub struct SearchOut {
    pub query: String,
    pub mode: String,
    pub fallback: bool,
    pub total_hits: usize,
    pub took_ms: f64,
    pub hits: Vec<HitOut>,
    #[serde(default)]
    pub facets: Option<FacetsOut>,
}

#[derive(Debug, Deserialize)]
pub struct HitOut {
    pub doc: String,
    pub title: String,
    pub path: String,
    pub passage: u32,
    pub section: Option<String>,
    pub score: f32,
    pub date: Option<String>,
    pub date_precision: Option<String>,
    pub provinces: Vec<String>,
    pub groups: Vec<String>,
    pub forces: Vec<String>,
    pub text: String,
    pub snippet: String,
    pub highlights: Vec<[usize; 2]>,
    pub mentions: Vec<MentionOut>,
}

#[derive(Debug, Deserialize)]
pub struct MentionOut {
    pub kind: String,
    pub value: String,
    #[serde(default)]
    pub place: Option<String>,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Deserialize, PartialEq)]
pub struct FacetCountOut {
    pub value: String,
    pub count: usize,
}

#[derive(Debug, Deserialize)]
pub struct FacetsOut {
    #[serde(default)]
    pub province: Vec<FacetCountOut>,
    #[serde(default)]
    pub group: Vec<FacetCountOut>,
    #[serde(default)]
    pub force: Vec<FacetCountOut>,
    #[serde(default)]
    pub year: Vec<FacetCountOut>,
    #[serde(default)]
    pub country: Vec<FacetCountOut>,
}

impl HitOut {
    /// The highlighted stretches of the snippet.
    pub fn highlighted(&self) -> Vec<&str> {
        self.highlights
            .iter()
            .map(|[a, b]| &self.snippet[*a..*b])
            .collect()
    }
}

#[derive(Debug, Deserialize)]
pub struct IndexOut {
    pub added: usize,
    pub updated: usize,
    pub removed: usize,
    pub unchanged: usize,
    pub documents: usize,
    pub passages: usize,
    pub took_ms: u64,
    #[serde(default)]
    pub rebuilt: Option<String>,
    /// In a semantic index, the passages the run embedded.
    #[serde(default)]
    pub embedded: Option<usize>,
}

#[derive(Debug, Deserialize)]
pub struct DocsOut {
    pub documents: Vec<DocRowOut>,
}

#[derive(Debug, Deserialize)]
pub struct DocRowOut {
    pub doc: String,
    pub title: String,
    pub path: String,
    pub date: Option<String>,
    pub date_precision: Option<String>,
    pub passages: u32,
    pub provinces: Vec<String>,
    pub groups: Vec<String>,
    pub forces: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct ShowOut {
    pub doc: String,
    pub title: String,
    pub path: String,
    pub date: Option<String>,
    pub date_precision: Option<String>,
    pub date_source: Option<String>,
    pub infobox: Vec<(String, String)>,
    pub provinces: Vec<String>,
    pub groups: Vec<String>,
    pub forces: Vec<String>,
    pub entities: Vec<EntityOut>,
    pub passages: Vec<ShowPassageOut>,
    pub removed: Option<Vec<RemovedOut>>,
}

#[derive(Debug, Deserialize)]
pub struct EntityOut {
    pub kind: String,
    pub value: String,
    #[serde(default)]
    pub place: Option<String>,
    pub found: Vec<String>,
    pub count: usize,
}

#[derive(Debug, Deserialize)]
pub struct ShowPassageOut {
    pub passage: u32,
    pub section: Option<String>,
    pub text: String,
}

#[derive(Debug, Deserialize)]
pub struct RemovedOut {
    pub reason: String,
    pub text: String,
}

/// A temporary working directory for one test.
pub struct Sandbox {
    pub dir: TempDir,
}

fn seeds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")
}

impl Sandbox {
    /// An empty working directory.
    pub fn empty() -> Self {
        Sandbox {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A working directory with `seeds/` holding copies of the five seed documents.
    pub fn with_seeds() -> Self {
        let sb = Sandbox::empty();
        fs::create_dir_all(sb.path("seeds")).expect("mkdir seeds");
        for id in SEEDS {
            let name = format!("{id}.txt");
            fs::copy(seeds_dir().join(&name), sb.path("seeds").join(&name)).expect("copy seed");
        }
        sb
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Writes a file (creating folders).
    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, content).expect("write fixture");
    }

    /// Copies a named fixture from `tests/fixtures` to `rel`.
    pub fn fixture(&self, name: &str, rel: &str) {
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        self.write(rel, fs::read(src).expect("fixture exists"));
    }

    /// The real binary, run inside the sandbox with a clean environment.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_durand"));
        cmd.current_dir(self.dir.path())
            .env_remove("DURAND_INDEX")
            .env_remove("DURAND_HYPERLINK")
            .env_remove("DURAND_NO_PAGER")
            .env_remove("DURAND_REMOTE_KEY")
            .env_remove("NO_COLOR");
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().expect("durand runs")
    }

    /// `durand index --json ARGS`, which must succeed.
    pub fn index(&self, args: &[&str]) -> IndexOut {
        let mut all = vec!["index", "--json"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        assert!(
            out.status.success(),
            "durand {all:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("index --json is JSON")
    }

    /// `durand search --json ARGS`, returning the exit code and the parsed output.
    pub fn search_code(&self, args: &[&str]) -> (i32, SearchOut) {
        let mut all = vec!["search", "--json"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        let code = out.status.code().expect("exit code");
        assert!(
            code == 0 || code == 1,
            "durand {all:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let parsed = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "search --json output is not JSON ({e}): {}",
                String::from_utf8_lossy(&out.stdout)
            )
        });
        (code, parsed)
    }

    /// `durand search --json ARGS`.
    pub fn search(&self, args: &[&str]) -> SearchOut {
        self.search_code(args).1
    }

    /// `durand facets --json ARGS`.
    pub fn facets(&self, args: &[&str]) -> FacetsOut {
        #[derive(Deserialize)]
        struct Wrapper {
            facets: FacetsOut,
        }
        let mut all = vec!["facets", "--json"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        let w: Wrapper = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "facets --json ({e}): {}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        w.facets
    }

    pub fn docs(&self) -> DocsOut {
        let out = self.run(&["docs", "--json"]);
        serde_json::from_slice(&out.stdout).expect("docs --json is JSON")
    }

    pub fn show(&self, doc: &str, raw: bool) -> ShowOut {
        let mut args = vec!["show", "--json", doc];
        if raw {
            args.push("--raw");
        }
        let out = self.run(&args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("show --json is JSON")
    }
}

/// Writes a JSONL source of `records` generated records (seeded by their number, so the
/// same every time) big enough that indexing it takes a while.
pub fn big_feed(sb: &Sandbox, rel: &str, records: usize) {
    let words = [
        "border",
        "militants",
        "province",
        "valley",
        "convoy",
        "checkpoint",
        "district",
        "talks",
        "curfew",
        "market",
        "police",
        "elders",
        "drone",
        "crossing",
        "refugees",
        "ceasefire",
    ];
    let mut out = String::new();
    for i in 0..records {
        let body: Vec<&str> = (0..120)
            .map(|k| words[(i * 7 + k * 13) % words.len()])
            .collect();
        out.push_str(&format!(
            "{{\"id\":\"big-{i}\",\"title\":\"Report {i}\",\"text\":\"{}.\"}}\n",
            body.join(" ")
        ));
    }
    sb.write(rel, out);
}

/// Stderr as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts the run failed with exit code 2 and a one-line `durand: …` message containing
/// `needle`.
pub fn assert_error(out: &Output, needle: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    assert!(err.starts_with("durand: "), "stderr: {err}");
    assert!(err.contains(needle), "expected {needle:?} in: {err}");
    assert!(!err.contains("panicked"), "panic: {err}");
    assert!(out.stdout.is_empty(), "stdout should be empty on error");
}

/// The real binary started in the sandbox, its output piped (for `watch`, long runs).
pub fn spawn(sb: &Sandbox, args: &[&str]) -> Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_durand"))
        .current_dir(sb.dir.path())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("durand starts")
}

/// Lines a child prints on stdout, as they come.
pub fn lines_of(child: &mut Child) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    let stdout = child.stdout.take().expect("piped stdout");
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// The next sync summary `durand watch --json` prints.
pub fn next_summary(rx: &mpsc::Receiver<String>) -> IndexOut {
    let line = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("a sync summary within 30 s");
    serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"))
}

/// Stops a child with Ctrl-C (SIGINT); it must exit 0. Returns its stderr.
pub fn interrupt(child: Child) -> String {
    let pid = child.id().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let out = child.wait_with_output().expect("child exits");
    assert_eq!(out.status.code(), Some(0));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Holds the lock a running `durand index` holds, until dropped.
pub fn hold_index_lock(sb: &Sandbox) -> fs::File {
    let lock = fs::OpenOptions::new()
        .write(true)
        .open(sb.path("index/durand.lock"))
        .expect("the index has a lock file");
    lock.lock().expect("lock taken");
    lock
}

/// The `doc` of every object in a JSON array (search hits, an incident's reports), in order.
pub fn hit_docs(hits: &serde_json::Value) -> Vec<String> {
    hits.as_array()
        .expect("hits is an array")
        .iter()
        .map(|h| h["doc"].as_str().expect("doc is a string").to_string())
        .collect()
}

/// CSV output read back: the header and the rows.
pub fn read_csv(bytes: &[u8]) -> (Vec<String>, Vec<csv::StringRecord>) {
    let mut reader = csv::Reader::from_reader(bytes);
    let header = reader
        .headers()
        .expect("a header row")
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader.records().map(|r| r.expect("a CSV row")).collect();
    (header, rows)
}
