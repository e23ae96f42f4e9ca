//! What gets indexed: ids, titles, dates and cleaning of every seed; JSONL and front-matter
//! ingestion; forgiving reading of bad files; `show` and `docs`.

mod common;

use common::{SEEDS, Sandbox, stderr};

#[test]
fn every_seed_keeps_its_id_path_title_and_date() {
    let sb = Sandbox::with_seeds();
    sb.index(&["seeds"]);
    let docs = sb.docs().documents;
    let got: Vec<(&str, &str, &str, Option<&str>)> = docs
        .iter()
        .map(|d| {
            (
                d.doc.as_str(),
                d.path.as_str(),
                d.title.as_str(),
                d.date.as_deref(),
            )
        })
        .collect();
    let paths: Vec<String> = SEEDS.iter().map(|s| format!("seeds/{s}.txt")).collect();
    assert_eq!(
        got,
        vec![
            (
                SEEDS[0],
                paths[0].as_str(),
                "2014 Kunar Offensive",
                Some("2014-12")
            ),
            (
                SEEDS[1],
                paths[1].as_str(),
                "Pakistan claims killing dozens of Afghan-based ‘terrorists’ in recent operations",
                None
            ),
            (
                SEEDS[2],
                paths[2].as_str(),
                "Pakistan launches major anti-terror offensive, killing nearly 20 militants in northwest",
                Some("2025-01-07")
            ),
            (
                SEEDS[3],
                paths[3].as_str(),
                "US, Afghanistan have failed to intercept militants fleeing border: senior official",
                Some("2014-07-25")
            ),
            (
                SEEDS[4],
                paths[4].as_str(),
                "Escalating Tensions: Afghan Taliban Conducts Strikes Inside Pakistan Following Aerial Bombardments",
                Some("2024-12-29")
            ),
        ]
    );
    assert!(docs.iter().all(|d| d.passages >= 5));
}

#[test]
fn cleaning_keeps_chrome_and_comments_out_of_every_seed() {
    let sb = Sandbox::with_seeds();
    sb.index(&["seeds"]);
    // (seed, text that must not be searchable, removal reason that must hold it)
    let cases = [
        (SEEDS[0], "Infobox", "infobox label"),
        (SEEDS[1], "Pakistan claims killing dozens", "repeated title"),
        (SEEDS[2], "By Aghakazim Guliyev", "byline"),
        (
            SEEDS[3],
            "Professor | 8 years ago | Reply",
            "reader comments",
        ),
        (SEEDS[3], "Comments are moderated", "reader comments"),
        (SEEDS[3], "Web Desk July 25, 2014", "dateline"),
        (SEEDS[4], "Image created by AI", "media credit"),
        (SEEDS[4], "18 days ago", "relative time"),
        (SEEDS[4], "Leave a Comment", "page chrome"),
        (SEEDS[4], "Please enter email address.", "page chrome"),
    ];
    for (doc, gone, reason) in cases {
        let shown = sb.show(doc, true);
        assert!(!shown.passages.is_empty(), "{doc}");
        assert!(
            shown.passages.iter().all(|p| !p.text.contains(gone)),
            "{doc}: {gone:?} is still in a passage"
        );
        let removed = shown.removed.expect("--raw lists removals");
        assert!(
            removed
                .iter()
                .any(|r| r.reason == reason && r.text.contains(gone)),
            "{doc}: {gone:?} not removed as {reason}: {removed:?}"
        );
    }
    // Removed text is not searchable either.
    let (code, _) = sb.search_code(&["numbersnumbers"]);
    assert_eq!(code, 1);
    let (code, _) = sb.search_code(&["re-captcha"]);
    assert_eq!(code, 1);
}

