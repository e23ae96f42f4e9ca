//! Bad input gets a clear one-line error and exit code 2, never a panic, and nothing indexed
//! is lost: malformed queries, missing and corrupt indexes, bad sources, a second indexer,
//! an indexing run killed part-way.

mod common;

use std::fs;
use std::time::{Duration, Instant};

use common::{Sandbox, assert_error, stderr};

#[test]
fn malformed_queries_name_the_problem_and_column() {
    let sb = Sandbox::with_seeds();
    sb.index(&["seeds"]);
    for (query, needle) in [
        ("\"unclosed", "unclosed quote at column 1"),
        ("AND", "AND needs a term on each side at column 1"),
        ("kunar AND", "AND needs a term on each side at column 7"),
        ("title:", "title: needs a value at column 1"),
        ("OR kunar", "OR needs a term on each side at column 1"),
        ("(kunar", "unclosed ( at column 1"),
        ("kunar)", "unmatched ) at column 6"),
        (
            "titel:kunar",
            "unknown field \"titel\" at column 1; did you mean title:?",
        ),
        ("date:december", "\"december\" is not a date"),
        ("*", "a prefix needs letters before the *"),
        ("“ ” —", "nothing to search for"),
        (
            &"w".repeat(70),
            "shorter than 64 bytes (longer words are not indexed)",
        ),
    ] {
        let out = sb.run(&["search", query]);
        assert_error(&out, needle);
        assert_eq!(stderr(&out).lines().count(), 1, "{query}: one line");
    }
}

#[test]
fn an_explicit_index_path_without_an_index_is_an_error() {
    let sb = Sandbox::with_seeds();
    let out = sb.run(&["--index", "elsewhere", "search", "kunar"]);
    assert_error(
        &out,
        "no index at ./elsewhere — run `durand --index ./elsewhere index` to build it",
    );
    let out = sb
        .cmd()
        .env("DURAND_INDEX", "elsewhere")
        .args(["search", "kunar"])
        .output()
        .unwrap();
    assert_error(&out, "no index at ./elsewhere");
    assert!(!sb.path("elsewhere").exists(), "nothing was built");
}

#[test]
fn the_default_index_is_built_from_seeds_on_first_use() {
    let sb = Sandbox::with_seeds();
    let out = sb.run(&["search", "--json", "hot pursuit"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("no index at ./index yet; building it from ./seeds first"));
    let r: common::SearchOut = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r.hits[0].doc, common::SEEDS[0]);
    // Second time: no rebuild, no note.
    let out = sb.run(&["search", "--json", "hot pursuit"]);
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
}

#[test]
fn no_index_and_no_seeds_says_what_to_run() {
    let sb = Sandbox::empty();
    let out = sb.run(&["search", "kunar"]);
    assert_error(&out, "no index at ./index — run `durand index SOURCE…`");
    let out = sb.run(&["index"]);
    assert_error(&out, "no sources to index");
}

#[test]
fn missing_or_unsupported_sources_are_errors() {
    let sb = Sandbox::with_seeds();
    assert_error(&sb.run(&["index", "nope"]), "source nope does not exist");
    sb.write("report.pdf", "%PDF");
    assert_error(
        &sb.run(&["index", "report.pdf"]),
        "report.pdf: durand reads .txt, .md, .jsonl and .jsonl.gz files",
    );
    // Nor does the index's own folder: named as a source it is refused, and a source
    // folder that holds the index never reads it.
    sb.index(&["seeds"]);
    assert_error(
        &sb.run(&["index", "index"]),
        "index is the index folder ./index or one of its generations",
    );
    assert_eq!(sb.index(&[]).documents, 5);
    sb.write("corpus/a.txt", "A report from Bajaur.");
    sb.write("corpus/idx/notes.txt", "A note kept in the index folder.");
    let inner = sb.run(&["--index", "corpus/idx", "index", "--json", "corpus"]);
    assert!(inner.status.success(), "{}", common::stderr(&inner));
    let summary: serde_json::Value = serde_json::from_slice(&inner.stdout).unwrap();
    assert_eq!(summary["documents"], 1, "{summary}");
    // A folder of the user's inside the index folder is a source like any other.
    sb.write("data/news/b.txt", "A report from Kunar.");
    let beside = sb.run(&["--index", "data", "index", "--json", "data/news"]);
    assert!(beside.status.success(), "{}", common::stderr(&beside));
    // A device holds no documents: naming it must not drop the seeds' as a lost source.
    #[cfg(unix)]
    {
        sb.index(&["seeds"]);
        assert_error(
            &sb.run(&["index", "/dev/null"]),
            "source /dev/null is neither a file nor a folder",
        );
        assert_eq!(sb.index(&[]).documents, 5);
    }
}

