//! Searching the seeds through the real binary: ranking, query syntax, fallback, stemming,
//! possessives, highlights, output formats and exit codes.

mod common;

use std::io::Read;
use std::process::Stdio;

use common::{SEEDS, Sandbox};

fn indexed_seeds() -> Sandbox {
    let sb = Sandbox::with_seeds();
    let out = sb.index(&["seeds"]);
    assert_eq!(out.documents, 5);
    sb
}

#[test]
fn the_readme_query_finds_the_kunar_offensive() {
    let sb = indexed_seeds();
    let r = sb.search(&["hot pursuit"]);
    assert_eq!(r.mode, "all");
    assert!(!r.fallback);
    assert!(r.total_hits >= 2 && !r.hits.is_empty());
    for hit in &r.hits {
        assert_eq!(hit.doc, SEEDS[0]);
        assert_eq!(hit.title, "2014 Kunar Offensive");
        assert_eq!(hit.path, format!("seeds/{}.txt", SEEDS[0]));
        assert_eq!(
            hit.section.as_deref(),
            Some("Background > Pakistani pressure")
        );
        assert_eq!(hit.date.as_deref(), Some("2014-12"));
        let lit: Vec<String> = hit.highlighted().iter().map(|h| h.to_lowercase()).collect();
        assert!(lit.contains(&"hot".to_string()) && lit.contains(&"pursuit".to_string()));
    }
}

/// The README's `search --json` example shows what the binary prints on the seeds: every key
/// of the object and of its hit, in order, and the hit's place in its document.
/// The keys of JSON text, in the order written: the quoted names a colon follows (values
/// are never followed by one).
fn json_keys(text: &str) -> Vec<&str> {
    text.split('"')
        .collect::<Vec<_>>()
        .windows(2)
        .filter(|w| w[1].starts_with(':'))
        .map(|w| w[0])
        .collect()
}

#[test]
fn the_readme_json_example_is_what_search_prints() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let command = "$ durand search --json \"hammer and anvil\"\n";
    let start = readme.find(command).expect("the example is in the README") + command.len();
    let example = &readme[start..start + readme[start..].find("```").expect("its block ends")];
    let keys = json_keys(example);
    let sb = indexed_seeds();
    let out = sb.run(&["search", "--json", "hammer and anvil"]);
    assert_eq!(out.status.code(), Some(0));
    let printed = String::from_utf8(out.stdout).unwrap();
    let value: serde_json::Value = serde_json::from_str(&printed).unwrap();
    let hit = &value["hits"][0];
    assert_eq!(value["hits"].as_array().unwrap().len(), 1);
    // serde_json keeps the order keys were printed in only as text: read them from it.
    let printed_keys: Vec<&str> = json_keys(&printed)
        .into_iter()
        .filter(|k| {
            // The keys of the passage's own text are not keys (none has a colon after it).
            value.get(*k).is_some() || hit.get(*k).is_some()
        })
        .collect();
    assert_eq!(keys, printed_keys, "{printed}");
    for field in ["doc", "passage", "start", "end", "story", "score"] {
        let shown = format!("\"{field}\":{}", hit[field]);
        assert!(example.contains(&shown), "{shown} not in the README");
    }
}

#[test]
fn a_query_only_one_document_answers_puts_it_first() {
    let sb = indexed_seeds();
    for (query, doc) in [
        ("Fazlullah", SEEDS[0]),
        ("Centre for a New American Security", SEEDS[1]),
        ("Caliber.Az", SEEDS[2]),
        ("Washington Post", SEEDS[3]),
        ("Khowarazmi", SEEDS[4]),
    ] {
        let r = sb.search(&[query]);
        assert!(r.total_hits >= 1, "{query}");
        assert!(r.hits.iter().all(|h| h.doc == doc), "{query}: {:?}", r.hits);
    }
}

#[test]
fn phrases_need_adjacent_words_in_order() {
    let sb = indexed_seeds();
    let r = sb.search(&["\"hammer and anvil\""]);
    assert_eq!(r.total_hits, 1);
    assert_eq!(r.hits[0].doc, SEEDS[3]);
    assert_eq!(r.hits[0].highlighted(), vec!["hammer and anvil"]);
    let (code, r) = sb.search_code(&["\"anvil and hammer\""]);
    assert_eq!((code, r.total_hits), (1, 0));
}

#[test]
fn exclusion_removes_passages_with_the_word() {
    let sb = indexed_seeds();
    let all = sb.search(&["border", "--limit", "100"]);
    let without = sb.search(&["border -drone", "--limit", "100"]);
    assert!(without.total_hits > 0 && without.total_hits < all.total_hits);
    for hit in &without.hits {
        assert!(!hit.text.to_lowercase().contains("drone"), "{}", hit.text);
    }
    let only_negative = sb.search(&["--limit", "100", "--", "-border"]);
    assert!(only_negative.total_hits > 0);
    assert!(
        only_negative
            .hits
            .iter()
            .all(|h| !h.text.to_lowercase().contains("border"))
    );
}

