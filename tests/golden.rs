//! The JSON every command prints on the seeds, byte for byte (timings aside): scripts depend
//! on these keys, their order and their values, so a change that is meant to change nothing
//! (a reshaping) must leave them identical. `DURAND_BLESS=1 cargo test --test golden` writes
//! the files again after a change that is meant to change them; review the diff.

mod common;

use std::path::PathBuf;

use common::{Sandbox, stderr};

/// (golden file, command line) — run in a sandbox holding the seeds, indexed once.
const CASES: &[(&str, &[&str])] = &[
    (
        "search-hot-pursuit",
        &["search", "--json", "--facets", "hot pursuit"],
    ),
    (
        "search-ttp-alias",
        &[
            "search",
            "--json",
            "--facets",
            "-n",
            "3",
            "Tehreek-e-Taliban",
        ],
    ),
    (
        "search-filtered",
        &[
            "search",
            "--json",
            "--facets",
            "--group",
            "ttp",
            "--from",
            "2014",
            "cross-border attacks",
        ],
    ),
    (
        "search-phrase",
        &["search", "--json", "\"hammer and anvil\""],
    ),
    (
        "search-fallback",
        &["search", "--json", "-n", "4", "Fazlullah drone pizza"],
    ),
    (
        "search-fields",
        &[
            "search",
            "--json",
            "-n",
            "3",
            "title:Kunar -drone province:kunar",
        ],
    ),
    (
        "search-in-passage",
        &[
            "search",
            "--json",
            "-n",
            "3",
            "--in-passage",
            "--force",
            "isaf",
            "border",
        ],
    ),
    ("docs", &["docs", "--json"]),
    ("facets", &["facets", "--json"]),
    ("facets-country", &["facets", "--json", "country"]),
    (
        "facets-filtered",
        &["facets", "--json", "group", "--province", "kunar"],
    ),
    (
        "show-000",
        &["show", "--json", "--raw", "000_89de5a12d8fb28cf"],
    ),
    (
        "show-001",
        &["show", "--json", "--raw", "001_d7ba932abea2e6ad"],
    ),
    ("show-002", &["show", "--json", "002_ae5b66014a923a75"]),
    (
        "show-003",
        &["show", "--json", "--raw", "003_a50a9388cdaa740f"],
    ),
    ("show-004", &["show", "--json", "004_876aeaa1c60dd448"]),
];

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// The output with every `"took_ms":NUMBER` made `"took_ms":0`: the one thing that differs
/// from run to run.
fn without_timings(out: &str) -> String {
    let re = regex::Regex::new(r#""took_ms":[0-9.]+"#).unwrap();
    re.replace_all(out, r#""took_ms":0"#).into_owned()
}

#[test]
fn json_output_on_the_seeds_is_unchanged() {
    let sb = Sandbox::with_seeds();
    // One indexing thread: documents land in the same order every time, so passages with
    // equal scores come out in the same order too.
    let index = sb.run(&["index", "--json", "--threads", "1", "seeds"]);
    assert!(index.status.success(), "{}", stderr(&index));
    let mut outputs = vec![(
        "index",
        without_timings(&String::from_utf8_lossy(&index.stdout)),
    )];
    for (name, args) in CASES {
        let out = sb.run(args);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        let text = String::from_utf8(out.stdout).expect("UTF-8");
        serde_json::from_str::<serde_json::Value>(&text)
            .unwrap_or_else(|e| panic!("{name}: not JSON ({e})"));
        outputs.push((name, without_timings(&text)));
    }
    let bless = std::env::var_os("DURAND_BLESS").is_some();
    let mut differ = Vec::new();
    for (name, text) in outputs {
        let path = golden_dir().join(format!("{name}.json"));
        if bless {
            std::fs::create_dir_all(golden_dir()).unwrap();
            std::fs::write(&path, &text).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("{} is missing; DURAND_BLESS=1 writes it", path.display()));
        if want != text {
            differ.push(format!("{name}:\n  want {want}\n  got  {text}"));
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

/// `durand export` on the seeds, byte for byte: the records other engines take (NDJSON and
/// an Elasticsearch bulk body) and the index configurations written for them. Every line of
/// the records and every configuration must also be JSON.
#[test]
fn exports_on_the_seeds_are_unchanged() {
    const EXPORTS: &[(&str, &[&str])] = &[
        ("export.ndjson", &["export"]),
        (
            "export-es-bulk.ndjson",
            &["export", "--format", "es-bulk", "--name", "news"],
        ),
        ("config-quickwit.json", &["export", "--config", "quickwit"]),
        (
            "config-elasticsearch.json",
            &["export", "--config", "elasticsearch"],
        ),
    ];
    let sb = Sandbox::with_seeds();
    let index = sb.run(&["index", "--json", "--threads", "1", "seeds"]);
    assert!(index.status.success(), "{}", stderr(&index));
    let bless = std::env::var_os("DURAND_BLESS").is_some();
    let mut differ = Vec::new();
    for (name, args) in EXPORTS {
        let out = sb.run(args);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        let text = String::from_utf8(out.stdout).expect("UTF-8");
        if name.ends_with(".ndjson") {
            for line in text.lines() {
                serde_json::from_str::<serde_json::Value>(line)
                    .unwrap_or_else(|e| panic!("{name}: a line is not JSON ({e})"));
            }
        } else {
            serde_json::from_str::<serde_json::Value>(&text)
                .unwrap_or_else(|e| panic!("{name}: not JSON ({e})"));
        }
        let path = golden_dir().join(name);
        if bless {
            std::fs::write(&path, &text).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("{} is missing; DURAND_BLESS=1 writes it", path.display()));
        if want != text {
            differ.push(name.to_string());
        }
    }
    assert!(differ.is_empty(), "differ from tests/golden: {differ:?}");
    // --out writes the same bytes to a file.
    let out = sb.run(&["export", "--out", "records.ndjson"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let written = std::fs::read_to_string(sb.path("records.ndjson")).unwrap();
    let golden = std::fs::read_to_string(golden_dir().join("export.ndjson")).unwrap();
    assert_eq!(written, golden);
    #[cfg(unix)]
    export_out_writes_through_links_and_into_pipes(&sb, &golden);
}

/// `--out` through a symbolic link replaces the file it points to and keeps the link; into
/// a named pipe (or a device such as /dev/null) it writes, never replacing it; a file
/// planted at a temporary name beside it is not followed.
#[cfg(unix)]
fn export_out_writes_through_links_and_into_pipes(sb: &Sandbox, golden: &str) {
    use std::os::unix::fs::FileTypeExt;
    let path = |p: &str| sb.path(p);
    std::fs::write(path("target.ndjson"), "old").unwrap();
    std::os::unix::fs::symlink("target.ndjson", path("link.ndjson")).unwrap();
    std::fs::write(path("victim"), "untouched").unwrap();
    std::os::unix::fs::symlink("victim", path(".target.ndjson.tmp")).unwrap();
    let out = sb.run(&["export", "--out", "link.ndjson"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let link = std::fs::symlink_metadata(path("link.ndjson")).unwrap();
    assert!(link.file_type().is_symlink());
    assert_eq!(
        std::fs::read_to_string(path("target.ndjson")).unwrap(),
        golden
    );
    assert_eq!(
        std::fs::read_to_string(path("victim")).unwrap(),
        "untouched"
    );
    let made = std::process::Command::new("mkfifo")
        .arg(path("pipe"))
        .status()
        .unwrap();
    assert!(made.success());
    let (tx, rx) = std::sync::mpsc::channel();
    let pipe = path("pipe");
    std::thread::spawn(move || tx.send(std::fs::read_to_string(pipe)));
    let out = sb.run(&["export", "--out", "pipe"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let kind = std::fs::symlink_metadata(path("pipe")).unwrap().file_type();
    assert!(kind.is_fifo(), "the named pipe was replaced by a file");
    let read = rx
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("the reader got the export")
        .unwrap();
    assert_eq!(read, golden);
}
