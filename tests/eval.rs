//! `durand eval` through the real binary on a tiny judged collection whose metrics are worked
//! out by hand: BEIR and TREC formats, the TREC run file, and bad inputs.

mod common;

use common::{Sandbox, assert_error};
use serde::Deserialize;

/// Four documents, each the only one with its words.
const CORPUS: &str = r#"{"_id": "d1", "title": "Checkpoint attacked in Bajaur", "text": "Gunmen attacked a police checkpoint overnight, wounding three constables."}
{"_id": "d2", "title": "Floods close Torkham", "text": "Heavy rain stranded lorries carrying fruit to Peshawar."}
{"_id": "d3", "title": "Talks resume in Doha", "text": "Mediators from Qatar opened a second round of ceasefire negotiations."}
{"_id": "d4", "title": "Polio campaign extended", "text": "Vaccinators in Bannu will visit schools for another week."}
"#;

/// q1 finds its one relevant document first; q2's second relevant document is not in the
/// corpus; q3 has no judgments; q9 is judged but not asked.
const QUERIES: &str = r#"{"_id": "q1", "text": "lorries carrying fruit"}
{"_id": "q2", "text": "police checkpoint"}
{"_id": "q3", "text": "ceasefire"}
"#;
const QRELS: &str =
    "query-id\tcorpus-id\tscore\nq1\td2\t1\nq1\td4\t0\nq2\td1\t1\nq2\td9\t1\nq9\td3\t1\n";

// By hand: q1 has nDCG 1, AP 1, recall 1, RR 1. q2 ranks d1 first of two relevant documents:
// DCG 1, ideal DCG 1 + 1/log2(3), AP (1/1)/2, recall 1/2, RR 1.
fn q2_ndcg() -> f64 {
    1.0 / (1.0 + 1.0 / 3f64.log2())
}

#[derive(Debug, Deserialize)]
struct EvalOut {
    queries: usize,
    unjudged: usize,
    missing: usize,
    unindexed: usize,
    k: usize,
    ndcg_at_k: f64,
    map: f64,
    recall_at_100: f64,
    mrr_at_k: f64,
    doc_score: String,
    took_ms: u64,
}

fn sandbox() -> Sandbox {
    let sb = Sandbox::empty();
    sb.write("corpus.jsonl", CORPUS);
    sb.write("queries.jsonl", QUERIES);
    sb.write("qrels.tsv", QRELS);
    sb.index(&["corpus.jsonl"]);
    sb
}

fn eval(sb: &Sandbox, args: &[&str]) -> EvalOut {
    let mut all = vec!["eval", "--json"];
    all.extend_from_slice(args);
    let out = sb.run(&all);
    assert!(out.status.success(), "{}", common::stderr(&out));
    serde_json::from_slice(&out.stdout).expect("eval --json is JSON")
}

fn close(a: f64, b: f64) -> bool {
    // The report rounds to four decimals.
    (a - b).abs() < 1e-4
}

#[test]
fn metrics_match_the_hand_computed_values() {
    let sb = sandbox();
    let r = eval(&sb, &["--queries", "queries.jsonl", "--qrels", "qrels.tsv"]);
    assert_eq!((r.queries, r.unjudged, r.missing, r.k), (2, 1, 1, 10));
    assert_eq!(r.unindexed, 1, "d9 is judged but not in the corpus");
    assert!(close(r.ndcg_at_k, (1.0 + q2_ndcg()) / 2.0), "{r:?}");
    assert!(close(r.map, (1.0 + 0.5) / 2.0), "{r:?}");
    assert!(close(r.recall_at_100, (1.0 + 0.5) / 2.0), "{r:?}");
    assert!(close(r.mrr_at_k, 1.0), "{r:?}");
    assert_eq!(r.doc_score, "max-body");
    assert!(r.took_ms < 60_000);

    // Every way of scoring documents agrees on a collection this clear-cut.
    for how in ["max", "max-plus", "sum", "body"] {
        let other = eval(
            &sb,
            &[
                "--queries",
                "queries.jsonl",
                "--qrels",
                "qrels.tsv",
                "--doc-score",
                how,
            ],
        );
        assert_eq!(other.doc_score, how);
        assert!(close(other.ndcg_at_k, r.ndcg_at_k), "{how}: {other:?}");
    }
}