#[test]
fn plus_or_and_grouping() {
    let sb = indexed_seeds();
    let r = sb.search(&["+Haqqani network"]);
    assert!(!r.hits.is_empty());
    assert!(r.hits.iter().all(|h| h.doc == SEEDS[3]));
    let r = sb.search(&["Khowarazmi OR Fazlullah", "--limit", "50"]);
    let docs: std::collections::BTreeSet<_> = r.hits.iter().map(|h| h.doc.as_str()).collect();
    assert_eq!(docs, [SEEDS[0], SEEDS[4]].into_iter().collect());
    let r = sb.search(&["(Khowarazmi OR Fazlullah) AND Pakistan", "--limit", "50"]);
    assert!(!r.hits.is_empty());
    assert!(r.hits.iter().all(|h| h.text.contains("Pakistan")));
}

#[test]
fn all_words_fall_back_to_any_word_and_say_so() {
    let sb = indexed_seeds();
    let out = sb.run(&["search", "--json", "Khowarazmi Fazlullah"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(common::stderr(&out).contains("no passage has all the words"));
    let r: common::SearchOut = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r.mode, "any");
    assert!(r.fallback);
    let docs: std::collections::BTreeSet<_> = r.hits.iter().map(|h| h.doc.as_str()).collect();
    assert_eq!(docs, [SEEDS[0], SEEDS[4]].into_iter().collect());

    let (code, r) = sb.search_code(&["--all", "Khowarazmi Fazlullah"]);
    assert_eq!((code, r.total_hits, r.mode.as_str()), (1, 0, "all"));
    let r = sb.search(&["--any", "Khowarazmi Fazlullah"]);
    assert_eq!(r.mode, "any");
    assert!(!r.fallback);
}

#[test]
fn the_fallback_keeps_required_words_required() {
    let sb = indexed_seeds();
    // No passage has both; "any word" still demands +Haqqani.
    let (code, r) = sb.search_code(&["--all", "drone +Haqqani"]);
    assert_eq!((code, r.total_hits), (1, 0));
    let r = sb.search(&["drone +Haqqani"]);
    assert!(r.fallback);
    assert!(!r.hits.is_empty());
    assert!(
        r.hits
            .iter()
            .all(|h| h.groups.iter().any(|g| g == "Haqqani network") && h.text.contains("Haqqani"))
    );
    // Nothing to fall back to: one word, or one word and exclusions.
    for q in ["Khowarazmiya -Kunar", "Khowarazmiya"] {
        let out = sb.run(&["search", "--json", q]);
        assert_eq!(out.status.code(), Some(1), "{q}");
        assert!(!common::stderr(&out).contains("no passage has all the words"));
    }
}

#[test]
fn date_fields_match_passages_only() {
    let sb = indexed_seeds();
    for q in ["date:2014-12", "year:2014", "year:2014 OR kunar"] {
        let r = sb.search(&[q, "--limit", "1000"]);
        assert!(r.total_hits > 0, "{q}");
        assert_eq!(r.total_hits, r.hits.len(), "{q}");
        assert!(
            r.hits
                .iter()
                .all(|h| !h.doc.is_empty() && !h.text.is_empty()),
            "{q}: a hit that is not a passage"
        );
    }
}

#[test]
fn stemming_finds_other_forms() {
    let sb = indexed_seeds();
    let r = sb.search(&["killings", "--limit", "100"]);
    let lit: Vec<String> = r
        .hits
        .iter()
        .flat_map(|h| h.highlighted())
        .map(str::to_lowercase)
        .collect();
    assert!(lit.iter().any(|w| w == "killed"), "{lit:?}");
    assert!(lit.iter().any(|w| w == "killings"), "{lit:?}");
}

#[test]
fn possessives_match_both_apostrophes() {
    let sb = indexed_seeds();
    let r = sb.search(&["Pakistan's", "--limit", "100"]);
    let lit: Vec<&str> = r.hits.iter().flat_map(|h| h.highlighted()).collect();
    assert!(lit.contains(&"Pakistan’s"), "{lit:?}");
    assert!(lit.contains(&"Pakistan's"), "{lit:?}");
    assert!(lit.contains(&"Pakistan"), "{lit:?}");
}

#[test]
fn words_close_together_rank_above_words_apart() {
    let sb = indexed_seeds();
    let r = sb.search(&["military operations", "--limit", "4"]);
    // 003 passage 12 says "military operations"; the others have both words, apart.
    assert!(
        r.hits[0].text.contains("military operations"),
        "{}",
        r.hits[0].text
    );
    assert_eq!(r.hits.len(), 4, "the others are there to be outranked");
    assert!(
        r.hits[1..]
            .iter()
            .all(|h| !h.text.contains("military operations"))
    );
}

#[test]
fn every_highlight_is_a_matched_word() {
    let sb = indexed_seeds();
    for (query, stem) in [
        ("strikes", "strike"),
        ("militant", "militant"),
        ("Waziri*", "waziri"),
    ] {
        let r = sb.search(&[query, "--limit", "100"]);
        assert!(r.total_hits > 0, "{query}");
        // A passage can match through its document's title alone, but those rank below every
        // passage that says the word itself.
        let said: Vec<bool> = r.hits.iter().map(|h| !h.highlights.is_empty()).collect();
        assert!(said[0], "{query}: {}", r.hits[0].snippet);
        assert!(said.windows(2).all(|w| w[0] || !w[1]), "{query}: {said:?}");
        for hit in &r.hits {
            for word in hit.highlighted() {
                assert!(word.to_lowercase().starts_with(stem), "{query}: {word}");
            }
        }
    }
}

#[test]
fn fields_restrict_where_words_match() {
    let sb = indexed_seeds();
    let r = sb.search(&["title:Kunar", "--limit", "100"]);
    assert!(!r.hits.is_empty());
    assert!(r.hits.iter().all(|h| h.doc == SEEDS[0]));
    let r = sb.search(&["section:\"Pakistani pressure\"", "--limit", "100"]);
    assert!(r.total_hits >= 3);
    assert!(
        r.hits
            .iter()
            .all(|h| h.section.as_deref() == Some("Background > Pakistani pressure"))
    );
    let r = sb.search(&["doc:003_a50a9388cdaa740f", "--limit", "100"]);
    assert!(r.total_hits > 5 && r.hits.iter().all(|h| h.doc == SEEDS[3]));
    let r = sb.search(&["date:2014 border", "--limit", "100"]);
    let docs: std::collections::BTreeSet<_> = r.hits.iter().map(|h| h.doc.as_str()).collect();
    assert_eq!(docs, [SEEDS[0], SEEDS[3]].into_iter().collect());
}

#[test]
fn limit_and_offset_page_through_the_ranking() {
    let sb = indexed_seeds();
    let all = sb.search(&["Pakistan", "--limit", "6"]);
    let page = sb.search(&["Pakistan", "--limit", "3", "--offset", "3"]);
    assert_eq!(page.hits.len(), 3);
    assert_eq!(page.total_hits, all.total_hits);
    for (a, b) in all.hits[3..].iter().zip(&page.hits) {
        assert_eq!((&a.doc, a.passage), (&b.doc, b.passage));
    }
    let count_only = sb.search(&["Pakistan", "--limit", "0"]);
    assert!(count_only.hits.is_empty() && count_only.total_hits == all.total_hits);
}

#[test]
fn terminal_output_colours_only_when_asked() {
    let sb = indexed_seeds();
    let plain = sb.run(&["search", "hot pursuit"]);
    let text = String::from_utf8(plain.stdout).unwrap();
    assert!(text.starts_with("1. 2014 Kunar Offensive\n"), "{text}");
    assert!(text.contains("passages (all words)"));
    assert!(!text.contains('\x1b'));
    let coloured = sb.run(&["search", "--color", "always", "hot pursuit"]);
    assert!(
        String::from_utf8(coloured.stdout)
            .unwrap()
            .contains("\x1b[")
    );
    let no_color = sb
        .cmd()
        .env("NO_COLOR", "1")
        .args(["search", "--color", "auto", "hot pursuit"])
        .output()
        .unwrap();
    assert!(!String::from_utf8(no_color.stdout).unwrap().contains('\x1b'));
}

#[test]
fn no_results_exit_with_one() {
    let sb = indexed_seeds();
    let out = sb.run(&["search", "xylophone"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("0 passages")
    );
}

#[test]
fn a_closed_pipe_ends_quietly_with_success() {
    let sb = Sandbox::empty();
    let lines: String = (0..1500)
        .map(|i| {
            format!(
                "{{\"id\":\"r{i}\",\"title\":\"Report {i}\",\"text\":\"Common words about the border crossing number {i}, repeated so every snippet is long enough to fill a line of output.\"}}\n"
            )
        })
        .collect();
    sb.write("big.jsonl", lines);
    sb.index(&["big.jsonl"]);
    // Text, and JSON (serialised straight into the pipe).
    for json in [false, true] {
        let mut args = vec!["search", "border crossing", "--limit", "1500"];
        if json {
            args.push("--json");
        }
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_durand"))
            .current_dir(sb.dir.path())
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 64];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        // stdout is dropped here, like `| head -c 64`.
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "json: {json}");
        assert!(
            out.stderr.is_empty(),
            "json: {json}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
