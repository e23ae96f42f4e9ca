//! Re-indexing touches only what changed: files added, changed, removed and renamed, lines
//! appended to JSONL, full rebuilds when asked, runs killed mid-rebuild, a second indexer
//! racing a real one, and `durand watch` following a folder.

mod common;

use std::time::{Duration, Instant};

use common::{SEEDS, Sandbox, assert_error, interrupt, lines_of, next_summary, spawn, stderr};

#[test]
fn add_change_remove_and_rename_touch_only_those_documents() {
    let sb = Sandbox::with_seeds();
    let first = sb.index(&["seeds"]);
    assert_eq!((first.added, first.documents), (5, 5));

    // Nothing changed.
    let again = sb.index(&[]);
    assert_eq!(
        (again.added, again.updated, again.removed, again.unchanged),
        (0, 0, 0, 5)
    );

    // Add one, change one, remove one.
    sb.write(
        "seeds/2025/bajaur.txt",
        "Curfew in Bajaur\n\nA curfew was imposed in Bajaur after overnight clashes with militants.",
    );
    let changed = sb.path(&format!("seeds/{}.txt", SEEDS[3]));
    let text = std::fs::read_to_string(&changed).unwrap();
    std::fs::write(
        &changed,
        text.replace("hammer and anvil", "hammer and sickle"),
    )
    .unwrap();
    std::fs::remove_file(sb.path(&format!("seeds/{}.txt", SEEDS[4]))).unwrap();
    let s = sb.index(&[]);
    assert_eq!((s.added, s.updated, s.removed, s.unchanged), (1, 1, 1, 3));
    assert_eq!(s.documents, 5);
    assert_eq!(sb.search(&["curfew Bajaur"]).hits[0].doc, "2025/bajaur");
    let (code, _) = sb.search_code(&["\"hammer and anvil\""]);
    assert_eq!(code, 1, "the old wording is gone");
    assert_eq!(sb.search(&["\"hammer and sickle\""]).hits[0].doc, SEEDS[3]);
    let (code, _) = sb.search_code(&["Khowarazmi"]);
    assert_eq!(code, 1, "the removed document is gone");

    // A rename is a removal and an addition (the id is the path).
    std::fs::rename(
        sb.path("seeds/2025/bajaur.txt"),
        sb.path("seeds/2025/bajaur-curfew.txt"),
    )
    .unwrap();
    let s = sb.index(&[]);
    assert_eq!((s.added, s.updated, s.removed, s.unchanged), (1, 0, 1, 4));
    assert_eq!(
        sb.search(&["curfew Bajaur"]).hits[0].doc,
        "2025/bajaur-curfew"
    );
}

#[test]
fn appending_to_a_jsonl_file_adds_only_the_new_lines() {
    let sb = Sandbox::empty();
    common::big_feed(&sb, "feed/news.jsonl", 300);
    let first = sb.index(&["feed"]);
    assert_eq!(first.added, 300);
    let mut text = std::fs::read_to_string(sb.path("feed/news.jsonl")).unwrap();
    text.push_str("{\"id\":\"late-1\",\"title\":\"Late\",\"text\":\"A late report about a jirga in Miranshah.\"}\n");
    text.push_str("{\"id\":\"late-2\",\"title\":\"Later\",\"text\":\"A later report about a polio drive in Bannu.\"}\n");
    sb.write("feed/news.jsonl", text.clone());
    let s = sb.index(&[]);
    assert_eq!((s.added, s.updated, s.removed, s.unchanged), (2, 0, 0, 300));
    assert_eq!(sb.search(&["jirga Miranshah"]).hits[0].doc, "late-1");

    // Editing one line in place updates just that record.
    sb.write(
        "feed/news.jsonl",
        text.replace("polio drive", "vaccination drive"),
    );
    let s = sb.index(&[]);
    assert_eq!((s.added, s.updated, s.removed, s.unchanged), (0, 1, 0, 301));
    assert_eq!(sb.search(&["vaccination Bannu"]).hits[0].doc, "late-2");

    // Deleting the first line removes that record; the ones below it moved up a line but
    // did not change.
    let text = std::fs::read_to_string(sb.path("feed/news.jsonl")).unwrap();
    let (_, rest) = text.split_once('\n').unwrap();
    sb.write("feed/news.jsonl", rest);
    let s = sb.index(&[]);
    assert_eq!((s.added, s.updated, s.removed, s.unchanged), (0, 0, 1, 301));
    let hit = &sb.search(&["vaccination Bannu"]).hits[0];
    assert_eq!(
        (hit.doc.as_str(), hit.path.as_str()),
        ("late-2", "feed/news.jsonl")
    );
}

