//! `durand bench` through the real binary: the report's shape and classes, custom query
//! files, and bad query files.

mod common;

use common::{Sandbox, assert_error};

#[test]
fn bench_reports_percentiles_per_class() {
    let sb = Sandbox::with_seeds();
    sb.index(&["seeds"]);
    let out = sb.run(&["bench", "--json", "--iterations", "3", "--warmup", "1"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in ["p50_us", "p90_us", "p99_us", "max_us", "qps"] {
        assert!(v[key].as_f64().is_some_and(|x| x > 0.0), "{key}: {v}");
        assert!(
            v["rank_only"][key].as_f64().is_some_and(|x| x > 0.0),
            "rank_only {key}"
        );
    }
    assert!(v["p50_us"].as_f64() <= v["p99_us"].as_f64());
    let classes = v["classes"].as_object().unwrap();
    let names: Vec<&str> = classes.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        vec![
            "facets",
            "filtered",
            "phrase",
            "several_words",
            "single_word"
        ]
    );
    let per_query = v["per_query"].as_array().unwrap();
    let hot = per_query
        .iter()
        .find(|q| q["query"] == "\"hot pursuit\"")
        .expect("built-in phrase query");
    assert_eq!(hot["total_hits"], 2);
    assert_eq!(hot["class"], "phrase");
    let runs: u64 = classes
        .values()
        .map(|c| c["queries"].as_u64().unwrap())
        .sum();
    assert_eq!(runs, 3 * per_query.len() as u64);
}

#[test]
fn bench_reads_a_queries_file_in_search_syntax() {
    let sb = Sandbox::with_seeds();
    sb.index(&["seeds"]);
    sb.write(
        "q.txt",
        "# my queries\nDangam\n\nattack --group ttp --facets\n\"hot pursuit\" --province kunar\n",
    );
    let out = sb.run(&["bench", "--json", "--queries", "q.txt", "--iterations", "2"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let classes: Vec<&str> = v["per_query"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["class"].as_str().unwrap())
        .collect();
    assert_eq!(classes, vec!["single_word", "facets", "filtered"]);
    let text = String::from_utf8(
        sb.run(&["bench", "--queries", "q.txt", "--iterations", "2"])
            .stdout,
    )
    .unwrap();
    assert!(text.contains("ranking only"), "{text}");
}

#[test]
fn a_query_that_matches_nothing_is_pointed_out() {
    let sb = Sandbox::with_seeds();
    sb.index(&["seeds"]);
    sb.write("q.txt", "Dangam\n# none\nzebrafish quokka\n");
    let out = sb.run(&["bench", "--json", "--queries", "q.txt", "--iterations", "1"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let warnings: Vec<String> = common::stderr(&out).lines().map(String::from).collect();
    assert_eq!(
        warnings,
        vec![
            "durand: warning: q.txt:3: `zebrafish quokka` matches nothing in ./index; its timings measure an empty search"
        ]
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["per_query"][1]["total_hits"], 0);
    assert_eq!(v["per_query"][1]["origin"], "q.txt:3");
}

#[test]
fn a_bad_queries_file_names_the_line() {
    let sb = Sandbox::with_seeds();
    sb.index(&["seeds"]);
    sb.write("q.txt", "border\nborder --provence kunar\n");
    assert_error(&sb.run(&["bench", "--queries", "q.txt"]), "q.txt:2: ");
    // Lines that parse but cannot be searched are caught before any timing.
    for (text, needle) in [
        ("border\n\n*\n", "q.txt:3: bad query"),
        ("border\nborder --group nosuch\n", "q.txt:2: unknown group"),
        (
            "border\n(((((((((((((((((((((((((((((((((a\n",
            "q.txt:2: bad query",
        ),
    ] {
        sb.write("q.txt", text);
        let out = sb.run(&["bench", "--queries", "q.txt", "--iterations", "1"]);
        assert_error(&out, needle);
        assert_eq!(common::stderr(&out).lines().count(), 1, "{text}");
    }
    sb.write("empty.txt", "# nothing\n");
    assert_error(
        &sb.run(&["bench", "--queries", "empty.txt"]),
        "empty.txt: no queries",
    );
    assert_error(
        &sb.run(&["bench", "--queries", "missing.txt"]),
        "reading missing.txt",
    );
}