#[test]
fn infobox_is_metadata_and_a_passage_and_headings_name_sections() {
    let sb = Sandbox::with_seeds();
    sb.index(&["seeds"]);
    let shown = sb.show(SEEDS[0], false);
    assert_eq!(shown.date.as_deref(), Some("2014-12"));
    assert_eq!(shown.date_precision.as_deref(), Some("month"));
    assert_eq!(shown.date_source.as_deref(), Some("infobox"));
    assert!(shown.infobox.contains(&(
        "Place".to_string(),
        "Dangam district, Kunar province, eastern Afghanistan".to_string()
    )));
    assert!(
        shown.passages[0]
            .text
            .starts_with("- Conflict: 2014 Kunar Offensive")
    );
    let sections: Vec<Option<&str>> = shown
        .passages
        .iter()
        .map(|p| p.section.as_deref())
        .collect();
    assert!(sections.contains(&Some("Background > Fazlullah's presence")));
    assert_eq!(sections.last().unwrap(), &Some("See also"));
    assert!(shown.removed.is_none(), "removals only with --raw");
    assert_eq!(
        shown.passages.iter().map(|p| p.passage).collect::<Vec<_>>(),
        (0..shown.passages.len() as u32).collect::<Vec<_>>()
    );
}

#[test]
fn front_matter_overrides_what_the_text_says() {
    let sb = Sandbox::empty();
    sb.fixture("front_matter.md", "articles/2023/miranshah.md");
    sb.index(&["articles"]);
    let shown = sb.show("2023/miranshah", false);
    assert_eq!(shown.title, "Drone strike reported near Miranshah");
    assert_eq!(shown.path, "articles/2023/miranshah.md");
    assert_eq!(shown.date.as_deref(), Some("2023-03-14"));
    assert_eq!(shown.date_source.as_deref(), Some("metadata"));
    assert!(!shown.passages.is_empty());
    assert!(shown.passages.iter().all(|p| !p.text.contains("title:")));
    let r = sb.search(&["miranshah drone"]);
    assert_eq!(r.hits[0].doc, "2023/miranshah");
    assert_eq!(
        r.hits[0].section.as_deref(),
        Some("A heading that is not the title")
    );
}

