//! The analyst's daily loop through the real binary: output formats (CSV quoting, JSON
//! lines), date order, proximity, saved searches and alerts (surviving a rebuild), batch
//! searches, "more like this", hyperlinks, the pager, completions and the man page.

mod common;

use std::process::Output;

use common::Sandbox;
use serde_json::Value;

fn indexed() -> Sandbox {
    let sb = Sandbox::empty();
    sb.fixture("loop.jsonl", "news/loop.jsonl");
    let out = sb.index(&["news"]);
    assert_eq!(out.documents, 5);
    sb
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("utf-8")
}

/// One `durand: …` line and exit 2.
fn assert_usage_error(o: &Output, needle: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.starts_with("durand: "), "{err}");
    assert!(err.contains(needle), "{needle:?} not in {err}");
    assert!(!err.contains("panicked"), "{err}");
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

#[test]
fn csv_quotes_commas_quotes_and_newlines_and_matches_the_json() {
    let sb = indexed();
    let as_json = json(&sb.run(&["search", "--json", "-n", "20", "bajaur"]));
    let o = sb.run(&["search", "--format", "csv", "-n", "20", "bajaur"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut reader = csv::Reader::from_reader(o.stdout.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    for key in [
        "rank",
        "doc",
        "passage",
        "start",
        "end",
        "title",
        "provinces",
        "url",
        "text",
    ] {
        assert!(header.iter().any(|h| h == key), "{key} in {header:?}");
    }
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let hits = as_json["hits"].as_array().unwrap();
    assert_eq!(rows.len(), hits.len());
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    for (row, hit) in rows.iter().zip(hits) {
        assert_eq!(&row[col("doc")], hit["doc"].as_str().unwrap());
        assert_eq!(&row[col("title")], hit["title"].as_str().unwrap());
        assert_eq!(&row[col("text")], hit["text"].as_str().unwrap());
        assert_eq!(
            row[col("start")].parse::<u64>().unwrap(),
            hit["start"].as_u64().unwrap()
        );
    }
    // The title with a comma and quotes, and the text with a line break, came back whole.
    let quoted = rows.iter().find(|r| &r[col("doc")] == "quoted").unwrap();
    assert_eq!(&quoted[col("title")], "He said \"no\", then left");
    assert!(quoted[col("text")].contains('\n'));
    assert_eq!(&quoted[col("url")], "https://example.org/news/quoted");
    // RFC 4180 on the wire: doubled quotes inside a quoted field, records ended by CRLF
    // (a line break inside a quoted field stays as the text has it).
    let wire = stdout(&o);
    assert!(wire.contains("\"He said \"\"no\"\", then left\""));
    assert!(
        wire.starts_with(&format!("{}\r\n", header.join(","))),
        "{wire}"
    );
    assert!(wire.ends_with("\r\n"), "{wire}");
}

#[test]
fn json_lines_stream_one_hit_per_line_with_ranges_and_tags() {
    let sb = indexed();
    let o = sb.run(&["search", "--format", "jsonl", "-n", "3", "bajaur"]);
    assert_eq!(o.status.code(), Some(0));
    let lines: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(lines.len(), 3);
    for hit in &lines {
        for key in [
            "doc",
            "passage",
            "start",
            "end",
            "provinces",
            "groups",
            "highlights",
            "mentions",
        ] {
            assert!(hit.get(key).is_some(), "{key} in {hit}");
        }
        assert!(hit["start"].as_u64().unwrap() < hit["end"].as_u64().unwrap());
        assert!(
            hit["provinces"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p == "Khyber Pakhtunkhwa")
        );
    }
    let docs = sb.run(&["docs", "--format", "jsonl"]);
    assert_eq!(stdout(&docs).lines().count(), 5);
    let facets = sb.run(&["facets", "group", "--format", "csv"]);
    let text = stdout(&facets);
    assert!(text.starts_with("field,value,count\r\n"), "{text}");
    assert!(text.contains("group,TTP,"), "{text}");
    // Facet counts do not fit a row per hit.
    let bad = sb.run(&["search", "--facets", "--format", "csv", "bajaur"]);
    assert_usage_error(&bad, "--facets cannot be written as CSV");
    let bad = sb.run(&["search", "--json", "--format", "csv", "bajaur"]);
    assert_usage_error(&bad, "cannot be used with");
}

#[test]
fn docs_rows_carry_the_url_in_every_format() {
    let sb = indexed();
    let url_of = |row: &Value| (row["doc"].as_str().unwrap().to_string(), row["url"].clone());
    let as_json = json(&sb.run(&["docs", "--json"]));
    let rows = as_json["documents"].as_array().unwrap();
    assert_eq!(rows.len(), 5);
    for row in rows {
        // Present in every row: the address, or null when the source gave none.
        assert!(row.get("url").is_some(), "{row}");
        let expected = if row["doc"] == "quoted" {
            Value::from("https://example.org/news/quoted")
        } else {
            Value::Null
        };
        assert_eq!(row["url"], expected, "{row}");
    }
    let o = sb.run(&["docs", "--format", "jsonl"]);
    let lines: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines.iter().map(url_of).collect::<Vec<_>>(),
        rows.iter().map(url_of).collect::<Vec<_>>()
    );
    // CSV: the same documents, in the same order, with the documented columns.
    let o = sb.run(&["docs", "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (header, csv_rows) = common::read_csv(&o.stdout);
    assert_eq!(
        header,
        [
            "doc",
            "date",
            "passages",
            "title",
            "provinces",
            "groups",
            "forces",
            "story",
            "url",
            "path"
        ]
    );
    assert_eq!(csv_rows.len(), rows.len());
    for (csv_row, row) in csv_rows.iter().zip(rows) {
        assert_eq!(&csv_row[0], row["doc"].as_str().unwrap());
        assert_eq!(&csv_row[3], row["title"].as_str().unwrap());
        assert_eq!(&csv_row[8], row["url"].as_str().unwrap_or(""));
        assert_eq!(&csv_row[9], row["path"].as_str().unwrap());
    }
    assert_eq!(sb.run(&["docs", "--csv"]).stdout, o.stdout);
}

#[test]
fn date_order_puts_newest_or_oldest_first_and_undated_last() {
    let sb = indexed();
    let docs = |order: &str| -> Vec<String> {
        let r = json(&sb.run(&["search", "--json", "--sort", order, "bajaur"]));
        assert_eq!(r["sort"], order);
        r["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["doc"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(docs("-date"), ["newer", "quoted", "older", "undated"]);
    assert_eq!(docs("date"), ["older", "quoted", "newer", "undated"]);
    let o = sb.run(&["search", "--sort", "newest", "bajaur"]);
    assert_usage_error(&o, "newest");
}

#[test]
fn words_near_each_other_match_in_any_order() {
    let sb = indexed();
    // "strike … drone" does not occur as a phrase; "drone strike" does, in one document.
    let exact = json(&sb.run(&["search", "--json", "\"strike drone\""]));
    assert_eq!(exact["total_hits"], 0);
    let near = json(&sb.run(&["search", "--json", "\"strike drone\"~2"]));
    let hits = near["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["doc"], "newer");
    let o = sb.run(&["search", "\"strike drone\"~x"]);
    assert_usage_error(&o, "'~' needs a distance at column 15");
}

#[test]
fn saved_searches_alert_once_per_new_document_and_survive_a_rebuild() {
    let sb = indexed();
    let o = sb.run(&["saved", "add", "ttp-bajaur", "ttp", "--province", "Bajaur"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("4 documents match now"),
        "{}",
        stdout(&o)
    );
    // What matched when it was saved is not news.
    let o = sb.run(&["alerts"]);
    assert_eq!(o.status.code(), Some(1));
    let list = json(&sb.run(&["saved", "list", "--json"]));
    assert_eq!(list["saved"][0]["name"], "ttp-bajaur");
    assert_eq!(list["saved"][0]["search"], "ttp --province Bajaur");
    assert_eq!(list["saved"][0]["seen"], 4);
    assert_eq!(list["saved"][0]["new"], 0);

    // A later indexing run brings one new report: `index` says so, in text and in JSON.
    sb.write(
        "news/later.jsonl",
        "{\"id\": \"later\", \"title\": \"TTP in Bajaur again\", \"date\": \"2025-01-01\", \"text\": \"The TTP attacked a post in Bajaur.\"}\n",
    );
    let o = sb.run(&["index"]);
    assert!(
        stdout(&o).contains("1 new for ttp-bajaur"),
        "{}",
        stdout(&o)
    );
    // The line is what the run brought: a run that changed nothing brings nothing, though
    // the report is still unseen; the JSON summary says so with an empty list.
    let o = sb.run(&["watch", "--once"]);
    assert!(
        stdout(&o).contains("unchanged 6") && !stdout(&o).contains("new for"),
        "{}",
        stdout(&o)
    );
    let once = json(&sb.run(&["watch", "--once", "--json"]));
    assert_eq!(once["alerts"], serde_json::json!([]), "{once}");
    // Another report: `watch` counts the one this run added, not the two that wait.
    sb.write(
        "news/later2.jsonl",
        "{\"id\": \"later2\", \"title\": \"TTP in Bajaur once more\", \"date\": \"2025-01-02\", \"text\": \"The TTP fired on a convoy in Bajaur.\"}\n",
    );
    let once = json(&sb.run(&["watch", "--once", "--json"]));
    assert_eq!(once["added"], 1);
    assert_eq!(
        once["alerts"],
        serde_json::json!([{"name": "ttp-bajaur", "new": 1}]),
        "{once}"
    );
    let list = json(&sb.run(&["saved", "list", "--json"]));
    assert_eq!(list["saved"][0]["new"], 2);
    // Rebuilding keeps the saved search and what it has seen; it writes every document
    // anew, so every unseen match counts.
    let rebuilt = json(&sb.run(&["index", "--rebuild", "--json"]));
    assert_eq!(rebuilt["alerts"][0]["name"], "ttp-bajaur");
    assert_eq!(rebuilt["alerts"][0]["new"], 2);

    let o = sb.run(&["alerts", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let a = json(&o);
    assert_eq!(a["alerts"][0]["new"], 2);
    let mut docs = common::hit_docs(&a["alerts"][0]["hits"]);
    docs.sort();
    docs.dedup();
    assert_eq!(docs, ["later", "later2"]);
    // Shown once, then seen.
    assert_eq!(sb.run(&["alerts"]).status.code(), Some(1));
    assert_eq!(sb.run(&["index"]).status.code(), Some(0));
    assert!(!stdout(&sb.run(&["index"])).contains("new for"));
    // --all shows everything again.
    let all = json(&sb.run(&["alerts", "--all", "--json", "ttp-bajaur"]));
    assert_eq!(all["alerts"][0]["new"], 6);

    sb.run(&["saved", "rm", "ttp-bajaur"]);
    assert_eq!(sb.run(&["saved", "list"]).status.code(), Some(1));
}

/// A saved search alerts on documents that match its query: every word (search's fallback
/// to any word does not apply), unless it was saved with `--any`.
#[test]
fn a_saved_search_matches_every_word_unless_saved_with_any() {
    let sb = indexed();
    // `search` falls back to any word when no passage has them all ...
    assert!(sb.search(&["bajaur", "zzyzx"]).fallback);
    // ... a saved search does not: the misspelt word matches nothing, so nothing matches.
    for (name, words) in [
        ("typo", &["bajaur", "zzyzx"][..]),
        ("pair", &["bajaur", "jirga"]),
    ] {
        let o = sb.run(&[&["saved", "add", name][..], words].concat());
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(
            stdout(&o).contains("0 documents match now"),
            "{name}: {}",
            stdout(&o)
        );
    }
    let o = sb.run(&["saved", "add", "either", "bajaur", "jirga", "--any"]);
    assert!(
        stdout(&o).contains("4 documents match now"),
        "{}",
        stdout(&o)
    );
    // A report with one of the words is news only for the search that asked for any.
    sb.write(
        "news/swat.jsonl",
        "{\"id\": \"swat\", \"title\": \"Jirga in Swat\", \"date\": \"2025-01-02\", \"text\": \"Elders held a jirga in Swat.\"}\n",
    );
    let o = sb.run(&["index"]);
    let text = stdout(&o);
    assert!(text.contains("1 new for either"), "{text}");
    assert!(
        !text.contains("new for pair") && !text.contains("new for typo"),
        "{text}"
    );
    let alerts = json(&sb.run(&["alerts", "--json"]));
    let names: Vec<&str> = alerts["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["either"], "{alerts}");
    // A report with both words is news for both, found by all words.
    sb.write(
        "news/jirga.jsonl",
        "{\"id\": \"both\", \"title\": \"Jirga in Bajaur\", \"date\": \"2025-01-03\", \"text\": \"Elders of Bajaur held a jirga.\"}\n",
    );
    let text = stdout(&sb.run(&["index"]));
    assert!(
        text.contains("1 new for pair") && text.contains("1 new for either"),
        "{text}"
    );
    let pair = json(&sb.run(&["alerts", "--json", "pair"]));
    assert_eq!(pair["alerts"][0]["new"], 1, "{pair}");
    assert_eq!(pair["alerts"][0]["mode"], "all", "{pair}");
    assert_eq!(pair["alerts"][0]["fallback"], false, "{pair}");
    assert_eq!(common::hit_docs(&pair["alerts"][0]["hits"]), ["both"]);
    let list = json(&sb.run(&["saved", "list", "--json"]));
    let typo = list["saved"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "typo")
        .unwrap()
        .clone();
    assert_eq!(
        (typo["seen"].clone(), typo["new"].clone()),
        (0.into(), 0.into())
    );
}

/// Saved searches live beside the index's generations: an index healed after losing its
/// generation folder keeps them and what they have seen.
#[test]
fn saved_searches_survive_a_healed_index() {
    let sb = indexed();
    let o = sb.run(&["saved", "add", "ttp-bajaur", "ttp", "--province", "Bajaur"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let current = std::fs::read_to_string(sb.path("index/CURRENT")).unwrap();
    std::fs::remove_dir_all(sb.path("index").join(current.trim())).unwrap();
    let healed = json(&sb.run(&["index", "--json"]));
    assert!(
        healed["rebuilt"].as_str().unwrap().contains("is missing"),
        "{healed}"
    );
    assert_eq!(healed["documents"], 5);
    // Nothing is news: what it had seen, it still has.
    assert_eq!(healed["alerts"], serde_json::json!([]), "{healed}");
    let list = json(&sb.run(&["saved", "list", "--json"]));
    assert_eq!(list["saved"][0]["name"], "ttp-bajaur");
    assert_eq!(list["saved"][0]["search"], "ttp --province Bajaur");
    assert_eq!(
        (
            list["saved"][0]["seen"].as_u64(),
            list["saved"][0]["new"].as_u64()
        ),
        (Some(4), Some(0))
    );
    assert_eq!(sb.run(&["alerts"]).status.code(), Some(1));
}

#[test]
fn alerts_mark_seen_only_what_they_showed() {
    let sb = indexed();
    sb.run(&["saved", "add", "kunar", "kunar"]);
    sb.write(
        "news/more.jsonl",
        concat!(
            "{\"id\": \"m1\", \"title\": \"Shelling in Kunar\", \"date\": \"2025-02-01\", \"text\": \"Shells fell on Asmar in Kunar overnight.\"}\n",
            "{\"id\": \"m2\", \"title\": \"Kunar school reopens\", \"date\": \"2025-02-02\", \"text\": \"A girls' school in Kunar opened its doors after repairs.\"}\n",
            "{\"id\": \"m3\", \"title\": \"Floods in Kunar\", \"date\": \"2025-02-03\", \"text\": \"The Kunar river flooded fields near Chawkay.\"}\n",
        ),
    );
    sb.run(&["index"]);
    let first = json(&sb.run(&["alerts", "-n", "1", "--json"]));
    assert_eq!(first["alerts"][0]["new"], 3);
    assert_eq!(first["alerts"][0]["shown"], 1);
    let shown = first["alerts"][0]["hits"][0]["doc"].clone();
    let o = sb.run(&["alerts", "-n", "1"]);
    assert!(
        stdout(&o).contains("2 new documents (1 shown; 1 stay new"),
        "{}",
        stdout(&o)
    );
    let last = json(&sb.run(&["alerts", "--json"]));
    assert_eq!(last["alerts"][0]["new"], 1);
    assert_ne!(last["alerts"][0]["hits"][0]["doc"], shown);
    assert_eq!(sb.run(&["alerts"]).status.code(), Some(1));
}

#[test]
fn alerts_count_documents_not_passages() {
    let sb = indexed();
    sb.run(&["saved", "add", "asmar", "asmar"]);
    // One new report of many matching passages, two of one passage each.
    let long = (1..=6)
        .map(|i| format!("Asmar was shelled again on day {i} of the week."))
        .collect::<Vec<_>>()
        .join("\n\n");
    sb.write("news/long.txt", format!("Asmar under fire\n\n{long}\n"));
    sb.write(
        "news/more.jsonl",
        concat!(
            "{\"id\": \"a1\", \"title\": \"Asmar market reopens\", \"date\": \"2025-02-01\", \"text\": \"Traders in Asmar opened their shops.\"}\n",
            "{\"id\": \"a2\", \"title\": \"Asmar road repaired\", \"date\": \"2025-02-02\", \"text\": \"The road to Asmar was repaired.\"}\n",
        ),
    );
    sb.run(&["index"]);
    let o = json(&sb.run(&["alerts", "-n", "2", "--keep", "--json"]));
    let alert = &o["alerts"][0];
    assert_eq!(alert["new"], 3, "{o:#}");
    assert_eq!(alert["shown"], 2, "{o:#}");
    let docs: Vec<&str> = alert["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["doc"].as_str().unwrap())
        .collect();
    assert_eq!(docs.len(), 2, "{docs:?}");
    assert_ne!(docs[0], docs[1], "one document filled the page: {docs:?}");
    let all = json(&sb.run(&["alerts", "--json"]));
    assert_eq!(all["alerts"][0]["shown"], 3);
    assert_eq!(all["alerts"][0]["hits"].as_array().unwrap().len(), 3);
}

/// A damaged index is every saved search's trouble: an error (exit 2) with the repair, not
/// "nothing new" and a note to remove the saved search.
#[test]
fn alerts_on_a_damaged_index_are_an_error() {
    let sb = indexed();
    sb.run(&["saved", "add", "kunar", "kunar"]);
    let current = std::fs::read_to_string(sb.path("index/CURRENT")).unwrap();
    let generation = sb.path("index").join(current.trim());
    std::fs::write(generation.join("names.bin"), [7u8; 100]).unwrap();
    for args in [&["alerts"][..], &["alerts", "--json"], &["saved", "list"]] {
        let o = sb.run(args);
        assert_usage_error(&o, "is damaged");
        assert!(!stderr(&o).contains("saved rm"), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn saved_search_mistakes_are_one_line_and_change_nothing() {
    // No index at all: every saved-search command says so, as search does.
    let none = Sandbox::empty();
    for args in [
        &["--index", "nowhere", "saved", "list"][..],
        &["--index", "nowhere", "alerts"],
        &["--index", "nowhere", "saved", "add", "ttp", "ttp"],
    ] {
        assert_usage_error(&none.run(args), "no index at ./nowhere");
    }
    let sb = indexed();
    // Nothing saved yet: exit 1, and JSON is still one document.
    let o = sb.run(&["alerts", "--json"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(json(&o)["alerts"], serde_json::json!([]));
    assert_eq!(
        sb.run(&["saved", "add", "ttp", "ttp"]).status.code(),
        Some(0)
    );
    assert_usage_error(&sb.run(&["saved", "add", "ttp", "other"]), "exists");
    assert_usage_error(
        &sb.run(&["saved", "add", "a b", "ttp"]),
        "not a saved-search name",
    );
    assert_usage_error(
        &sb.run(&["saved", "add", "narnia", "ttp", "--province", "Narnia"]),
        "unknown province",
    );
    assert_usage_error(
        &sb.run(&["saved", "add", "q", "\"unclosed"]),
        "unclosed quote",
    );
    // How hits print is for alerts and search to say, not something a saved search keeps.
    assert_usage_error(
        &sb.run(&["saved", "add", "n1", "Bajaur", "-n", "1", "--format", "csv"]),
        "drop --limit, --format",
    );
    assert_usage_error(&sb.run(&["saved", "rm", "ttp", "tpp"]), "did you mean ttp");
    // Flags and no query: the usage is said.
    assert_usage_error(
        &sb.run(&["saved", "add", "n9", "--province", "Kunar"]),
        "<QUERY>... (usage: durand saved add <NAME> <QUERY>... [filters])",
    );
    // `--` before the query, after filters, is the command line's, not the query's.
    assert_eq!(
        sb.run(&[
            "saved",
            "add",
            "dashes",
            "--province",
            "Bajaur",
            "--",
            "ttp"
        ])
        .status
        .code(),
        Some(0)
    );
    assert_eq!(sb.run(&["saved", "rm", "dashes"]).status.code(), Some(0));
    // A name given twice is removed once.
    assert_eq!(
        sb.run(&["saved", "add", "twice", "ttp"]).status.code(),
        Some(0)
    );
    assert_eq!(
        sb.run(&["saved", "rm", "twice", "twice"]).status.code(),
        Some(0)
    );
    assert_usage_error(&sb.run(&["alerts", "tpp"]), "no saved search named \"tpp\"");
    // A saved search runs on the local index, and no key is stored.
    assert_usage_error(
        &sb.run(&[
            "saved",
            "add",
            "r",
            "ttp",
            "--remote",
            "http://127.0.0.1:9",
            "--api-key",
            "k",
        ]),
        "a query line runs on the local index; drop --remote",
    );
    // A collection or a key without a cluster is a mistake, not a local search.
    for command in ["search", "docs", "facets"] {
        for stray in [["--collection", "other"], ["--api-key", "k"]] {
            let mut args = vec![command, stray[0], stray[1]];
            if command == "search" {
                args.push("ttp");
            }
            assert_usage_error(&sb.run(&args), "give the cluster with --remote URL");
        }
    }
    // A key in the environment waits for a `--remote`: the local search runs.
    let local = sb
        .cmd()
        .args(["search", "ttp", "--json"])
        .env("DURAND_REMOTE_KEY", "k")
        .output()
        .unwrap();
    assert_eq!(local.status.code(), Some(0), "{local:?}");
    let list = json(&sb.run(&["saved", "list", "--json"]));
    let names: Vec<&str> = list["saved"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["ttp"],
        "the failed commands saved and removed nothing"
    );
    // A damaged file is reported, not replaced.
    sb.write("index/saved.json", "{oops");
    assert_usage_error(
        &sb.run(&["saved", "list"]),
        "not readable as saved searches",
    );
    assert_usage_error(&sb.run(&["saved", "add", "x", "ttp"]), "not readable");
    // An index run still goes through, and says it could not count new hits.
    let o = sb.run(&["index"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("new hits of saved searches not counted")
            && stderr(&o).contains("not readable as saved searches"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(sb.path("index/saved.json")).unwrap(),
        "{oops"
    );
}

#[test]
fn a_batch_counts_each_line_and_reports_what_matched_nothing() {
    let sb = indexed();
    sb.write(
        "names.txt",
        "# watchlist\nbajaur\n\n\"drone strike\"\nzzyzx\nttp --from 2023\n\"strike drone\"~2 --from 2024\nbajaur -drone\n",
    );
    let o = sb.run(&["search", "--batch", "names.txt", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("1 of 6 lines matched nothing: line 5"),
        "{}",
        stderr(&o)
    );
    let rows = json(&o)["queries"].as_array().unwrap().clone();
    let row = |line: u64| rows.iter().find(|r| r["line"] == line).unwrap().clone();
    assert_eq!(row(2)["documents"], 4);
    assert_eq!(row(2)["first"], "2022-06-01");
    assert_eq!(row(2)["last"], "2024-03-05");
    assert_eq!(row(4)["documents"], 1);
    assert_eq!(row(5)["passages"], 0);
    assert_eq!(row(6)["documents"], 2, "ttp from 2023: quoted and newer");
    // A line is the query language: words near each other, an exclusion.
    assert_eq!(row(7)["query"], "\"strike drone\"~2");
    assert_eq!(row(7)["documents"], 1);
    assert_eq!(row(8)["documents"], 3, "bajaur without the drone strike");
    for key in ["text", "query", "stories", "fallback", "mode"] {
        assert!(row(2).get(key).is_some(), "{key}");
    }
    // As JSON lines, one row per query line, in order.
    let o = sb.run(&["search", "--batch", "names.txt", "--format", "jsonl"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let numbers: Vec<u64> = lines.iter().map(|r| r["line"].as_u64().unwrap()).collect();
    assert_eq!(numbers, [2, 4, 5, 6, 7, 8]);
    assert_eq!(lines[0], row(2));
    // The same as CSV, and from stdin.
    let o = sb
        .cmd()
        .args(["search", "--batch", "-", "--csv"])
        .write_stdin("bajaur\nwheat\n")
        .output()
        .unwrap();
    let text = stdout(&o);
    assert!(
        text.starts_with("line,text,query,mode,fallback,documents,passages,stories,first,last\r\n")
    );
    assert!(
        text.contains("\n2,wheat,wheat,all,false,1,1,1,2023-02-02,2023-02-02\r\n"),
        "{text}"
    );
    // Only lines that match nothing: exit 1.
    sb.write("none.txt", "zzyzx\n");
    assert_eq!(
        sb.run(&["search", "--batch", "none.txt"]).status.code(),
        Some(1)
    );
    // A malformed line is named by its number, before anything runs.
    sb.write("bad.txt", "bajaur\nttp --from 2023-13\n");
    assert_usage_error(
        &sb.run(&["search", "--batch", "bad.txt"]),
        "bad.txt:2: --from",
    );
    sb.write("bad2.txt", "bajaur\n\n\"unclosed\n");
    for format in ["text", "jsonl", "csv"] {
        let o = sb.run(&["search", "--batch", "bad2.txt", "--format", format]);
        assert_usage_error(&o, "bad2.txt:3: bad query: unclosed quote at column 1");
        assert!(o.stdout.is_empty(), "no row before the bad line is refused");
    }
    assert_usage_error(
        &sb.run(&["search", "--batch", "missing.txt"]),
        "missing.txt",
    );
    assert_usage_error(
        &sb.run(&["search", "--batch", "names.txt", "kunar"]),
        "cannot be used with",
    );
    // The batch's own flag is the command line's mistake, not the first line's.
    let o = sb.run(&["search", "--batch", "names.txt", "--province", "Narnia"]);
    assert_usage_error(&o, "unknown province");
    assert!(!stderr(&o).contains("names.txt:"), "{}", stderr(&o));
}

#[test]
fn a_batch_line_may_end_in_a_comment_and_refuses_options_it_cannot_use() {
    let sb = indexed();
    sb.write(
        "names.txt",
        "TTP # the group\nbajaur\t#\nbajaur #drone   # a hashtag is a word\n",
    );
    let o = sb.run(&["search", "--batch", "names.txt", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let rows = json(&o)["queries"].as_array().unwrap().clone();
    let queries: Vec<&str> = rows.iter().map(|r| r["query"].as_str().unwrap()).collect();
    assert_eq!(queries, ["TTP", "bajaur", "bajaur #drone"]);
    assert_eq!(rows[0]["text"], "TTP");
    assert_eq!(rows[0]["documents"], 4);
    assert_eq!(rows[1]["documents"], 4);
    assert_eq!(rows[2]["documents"], 1, "bajaur and drone: {}", rows[2]);
    // What a line cannot use is refused with its line number, not silently ignored.
    for (line, flag) in [
        ("TTP --json", "--json"),
        ("TTP --format csv", "--format"),
        ("TTP --csv", "--csv"),
        ("TTP --offset 5", "--offset"),
        ("TTP -n 3", "--limit"),
        ("TTP --facets", "--facets"),
        ("TTP --sort -date", "--sort"),
        (
            "TTP --no-collapse  # stories are counted anyway",
            "--no-collapse",
        ),
    ] {
        sb.write("bad.txt", format!("bajaur\n{line}\n"));
        let o = sb.run(&["search", "--batch", "bad.txt"]);
        assert_usage_error(
            &o,
            &format!("bad.txt:2: a batch line is only counted; drop {flag} ("),
        );
        assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
        assert!(o.stdout.is_empty(), "{line}: nothing runs");
    }
    // An empty file, or one of comments only, holds no queries.
    for (file, text) in [
        ("empty.txt", ""),
        ("comments.txt", "# later\n\n   # more\n"),
    ] {
        sb.write(file, text);
        assert_usage_error(
            &sb.run(&["search", "--batch", file]),
            &format!("{file}: no queries"),
        );
    }
    let o = sb
        .cmd()
        .args(["search", "--batch", "-"])
        .write_stdin("")
        .output()
        .unwrap();
    assert_usage_error(&o, "stdin: no queries");
}

#[test]
fn similar_documents_share_distinctive_words_and_never_include_the_document() {
    let sb = indexed();
    let o = sb.run(&["similar", "newer", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r = json(&o);
    assert_eq!(r["like"], "newer");
    let docs = common::hit_docs(&r["hits"]);
    assert!(!docs.iter().any(|d| d == "newer"), "{docs:?}");
    assert!(!docs.iter().any(|d| d == "wheat"), "{docs:?}");
    assert!(
        docs.iter().any(|d| d == "quoted"),
        "shares commander, TTP, Bajaur: {docs:?}"
    );
    assert_usage_error(&sb.run(&["similar", "newr"]), "did you mean newer");

    // Each document once, by its best passage, with near-duplicates collapsed or not.
    let long = (1..=6)
        .map(|i| format!("A TTP commander in Bajaur was seen again on day {i}."))
        .collect::<Vec<_>>()
        .join("\n\n");
    sb.write("news/long.txt", format!("Bajaur commander\n\n{long}\n"));
    sb.run(&["index"]);
    for flags in [&["--json"][..], &["--json", "--no-collapse"]] {
        let o = sb.run(&[&["similar", "newer"][..], flags].concat());
        let docs = common::hit_docs(&json(&o)["hits"]);
        assert!(docs.iter().any(|d| d == "long"), "{docs:?}");
        let mut unique = docs.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), docs.len(), "{flags:?}: {docs:?}");
    }
}

/// Removing most of an index's documents leaves their passages counted in term statistics
/// until segments merge: "more like this" must not score a term as in more passages than
/// there are (tantivy asserts it).
#[test]
fn similar_survives_an_index_that_lost_most_of_its_documents() {
    let sb = Sandbox::with_seeds();
    let record =
        r#"{"id":"f{}","text":"Pakistan army says militants killed near the Afghan border."}"#;
    let feed: String = (0..300)
        .map(|i| record.replace("{}", &i.to_string()) + "\n")
        .collect();
    sb.write("feed/f.jsonl", feed);
    sb.index(&["seeds", "feed"]);
    sb.index(&["seeds"]);
    let o = sb.run(&["similar", common::SEEDS[2], "--json"]);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
}

#[test]
fn titles_link_to_the_article_or_file_only_when_asked_or_on_a_terminal() {
    let sb = indexed();
    let piped = stdout(&sb.run(&["search", "bajaur"]));
    assert!(!piped.contains("\x1b]8;;"), "no links into a pipe");
    let linked = stdout(&sb.run(&["--hyperlink", "always", "search", "bajaur", "-n", "20"]));
    assert!(
        linked.contains("\x1b]8;;https://example.org/news/quoted\x1b\\"),
        "{linked}"
    );
    assert!(linked.contains("\x1b]8;;file:///"), "{linked}");
    assert!(
        !linked.contains("\x1b[0m\x1b[1"),
        "links are separate from colour"
    );
    let by_env = sb
        .cmd()
        .env("DURAND_HYPERLINK", "always")
        .args(["search", "bajaur"])
        .output()
        .unwrap();
    assert!(stdout(&by_env).contains("\x1b]8;;"));
    assert_usage_error(
        &sb.run(&["--hyperlink", "sometimes", "search", "x"]),
        "sometimes",
    );
    // Every title the terminal writer prints is a link under the same rule: the documents
    // list, a document, an incident's headline.
    let article =
        "\x1b]8;;https://example.org/news/quoted\x1b\\He said \"no\", then left\x1b]8;;\x1b\\";
    let file = "\x1b]8;;file:///";
    let docs = stdout(&sb.run(&["--hyperlink", "always", "docs"]));
    assert!(docs.contains(article), "{docs}");
    assert_eq!(docs.matches(file).count(), 4, "{docs}");
    let show = stdout(&sb.run(&["--hyperlink", "always", "show", "quoted"]));
    assert!(show.starts_with(article), "{show}");
    let show = stdout(&sb.run(&["--hyperlink", "always", "show", "newer"]));
    assert!(
        show.starts_with(file) && show.contains("/news/loop.jsonl\x1b\\Bajaur strike\x1b]8;;"),
        "{show}"
    );
    let events = sb.run(&["--hyperlink", "always", "events", "bajaur"]);
    assert_eq!(events.status.code(), Some(0), "{}", stderr(&events));
    let events = stdout(&events);
    assert!(
        events.contains("\x1b\\Bajaur strike\x1b]8;;\x1b\\"),
        "{events}"
    );
    for args in [&["docs"][..], &["show", "quoted"], &["events", "bajaur"]] {
        let plain = stdout(&sb.run(args));
        assert!(!plain.contains("\x1b]8;;"), "{args:?}: {plain}");
        let never = stdout(&sb.run(&[&["--hyperlink", "never"][..], args].concat()));
        assert_eq!(never, plain, "{args:?}");
    }
}

/// Runs `durand ARGS` on a pseudo-terminal (util-linux `script`), with `pager` as $PAGER;
/// `None` when `script` is not installed.
fn on_terminal(sb: &Sandbox, pager: &str, args: &str) -> Option<String> {
    on_terminal_with(sb, &[("PAGER", Some(pager))], args)
}

/// The same with the environment `env` sets (`None` removes a variable).
fn on_terminal_with(sb: &Sandbox, env: &[(&str, Option<&str>)], args: &str) -> Option<String> {
    let bin = env!("CARGO_BIN_EXE_durand");
    let mut command = std::process::Command::new("script");
    command
        .args(["-qec", &format!("{bin} {args}"), "/dev/null"])
        .current_dir(sb.path(""))
        .env_remove("DURAND_NO_PAGER")
        .env_remove("DURAND_HYPERLINK")
        .env_remove("DURAND_INDEX")
        .env_remove("LESS");
    for (name, value) in env {
        match value {
            Some(v) => command.env(name, v),
            None => command.env_remove(name),
        };
    }
    let out = command.output().ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn a_terminal_pages_through_pager_unless_told_not_to() {
    let sb = indexed();
    let Some(paged) = on_terminal(&sb, "sed s/^/PAGED:/", "search bajaur") else {
        eprintln!("skipped: no `script` to make a terminal");
        return;
    };
    assert!(paged.contains("PAGED:"), "{paged}");
    let plain = on_terminal(&sb, "sed s/^/PAGED:/", "--no-pager search bajaur").unwrap();
    assert!(
        !plain.contains("PAGED:") && plain.contains("Bajaur"),
        "{plain}"
    );
    // The environment turns it off too: DURAND_NO_PAGER, or a PAGER set to nothing.
    let sed = Some("sed s/^/PAGED:/");
    for env in [
        &[("PAGER", sed), ("DURAND_NO_PAGER", Some("1"))][..],
        &[("PAGER", Some(""))],
        &[("PAGER", Some("  "))],
    ] {
        let out = on_terminal_with(&sb, env, "search bajaur").unwrap();
        assert!(
            !out.contains("PAGED:") && out.contains("Bajaur"),
            "{env:?}: {out}"
        );
    }
    let out = on_terminal_with(
        &sb,
        &[("PAGER", sed), ("DURAND_NO_PAGER", Some("0"))],
        "search bajaur",
    )
    .unwrap();
    assert!(out.contains("PAGED:"), "DURAND_NO_PAGER=0 pages: {out}");
    // Machine formats are never paged; on a terminal, titles are links by default.
    let json_out = on_terminal(&sb, "sed s/^/PAGED:/", "search --json bajaur").unwrap();
    assert!(!json_out.contains("PAGED:"), "{json_out}");
    assert!(plain.contains("\x1b]8;;"), "{plain}");
    // Unless told not to, on a terminal too.
    for (env, flag) in [(None, "--hyperlink never"), (Some("never"), "")] {
        let out = on_terminal_with(
            &sb,
            &[("DURAND_HYPERLINK", env)],
            &format!("--no-pager {flag} search bajaur"),
        )
        .unwrap();
        assert!(!out.contains("\x1b]8;;") && out.contains("Bajaur"), "{out}");
    }
    // A pager that fails loses the output: that is said, not left a blank screen.
    let failed = on_terminal(&sb, "false", "search bajaur").unwrap();
    assert!(
        failed.contains("durand: the pager `false` failed (exit status 1)"),
        "{failed}"
    );
    let quiet = on_terminal(&sb, "sed s/^/PAGED:/", "search bajaur").unwrap();
    assert!(!quiet.contains("the pager"), "{quiet}");
    // Alerts a failed pager lost stay new.
    sb.run(&["saved", "add", "asmar", "asmar"]);
    sb.write(
        "news/asmar.txt",
        "Asmar shelled\n\nShells fell on Asmar overnight.",
    );
    sb.run(&["index"]);
    // (Whether the pager quits before durand writes or after, it is named, and nothing is
    // marked seen.)
    let lost = on_terminal(&sb, "false", "alerts").unwrap();
    assert!(lost.contains("the pager `false` failed"), "{lost}");
    let still = json(&sb.run(&["alerts", "--json"]));
    assert_eq!(still["alerts"][0]["new"], 1, "{still}");
}

/// `less` shows colour and link escapes only with -R: it always gets it, whatever the
/// user's LESS says, and the user's settings stay.
#[cfg(unix)]
#[test]
fn less_always_gets_raw_control_characters() {
    use std::os::unix::fs::PermissionsExt;
    let sb = indexed();
    // A stand-in `less` that says how it was started.
    sb.write(
        "bin/less",
        "#!/bin/sh\nprintf 'ARGS:%s|LESS:%s|\\n' \"$*\" \"$LESS\"\ncat >/dev/null\n",
    );
    let less = sb.path("bin/less");
    std::fs::set_permissions(&less, std::fs::Permissions::from_mode(0o755)).unwrap();
    let less = less.to_str().unwrap().to_string();
    let with_s = format!("{less} -S");
    let path = format!(
        "{}:{}",
        sb.path("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for (env, expected) in [
        // The user's LESS without R: -R is added, LESS kept.
        (
            vec![("PAGER", Some(less.as_str())), ("LESS", Some("SX"))],
            "ARGS:-R|LESS:SX|",
        ),
        // The user's own options come after, so they may still change it.
        (
            vec![("PAGER", Some(with_s.as_str())), ("LESS", Some("i"))],
            "ARGS:-R -S|LESS:i|",
        ),
        // No PAGER: `less` from PATH, with LESS=FRX when LESS is unset.
        (
            vec![("PAGER", None), ("PATH", Some(path.as_str()))],
            "ARGS:-R|LESS:FRX|",
        ),
    ] {
        let Some(out) = on_terminal_with(&sb, &env, "search bajaur") else {
            eprintln!("skipped: no `script` to make a terminal");
            return;
        };
        assert!(out.contains(expected), "{env:?}: {out}");
    }
    // Another pager is left as it is.
    let out = on_terminal_with(
        &sb,
        &[("PAGER", Some("sed s/^/PAGED:/")), ("LESS", Some("SX"))],
        "search bajaur",
    )
    .unwrap();
    assert!(
        out.contains("PAGED:") && !out.contains("the pager"),
        "{out}"
    );
}

#[test]
fn completions_and_the_man_page_are_generated() {
    let sb = Sandbox::empty();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = sb.run(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0));
        let text = stdout(&o);
        assert!(
            text.contains("durand") && text.contains("alerts"),
            "{shell}"
        );
        assert!(
            text.contains("province"),
            "{shell}: the registry's filters too"
        );
    }
    assert_usage_error(&sb.run(&["completions", "tcsh"]), "tcsh");
    let man = stdout(&sb.run(&["man"]));
    assert!(man.contains(".TH durand 1"));
    assert!(man.contains("saved"));
    // Every command has its page, the one the top page refers to.
    let search = stdout(&sb.run(&["man", "search"]));
    assert!(search.contains(".TH durand-search 1"), "{search}");
    assert!(search.contains("\\-\\-batch") && search.contains("\\-\\-sort"));
    let add = stdout(&sb.run(&["man", "saved", "add"]));
    assert!(add.contains(".TH durand-saved-add 1"), "{add}");
    // Each page names the version it documents, as the top page does.
    let version = format!("\"add {}\"", env!("CARGO_PKG_VERSION"));
    assert!(add.contains(&version), "{add}");
    assert_usage_error(&sb.run(&["man", "serch"]), "has no command \"serch\"");
    assert_usage_error(
        &sb.run(&["man", "search", "extra"]),
        "`durand search` has no commands under it; `durand man search` is its page",
    );
    let o = sb.run(&["man", "--out", "pages"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for page in [
        "durand.1",
        "durand-search.1",
        "durand-saved-add.1",
        "durand-push.1",
    ] {
        assert!(sb.path("pages").join(page).is_file(), "{page}");
    }
}

/// A saved search whose flags name what the tables no longer know (a group from a gazetteer
/// since forgotten) is listed with why; the others still list and alert.
#[test]
fn a_saved_search_that_no_longer_runs_does_not_hide_the_others() {
    let sb = Sandbox::with_seeds();
    sb.write(
        "extra.toml",
        "[[group]]\nname = \"Zzyzx Front\"\naliases = [\"Zzyzx\"]\n",
    );
    sb.index(&["seeds", "--gazetteer", "extra.toml"]);
    for (name, args) in [("zg", &["--group", "Zzyzx Front"][..]), ("ttp", &[][..])] {
        let mut all = vec!["saved", "add", name, "ttp"];
        all.extend_from_slice(args);
        assert_eq!(sb.run(&all).status.code(), Some(0), "{name}");
    }
    sb.index(&["--no-gazetteer"]);
    let o = sb.run(&["saved", "list", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    let rows = v["saved"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let zg = rows.iter().find(|r| r["name"] == "zg").unwrap();
    assert!(zg["error"].as_str().unwrap().contains("Zzyzx"), "{zg}");
    let ttp = rows.iter().find(|r| r["name"] == "ttp").unwrap();
    assert!(ttp.get("error").is_none(), "{ttp}");
    let text = stdout(&sb.run(&["saved", "list"]));
    assert!(text.contains("does not run"), "{text}");
    // All alerts: the one that runs shows its hits, the other is a note.
    let o = sb.run(&["alerts", "--all"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("saved rm zg"), "{}", stderr(&o));
    // In JSON too: a script sees which one did not run, and why.
    let o = sb.run(&["alerts", "--all", "--json", "--keep"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    let broken = v["broken"].as_array().unwrap();
    assert_eq!(broken.len(), 1, "{v}");
    assert_eq!(broken[0]["name"], "zg");
    assert!(
        broken[0]["error"].as_str().unwrap().contains("Zzyzx"),
        "{v}"
    );
    assert_eq!(v["alerts"][0]["name"], "ttp");
    // Named, it is an error.
    assert_eq!(sb.run(&["alerts", "zg"]).status.code(), Some(2));
}