#[test]
fn trec_topics_and_qrels_give_the_same_figures() {
    let sb = sandbox();
    sb.write(
        "topics.tsv",
        "q1\tlorries carrying fruit\nq2\tpolice checkpoint\n",
    );
    sb.write("qrels.txt", "q1 0 d2 1\nq2 0 d1 1\nq2 0 d9 1\n");
    let r = eval(&sb, &["--queries", "topics.tsv", "--qrels", "qrels.txt"]);
    assert_eq!((r.queries, r.unjudged, r.missing), (2, 0, 0));
    assert!(close(r.ndcg_at_k, (1.0 + q2_ndcg()) / 2.0), "{r:?}");

    // At k = 1 only the first document counts: both queries put a relevant one there.
    let r = eval(
        &sb,
        &[
            "--queries",
            "topics.tsv",
            "--qrels",
            "qrels.txt",
            "--k",
            "1",
        ],
    );
    assert!(close(r.ndcg_at_k, 1.0) && close(r.mrr_at_k, 1.0), "{r:?}");
}

#[test]
fn run_file_is_trec_format() {
    let sb = sandbox();
    let eval_into = |run: &str| {
        sb.run(&[
            "eval",
            "--queries",
            "queries.jsonl",
            "--qrels",
            "qrels.tsv",
            "--run",
            run,
        ])
    };
    let out = eval_into("run.txt");
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert_eq!(
        common::stderr(&out).trim(),
        "durand: 1 relevant judged documents are not in the index at ./index; they count as not found"
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("2 judged queries"), "{text}");
    assert!(text.contains("nDCG@10"), "{text}");

    let run = std::fs::read_to_string(sb.path("run.txt")).unwrap();
    // Per query, in file order: (document, rank, score) rows.
    type Rows = Vec<(String, usize, f64)>;
    let mut per_query: Vec<(String, Rows)> = Vec::new();
    for line in run.lines() {
        let cols: Vec<&str> = line.split(' ').collect();
        assert_eq!(cols.len(), 6, "{line}");
        assert_eq!((cols[1], cols[5]), ("Q0", "durand"), "{line}");
        let entry = (
            cols[2].to_string(),
            cols[3].parse().unwrap(),
            cols[4].parse().unwrap(),
        );
        match per_query.last_mut() {
            Some((q, rows)) if q == cols[0] => rows.push(entry),
            _ => per_query.push((cols[0].to_string(), vec![entry])),
        }
    }
    let queries: Vec<&str> = per_query.iter().map(|(q, _)| q.as_str()).collect();
    assert_eq!(queries, ["q1", "q2"], "unjudged q3 is not run");
    for (q, rows) in &per_query {
        let ranks: Vec<usize> = rows.iter().map(|r| r.1).collect();
        assert_eq!(ranks, (1..=rows.len()).collect::<Vec<_>>(), "{q}");
        assert!(rows.windows(2).all(|w| w[0].2 >= w[1].2), "{q}: {rows:?}");
    }
    assert_eq!(per_query[0].1[0].0, "d2");
    assert_eq!(per_query[1].1[0].0, "d1");

    // A run that cannot be written names its file.
    if std::path::Path::new("/dev/full").exists() {
        let out = eval_into("/dev/full");
        assert_eq!(out.status.code(), Some(2));
        let err = common::stderr(&out);
        let last = err.lines().last().unwrap_or_default();
        assert!(
            last.starts_with("durand: writing /dev/full: No space left"),
            "{err}"
        );
    }
}

#[test]
fn a_query_with_nothing_to_search_for_scores_zero() {
    let sb = sandbox();
    sb.write("topics.tsv", "q1\tlorries carrying fruit\nq2\t?!\n");
    sb.write("qrels.txt", "q1 0 d2 1\nq2 0 d1 1\n");
    let r = eval(&sb, &["--queries", "topics.tsv", "--qrels", "qrels.txt"]);
    assert_eq!(r.queries, 2);
    assert!(close(r.ndcg_at_k, 0.5), "{r:?}");
}