/// Numeric ids are kept as written: numbers beyond 64 bits are not rounded into one id (a
/// record lost as a "duplicate" of an id nobody wrote). A line of JSON that is not an object
/// is said as that.
#[test]
fn numeric_ids_are_kept_as_written() {
    let sb = Sandbox::empty();
    sb.write(
        "feed/big.jsonl",
        concat!(
            "{\"id\": 18446744073709551616, \"text\": \"A report from Bajaur.\"}\n",
            "{\"id\": 18446744073709551617, \"text\": \"A report from Kunar.\"}\n",
            "[1, 2, 3]\n",
            "{\"id\": 7, \"text\": \"A report from Khost.\"}\n",
        ),
    );
    let out = sb.run(&["index", "--json", "feed"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(!err.contains("duplicate"), "{err}");
    assert!(
        err.contains("feed/big.jsonl:3: not a JSON object but an array, skipped"),
        "{err}"
    );
    let docs = sb.docs().documents;
    let ids: Vec<&str> = docs.iter().map(|d| d.doc.as_str()).collect();
    assert_eq!(
        ids,
        vec!["18446744073709551616", "18446744073709551617", "7"]
    );
}

#[test]
fn jsonl_records_are_documents_and_bad_lines_are_reported() {
    let sb = Sandbox::empty();
    sb.fixture("records.jsonl", "feed/records.jsonl");
    let out = sb.run(&["index", "--json", "feed"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let summary: common::IndexOut = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((summary.added, summary.documents), (3, 3));
    let err = stderr(&out);
    assert!(
        err.contains("feed/records.jsonl:5: record rec-4 has no text"),
        "{err}"
    );
    assert!(err.contains("feed/records.jsonl:6: invalid JSON"), "{err}");
    let docs = sb.docs().documents;
    let ids: Vec<&str> = docs.iter().map(|d| d.doc.as_str()).collect();
    assert_eq!(ids, vec!["77", "rec-1", "rec-3"]);
    assert_eq!(docs[0].path, "feed/records.jsonl");
    assert_eq!(docs[0].title, "Floods close the Torkham crossing");
    assert_eq!(docs[1].date.as_deref(), Some("2022-08-02"));
    let r = sb.search(&["Torkham lorries"]);
    assert_eq!(r.hits[0].doc, "77");
    // A record without a title gets its first words.
    assert!(
        docs[2]
            .title
            .starts_with("Ceasefire talks resumed in Kabul")
    );
}

#[test]
fn gzip_jsonl_is_read_directly() {
    use std::io::Write;
    let sb = Sandbox::empty();
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(
        b"{\"id\":\"z1\",\"title\":\"Zipped\",\"text\":\"A compressed report from Khost.\"}\n",
    )
    .unwrap();
    sb.write("feed.jsonl.gz", enc.finish().unwrap());
    sb.index(&["feed.jsonl.gz"]);
    let r = sb.search(&["Khost"]);
    assert_eq!(r.hits[0].doc, "z1");
    assert_eq!(r.hits[0].path, "feed.jsonl.gz");
}

#[test]
fn bad_files_are_skipped_or_decoded_with_a_warning_and_never_stop_the_run() {
    let sb = Sandbox::with_seeds();
    sb.write(
        "seeds/latin1.txt",
        b"Caf\xe9 owners in Quetta\n\nCaf\xe9 owners in Quetta protested new taxes on Monday.",
    );
    sb.write("seeds/empty.txt", "");
    sb.write("seeds/blank.md", "\n\n   \n");
    sb.write("seeds/binary.txt", b"\x00\x01\x02PNG\x00");
    let out = sb.run(&["index", "--json", "seeds"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("seeds/latin1.txt: not valid UTF-8"), "{err}");
    assert!(
        err.contains("seeds/empty.txt: empty file, skipped"),
        "{err}"
    );
    assert!(err.contains("seeds/blank.md: empty file, skipped"), "{err}");
    assert!(
        err.contains("seeds/binary.txt: binary file, skipped"),
        "{err}"
    );
    let summary: common::IndexOut = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary.documents, 6);
    let r = sb.search(&["Quetta taxes"]);
    assert_eq!(r.hits[0].doc, "latin1");
    assert!(r.hits[0].text.contains("Caf\u{fffd} owners"));
}

#[cfg(unix)]
#[test]
fn unreadable_entries_are_reported_and_their_documents_kept() {
    let sb = Sandbox::with_seeds();
    sb.index(&["seeds"]);
    // A dangling link cannot be read even by root.
    std::os::unix::fs::symlink(sb.path("nowhere.txt"), sb.path("seeds/dangling.txt")).unwrap();
    let out = sb.run(&["index", "--json", "seeds"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("seeds/dangling.txt: cannot read"),
        "{}",
        stderr(&out)
    );
    let summary: common::IndexOut = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((summary.documents, summary.removed), (5, 0));
}

#[cfg(unix)]
#[test]
fn a_file_that_cannot_be_opened_keeps_its_indexed_document() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::with_seeds();
    sb.index(&["seeds"]);
    let victim = sb.path(&format!("seeds/{}.txt", SEEDS[2]));
    std::fs::set_permissions(&victim, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&victim).is_ok() {
        // Running as root: permissions do not stop reads, nothing to test here.
        return;
    }
    let out = sb.run(&["index", "--json", "seeds"]);
    std::fs::set_permissions(&victim, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("cannot read"));
    let summary: common::IndexOut = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((summary.documents, summary.removed), (5, 0));
}

#[test]
fn duplicate_ids_are_reported_not_merged() {
    let sb = Sandbox::empty();
    sb.write(
        "a/same.txt",
        "First\n\nThe first document about Zhob district and its markets.",
    );
    sb.write(
        "b/same.md",
        "Second\n\nThe second document about Chaman and the border fence.",
    );
    let out = sb.run(&["index", "--json", "a", "b"]);
    assert!(out.status.success());
    assert!(
        stderr(&out).contains(
            "b/same.md: duplicate document id \"same\" (first read from a/same.txt), skipped"
        ),
        "{}",
        stderr(&out)
    );
    let docs = sb.docs().documents;
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].title, "First");
    // Re-run: the first copy is recognised without being read; the second is still reported.
    let out = sb.run(&["index", "--json", "a", "b"]);
    let summary: common::IndexOut = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (summary.unchanged, summary.added, summary.documents),
        (1, 0, 1)
    );
    assert!(
        stderr(&out).contains(
            "b/same.md: duplicate document id \"same\" (first read from a/same.txt), skipped"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn show_suggests_a_close_id() {
    let sb = Sandbox::with_seeds();
    sb.index(&["seeds"]);
    let out = sb.run(&["show", "000_89de5a12d8fb28c"]);
    common::assert_error(&out, "did you mean 000_89de5a12d8fb28cf?");
    let out = sb.run(&["show", "000_89de5a12d8fb28cf"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("2014 Kunar Offensive\n"));
    assert!(text.contains("== Background > Peshawar school attack =="));
}
