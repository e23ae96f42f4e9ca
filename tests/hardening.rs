//! What an adversarial user broke, each fixed and pinned here: huge numbers, huge documents, an
//! index damaged from outside (it heals on the next `durand index`), runs from another
//! folder, a watched folder deleted and re-created, another indexer holding the lock, feed
//! boilerplate, the any-word fallback ranking, and the smaller things.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::{Sandbox, SearchOut, assert_error, interrupt, lines_of, next_summary, spawn, stderr};

/// Asserts a one-line `durand:` error with exit code 2 (clap's usage line may follow).
fn assert_usage_error(out: &std::process::Output, needle: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.starts_with("durand: "), "{err}");
    assert!(err.contains(needle), "expected {needle:?} in {err}");
    assert!(err.lines().count() <= 2, "at most two lines: {err}");
    assert!(
        !err.contains("panicked") && !err.contains("error:"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn huge_numbers_are_refused_in_one_line_or_cut_to_what_the_index_holds() {
    let sb = Sandbox::with_seeds();
    sb.index(&["seeds"]);
    for args in [
        vec!["search", "--limit", "99999999999", "kunar"],
        vec!["search", "--offset", "4294967296", "kunar"],
        vec![
            "search",
            "--json",
            "--limit",
            "18446744073709551615",
            "kunar",
        ],
        vec!["index", "--threads", "100000"],
        vec!["index", "--threads", "0"],
        vec!["index", "--memory", "18446744073709551615"],
        vec!["index", "--max-document-mib", "0"],
        vec!["watch", "--debounce", "0"],
        vec!["bench", "--iterations", "18446744073709551615"],
        vec!["bench", "--warmup", "18446744073709551615"],
        vec![
            "eval",
            "--queries",
            "q",
            "--qrels",
            "r",
            "--k",
            "18446744073709551615",
        ],
        vec!["eval", "--queries", "q", "--qrels", "r", "--depth", "0"],
    ] {
        let out = sb.run(&args);
        assert_usage_error(&out, "invalid value");
        // The message names the range, whatever was wrong with the number.
        assert!(
            stderr(&out).contains(" is not in "),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    // Negative, beyond any integer type, or no number at all: the range is named too.
    for (args, needle) in [
        (
            vec!["search", "--limit", "-1", "kunar"],
            "-1 is not in 0..=10000000",
        ),
        (
            vec!["search", "--limit=-1", "kunar"],
            "-1 is not in 0..=10000000",
        ),
        (
            vec!["search", "-n", "99999999999999999999999", "kunar"],
            "99999999999999999999999 is not in 0..=10000000",
        ),
        (vec!["events", "--min-killed", "-5"], "-5 is not in 0..="),
        (
            vec!["search", "-n", "ten", "kunar"],
            "\"ten\" is not a whole number in 0..=",
        ),
        (
            vec!["eval", "--queries", "q", "--qrels", "r", "--weight", "-0.1"],
            "-0.1 is not in 0..=1",
        ),
        (
            vec!["search", "--from", "3000", "kunar"],
            "years 1000 to 2999",
        ),
    ] {
        assert_usage_error(&sb.run(&args), needle);
    }
    // "-0" is zero, not a negative number out of range.
    let (code, r) = sb.search_code(&["--offset", "-0", "kunar"]);
    assert_eq!((code, !r.hits.is_empty()), (0, true));
    // Within the stated range, a limit or offset beyond the index is cut, not allocated.
    let (code, r) = sb.search_code(&["--limit", "10000000", "kunar"]);
    assert_eq!(code, 0);
    assert_eq!(r.hits.len(), r.total_hits);
    let (code, r) = sb.search_code(&["--offset", "10000000", "kunar"]);
    assert_eq!((code, r.hits.len()), (0, 0));
    assert!(r.total_hits > 0);
    // At the terminal the empty page says why it is empty.
    let out = sb.run(&["search", "--offset", "10000000", "kunar"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("none of {} passages", r.total_hits))
            && text.contains("the page starts at 10000001, past the last"),
        "{text}"
    );
}

#[test]
fn usage_errors_are_one_durand_line_with_the_usage_below() {
    let sb = Sandbox::with_seeds();
    let out = sb.run(&["search", "--nope", "kunar"]);
    assert_usage_error(&out, "unexpected argument '--nope'");
    assert!(
        stderr(&out)
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("usage: durand search"),
        "{}",
        stderr(&out)
    );
    // A suggestion is no requirement: the usage below it is the command's own.
    let out = sb.run(&["similar", "x", "--hybrid"]);
    assert_usage_error(&out, "a similar argument exists: '--hyperlink'");
    assert_eq!(
        stderr(&out).lines().nth(1),
        Some("usage: durand similar [OPTIONS] <DOC> (see --help)")
    );
    let out = sb.run(&["search", "--all", "--any", "kunar"]);
    assert_usage_error(&out, "cannot be used with");
    let out = sb.run(&["frobnicate"]);
    assert_usage_error(&out, "unrecognized subcommand 'frobnicate'");
    // What clap says below its first line belongs to the message: what is missing, what
    // would have been valid.
    let out = sb.run(&["saved", "add", "name-only"]);
    assert_usage_error(
        &out,
        "the following required arguments were not provided: <QUERY>...",
    );
    let out = sb.run(&["search", "--sort", "sideways", "kunar"]);
    assert_usage_error(&out, "[possible values: relevance, date, -date]");
    // Help is still help.
    let out = sb.run(&["search", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("--limit"));
    // A command group without its command names its commands, not the whole help.
    let out = sb.run(&["saved"]);
    assert_usage_error(&out, "`durand saved` needs a command: add, list, rm");
    assert_eq!(
        stderr(&out).lines().nth(1),
        Some("usage: durand saved [OPTIONS] <COMMAND> (see --help)")
    );
    let out = sb.run(&[]);
    assert_usage_error(&out, "`durand` needs a command: index, watch, search");
    assert!(!stderr(&out).contains(", help"), "{}", stderr(&out));
}

/// The usage line says `durand` whatever the program file is called.
#[cfg(unix)]
#[test]
fn the_usage_line_names_durand_whatever_the_program_is_called() {
    let sb = Sandbox::empty();
    let link = sb.path("dur");
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_durand"), &link).unwrap();
    let run = |args: &[&str]| Command::new(&link).args(args).output().unwrap();
    for (args, usage) in [
        (
            &["similar", "x", "--bogus"][..],
            "usage: durand similar [OPTIONS] <DOC> (see --help)",
        ),
        (
            &["search"][..],
            "usage: durand search <QUERY>... (see --help)",
        ),
        (
            &["saved"][..],
            "usage: durand saved [OPTIONS] <COMMAND> (see --help)",
        ),
    ] {
        let out = run(args);
        assert_usage_error(&out, "");
        assert_eq!(stderr(&out).lines().nth(1), Some(usage), "{args:?}");
    }
}

#[test]
fn a_document_over_the_size_cap_is_cut_with_a_warning_and_re_indexed_when_the_cap_rises() {
    let sb = Sandbox::with_seeds();
    let sentence = "Elders met in Parachinar to end the land dispute in Kurram. ";
    let big = sentence.repeat((3 << 20) / sentence.len());
    sb.write("seeds/huge.txt", format!("A very long report\n\n{big}"));
    let out = sb.run(&["index", "--json", "--max-document-mib", "1", "seeds"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("seeds/huge.txt: 3.0 MiB of text; only the first 1.0 MiB are indexed"),
        "{err}"
    );
    let shown = sb.show("huge", false);
    let kept: usize = shown.passages.iter().map(|p| p.text.len()).sum();
    assert!(kept <= 1 << 20 && kept > 900_000, "{kept}");

    // The same cap again: nothing to do. A higher cap: exactly the cut document again.
    let again = sb.index(&["--max-document-mib", "1", "seeds"]);
    assert_eq!((again.updated, again.unchanged), (0, 6));
    let raised = sb.index(&["--max-document-mib", "8", "seeds"]);
    assert_eq!((raised.updated, raised.unchanged), (1, 5));
}

/// The generation folder `CURRENT` points at.
fn generation(sb: &Sandbox) -> std::path::PathBuf {
    let name = fs::read_to_string(sb.path("index/CURRENT")).unwrap();
    sb.path("index").join(name.trim())
}

/// The first file of the current generation with this extension.
fn segment_file(sb: &Sandbox, ext: &str) -> std::path::PathBuf {
    fs::read_dir(generation(sb))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == ext))
        .unwrap_or_else(|| panic!("a .{ext} file"))
}

/// Damages the index with `damage`, then checks that a bare `durand index` rebuilds it from
/// the sources it remembers and says why.
fn heals(damage: impl Fn(&Sandbox), why: &str) {
    let sb = Sandbox::with_seeds();
    sb.index(&["seeds"]);
    let before = sb.search(&["hot pursuit"]);
    damage(&sb);
    let healed = sb.index(&[]);
    let rebuilt = healed.rebuilt.clone().unwrap_or_default();
    assert!(rebuilt.contains(why), "{why}: {rebuilt:?}");
    assert_eq!((healed.added, healed.documents), (5, 5), "{why}");
    let after = sb.search(&["hot pursuit"]);
    assert_eq!(before.total_hits, after.total_hits, "{why}");
    assert_eq!(sb.docs().documents.len(), 5);
    // Healed means healthy: the next run has nothing to do.
    let next = sb.index(&[]);
    assert_eq!((next.unchanged, next.rebuilt), (5, None), "{why}");
}

#[test]
fn a_missing_or_truncated_segment_file_is_rebuilt_by_plain_durand_index() {
    heals(
        |sb| fs::remove_file(segment_file(sb, "store")).unwrap(),
        "store is missing",
    );
    heals(
        |sb| {
            let f = fs::OpenOptions::new()
                .write(true)
                .open(segment_file(sb, "idx"))
                .unwrap();
            f.set_len(10).unwrap();
        },
        "the index was damaged",
    );
}

#[test]
fn overwritten_bytes_in_a_store_file_are_noticed_by_the_next_index_run() {
    heals(
        |sb| {
            let path = segment_file(sb, "store");
            let mut bytes = fs::read(&path).unwrap();
            for b in bytes.iter_mut().skip(100).take(200) {
                *b = b'X';
            }
            fs::write(&path, bytes).unwrap();
        },
        "store failed its checksum",
    );
}

#[test]
fn losing_meta_json_current_or_the_generation_keeps_the_remembered_sources() {
    heals(
        |sb| fs::remove_file(generation(sb).join("meta.json")).unwrap(),
        "meta.json is missing",
    );
    heals(
        |sb| fs::remove_file(sb.path("index/CURRENT")).unwrap(),
        "CURRENT is missing",
    );
    heals(
        |sb| fs::remove_dir_all(generation(sb)).unwrap(),
        "is missing",
    );
    // A file where the generation folder was.
    heals(
        |sb| {
            let g = generation(sb);
            fs::remove_dir_all(&g).unwrap();
            fs::write(&g, "x").unwrap();
        },
        "could not be opened",
    );
}

/// A fresh clone's search builds the index from ./seeds when there is none; an index that
/// lost `CURRENT` still remembers its own sources and is reported damaged, never replaced
/// by the seeds.
#[test]
fn a_search_on_an_index_that_lost_current_is_damaged_not_built_from_the_seeds() {
    let sb = Sandbox::with_seeds();
    sb.write(
        "mine/raid.txt",
        "Raid in Bajaur\n\nSoldiers raided a compound in Bajaur district on Monday.\n",
    );
    sb.index(&["mine"]);
    fs::remove_file(sb.path("index/CURRENT")).unwrap();
    let out = sb.run(&["search", "kunar"]);
    assert_error(&out, "the index at ./index is damaged (CURRENT is missing)");
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    // Healed from its own source, not the seeds.
    let healed = sb.index(&[]);
    assert_eq!(healed.documents, 1);
    assert_eq!(sb.search(&["bajaur"]).total_hits, 1);
}

/// A first build with a file it cannot read says so once; there is no damaged index to
/// speak of.
#[test]
fn a_first_build_with_an_unreadable_file_warns_once() {
    let sb = Sandbox::empty();
    sb.write(
        "src/a.txt",
        "T\n\nBlast in Bajaur killed three soldiers, police said.\n",
    );
    std::os::unix::fs::symlink("/nonexistent/durand-test", sb.path("src/b.txt")).unwrap();
    let out = sb.run(&["index", "src"]);
    assert_eq!(out.status.code(), Some(0));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("src/b.txt: cannot read") && err.contains("skipped"),
        "{err}"
    );
}

/// Scraped pages carry soft hyphens (`&shy;`) and direction marks inside words; a feed
/// record may be one short line. Neither hides a word from search or tagging.
#[test]
fn invisible_characters_and_a_one_line_body_lose_no_words() {
    let sb = Sandbox::empty();
    sb.write(
        "s/a.txt",
        "Attack\n\nMili\u{AD}tants attacked a post in Baj\u{AD}aur district on Monday, \
         killing three soldiers, police said. The \u{200F}Taliban\u{200F} denied it.\n",
    );
    sb.write(
        "s/f.jsonl",
        r#"{"id":"r1","title":"Pakistan news","text":"Blast in Kurram kills three soldiers"}"#,
    );
    sb.index(&["s"]);
    for word in ["militants", "Bajaur", "Taliban"] {
        let hits = sb.search(&[word]);
        assert_eq!(hit_docs_of(&hits), vec!["a"], "{word}");
    }
    assert!(
        sb.show("a", false)
            .provinces
            .contains(&"Khyber Pakhtunkhwa".to_string())
    );
    assert_eq!(hit_docs_of(&sb.search(&["Kurram"])), vec!["r1"]);
    assert!(
        sb.show("r1", false)
            .provinces
            .contains(&"Khyber Pakhtunkhwa".to_string())
    );
}

/// The documents of a search's hits, each once.
fn hit_docs_of(out: &SearchOut) -> Vec<String> {
    let mut docs: Vec<String> = out.hits.iter().map(|h| h.doc.clone()).collect();
    docs.dedup();
    docs
}

#[test]
fn a_search_on_a_damaged_index_names_the_file_and_the_command_that_repairs_it() {
    let sb = Sandbox::with_seeds();
    sb.index(&["seeds"]);
    let pos = segment_file(&sb, "pos");
    fs::remove_file(&pos).unwrap();
    let out = sb.run(&["search", "kunar"]);
    let name = pos.file_name().unwrap().to_string_lossy().into_owned();
    assert_error(
        &out,
        &format!("the index at ./index is damaged ({name} is missing)"),
    );
    assert!(stderr(&out).contains("run `durand index --rebuild` to repair it"));
    assert_eq!(stderr(&out).lines().count(), 1);
    // The detail is there for who asks.
    let out = sb.run(&["--verbose", "search", "kunar"]);
    assert!(stderr(&out).lines().count() > 1, "{}", stderr(&out));
}

/// Damage tantivy reports in its own words ("Unsupported dictionary type", "Failed to lookup
/// Doc #254", "Invalid doc store version") or not at all (a posting naming a record past its
/// segment) is said the same way by every command that reads the index: one line that
/// names the damaged file and the repair.
#[test]
fn every_read_of_a_damaged_segment_names_the_file_and_the_repair() {
    let sb = Sandbox::with_seeds();
    sb.index(&["seeds"]);
    assert!(sb.run(&["saved", "add", "k", "kunar"]).status.success());
    let clean = sb.path("clean");
    copy_dir(&sb.path("index"), &clean);
    let doc = "000_89de5a12d8fb28cf";
    let every: &[&[&str]] = &[
        &["search", "kunar"],
        &["docs"],
        &["facets", "province"],
        &["show", doc],
        &["events"],
        &["timeline"],
        &["similar", doc],
        // (what is new for the saved search is read from the stored documents)
        &["alerts"],
    ];
    // (file, byte written, at the end rather than the start, the commands that meet it)
    let cases: [(&str, u8, bool, &[&[&str]]); 3] = [
        ("term", 0x00, false, &every[..7]),
        // Postings that name records past the segment's end: listed, and counted over time.
        ("idx", 0xFF, false, &[&["docs"], &["timeline"]]),
        ("store", b'X', true, every),
    ];
    for (ext, fill, at_end, commands) in cases {
        let _ = fs::remove_dir_all(sb.path("index"));
        copy_dir(&clean, &sb.path("index"));
        let path = segment_file(&sb, ext);
        let mut bytes = fs::read(&path).unwrap();
        let at = if at_end { bytes.len() - 200 } else { 0 };
        bytes[at..at + 200].fill(fill);
        fs::write(&path, bytes).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        for command in commands {
            let out = sb.run(command);
            let what = format!("{command:?} with .{ext} damaged");
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(2), "{what}: {err}");
            assert_eq!(err.lines().count(), 1, "{what}: {err}");
            assert!(
                err.starts_with(&format!("durand: the index at ./index is damaged ({name} ")),
                "{what}: {err}"
            );
            assert!(
                err.contains("— run `durand index --rebuild` to repair it"),
                "{what}: {err}"
            );
        }
    }
}

/// tantivy asserts on what it reads, so bytes overwritten inside a segment can panic deep in
/// a search; the command still ends in one `durand:` line that names the repair, and the
/// next `durand index` heals the index.
#[test]
fn bytes_overwritten_in_a_segment_end_in_one_line_never_a_panic() {
    let sb = Sandbox::with_seeds();
    sb.index(&["seeds"]);
    let clean = sb.path("clean");
    copy_dir(&sb.path("index"), &clean);
    for ext in ["fast", "idx", "fieldnorm"] {
        for fill in [0xFF_u8, 0x00, 0x7F] {
            for tenths in [1, 3, 5, 7, 9] {
                let _ = fs::remove_dir_all(sb.path("index"));
                copy_dir(&clean, &sb.path("index"));
                let path = segment_file(&sb, ext);
                let mut bytes = fs::read(&path).unwrap();
                let at = bytes.len() * tenths / 10;
                for b in bytes.iter_mut().skip(at).take(200) {
                    *b = fill;
                }
                fs::write(&path, bytes).unwrap();
                for command in [
                    &["facets", "province"][..],
                    &["search", "kunar"],
                    &["events"],
                ] {
                    // One line whatever RUST_BACKTRACE says (`--verbose` shows the panic).
                    let out = sb
                        .cmd()
                        .env("RUST_BACKTRACE", "1")
                        .args(command)
                        .output()
                        .unwrap();
                    let what = format!("{command:?} on .{ext} at {tenths}/10 with {fill:#x}");
                    let code = out.status.code();
                    assert!(
                        matches!(code, Some(0..=2)),
                        "{what}: {code:?} {}",
                        stderr(&out)
                    );
                    if code == Some(2) {
                        let err = stderr(&out);
                        assert_eq!(err.lines().count(), 1, "{what}: {err}");
                        assert!(err.starts_with("durand: "), "{what}: {err}");
                        assert!(err.contains("index --rebuild"), "{what}: {err}");
                        // Checked, not guessed: the damage is named.
                        assert!(
                            err.contains("is damaged") && !err.contains("internal error"),
                            "{what}: {err}"
                        );
                    }
                }
            }
        }
    }
    // The last damage heals.
    let healed = sb.index(&[]);
    assert!(healed.rebuilt.is_some(), "{healed:?}");
    assert!(!sb.search(&["kunar"]).hits.is_empty());
}

/// A panic caught while reading a damaged index is one line even where RUST_BACKTRACE is
/// set; `--verbose` shows it, with the backtrace RUST_BACKTRACE asks for.
#[test]
fn a_caught_panic_is_one_line_whatever_rust_backtrace_says() {
    let sb = Sandbox::with_seeds();
    sb.index(&["seeds"]);
    let path = segment_file(&sb, "idx");
    let mut bytes = fs::read(&path).unwrap();
    // Postings that name records past the segment's end: scoring them reads past the
    // field norms, where tantivy panics.
    bytes[..200].fill(0xFF);
    fs::write(&path, bytes).unwrap();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let run = |args: &[&str]| {
        sb.cmd()
            .env("RUST_BACKTRACE", "1")
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["show", "000_89de5a12d8fb28cf"]);
    assert_error(
        &out,
        &format!("the index at ./index is damaged ({name} failed its checksum)"),
    );
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    let out = run(&["--verbose", "show", "000_89de5a12d8fb28cf"]);
    let err = stderr(&out);
    assert!(
        err.starts_with("durand: the index at ./index is damaged"),
        "{err}"
    );
    assert!(err.contains("caused by: panicked: "), "{err}");
    assert!(err.contains("durand::app::run"), "a backtrace: {err}");
}

#[test]
fn runs_from_another_folder_recognise_every_file() {
    let sb = Sandbox::with_seeds();
    sb.index(&["seeds"]);
    let out = Command::new(env!("CARGO_BIN_EXE_durand"))
        .current_dir(sb.path("seeds"))
        .args(["--index", "../index", "index", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let s: common::IndexOut = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((s.unchanged, s.updated, s.added), (5, 0, 0));
    let abs = sb.path("seeds");
    let s = sb.index(&[abs.to_str().unwrap()]);
    assert_eq!((s.unchanged, s.updated), (5, 0));
    // Paths read the same whoever indexed them.
    assert_eq!(
        sb.docs().documents[0].path,
        "seeds/000_89de5a12d8fb28cf.txt"
    );
}

fn copy_seeds(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

#[cfg(unix)]
#[test]
fn a_watched_folder_deleted_and_re_created_is_followed_again() {
    let sb = Sandbox::with_seeds();
    copy_seeds(&sb.path("seeds"), &sb.path("backup"));
    sb.write(
        "extra/a.txt",
        "Curfew in Bannu\n\nA curfew was imposed in Bannu.",
    );
    let mut child = spawn(
        &sb,
        &["watch", "--json", "--debounce", "200", "seeds", "extra"],
    );
    let rx = lines_of(&mut child);
    assert_eq!(next_summary(&rx).added, 6);

    fs::remove_dir_all(sb.path("seeds")).unwrap();
    let s = next_summary(&rx);
    assert_eq!((s.removed, s.documents), (5, 1));
    // Another source changes while the folder is still missing: the run says nothing more
    // about the folder it already said was gone.
    sb.write(
        "extra/b.txt",
        "Curfew lifted in Bannu\n\nThe curfew in Bannu was lifted.",
    );
    let s = next_summary(&rx);
    assert_eq!((s.added, s.documents), (1, 2));

    copy_seeds(&sb.path("backup"), &sb.path("seeds"));
    sb.write(
        "seeds/new.txt",
        "Jirga in Kurram\n\nElders met in Parachinar to end the land dispute in Kurram, Pakistan.",
    );
    // However the events arrive, the index converges on the folder as it is now.
    let mut documents = 0;
    while documents != 8 {
        documents = next_summary(&rx).documents;
    }
    assert_eq!(sb.search(&["jirga Parachinar"]).hits[0].doc, "new");
    let err = interrupt(child);
    assert!(err.contains("is back"), "{err}");
    let gone = err.matches("does not exist (any more)").count();
    assert_eq!(gone, 1, "{err}");
    assert!(
        !err.lines().any(|l| l.contains("is gone")),
        "one message for a vanished folder: {err}"
    );
}

/// A watched folder deleted and made again at once (ext4 often gives the new one the old
/// one's inode number) is watched again: files written in it later are indexed too.
#[test]
fn a_watched_folder_re_created_at_once_is_watched_again() {
    let sb = Sandbox::with_seeds();
    let mut child = spawn(&sb, &["watch", "--json", "--debounce", "200", "seeds"]);
    let rx = lines_of(&mut child);
    assert_eq!(next_summary(&rx).added, 5);

    fs::remove_dir_all(sb.path("seeds")).unwrap();
    fs::create_dir(sb.path("seeds")).unwrap();
    sb.write(
        "seeds/b.txt",
        "Curfew in Bannu\n\nA curfew was imposed in Bannu.",
    );
    let mut documents = 0;
    while documents != 1 {
        documents = next_summary(&rx).documents;
    }
    // Later, in the new folder: only its own watch sees this.
    std::thread::sleep(Duration::from_secs(2));
    sb.write(
        "seeds/c.txt",
        "Jirga in Kurram\n\nElders met in Parachinar to end the land dispute in Kurram, Pakistan.",
    );
    while documents != 2 {
        documents = next_summary(&rx).documents;
    }
    assert_eq!(sb.search(&["jirga Parachinar"]).hits[0].doc, "c");
    interrupt(child);
}

#[test]
fn watch_says_a_remembered_source_is_gone_as_index_does() {
    let sb = Sandbox::with_seeds();
    sb.index(&["seeds"]);
    fs::rename(sb.path("seeds"), sb.path("moved")).unwrap();
    assert_error(&sb.run(&["watch"]), "source seeds does not exist");
}

#[cfg(unix)]
#[test]
fn watch_waits_for_another_indexer_and_once_fails_at_once() {
    let sb = Sandbox::with_seeds();
    sb.index(&["seeds"]);
    let lock = common::hold_index_lock(&sb);
    let out = sb.run(&["watch", "--once", "seeds"]);
    assert_error(&out, "another `durand index` is already updating ./index");

    let mut child = spawn(&sb, &["watch", "--json", "--debounce", "200", "seeds"]);
    let rx = lines_of(&mut child);
    std::thread::sleep(Duration::from_millis(1500));
    assert!(rx.try_recv().is_err(), "no sync while the lock is held");
    drop(lock);
    let first = next_summary(&rx);
    assert_eq!(first.unchanged, 5);
    // A change that changes nothing (the same bytes written again) prints nothing.
    let text = fs::read(sb.path("seeds/000_89de5a12d8fb28cf.txt")).unwrap();
    fs::write(sb.path("seeds/000_89de5a12d8fb28cf.txt"), text).unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        rx.try_recv().is_err(),
        "no summary for a sync that changed nothing"
    );
    let err = interrupt(child);
    assert!(err.contains("waiting for it"), "{err}");
}

#[test]
fn feed_boilerplate_leaves_the_text_and_is_kept_for_show_raw() {
    let sb = Sandbox::empty();
    sb.fixture("feed_chrome.jsonl", "feed/items.jsonl");
    sb.index(&["feed"]);
    let shown = sb.show("chrome-1", true);
    let text: String = shown.passages.iter().map(|p| p.text.as_str()).collect();
    assert!(
        text.ends_with("when gunmen opened fire at the vehicle."),
        "{text}"
    );
    let shown = sb.show("chrome-2", true);
    let text: String = shown.passages.iter().map(|p| p.text.as_str()).collect();
    assert!(!text.contains("appeared first on"), "{text}");
    let shown = sb.show("chrome-3", true);
    let text: String = shown.passages.iter().map(|p| p.text.as_str()).collect();
    assert!(!text.contains('<') && !text.contains("&amp;"), "{text}");
    assert!(text.contains("Pakistan & Afghanistan’s border"), "{text}");
    let reasons: Vec<&str> = shown
        .removed
        .as_ref()
        .expect("--raw lists what was removed")
        .iter()
        .map(|r| r.reason.as_str())
        .collect();
    assert!(reasons.contains(&"html markup"), "{reasons:?}");
    // The title is cleaned too.
    assert_eq!(shown.title, "Q&A: border talks");
}

#[test]
fn fallback_hits_with_more_of_the_words_come_first_and_say_how_many() {
    let sb = Sandbox::empty();
    sb.fixture("fallback.jsonl", "feed/items.jsonl");
    sb.index(&["feed"]);
    let out = sb.run(&["search", "--json", "Bajaur blast rally"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["fallback"], true);
    assert_eq!(r["words"], 3);
    // When no word is found at all, the answer is the all-words one, without any-word keys.
    let out = sb.run(&["search", "--json", "Zhobistan Qarakhel"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let none: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (&none["mode"], &none["fallback"]),
        (&"all".into(), &false.into())
    );
    assert!(none.get("words").is_none(), "{none}");
    let hits = r["hits"].as_array().unwrap();
    assert!(hits.len() >= 3);
    assert_eq!(hits[0]["doc"], "rally-bombing");
    assert_eq!(hits[0]["words_matched"], 2);
    let matched: Vec<u64> = hits
        .iter()
        .map(|h| h["words_matched"].as_u64().unwrap())
        .collect();
    assert!(matched.windows(2).all(|w| w[0] >= w[1]), "{matched:?}");
    // Shown scores are BM25's, not the word count's.
    assert!(hits[0]["score"].as_f64().unwrap() < 100.0);
    let text = sb.run(&["search", "--color", "never", "Bajaur blast rally"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("2 of 3 words"));
    // Four words or more rank by BM25 alone, but every hit still says how many of the words
    // it has (as the README says).
    let query = "Bajaur blast rally Zhobistan";
    let out = sb.run(&["search", "--json", query]);
    let long: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(long["fallback"], true, "{long}");
    assert_eq!(long["words"], 4, "{long}");
    let hits = long["hits"].as_array().unwrap();
    assert!(hits.len() >= 3, "{long}");
    let matched: Vec<u64> = hits
        .iter()
        .map(|h| h["words_matched"].as_u64().expect("a count on every hit"))
        .collect();
    assert!(matched.iter().all(|m| (1..=3).contains(m)), "{matched:?}");
    assert!(matched.contains(&2), "{matched:?}");
    // The scores are BM25's, with nothing taken off for a count that did not rank them.
    assert!(
        hits.iter()
            .all(|h| (0.0..100.0).contains(&h["score"].as_f64().unwrap())),
        "{long}"
    );
    let text = sb.run(&["search", "--color", "never", query]);
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    assert_eq!(text.matches(" of 4 words").count(), hits.len(), "{text}");
    // CSV has the count as a column, in the same order as the hits.
    let csv = sb.run(&["search", "--csv", query]);
    let mut reader = csv::Reader::from_reader(csv.stdout.as_slice());
    let at = reader
        .headers()
        .unwrap()
        .iter()
        .position(|c| c == "words_matched")
        .expect("a words_matched column");
    let cells: Vec<u64> = reader
        .records()
        .map(|r| r.unwrap()[at].parse().unwrap())
        .collect();
    assert_eq!(cells, matched);
    // A search that did not fall back has no such column.
    let csv = sb.run(&["search", "--csv", "Bajaur"]);
    assert!(!String::from_utf8_lossy(&csv.stdout).contains("words_matched"));
}

#[test]
fn an_empty_jsonl_file_is_skipped_with_a_warning() {
    let sb = Sandbox::with_seeds();
    sb.write("seeds/empty.jsonl", "\n\n");
    let out = sb.run(&["index", "seeds"]);
    assert!(out.status.success());
    assert!(
        stderr(&out).contains("durand: warning: seeds/empty.jsonl: empty file, skipped"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_region_filter_says_what_it_stands_for() {
    let sb = Sandbox::with_seeds();
    sb.index(&["seeds"]);
    let out = sb.run(&["search", "--province", "Waziristan", "taliban"]);
    assert_eq!(out.status.code(), Some(0));
    let err = stderr(&out);
    assert!(
        err.contains("--province Waziristan means all of Khyber Pakhtunkhwa")
            && err.contains("North Waziristan, South Waziristan"),
        "{err}"
    );
    // Every region the tables name as part of a unit says so, with narrower names or not.
    for region in [
        "FATA",
        "fata",
        "tribal areas",
        "Federally Administered Tribal Areas",
    ] {
        let out = sb.run(&["search", "--province", region, "pakistan"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(
            stderr(&out),
            format!("durand: --province {region} means all of Khyber Pakhtunkhwa\n")
        );
    }
    // A spelling or another name of the unit itself needs no note.
    for unit in ["konar", "KPK", "NWFP", "North-West Frontier Province"] {
        let out = sb.run(&["search", "--province", unit, "taliban"]);
        assert!(out.stderr.is_empty(), "{unit}: {}", stderr(&out));
    }
    // A batch says it per line (for the lines' own filters) or once (for the batch's).
    sb.write(
        "watchlist.txt",
        "ttp --province FATA\nkunar\ndrone --province Waziristan\n",
    );
    let out = sb.run(&["search", "--batch", "watchlist.txt"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("durand: watchlist.txt:1: --province FATA means all of Khyber Pakhtunkhwa\n")
            && err.contains("durand: watchlist.txt:3: --province Waziristan means all of"),
        "{err}"
    );
    sb.write("plain.txt", "ttp\nkunar\n");
    let out = sb.run(&[
        "search",
        "--batch",
        "plain.txt",
        "--province",
        "tribal areas",
    ]);
    assert_eq!(
        stderr(&out)
            .matches("--province tribal areas means all of")
            .count(),
        1,
        "{}",
        stderr(&out)
    );
    // So does a saved search, when it is saved.
    let out = sb.run(&["saved", "add", "fata", "ttp", "--province", "FATA"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--province FATA means all of Khyber Pakhtunkhwa"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_flood_of_the_same_warning_is_summarised() {
    let sb = Sandbox::with_seeds();
    for i in 0..40 {
        sb.write(&format!("seeds/bin/{i:02}.txt"), b"\0\0binary\0");
    }
    let out = sb.run(&["index", "seeds"]);
    assert!(out.status.success());
    let err = stderr(&out);
    let shown = err.matches("binary file, skipped").count();
    assert!(shown <= 6, "{err}");
    assert!(
        err.contains("and 35 more like that: binary file, skipped"),
        "{err}"
    );
}

#[test]
fn durand_s_own_files_of_the_index_are_never_silently_replaced() {
    let sb = Sandbox::with_seeds();
    sb.index(&["seeds"]);
    fs::write(generation(&sb).join("names.bin"), b"junk").unwrap();
    let out = sb.run(&["search", "Pakistani Taliban"]);
    assert_error(
        &out,
        "the index at ./index is damaged (names.bin is truncated)",
    );
    fs::write(generation(&sb).join("entities.tsv"), b"kind\tbad\n").unwrap();
    let out = sb.run(&["search", "--province", "Khyber Pakhtunkwa", "x"]);
    assert_eq!(out.status.code(), Some(2));
    heals(
        |sb| fs::write(generation(sb).join("names.bin"), b"junk").unwrap(),
        "names.bin is truncated",
    );
    heals(
        |sb| {
            let table = generation(sb).join("entities.tsv");
            let text = fs::read_to_string(&table).unwrap();
            fs::write(&table, text.replace("Kunar", "Kumar")).unwrap();
        },
        "entities.tsv was changed",
    );
    heals(
        |sb| fs::remove_file(generation(sb).join("entities.tsv")).unwrap(),
        "entities.tsv is missing",
    );
    // Damage is named as it is: bytes that are no text are not a missing file, a lost
    // names file is named, and so is a pointer that is no text.
    heals(
        |sb| overwrite_keeping_time(&generation(sb).join("entities.tsv"), 4),
        "entities.tsv does not read back",
    );
    heals(
        |sb| fs::remove_file(generation(sb).join("names.bin")).unwrap(),
        "names.bin is missing",
    );
    heals(
        |sb| fs::write(sb.path("index/CURRENT"), b"\xff\xfe").unwrap(),
        "CURRENT: stream did not contain valid UTF-8",
    );
}

/// Overwrites `len` bytes of `path` in the middle, keeping its size and modification time (so
/// only its content can tell).
fn overwrite_keeping_time(path: &Path, len: usize) {
    let modified = fs::metadata(path).unwrap().modified().unwrap();
    let mut bytes = fs::read(path).unwrap();
    let size = bytes.len();
    let mid = size / 3;
    bytes[mid..mid + len].fill(0xa5);
    fs::write(path, bytes).unwrap();
    let file = fs::OpenOptions::new().write(true).open(path).unwrap();
    file.set_modified(modified).unwrap();
    let after = fs::metadata(path).unwrap();
    assert_eq!(
        (after.len() as usize, after.modified().unwrap()),
        (size, modified)
    );
}

#[test]
fn a_names_file_overwritten_in_place_is_an_error_then_healed_never_a_panic() {
    let sb = Sandbox::with_seeds();
    sb.index(&["seeds"]);
    overwrite_keeping_time(&generation(&sb).join("names.bin"), 7);
    for args in [
        &["search", "Pakistani Taliban"][..],
        &["search", "--group", "ttp", "x"],
    ] {
        let out = sb.run(args);
        assert_error(
            &out,
            "the index at ./index is damaged (names.bin failed its checksum)",
        );
    }
    heals(
        |sb| overwrite_keeping_time(&generation(sb).join("names.bin"), 7),
        "names.bin failed its checksum",
    );
}

#[test]
fn a_copied_index_is_used_as_it_is_not_rebuilt() {
    let sb = Sandbox::with_seeds();
    sb.index(&["seeds"]);
    let before = sb.search(&["hot pursuit"]);
    // A copy gets new modification times on every file, durand's own among them.
    std::thread::sleep(std::time::Duration::from_millis(20));
    copy_dir(&sb.path("index"), &sb.path("copy"));
    let again = sb.index(&["--index", "copy"]);
    assert_eq!((again.unchanged, again.rebuilt), (5, None));
    let after = sb.search(&["--index", "copy", "hot pursuit"]);
    assert_eq!(before.total_hits, after.total_hits);
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn an_index_path_that_is_a_file_is_said_to_be_one() {
    let sb = Sandbox::with_seeds();
    fs::write(sb.path("afile"), b"").unwrap();
    for args in [
        &["--index", "afile", "search", "kunar"][..],
        &["--index", "afile", "index", "seeds"],
        &["--index", "afile", "index", "--rebuild", "seeds"],
        &["--index", "afile", "saved", "rm", "x"],
        &["--index", "afile", "saved", "list"],
        &["--index", "afile", "alerts"],
        &["--index", "afile", "watch", "--once", "seeds"],
    ] {
        let out = sb.run(args);
        assert_error(&out, "./afile is a file, not an index folder");
        // A folder inside the file, too.
        let inside: Vec<&str> = args
            .iter()
            .map(|a| if *a == "afile" { "afile/sub" } else { a })
            .collect();
        assert_error(&sb.run(&inside), "./afile is a file, not an index folder");
    }
    assert_eq!(fs::read(sb.path("afile")).unwrap(), b"");
}

fn durand(sb: &Sandbox) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_durand"));
    cmd.current_dir(sb.path("."));
    cmd
}

/// Output that cannot be written (a full disk) is one `durand:` line and exit 2 for every
/// kind of output, the generated ones too; a closed pipe ends quietly.
#[cfg(target_os = "linux")]
#[test]
fn output_that_cannot_be_written_is_one_line_never_a_panic() {
    let sb = Sandbox::with_seeds();
    for args in [
        &["completions", "bash"][..],
        &["man", "search"],
        &["--help"],
        &["search", "--help"],
    ] {
        let full = fs::File::create("/dev/full").unwrap();
        let out = durand(&sb).args(args).stdout(full).output().unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(
            err.starts_with("durand: ")
                && err.contains("No space left")
                && !err.contains("internal"),
            "{args:?}: {err}"
        );
    }
    // durand's own output says it was standard output that could not be written.
    sb.index(&["seeds"]);
    for args in [
        &["search", "kunar"][..],
        &["--color", "never", "docs"],
        &["export"],
        &["facets", "--json"],
    ] {
        let full = fs::File::create("/dev/full").unwrap();
        let out = durand(&sb).args(args).stdout(full).output().unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(
            err.trim_end(),
            "durand: writing to standard output: No space left on device (os error 28)",
            "{args:?}"
        );
    }
    // A reader that stops at once: no message, success.
    let mut child = durand(&sb)
        .args(["completions", "zsh"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
}

/// A rebuild starts from nothing: one that could not read a file would drop what the index
/// held from it. It refuses in one line and leaves the index as it was; once the file reads
/// again, the rebuild goes through.
#[test]
fn a_rebuild_that_cannot_read_a_file_keeps_the_index_it_would_replace() {
    use std::io::Write as _;
    let sb = Sandbox::empty();
    // Words that do not compress away, so that a cut file really loses records.
    let mut seed = 7u64;
    let mut word = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        format!("w{:x}", seed >> 40)
    };
    let mut lines = String::new();
    for i in 0..40 {
        let text: Vec<String> = (0..200).map(|_| word()).collect();
        lines.push_str(&format!(
            "{{\"id\": \"r{i}\", \"title\": \"Report {i} from Kunar\", \"text\": \"Kunar {}\"}}\n",
            text.join(" ")
        ));
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(lines.as_bytes()).unwrap();
    let whole = gz.finish().unwrap();
    fs::create_dir_all(sb.path("feed")).unwrap();
    fs::write(sb.path("feed/items.jsonl.gz"), &whole).unwrap();
    assert_eq!(sb.index(&["feed"]).documents, 40);
    fs::write(sb.path("feed/items.jsonl.gz"), &whole[..whole.len() / 2]).unwrap();
    // An ordinary run keeps what it cannot read.
    assert_eq!(sb.index(&[]).documents, 40);
    let out = sb.run(&["index", "--rebuild"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    let last = err.lines().last().unwrap_or_default();
    assert!(
        last.contains("not rebuilt: feed/items.jsonl.gz cannot be read")
            && last.contains("the index is as it was"),
        "{err}"
    );
    assert_eq!(sb.docs().documents.len(), 40);
    // A damaged index cannot say what it held: the rebuild goes on, and says what it lacks.
    fs::remove_file(segment_file(&sb, "idx")).unwrap();
    let out = sb.run(&["index", "--json"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains(
            "feed/items.jsonl.gz: the damaged index being replaced cannot say what it held"
        ),
        "{err}"
    );
    fs::write(sb.path("feed/items.jsonl.gz"), &whole).unwrap();
    let rebuilt = sb.index(&["--rebuild"]);
    assert_eq!((rebuilt.added, rebuilt.documents), (40, 40));
}

/// Escape sequences, bells and NULs in a source never reach the terminal: the cleaner makes
/// each control character a space, in the text and in the title.
#[test]
fn control_characters_in_sources_never_reach_the_terminal() {
    let sb = Sandbox::empty();
    sb.write(
        "feed/items.jsonl",
        "{\"id\": \"evil\", \"title\": \"Kunar evil\\u001b]0;PWNED\\u0007\", \"text\": \"A post\\u0000 in Kunar\\u001b[2J was attacked.\\u009b31m\"}\n",
    );
    sb.index(&["feed"]);
    for args in [
        &["--color", "never", "search", "kunar"][..],
        &["--color", "always", "search", "kunar"],
        &["--color", "never", "show", "evil"],
        &["--color", "never", "docs"],
    ] {
        let out = sb.run(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        let text = String::from_utf8(out.stdout).unwrap();
        // --color always writes its own SGR sequences ("\x1b[…m") and nothing else.
        let foreign = text.split('\u{1b}').skip(1).any(|rest| {
            !rest.starts_with('[')
                || !rest[1..]
                    .split('m')
                    .next()
                    .unwrap_or("x")
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == ';')
        });
        assert!(!foreign, "{args:?}: {text:?}");
        assert!(
            !text.chars().any(|c| matches!(c, '\0' | '\u{7}' | '\u{9b}')),
            "{args:?}: {text:?}"
        );
        if args.contains(&"never") {
            assert!(!text.contains('\u{1b}'), "{args:?}: {text:?}");
        }
    }
    // Ids, file names and sources are not cleaned (they name things); the terminal shows
    // their control characters as � and so do warnings.
    let sb = Sandbox::empty();
    sb.write(
        "feed/items.jsonl",
        "{\"id\": \"c1\\u001b[31m\", \"title\": \"t\", \"text\": \"Kunar\", \"source\": \"S\\u001b[1m\"}\n{\"id\": \"c1\\u001b[31m\", \"title\": \"t\", \"text\": \"Kunar\"}\n",
    );
    sb.write("feed/f\u{1b}[31mred\u{7}.txt", "Kunar x\n\nKunar post.");
    let out = sb.run(&["index", "feed"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("duplicate document id") && !err.contains('\u{1b}'),
        "{err:?}"
    );
    for args in [
        &["--color", "never", "search", "kunar"][..],
        &[
            "--color",
            "always",
            "--hyperlink",
            "always",
            "search",
            "kunar",
        ],
        &["--color", "never", "docs"],
        &["--color", "never", "show", "c1\u{1b}[31m"],
    ] {
        let out = sb.run(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains('\u{FFFD}'), "{args:?}: {text:?}");
        assert!(!text.contains('\u{7}'), "{args:?}: {text:?}");
        // Only durand's own sequences: colours (ESC [ … m) and links (ESC ] 8 ; ; … ESC \\).
        for rest in text.split('\u{1b}').skip(1) {
            let own = rest.starts_with("]8;;")
                || rest.starts_with('\\')
                || (rest.starts_with('[')
                    && rest[1..]
                        .split('m')
                        .next()
                        .is_some_and(|p| p.chars().all(|c| c.is_ascii_digit() || c == ';')));
            assert!(own, "{args:?}: {text:?}");
        }
    }
    // What the terminal shows is what a user copies: the shown id finds the document.
    let out = sb.run(&["--color", "never", "show", "c1\u{FFFD}[31m"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = sb.run(&["similar", "c1\u{FFFD}[31m"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    // A line break in a file name keeps the table one line per document.
    #[cfg(unix)]
    {
        sb.write("feed/new\nline.txt", "Kunar y\n\nKunar road.");
        let out = sb.run(&["index", "feed"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let table = String::from_utf8(sb.run(&["--color", "never", "docs"]).stdout).unwrap();
        assert!(table.contains("new\u{FFFD}line"), "{table:?}");
        assert!(table.lines().all(|l| !l.starts_with("line")), "{table:?}");
        // Two ids shown alike: which one is not guessed.
        sb.write("feed/a\tb.txt", "Kunar z\n\nKunar bridge.");
        sb.write("feed/a\u{7}b.txt", "Kunar w\n\nKunar river.");
        assert!(sb.run(&["index", "feed"]).status.success());
        assert_error(
            &sb.run(&["show", "a\u{FFFD}b"]),
            "2 documents have ids shown as",
        );
        // An id written decomposed (a macOS file name: "e" and an accent) is found typed
        // composed, and the other way round.
        sb.write("feed/cafe\u{301}.txt", "Kunar cafe\n\nA cafe in Kunar.");
        sb.write("feed/th\u{e9}.txt", "Kunar tea\n\nTea in Kunar.");
        assert!(sb.run(&["index", "feed"]).status.success());
        for typed in ["caf\u{e9}", "the\u{301}"] {
            let out = sb.run(&["--color", "never", "show", typed]);
            assert_eq!(out.status.code(), Some(0), "{typed:?}: {}", stderr(&out));
        }
    }
}

/// An index may be searched by whoever may read it: its owner on a read-only copy, or
/// another user. tantivy's lock file for readers cannot be made there (nobody can write
/// either), and its two metadata files follow the umask like the rest.
#[cfg(unix)]
#[test]
fn an_index_that_may_be_read_but_not_written_is_searched() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::with_seeds();
    sb.index(&["seeds"]);
    let generation = generation(&sb);
    let mode = |name: &str| {
        fs::metadata(generation.join(name))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    for name in ["meta.json", ".managed.json"] {
        assert_eq!(mode(name), mode("entities.tsv"), "{name}");
    }
    // Read-only for everyone (root ignores modes: then the search runs as `nobody`).
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let readable = |path: &Path, dir: bool| {
        let m = if dir { 0o555 } else { 0o444 };
        fs::set_permissions(path, fs::Permissions::from_mode(m)).unwrap();
    };
    for entry in walkdir::WalkDir::new(sb.path("index")).contents_first(true) {
        let entry = entry.unwrap();
        readable(entry.path(), entry.file_type().is_dir());
    }
    readable(&sb.path("."), true);
    let mut cmd = if root {
        let mut c = Command::new("runuser");
        c.args(["-u", "nobody", "--", env!("CARGO_BIN_EXE_durand")]);
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_durand"))
    };
    let out = cmd
        .current_dir(sb.path("."))
        .args(["--index", &sb.path("index").display().to_string()])
        .args(["search", "--json", "hot pursuit"])
        .output();
    // Writable again, so that the sandbox can be removed.
    for entry in walkdir::WalkDir::new(sb.path(".")) {
        let entry = entry.unwrap();
        let m = if entry.file_type().is_dir() {
            0o755
        } else {
            0o644
        };
        fs::set_permissions(entry.path(), fs::Permissions::from_mode(m)).unwrap();
    }
    let out = match out {
        Ok(out) if !(root && stderr(&out).contains("runuser")) => out,
        // No way to be another user here: the modes were checked above.
        other => {
            eprintln!("skipped the read as another user: {other:?}");
            return;
        }
    };
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["total_hits"], 2, "{v}");
}

/// What a second adversarial pass found, each in one line that names the real cause: an
/// export aimed into the index (its own files) or at a folder, an index path that is a
/// dangling or looping link, `saved rm` where there is no index, an environment variable's
/// bad value named as the variable (an empty one is unset), `man --out` at a file, two
/// operators in a row, a label file with no labels; a source dropped by a run from another
/// folder is named as a path from there; a name given twice to `alerts` is shown once; a
/// search during an index's first build says it is being built; a bidirectional override in
/// a title is not printed.
#[cfg(unix)]
#[test]
fn a_second_adversarial_pass_gets_true_one_line_answers() {
    let sb = Sandbox::with_seeds();
    // On first use the export builds the index from the seeds, then still refuses to write
    // over its files.
    assert_error(
        &sb.run(&["export", "--out", "index/durand.json"]),
        "lies inside the index at ./index",
    );
    assert_eq!(sb.search(&["hot pursuit"]).total_hits, 2);
    sb.index(&["seeds"]);
    let meta = generation(&sb).join("meta.json");
    let meta = meta
        .strip_prefix(sb.path("."))
        .unwrap()
        .display()
        .to_string();
    for out in ["index/durand.json", meta.as_str()] {
        let run = sb.run(&["export", "--out", out]);
        assert_error(&run, "lies inside the index at ./index");
    }
    assert_eq!(sb.search(&["hot pursuit"]).total_hits, 2);
    fs::create_dir(sb.path("folder")).unwrap();
    assert_error(
        &sb.run(&["export", "--out", "folder/"]),
        "--out folder/ is a folder",
    );

    std::os::unix::fs::symlink("nowhere", sb.path("dangling")).unwrap();
    std::os::unix::fs::symlink("loop2", sb.path("loop1")).unwrap();
    std::os::unix::fs::symlink("loop1", sb.path("loop2")).unwrap();
    for args in [
        &["--index", "dangling", "search", "x"][..],
        &["--index", "dangling", "index", "seeds"],
    ] {
        assert_error(
            &sb.run(args),
            "./dangling is a symbolic link to nowhere, which does not exist",
        );
    }
    assert_error(
        &sb.run(&["--index", "loop1", "search", "x"]),
        "./loop1 is a symbolic link that cannot be followed",
    );

    assert_error(
        &sb.run(&["--index", "nothere", "saved", "rm", "x"]),
        "no index at ./nothere",
    );
    assert!(!sb.path("nothere").exists());

    let out = sb
        .cmd()
        .env("DURAND_HYPERLINK", "bogus")
        .args(["search", "kabul"])
        .output()
        .unwrap();
    assert_usage_error(&out, "$DURAND_HYPERLINK (standing for --hyperlink)");
    for given in [
        &["search", "--hyperlink=bogus", "x"][..],
        &["--hyperlink", "bogus", "search", "x"],
    ] {
        let out = sb
            .cmd()
            .env("DURAND_HYPERLINK", "never")
            .args(given)
            .output()
            .unwrap();
        assert_usage_error(&out, "invalid value 'bogus' for '--hyperlink <WHEN>'");
        assert!(!stderr(&out).contains("$DURAND"), "{}", stderr(&out));
    }
    let out = sb
        .cmd()
        .env("DURAND_INDEX", "")
        .args(["search", "--json", "hot pursuit"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    for threads in ["0", "100000", "many", " 2"] {
        let out = sb
            .cmd()
            .env("CANDLE_NUM_THREADS", threads)
            .args(["search", "kunar"])
            .output()
            .unwrap();
        assert_error(&out, "$CANDLE_NUM_THREADS is");
    }
    assert_error(
        &sb.run(&["man", "--out", "seeds/001_d7ba932abea2e6ad.txt"]),
        "is not a folder",
    );
    assert_error(
        &sb.run(&["search", "NOT NOT kabul"]),
        "NOT cannot follow NOT",
    );
    // Fusion options without --hybrid (or with --semantic) were silently ignored.
    for args in [
        &["eval", "--fusion", "rrf", "--queries", "q", "--qrels", "r"][..],
        &[
            "eval",
            "--semantic",
            "--weight",
            "0.3",
            "--queries",
            "q",
            "--qrels",
            "r",
        ],
    ] {
        let out = sb.run(args);
        assert_usage_error(&out, "durand: ");
        let err = stderr(&out);
        assert!(
            err.contains("'--semantic' cannot be used with '--weight <W>'")
                || err.contains("required arguments were not provided: --hybrid"),
            "{err}"
        );
    }
    sb.write("empty.jsonl", "");
    assert_error(
        &sb.run(&["eval", "--tags", "empty.jsonl"]),
        "the labels hold no documents",
    );

    let saved = sb.run(&["saved", "add", "kunar", "kunar"]);
    assert!(saved.status.success(), "{}", stderr(&saved));
    let out = sb.run(&["alerts", "--all", "--json", "kunar", "kunar"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["alerts"].as_array().map(Vec::len), Some(1), "{v}");

    // Copied beside its sources' folder: the dropped `b/docs` is named from here.
    fs::create_dir_all(sb.path("a")).unwrap();
    copy_seeds(&sb.path("seeds"), &sb.path("a/docs"));
    sb.index(&["--index", "a/idx", "a/docs"]);
    fs::create_dir(sb.path("b")).unwrap();
    copy_dir(&sb.path("a/idx"), &sb.path("b/idx"));
    let out = sb.run(&["--index", "b/idx", "index", "a/docs"]);
    let err = stderr(&out);
    assert!(
        err.contains("b/docs is no longer a source") && err.contains("index b/docs a/docs`"),
        "{err}"
    );

    // A search while the first build of an index runs says so, not "no index — build it".
    fs::create_dir(sb.path("building")).unwrap();
    fs::write(sb.path("building/durand.lock"), b"").unwrap();
    let lock = fs::OpenOptions::new()
        .write(true)
        .open(sb.path("building/durand.lock"))
        .unwrap();
    lock.lock().unwrap();
    assert_error(
        &sb.run(&["--index", "building", "search", "kunar"]),
        "the first build of the index at ./building is still running",
    );
    drop(lock);
    assert_error(
        &sb.run(&["--index", "building", "search", "kunar"]),
        "no index at ./building",
    );
    // The same at the default location, where a search would otherwise build from ./seeds.
    let fresh = Sandbox::with_seeds();
    fs::create_dir_all(fresh.path("index")).unwrap();
    fs::write(fresh.path("index/durand.lock"), b"").unwrap();
    let lock = fs::OpenOptions::new()
        .write(true)
        .open(fresh.path("index/durand.lock"))
        .unwrap();
    lock.lock().unwrap();
    for args in [
        &["search", "kunar"][..],
        &["docs"],
        &["saved", "list"],
        &["alerts"],
    ] {
        assert_error(
            &fresh.run(args),
            "the first build of the index at ./index is still running",
        );
    }
    drop(lock);

    sb.write(
        "odd/evil.txt",
        "Blast in \u{202E}Kabul\n\nA blast hit Kabul.",
    );
    sb.index(&["--index", "odd-index", "odd"]);
    let out = sb.run(&["--index", "odd-index", "docs"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Blast in \u{FFFD}Kabul"), "{text}");
}

/// An index may share its folder with the user's files, but never takes them: a folder of
/// theirs named like a generation is never removed as a stale one, and a `CURRENT` that is
/// not an index's is never overwritten.
#[test]
fn an_index_never_takes_the_users_files_beside_it() {
    let sb = Sandbox::with_seeds();
    sb.write("proj/gen-2024/notes.txt", "my precious notes");
    fs::create_dir_all(sb.path("proj/articles")).unwrap();
    for entry in fs::read_dir(sb.path("seeds")).unwrap() {
        let entry = entry.unwrap();
        fs::copy(
            entry.path(),
            sb.path("proj/articles").join(entry.file_name()),
        )
        .unwrap();
    }
    for args in [&["index", "proj/articles"][..], &["index", "--rebuild"]] {
        let out = sb.run(&[&["--index", "proj"][..], args].concat());
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert_eq!(
            fs::read_to_string(sb.path("proj/gen-2024/notes.txt")).unwrap(),
            "my precious notes",
            "{args:?}"
        );
    }
    let out = sb.run(&["--index", "proj", "search", "--json", "kunar"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    sb.write("notes/CURRENT", "my current tasks: buy milk");
    sb.write("notes/articles/a.txt", "A report from Bajaur.");
    let out = sb.run(&["--index", "notes", "index", "notes/articles"]);
    assert_error(&out, "notes/CURRENT is not an index's file");
    assert_eq!(
        fs::read_to_string(sb.path("notes/CURRENT")).unwrap(),
        "my current tasks: buy milk"
    );
    assert!(!sb.path("notes/durand.json").exists());

    // A damaged index still heals: its state file shows it is one.
    sb.write("proj/CURRENT", "garbage");
    let out = sb.run(&["--index", "proj", "index"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// Bytes overwritten inside a segment file whose size and time were put back: tantivy's own
/// error does not name the file ("Unsupported dictionary type"), so its checksum does.
#[test]
fn damage_that_tantivy_reports_without_a_file_is_named_by_its_checksum() {
    let sb = Sandbox::with_seeds();
    sb.index(&["seeds"]);
    let term = segment_file(&sb, "term");
    let modified = fs::metadata(&term).unwrap().modified().unwrap();
    let mut bytes = fs::read(&term).unwrap();
    let (from, to) = (bytes.len() / 4, bytes.len() * 3 / 4);
    for (i, b) in bytes[from..to].iter_mut().enumerate() {
        *b = (i as u8).wrapping_mul(151).wrapping_add(17);
    }
    fs::write(&term, &bytes).unwrap();
    fs::File::options()
        .write(true)
        .open(&term)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    let out = sb.run(&["search", "ttp"]);
    assert_error(&out, "failed its checksum");
    let err = stderr(&out);
    assert!(!err.contains("IO error"), "{err}");
}

/// The same damage, size and time put back (as a bad sector or a byte overwritten in place
/// leaves a file), heals on the next bare `durand index`: it reads every checksum, not only
/// those of files that look changed.
#[test]
fn damage_that_keeps_size_and_time_heals_on_the_next_index_run() {
    for ext in ["term", "idx", "store"] {
        heals(
            |sb| {
                let path = segment_file(sb, ext);
                let size = fs::metadata(&path).unwrap().len() as usize;
                overwrite_keeping_time(&path, size / 4);
            },
            &format!(".{ext} failed its checksum"),
        );
    }
}

/// A pointer that became a folder or a link to nowhere heals on the next run; an index that
/// lost both its pointer's target and what it remembers says to give the sources again,
/// and the advice works.
#[cfg(unix)]
#[test]
fn a_broken_pointer_heals_and_forgotten_sources_are_asked_for() {
    let sb = Sandbox::with_seeds();
    sb.index(&["seeds"]);
    fs::remove_file(sb.path("index/CURRENT")).unwrap();
    std::os::unix::fs::symlink("/nonexistent/gen-1", sb.path("index/CURRENT")).unwrap();
    assert_eq!(sb.index(&[]).documents, 5);
    fs::remove_file(sb.path("index/CURRENT")).unwrap();
    fs::create_dir(sb.path("index/CURRENT")).unwrap();
    assert_eq!(sb.index(&[]).documents, 5);
    fs::remove_file(sb.path("index/CURRENT")).unwrap();
    fs::create_dir(sb.path("index/CURRENT")).unwrap();
    sb.write("index/CURRENT/keep.txt", "someone's");
    assert_error(&sb.run(&["index"]), "is a folder with things in it");
    assert!(sb.path("index/CURRENT/keep.txt").exists());
    fs::remove_dir_all(sb.path("index/CURRENT")).unwrap();
    assert_eq!(sb.index(&[]).documents, 5);

    // (Where a ./seeds folder is, a bare `durand index` falls back to it: a folder without.)
    let sb = Sandbox::empty();
    sb.write(
        "docs/a.txt",
        "A report from Bajaur.\n\nMilitants attacked a post in Bajaur.",
    );
    sb.index(&["--index", "idx", "docs"]);
    sb.write("idx/durand.json", "{x");
    for entry in fs::read_dir(sb.path("idx")).unwrap() {
        let path = entry.unwrap().path();
        if path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("gen-")
        {
            fs::remove_file(path.join("meta.json")).unwrap();
        }
    }
    assert_error(
        &sb.run(&["--index", "idx", "search", "bajaur"]),
        "`durand --index ./idx index --rebuild SOURCE…`",
    );
    assert_error(
        &sb.run(&["--index", "idx", "index"]),
        "no longer remembers its sources (its durand.json is gone or damaged) — give them again: `durand --index ./idx index SOURCE…`",
    );
    assert_eq!(
        sb.index(&["--index", "idx", "--rebuild", "docs"]).documents,
        1
    );
}

/// Many links that loop back are one warning repeated, counted after the first five, not a
/// line each.
/// A feed indexed twice (a copy gzipped beside it) makes one warning per record, each
/// naming its id: a flood of one kind, cut after the first few like identical ones.
#[test]
fn a_flood_of_duplicate_ids_is_summarised_after_the_first_few() {
    use std::io::Write;
    let sb = Sandbox::empty();
    common::big_feed(&sb, "feed/items.jsonl", 40);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&fs::read(sb.path("feed/items.jsonl")).unwrap())
        .unwrap();
    sb.write("feed/copy.jsonl.gz", gz.finish().unwrap());
    let out = sb.run(&["index", "feed"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    let shown = err
        .lines()
        .filter(|l| l.contains(": duplicate document id \"big-"))
        .count();
    assert_eq!(shown, 5, "five shown, then the count: {err}");
    assert!(
        err.contains("… and 35 more like that: duplicate document id, skipped"),
        "{err}"
    );
    assert!(err.lines().count() < 10, "{err}");
}

#[cfg(unix)]
#[test]
fn looping_links_are_one_warning_counted() {
    let sb = Sandbox::empty();
    sb.write("src/a.txt", "A report from Bajaur.");
    for i in 0..12 {
        fs::create_dir_all(sb.path(&format!("src/d{i}"))).unwrap();
        std::os::unix::fs::symlink("..", sb.path(&format!("src/d{i}/up"))).unwrap();
    }
    let out = sb.run(&["index", "src"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    let loops = err
        .lines()
        .filter(|l| l.contains("a symbolic link back to a folder above it"))
        .count();
    assert_eq!(loops, 6, "five shown, then the count: {err}");
    assert!(err.contains("… and 7 more like that"), "{err}");
}