#[test]
fn bad_inputs_are_clear_errors() {
    let sb = sandbox();
    let out = sb.run(&["eval", "--queries", "nope.jsonl", "--qrels", "qrels.tsv"]);
    assert_error(&out, "nope.jsonl");

    sb.write("bad.tsv", "q1\td2\t1\nq2\td1\n");
    let out = sb.run(&["eval", "--queries", "queries.jsonl", "--qrels", "bad.tsv"]);
    assert_error(&out, "bad.tsv:2: expected `query-id corpus-id score`");

    sb.write(
        "bad.jsonl",
        "{\"_id\": \"q1\", \"text\": \"fruit\"}\n{\"_id\": \"q2\"\n",
    );
    let out = sb.run(&["eval", "--queries", "bad.jsonl", "--qrels", "qrels.tsv"]);
    assert_error(&out, "bad.jsonl:2:");

    sb.write("other.tsv", "x1\td1\t1\n");
    let out = sb.run(&["eval", "--queries", "queries.jsonl", "--qrels", "other.tsv"]);
    assert_error(&out, "none of its queries has a relevant judgment");

    sb.write("elsewhere.tsv", "q1\tx1\t1\nq2\tx2\t1\n");
    let out = sb.run(&[
        "eval",
        "--queries",
        "queries.jsonl",
        "--qrels",
        "elsewhere.tsv",
    ]);
    assert_error(
        &out,
        "none of the 2 relevant judged documents is in the index at",
    );

    let out = sb.run(&[
        "--index",
        "nowhere",
        "eval",
        "--queries",
        "queries.jsonl",
        "--qrels",
        "qrels.tsv",
    ]);
    assert_error(&out, "no index at");

    sb.write("latin1.tsv", b"q1\td2\t1 \xe9\n");
    let out = sb.run(&[
        "eval",
        "--queries",
        "queries.jsonl",
        "--qrels",
        "latin1.tsv",
    ]);
    assert_error(&out, "latin1.tsv");
}

/// The same words in one passage or spread over three: the whole-document score is the same,
/// as if the document were indexed whole. A document with the words in fewer places scores
/// less, and a replaced version's words are gone.
#[test]
fn whole_document_scores_come_from_all_passages() {
    use durand::search::documents::DocumentScorer;

    let para =
        |w: &str| format!("The {w} report was filed by the district office on Monday morning.");
    let three = [para("flood"), para("drought"), para("harvest")];
    let records = [
        ("split", three.join("\\n\\n")),
        ("whole", three.join(" ")),
        ("fewer", format!("{} {}", para("flood"), para("locust"))),
    ];
    let jsonl: String = records
        .iter()
        .map(|(id, text)| {
            format!("{{\"_id\": \"{id}\", \"title\": \"Notes\", \"text\": \"{text}\"}}\n")
        })
        .collect();
    let sb = Sandbox::empty();
    sb.write("c.jsonl", &jsonl);
    sb.index(&["c.jsonl"]);
    let passages: Vec<(String, u32)> = sb
        .docs()
        .documents
        .into_iter()
        .map(|d| (d.doc, d.passages))
        .collect();
    assert!(passages.contains(&("split".into(), 3)), "{passages:?}");
    assert!(passages.contains(&("whole".into(), 1)), "{passages:?}");

    let score = |query: &str, all: bool| -> Vec<(String, f32)> {
        let index = durand::index::open(&sb.path("index")).unwrap();
        let scorer = DocumentScorer::new(&index).unwrap();
        let ranked = scorer.rank(query, all).unwrap();
        ranked
            .into_iter()
            .map(|(d, s)| (d.to_string(), s))
            .collect()
    };
    let r = score("drought harvest floods", false);
    let get = |id: &str| r.iter().find(|(d, _)| d == id).map(|(_, s)| *s);
    let (split, whole, fewer) = (
        get("split").unwrap(),
        get("whole").unwrap(),
        get("fewer").unwrap(),
    );
    assert!((split - whole).abs() < 1e-5, "{r:?}");
    assert!(fewer < split, "{r:?}");
    // Every word required: only the documents with all three.
    let ids: Vec<String> = score("drought harvest floods", true)
        .into_iter()
        .map(|(d, _)| d)
        .collect();
    assert_eq!(ids, ["split", "whole"]);
    // The title counts once, however many passages repeat it.
    let r = score("notes", false);
    let get = |id: &str| r.iter().find(|(d, _)| d == id).map(|(_, s)| *s);
    assert_eq!(r.len(), 3);
    assert!(
        (get("split").unwrap() - get("whole").unwrap()).abs() < 1e-5,
        "{r:?}"
    );

    // A new version replaces the old one's words and length.
    sb.write("c.jsonl", jsonl.replace("locust", "cyclone"));
    sb.index(&["c.jsonl"]);
    assert!(score("locust", false).is_empty());
    assert_eq!(score("cyclone", false).len(), 1);
}