#[test]
fn a_corrupt_index_is_reported_and_rebuilt_by_the_next_index_run() {
    let sb = Sandbox::with_seeds();
    sb.index(&["seeds"]);
    let generation = fs::read_to_string(sb.path("index/CURRENT")).unwrap();
    fs::write(
        sb.path(&format!("index/{}/meta.json", generation.trim())),
        "{ not json",
    )
    .unwrap();
    let out = sb.run(&["search", "kunar"]);
    assert_error(&out, "the index at ./index is damaged");
    assert!(stderr(&out).contains("run `durand index --rebuild`"));

    let summary = sb.index(&[]);
    assert!(summary.rebuilt.is_some());
    assert_eq!(summary.documents, 5);
    assert_eq!(sb.search(&["hot pursuit"]).hits[0].doc, common::SEEDS[0]);
}

#[test]
fn a_pointer_to_a_missing_generation_is_reported() {
    let sb = Sandbox::with_seeds();
    sb.index(&["seeds"]);
    fs::write(sb.path("index/CURRENT"), "gen-99\n").unwrap();
    assert_error(&sb.run(&["search", "kunar"]), "damaged");
    fs::write(sb.path("index/CURRENT"), "../../etc\n").unwrap();
    assert_error(&sb.run(&["search", "kunar"]), "invalid generation name");
}

#[test]
fn a_second_indexer_fails_fast_while_searches_keep_working() {
    let sb = Sandbox::with_seeds();
    sb.index(&["seeds"]);
    // Hold the same lock a running `durand index` holds.
    let lock = common::hold_index_lock(&sb);
    let started = Instant::now();
    let out = sb.run(&["index", "seeds"]);
    assert_error(&out, "another `durand index` is already updating ./index");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "it did not wait"
    );
    assert_eq!(sb.search(&["hot pursuit"]).hits[0].doc, common::SEEDS[0]);
    drop(lock);
    assert_eq!(sb.index(&["seeds"]).unchanged, 5);
}

#[test]
fn killing_an_indexing_run_leaves_the_last_index_searchable() {
    let sb = Sandbox::with_seeds();
    sb.index(&["seeds"]);
    let before = sb.search(&["hot pursuit"]);
    common::big_feed(&sb, "feed/big.jsonl", 30_000);

    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_durand"))
        .current_dir(sb.dir.path())
        .args(["index", "--quiet", "seeds", "feed"])
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(700));
    let finished_early = child.try_wait().unwrap().is_some();
    child.kill().ok();
    child.wait().unwrap();
    assert!(
        !finished_early,
        "the run finished before it could be killed; make the feed bigger"
    );

    // The previous commit is intact: same answers, same documents.
    let after = sb.search(&["hot pursuit"]);
    assert_eq!(before.total_hits, after.total_hits);
    assert_eq!(sb.docs().documents.len(), 5);

    // The next run finishes the job.
    let summary = sb.index(&["seeds", "feed"]);
    assert_eq!(summary.documents, 30_005);
    assert_eq!(summary.added, 30_000);
    assert_eq!(summary.unchanged, 5);
}