#[test]
fn rebuild_starts_over_and_says_why() {
    let sb = Sandbox::with_seeds();
    sb.index(&["seeds"]);
    let out = sb.run(&["index", "--rebuild"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("rebuilt from scratch: --rebuild was given\nadded 5, updated 0, removed 0, unchanged 0 — 5 documents, 54 passages"), "{text}");
    // Only the new generation is left.
    let generations: Vec<_> = std::fs::read_dir(sb.path("index"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("gen-"))
        .collect();
    assert_eq!(generations.len(), 1);
    assert_eq!(
        std::fs::read_to_string(sb.path("index/CURRENT")).unwrap(),
        "gen-2\n"
    );
}

#[test]
fn json_summary_keys_and_quiet_stderr() {
    let sb = Sandbox::with_seeds();
    let out = sb.run(&["index", "--json", "seeds"]);
    assert!(
        out.stderr.is_empty(),
        "no progress or noise: {}",
        stderr(&out)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "added",
        "updated",
        "removed",
        "unchanged",
        "documents",
        "passages",
        "took_ms",
    ] {
        assert!(v.get(key).is_some_and(|x| x.is_u64()), "{key} in {v}");
    }
    assert_eq!(
        out.stdout.iter().filter(|&&b| b == b'\n').count(),
        1,
        "one JSON line"
    );
}

#[test]
fn killing_a_rebuild_keeps_the_old_generation_and_the_next_run_converges() {
    let sb = Sandbox::with_seeds();
    sb.index(&["seeds"]);
    common::big_feed(&sb, "feed/big.jsonl", 30_000);
    let mut child = spawn(&sb, &["index", "--rebuild", "--quiet", "seeds", "feed"]);
    std::thread::sleep(Duration::from_millis(800));
    assert!(child.try_wait().unwrap().is_none(), "killed part-way");
    child.kill().unwrap();
    child.wait().unwrap();
    // The half-built generation is not the current one.
    assert_eq!(
        std::fs::read_to_string(sb.path("index/CURRENT")).unwrap(),
        "gen-1\n"
    );
    assert_eq!(sb.docs().documents.len(), 5);
    assert_eq!(sb.search(&["hot pursuit"]).hits[0].doc, SEEDS[0]);
    // The next run removes the leftover and finishes.
    let s = sb.index(&["seeds", "feed"]);
    assert_eq!((s.documents, s.added, s.unchanged), (30_005, 30_000, 5));
}

#[test]
fn a_second_indexer_fails_at_once_while_the_first_runs_and_searches_answer() {
    let sb = Sandbox::with_seeds();
    sb.index(&["seeds"]);
    common::big_feed(&sb, "feed/big.jsonl", 30_000);
    let mut first = spawn(&sb, &["index", "--quiet", "seeds", "feed"]);
    // Wait until the first run holds the lock (it takes it before reading anything).
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let probe = std::fs::OpenOptions::new()
            .write(true)
            .open(sb.path("index/durand.lock"))
            .unwrap();
        match probe.try_lock() {
            Err(std::fs::TryLockError::WouldBlock) => break,
            _ => {
                drop(probe);
                assert!(
                    Instant::now() < deadline,
                    "the first run never took the lock"
                );
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
    let started = Instant::now();
    let out = sb.run(&["index", "seeds"]);
    assert_error(&out, "another `durand index` is already updating ./index");
    assert!(started.elapsed() < Duration::from_secs(10));
    // Searches keep answering from the last commit while the first run works.
    let r = sb.search(&["hot pursuit"]);
    assert_eq!(r.hits[0].doc, SEEDS[0]);
    let status = first.wait().unwrap();
    assert!(status.success());
    assert_eq!(sb.docs().documents.len(), 30_005);
}

#[cfg(unix)]
#[test]
fn watch_picks_up_new_changed_and_removed_files_and_stops_on_ctrl_c() {
    let sb = Sandbox::with_seeds();
    let mut child = spawn(&sb, &["watch", "--json", "--debounce", "200", "seeds"]);
    let rx = lines_of(&mut child);
    let first = next_summary(&rx);
    assert_eq!(first.added, 5);

    sb.write(
        "seeds/new.txt",
        "Jirga in Kurram\n\nElders met in Parachinar to end the land dispute in Kurram, Pakistan.",
    );
    let s = next_summary(&rx);
    assert_eq!((s.added, s.unchanged, s.documents), (1, 5, 6));
    assert_eq!(sb.search(&["jirga Parachinar"]).hits[0].doc, "new");

    std::fs::remove_file(sb.path("seeds/new.txt")).unwrap();
    let s = next_summary(&rx);
    assert_eq!((s.removed, s.documents), (1, 5));

    let err = interrupt(child);
    assert!(
        err.contains("watching seeds for changes") && err.contains("stopped"),
        "{err}"
    );
    // Reading files during a sync is not a change: no sync ran without a change.
    assert!(rx.try_recv().is_err());
}

#[test]
fn watch_follows_a_file_source_that_is_replaced_and_ignores_its_neighbours() {
    let sb = Sandbox::empty();
    let record = |id: &str, text: &str| format!("{{\"id\":\"{id}\",\"text\":\"{text}\"}}\n");
    sb.write("feed/news.jsonl", record("a", "Elders met in Parachinar."));
    let mut child = spawn(
        &sb,
        &["watch", "--json", "--debounce", "200", "feed/news.jsonl"],
    );
    let rx = lines_of(&mut child);
    assert_eq!(next_summary(&rx).added, 1);

    // Replaced the way editors save: a new file renamed over the old one.
    let two = record("a", "Elders met in Parachinar.") + &record("b", "A jirga in Bannu.");
    sb.write("feed/news.jsonl.tmp", &two);
    std::fs::rename(sb.path("feed/news.jsonl.tmp"), sb.path("feed/news.jsonl")).unwrap();
    let s = next_summary(&rx);
    assert_eq!((s.added, s.unchanged), (1, 1));

    // The watch survived the replacement.
    let three = two + &record("c", "Curfew in Miranshah.");
    sb.write("feed/news.jsonl", &three);
    let s = next_summary(&rx);
    assert_eq!((s.added, s.unchanged), (1, 2));

    // A neighbour in the same folder is not a source: no sync.
    sb.write(
        "feed/notes.txt",
        "Elders met in Kurram to talk about the road.",
    );
    std::thread::sleep(Duration::from_millis(1500));
    assert!(rx.try_recv().is_err());

    interrupt(child);
}

/// Naming sources makes them the index's sources: a source it had and this run leaves out
/// loses its documents, and the run says so and how to keep them.
#[test]
fn a_source_left_out_is_dropped_and_the_run_says_how_to_keep_it() {
    let sb = Sandbox::empty();
    sb.write("s1/x.txt", "One\n\nKunar one.");
    sb.write("s2/y.txt", "Two\n\nKunar two.");
    sb.index(&["s1"]);
    let out = sb.run(&["index", "--json", "s2"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (&v["removed"], &v["dropped_sources"]),
        (&1.into(), &serde_json::json!(["s1"]))
    );
    let err = common::stderr(&out);
    assert!(
        err.contains("s1 is no longer a source of this index")
            && err.contains("`durand index s1 s2`"),
        "{err}"
    );
    // Both named: nothing dropped, nothing said.
    let out = sb.run(&["index", "--json", "s1", "s2"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.get("dropped_sources").is_none(), "{v}");
    assert!(out.stderr.is_empty(), "{}", common::stderr(&out));
    assert_eq!(v["documents"], 2);
    // A source inside another, or given twice, is read once: no second copy under another
    // id, and it is not remembered apart.
    sb.write("s1/a/z.txt", "Three\n\nKunar three.");
    let out = sb.run(&["index", "--json", "s1", "s1/a", "s2", "./s1"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (&v["added"], &v["documents"]),
        (&1.into(), &3.into()),
        "{v}"
    );
    let err = common::stderr(&out);
    assert!(
        err.contains("s1/a: lies in s1, also a source: read once")
            && err.contains("s1: given twice"),
        "{err}"
    );
    let again = sb.index(&[]);
    assert_eq!((again.unchanged, again.documents), (3, 3));
    // Read under its own folder, a file gets the id that folder gives it, as a rebuild
    // would: not the one it had under the outer folder.
    sb.index(&["s1/a"]);
    let ids: Vec<String> = sb.docs().documents.into_iter().map(|d| d.doc).collect();
    assert_eq!(ids, vec!["z"]);
    // A JSONL record's id is its own: read under another folder, it is unchanged.
    sb.write(
        "s1/a/feed.jsonl",
        "{\"id\": \"r1\", \"text\": \"Kunar four.\"}\n",
    );
    sb.index(&["s1"]);
    // (z.txt takes the id s1/a gives it; x.txt, outside s1/a, goes.)
    let moved = sb.index(&["s1/a"]);
    assert_eq!(
        (moved.unchanged, moved.updated, moved.added, moved.removed),
        (1, 0, 1, 2),
        "{moved:?}"
    );
    std::fs::remove_file(sb.path("s1/a/feed.jsonl")).unwrap();
    // One of each is said so.
    let out = sb.run(&["index"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("— 1 document, 1 passage in"), "{text}");
}

/// A file reached twice through links (a linked folder inside a source, a link to a file)
/// is read once, where it lies without a link, with a warning for the other way in.
#[cfg(unix)]
#[test]
fn a_file_reached_through_links_is_read_once() {
    let sb = Sandbox::empty();
    sb.write("a/x.txt", "Alpha\n\nA Kunar story.");
    sb.write("c/y.txt", "Gamma\n\nA Miranshah story.");
    std::os::unix::fs::symlink("../c", sb.path("a/lc")).unwrap();
    std::os::unix::fs::symlink("../a/x.txt", sb.path("c/xl.txt")).unwrap();
    let out = sb.run(&["index", "--json", "a", "c"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("a/lc/y.txt: the same file as c/y.txt (through a link): read once"),
        "{err}"
    );
    let mut ids: Vec<String> = sb.docs().documents.into_iter().map(|d| d.doc).collect();
    ids.sort();
    assert_eq!(ids, vec!["x", "y"]);
    assert_eq!(sb.index(&[]).unchanged, 2);
}