/// Labels for the corpus above, set against what durand must find in it: d1 is right on its
/// province (Bajaur) and force (a police checkpoint there); d2's labeller put Torkham in Nangarhar, so its Khyber Pakhtunkhwa is
/// wrong and Nangarhar missed; d3's labeller saw a TTP the text does not name (missed); d4
/// (Bannu, with nothing saying Pakistan) has no province either way; d9 is not indexed.
const TAG_LABELS: &str = r#"{"id": "d1", "split": "dev", "provinces": {"Khyber Pakhtunkhwa": ["Bajaur"]}, "forces": {"police": ["police checkpoint"]}}
{"id": "d2", "split": "dev", "provinces": {"Nangarhar": ["Torkham"]}}
{"id": "d3", "split": "dev", "groups": {"TTP": ["militants"]}}
{"id": "d4", "split": "test", "provinces": {}}
{"id": "d9", "split": "dev", "provinces": {"Kunar": ["Asadabad"]}}
"#;

#[derive(Debug, Deserialize)]
struct TagEvalOut {
    documents: usize,
    missing: Vec<String>,
    split: Option<String>,
    kinds: std::collections::BTreeMap<String, ScoresOut>,
    mistakes: Vec<MistakeOut>,
}

#[derive(Debug, Deserialize)]
struct ScoresOut {
    true_positives: usize,
    false_positives: usize,
    false_negatives: usize,
    precision: Option<f64>,
    recall: Option<f64>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct MistakeOut {
    doc: String,
    kind: String,
    value: String,
    error: String,
    found: Vec<String>,
}

fn tag_eval(sb: &Sandbox, args: &[&str]) -> TagEvalOut {
    let mut all = vec!["eval", "--json", "--tags", "labels.jsonl"];
    all.extend_from_slice(args);
    let out = sb.run(&all);
    assert!(out.status.success(), "{}", common::stderr(&out));
    serde_json::from_slice(&out.stdout).expect("eval --tags --json is JSON")
}

#[test]
fn tag_labels_are_scored_per_kind_and_split() {
    let sb = sandbox();
    sb.write("labels.jsonl", TAG_LABELS);
    let all = tag_eval(&sb, &[]);
    assert_eq!((all.documents, all.missing.clone()), (4, vec!["d9".into()]));
    let p = &all.kinds["province"];
    assert_eq!(
        (p.true_positives, p.false_positives, p.false_negatives),
        (1, 1, 1)
    );
    assert!(close(p.precision.unwrap(), 0.5) && close(p.recall.unwrap(), 0.5));
    let g = &all.kinds["group"];
    assert_eq!((g.true_positives, g.false_negatives), (0, 1));
    assert!(close(g.recall.unwrap(), 0.0));
    // Nothing found: a precision over nothing is null, not 1.0.
    assert_eq!(g.precision, None);
    assert!(all.mistakes.contains(&MistakeOut {
        doc: "d2".into(),
        kind: "province".into(),
        value: "Nangarhar".into(),
        error: "missed".into(),
        found: vec!["Torkham".into()],
    }));
    assert!(all.mistakes.contains(&MistakeOut {
        doc: "d2".into(),
        kind: "province".into(),
        value: "Khyber Pakhtunkhwa".into(),
        error: "wrong".into(),
        found: vec!["Peshawar".into(), "Torkham".into()],
    }));

    // A split keeps its own documents only.
    let test = tag_eval(&sb, &["--split", "test"]);
    assert_eq!((test.documents, test.split.as_deref()), (1, Some("test")));
    let p = &test.kinds["province"];
    assert_eq!((p.true_positives, p.false_positives), (0, 0));

    // The terminal report lists the same mistakes.
    let out = sb.run(&["eval", "--tags", "labels.jsonl", "--color", "never"]);
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    assert!(text.contains("4 labelled documents"), "{text}");
    assert!(
        text.contains("missed  province       d2 Nangarhar — \"Torkham\""),
        "{text}"
    );
    assert!(common::stderr(&out).contains("1 labelled document is not in the index"));
    let f = &all.kinds["force"];
    assert_eq!((f.true_positives, f.false_positives), (1, 0));
}

/// A label whose value the tables do not know (a typo, a group durand has no name for) is
/// listed with the closest known name, in the split's documents only.
#[test]
fn labelled_values_the_tables_do_not_know_are_listed() {
    let sb = sandbox();
    sb.write(
        "labels.jsonl",
        r#"{"id": "d1", "split": "dev", "provinces": {"Khyber Pakhtunkwa": ["Bajaur"]}}
{"id": "d2", "split": "dev", "groups": {"Free Syrian Army": ["FSA"]}, "provinces": {"Nangarhar": ["Torkham"]}}
{"id": "d3", "split": "test", "provinces": {"Khyber Pakhtunkwa": ["Bannu"]}}
"#,
    );
    #[derive(Debug, Deserialize, PartialEq)]
    struct Unknown {
        kind: String,
        value: String,
        closest: Option<String>,
        docs: Vec<String>,
    }
    #[derive(Debug, Deserialize)]
    struct Out {
        unknown: Vec<Unknown>,
    }
    let run = |args: &[&str]| -> Out {
        let mut all = vec!["eval", "--json", "--tags", "labels.jsonl"];
        all.extend_from_slice(args);
        let out = sb.run(&all);
        assert!(out.status.success(), "{}", common::stderr(&out));
        serde_json::from_slice(&out.stdout).expect("JSON")
    };
    let unknown = |kind: &str, value: &str, closest: Option<&str>, docs: &[&str]| Unknown {
        kind: kind.into(),
        value: value.into(),
        closest: closest.map(str::to_string),
        docs: docs.iter().map(|d| d.to_string()).collect(),
    };
    assert_eq!(
        run(&["--split", "dev"]).unknown,
        vec![
            unknown(
                "province",
                "Khyber Pakhtunkwa",
                Some("Khyber Pakhtunkhwa"),
                &["d1"]
            ),
            unknown("group", "Free Syrian Army", None, &["d2"]),
        ]
    );
    assert_eq!(
        run(&[]).unknown[0],
        unknown(
            "province",
            "Khyber Pakhtunkwa",
            Some("Khyber Pakhtunkhwa"),
            &["d1", "d3"]
        )
    );
    let out = sb.run(&["eval", "--tags", "labels.jsonl", "--color", "never"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(
            "province       \"Khyber Pakhtunkwa\" (did you mean \"Khyber Pakhtunkhwa\"?) — d1, d3"
        ),
        "{text}"
    );
}

#[test]
fn bad_tag_labels_are_clear_errors() {
    let sb = sandbox();
    sb.write("labels.jsonl", "{\"id\": \"d1\"}\n{\"id\": \n");
    let out = sb.run(&["eval", "--tags", "labels.jsonl"]);
    assert_error(&out, "labels.jsonl:2:");

    sb.write(
        "labels.jsonl",
        "{\"id\": \"d1\", \"provinces\": [\"Kunar\"]}\n",
    );
    let out = sb.run(&["eval", "--tags", "labels.jsonl"]);
    assert_error(&out, "labels.jsonl:1:");

    sb.write("labels.jsonl", "{\"id\": \"x1\", \"split\": \"dev\"}\n");
    let out = sb.run(&["eval", "--tags", "labels.jsonl"]);
    assert_error(&out, "none of the labelled documents is in the index");
    sb.write("labels.jsonl", TAG_LABELS);
    let out = sb.run(&["eval", "--tags", "labels.jsonl", "--split", "train"]);
    assert_error(
        &out,
        "the labels hold no documents of split \"train\" to score",
    );

    let out = sb.run(&["eval", "--tags", "labels.jsonl", "--qrels", "qrels.tsv"]);
    assert_eq!(out.status.code(), Some(2));
    let out = sb.run(&["eval", "--tags", "nope.jsonl"]);
    assert_error(&out, "nope.jsonl");
    // A document labelled twice would count twice; a date that is none could never match.
    sb.write(
        "labels.jsonl",
        "{\"id\": \"d1\"}\n{\"id\": \"d2\"}\n{\"id\": \"d1\"}\n",
    );
    let out = sb.run(&["eval", "--tags", "labels.jsonl"]);
    assert_error(
        &out,
        "labels.jsonl:3: document \"d1\" is labelled twice (first on line 1)",
    );
    sb.write(
        "labels.jsonl",
        "{\"id\": \"d1\", \"date\": \"2023-02-30\"}\n",
    );
    let out = sb.run(&["eval", "--tags", "labels.jsonl"]);
    assert_error(&out, "labels.jsonl:1: \"2023-02-30\" is not a date");
}
