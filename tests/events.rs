//! Casualty figures, event types, story groups, incidents and the timeline, through the real
//! binary on a small named fixture of invented reports (`tests/fixtures/incidents.jsonl`):
//! three reports of one mosque bombing in Peshawar (two of them copies of one story), two
//! bombings on the same day in Mastung and Hangu, a flood and trade talks.

mod common;

use common::{Sandbox, assert_error};
use serde_json::Value;

fn sandbox() -> Sandbox {
    let sb = Sandbox::empty();
    sb.fixture("incidents.jsonl", "news/incidents.jsonl");
    sb.index(&["news"]);
    sb
}

fn json(sb: &Sandbox, args: &[&str]) -> (i32, Value) {
    let out = sb.run(args);
    let code = out.status.code().expect("exit code");
    assert!(
        code == 0 || code == 1,
        "durand {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "durand {args:?} is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    (code, v)
}

/// The story of document `id` in `docs --json` output.
fn story_of(docs: &Value, id: &str) -> String {
    docs["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["doc"] == id)
        .map(|d| d["story"].as_str().unwrap().to_string())
        .unwrap_or_else(|| panic!("{id} listed"))
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(|s| s.as_str().expect("a string").to_string())
        .collect()
}

#[test]
fn show_lists_event_types_and_every_figure_once_with_its_text() {
    let sb = sandbox();
    let (_, doc) = json(&sb, &["show", "--json", "pesh-1"]);
    assert_eq!(strs(&doc["event_types"]), vec!["suicide bombing"]);
    let figures = doc["casualties"].as_array().unwrap();
    // Title "kills 59" and body "killing at least 59" are one figure; "157 others" another.
    let killed: Vec<&Value> = figures.iter().filter(|f| f["kind"] == "killed").collect();
    assert_eq!(killed.len(), 1, "{figures:?}");
    assert_eq!(killed[0]["min"], 59);
    assert_eq!(killed[0]["aggregate"], false);
    let wounded: Vec<&Value> = figures.iter().filter(|f| f["kind"] == "wounded").collect();
    assert_eq!(wounded.len(), 1, "{figures:?}");
    assert_eq!(
        (wounded[0]["min"].as_u64(), wounded[0]["max"].as_u64()),
        (Some(157), Some(157))
    );
    for f in figures {
        for key in [
            "kind",
            "min",
            "max",
            "approx",
            "who",
            "aggregate",
            "past",
            "passage",
            "start",
            "end",
            "text",
        ] {
            assert!(f.get(key).is_some(), "{key} missing in {f}");
        }
    }
    // Each figure's range points at its text, in the title or in its passage.
    let passages = doc["passages"].as_array().unwrap();
    for f in figures {
        let (start, end) = (
            f["start"].as_u64().unwrap() as usize,
            f["end"].as_u64().unwrap() as usize,
        );
        let source = match f["passage"].as_u64() {
            Some(p) => passages[p as usize]["text"].as_str().unwrap(),
            None => doc["title"].as_str().unwrap(),
        };
        assert_eq!(&source[start..end], f["text"].as_str().unwrap());
    }
    let events = passages[0]["events"].as_array().unwrap();
    assert_eq!(events[0]["type"], "suicide bombing");
    // A flood kills, but is no conflict event and gives no conflict figure.
    let (_, flood) = json(&sb, &["show", "--json", "flood-1"]);
    assert!(flood["event_types"].as_array().unwrap().is_empty());
    assert!(
        flood["casualties"].as_array().unwrap().is_empty(),
        "{}",
        flood["casualties"]
    );
}

/// A floor of none is no floor: incidents without a toll (an abduction) stay.
#[test]
fn a_toll_floor_of_zero_keeps_every_incident() {
    let sb = sandbox();
    sb.write(
        "news/abducted.txt",
        "Engineers abducted in Khyber\n\nGunmen abducted two engineers in Khyber district on \
         Monday, police said.",
    );
    sb.index(&[]);
    let (_, all) = json(&sb, &["events", "--json"]);
    let (_, zero) = json(&sb, &["events", "--json", "--min-killed", "0"]);
    assert_eq!(zero["events"], all["events"]);
    assert!(
        all["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["killed"]["best"].is_null()),
        "the fixture needs an incident without a toll: {all:#}"
    );
}

#[test]
fn copies_share_a_story_and_search_shows_a_story_once() {
    let sb = sandbox();
    let (_, docs) = json(&sb, &["docs", "--json"]);
    let story = |id: &str| story_of(&docs, id);
    assert_eq!(story("pesh-1"), story("pesh-2"));
    assert_ne!(story("pesh-1"), story("pesh-3"));
    assert_ne!(story("mastung-1"), story("hangu-1"));

    let (code, r) = json(&sb, &["search", "--json", "mosque Peshawar police lines"]);
    assert_eq!(code, 0);
    let docs: Vec<&str> = r["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["doc"].as_str().unwrap())
        .collect();
    assert!(docs.contains(&"pesh-3"), "{docs:?}");
    assert_eq!(
        docs.iter()
            .filter(|d| **d == "pesh-1" || **d == "pesh-2")
            .count(),
        1,
        "{docs:?}"
    );
    let copy = r["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["doc"] == "pesh-1" || h["doc"] == "pesh-2")
        .unwrap();
    assert_eq!(copy["similar"]["count"], 1);
    assert_eq!(copy["similar"]["sources"].as_array().unwrap().len(), 1);
    // The total counts passages; the pages hold fewer once copies collapse, and say so.
    let shown = r["hits"].as_array().unwrap().len();
    assert_eq!(r["collapsed_hits"], shown, "{r:#}");
    assert!(r["total_hits"].as_u64().unwrap() > shown as u64);
    let past = sb.run(&[
        "search",
        "mosque Peshawar police lines",
        "--offset",
        &shown.to_string(),
    ]);
    let text = String::from_utf8_lossy(&past.stdout);
    assert!(
        text.contains(&format!("{shown} once near-duplicates are collapsed")),
        "{text}"
    );
    assert!(copy["events"].is_array() && copy["casualties"].is_array());

    let (_, all) = json(
        &sb,
        &[
            "search",
            "--json",
            "--no-collapse",
            "mosque Peshawar police lines",
        ],
    );
    let all_docs: Vec<&str> = all["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["doc"].as_str().unwrap())
        .collect();
    assert!(
        all_docs.contains(&"pesh-1") && all_docs.contains(&"pesh-2"),
        "{all_docs:?}"
    );
    assert!(
        all["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h.get("similar").is_none())
    );

    // Facets count the story once, unless told not to.
    let (_, f) = json(&sb, &["facets", "--json", "type"]);
    let count = |f: &Value, v: &str| {
        f["facets"]["type"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["value"] == v)
            .map_or(0, |c| c["count"].as_u64().unwrap())
    };
    assert_eq!(count(&f, "suicide bombing"), 3, "{f}");
    let (_, f) = json(&sb, &["facets", "--json", "--no-collapse", "type"]);
    assert_eq!(count(&f, "suicide bombing"), 4, "{f}");
}

#[test]
fn a_copy_indexed_later_joins_the_story_it_copies() {
    let sb = sandbox();
    assert_eq!(sb.docs().documents.len(), 7);
    let text = std::fs::read_to_string(sb.path("news/incidents.jsonl")).unwrap();
    let first: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    let mut copy = first.clone();
    copy["id"] = "pesh-4".into();
    copy["source"] = "late.example".into();
    copy["title"] = "Mosque bombing in Peshawar".into();
    sb.write("news/later.jsonl", format!("{copy}\n"));
    let summary = sb.index(&[]);
    assert_eq!((summary.added, summary.unchanged), (1, 7));
    let (_, docs) = json(&sb, &["docs", "--json"]);
    let story = |id: &str| story_of(&docs, id);
    assert_eq!(story("pesh-4"), story("pesh-1"));
}

#[test]
fn a_story_counts_once_for_every_value_any_of_its_copies_has() {
    let sb = sandbox();
    // A later copy of the first report that also names Lahore: its story now has a document
    // in Punjab, though its first document has none.
    let text = std::fs::read_to_string(sb.path("news/incidents.jsonl")).unwrap();
    let mut copy: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    copy["id"] = "pesh-5".into();
    copy["source"] = "lahore.example".into();
    let description = copy["description"].as_str().unwrap().to_string();
    copy["description"] = format!("{description} Hospitals in Lahore sent blood.").into();
    sb.write("news/later.jsonl", format!("{copy}\n"));
    sb.index(&[]);
    let (_, docs) = json(&sb, &["docs", "--json"]);
    assert_eq!(story_of(&docs, "pesh-5"), story_of(&docs, "pesh-1"));

    // One facet's counts, with filters.
    let facet = |field: &str, filters: &[&str]| -> Vec<(String, u64)> {
        let mut args = vec!["facets", "--json", field];
        args.extend_from_slice(filters);
        let (_, f) = json(&sb, &args);
        f["facets"][field]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["value"].as_str().unwrap().into(),
                    c["count"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let count = |counts: &[(String, u64)], v: &str| {
        counts.iter().find(|(name, _)| name == v).map_or(0, |c| c.1)
    };
    let all = facet("province", &[]);
    // Punjab's count is the number of stories a filter on it shows…
    let (_, punjab) = json(&sb, &["search", "--json", "--province", "Punjab", "mosque"]);
    assert_eq!(punjab["hits"].as_array().unwrap().len(), 1, "{punjab}");
    assert_eq!(count(&all, "Punjab"), 1, "{all:?}");
    // …and a filter only ever lowers the other values' counts.
    let filtered = facet("province", &["--province", "Punjab"]);
    assert_eq!(count(&filtered, "Punjab"), 1, "{filtered:?}");
    for (value, n) in &filtered {
        assert!(*n <= count(&all, value), "{value}: {filtered:?} vs {all:?}");
    }
    assert_eq!(count(&filtered, "Khyber Pakhtunkhwa"), 1, "{filtered:?}");
    // The copy was indexed by a later run, into a segment of its own: its story's counts in
    // the first segment are taken back out, once per value (the fixture's four stories in
    // Khyber Pakhtunkhwa, six of 2023).
    assert_eq!(count(&all, "Khyber Pakhtunkhwa"), 4, "{all:?}");
    let years = facet("year", &[]);
    assert_eq!(count(&years, "2023"), 6, "{years:?}");
}

#[test]
fn filters_by_type_and_toll() {
    let sb = sandbox();
    let docs = |args: &[&str]| {
        let mut all = vec!["search", "--json", "--no-collapse", "-n", "50"];
        all.extend_from_slice(args);
        let (_, r) = json(&sb, &all);
        let mut d: Vec<String> = r["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["doc"].as_str().unwrap().to_string())
            .collect();
        d.sort();
        d.dedup();
        d
    };
    assert_eq!(
        docs(&[
            "--type",
            "suicide-bombing",
            "killing OR kills OR killed OR toll"
        ]),
        vec!["mastung-1", "pesh-1", "pesh-2", "pesh-3"]
    );
    assert_eq!(docs(&["--min-killed", "60", "Peshawar"]), vec!["pesh-3"]);
    assert_eq!(
        docs(&["--min-killed", "20", "floods OR flood"]),
        Vec::<String>::new()
    );
    let out = sb.run(&["search", "--type", "riot", "x"]);
    assert_error(&out, "not an event type");
    let out = sb.run(&["search", "--min-killed", "99999999999", "x"]);
    assert_error(&out, "--min-killed");
    let out = sb.run(&["events", "--limit", "-3"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_template_repeated_day_after_day_is_no_story_longer_than_a_week() {
    // A daily table whose body barely changes: each item is a near copy of the day before,
    // so joined copy to copy the whole feed would be one story. A story spans at most seven
    // days from its first document to its last, across indexing runs too.
    let sb = Sandbox::empty();
    let body = "Open market rates: the US dollar was bought at 283.50 and sold at 286.00, the \
                euro at 305.10 and 308.20, the pound at 355.40 and 358.90, the UAE dirham at \
                77.20 and 78.00 and the Saudi riyal at 75.30 and 76.10, dealers in the Karachi \
                open market said on the day, adding that the rupee held steady against most \
                currencies in thin trading before the weekend.";
    let item = |day: u32| {
        format!(
            "{{\"id\": \"rates-{day:02}\", \"date\": \"2023-11-{day:02}\", \"title\": \"Currency rates\", \"description\": \"{body}\"}}\n"
        )
    };
    let first: String = (1..=6).map(item).collect();
    sb.write("feed/a.jsonl", &first);
    sb.index(&["feed"]);
    let later: String = (7..=20).map(item).collect();
    sb.write("feed/b.jsonl", &later);
    sb.index(&["feed"]);
    let (_, docs) = json(&sb, &["docs", "--json"]);
    assert_eq!(docs["documents"].as_array().unwrap().len(), 20);
    let mut span: std::collections::HashMap<String, (u32, u32)> = Default::default();
    for d in docs["documents"].as_array().unwrap() {
        let day: u32 = d["doc"].as_str().unwrap()[6..].parse().unwrap();
        let s = span
            .entry(d["story"].as_str().unwrap().to_string())
            .or_insert((day, day));
        *s = (s.0.min(day), s.1.max(day));
    }
    assert!(span.len() >= 3, "{span:?}");
    for (story, (first, last)) in &span {
        assert!(last - first <= 7, "story {story} spans {first}..{last}");
    }
    // The copies do make stories: the first week is one.
    assert_eq!(story_of(&docs, "rates-01"), story_of(&docs, "rates-06"));
}

#[test]
fn events_are_incidents_with_their_reports_and_figures() {
    let sb = sandbox();
    let (code, r) = json(&sb, &["events", "--json"]);
    assert_eq!(code, 0);
    let events = r["events"].as_array().unwrap();
    assert_eq!(events.len(), 3, "{r:#}");
    // Newest first: the two bombings of 29 September, then Peshawar.
    let peshawar = &events[2];
    assert_eq!(peshawar["date"], "2023-01-30");
    assert_eq!(strs(&peshawar["types"]), vec!["suicide bombing"]);
    assert_eq!(peshawar["province"], "Khyber Pakhtunkhwa");
    assert_eq!(peshawar["country"], "Pakistan");
    let reports = common::hit_docs(&peshawar["reports"]);
    assert_eq!(reports, vec!["pesh-1", "pesh-2", "pesh-3"]);
    assert_eq!(peshawar["killed"]["low"], 59);
    assert_eq!(peshawar["killed"]["best"], 100);
    assert_eq!(peshawar["killed"]["high"], 100);
    assert_eq!(peshawar["sources"], 3);
    for key in [
        "id",
        "date_precision",
        "place",
        "groups",
        "forces",
        "wounded",
        "headline",
    ] {
        assert!(peshawar.get(key).is_some(), "{key} missing");
    }
    let places: Vec<&str> = events[..2]
        .iter()
        .map(|e| e["province"].as_str().unwrap())
        .collect();
    assert!(
        places.contains(&"Balochistan") && places.contains(&"Khyber Pakhtunkhwa"),
        "{places:?}"
    );

    let (_, by_killed) = json(&sb, &["events", "--json", "--sort", "killed", "-n", "1"]);
    assert_eq!(by_killed["events"].as_array().unwrap().len(), 1);
    assert_eq!(by_killed["total"], 3);
    assert_eq!(by_killed["events"][0]["killed"]["best"], 100);

    // The one incident `args` keep: the whole Peshawar bombing, every report of it.
    let only_peshawar = |args: &[&str]| {
        let (_, r) = json(&sb, args);
        let kept = r["events"].as_array().unwrap();
        assert_eq!(kept.len(), 1, "{args:?}: {r:#}");
        assert_eq!(
            common::hit_docs(&kept[0]["reports"]),
            vec!["pesh-1", "pesh-2", "pesh-3"]
        );
        kept[0].clone()
    };
    // A toll floor keeps whole incidents: the Peshawar bombing with its early reports of 59.
    let kept = only_peshawar(&["events", "--json", "--min-killed", "60"]);
    assert_eq!(kept["killed"]["low"], 59);

    // A date window keeps whole incidents too: the bombing of 30 January with its follow-up
    // of the 31st, and no second incident founded on the follow-up when the window starts
    // after the bombing.
    let window = ["--from", "2023-01-30", "--to", "2023-01-30"];
    let kept = only_peshawar(&[&["events", "--json"][..], &window].concat());
    assert_eq!(kept["killed"]["best"], 100);
    let (code, after) = json(
        &sb,
        &[
            "events",
            "--json",
            "--from",
            "2023-01-31",
            "--to",
            "2023-02",
        ],
    );
    assert_eq!(
        (code, after["events"].as_array().unwrap().len()),
        (1, 0),
        "{after:#}"
    );
    let (_, t) = json(
        &sb,
        &[
            "timeline",
            "--json",
            "--metric",
            "killed",
            "--from",
            "2023-01-31",
            "--to",
            "2023-01",
        ],
    );
    assert_eq!(t["total"], 0, "{t:#}");

    let (code, none) = json(&sb, &["events", "--json", "cricket"]);
    assert_eq!((code, none["events"].as_array().unwrap().len()), (1, 0));

    let out = sb.run(&["events", "--csv", "--type", "suicide bombing"]);
    assert!(out.status.success());
    let (header, records) = common::read_csv(&out.stdout);
    for col in [
        "event_date",
        "time_precision",
        "event_type",
        "sub_event_type",
        "actor1",
        "actor2",
        "admin1",
        "admin2",
        "location",
        "fatalities",
        "source_count",
        "notes",
    ] {
        assert!(header.contains(&col.to_string()), "{col} in {header:?}");
    }
    assert_eq!(records.len(), 2);
    let text = String::from_utf8(sb.run(&["events"]).stdout).unwrap();
    assert!(
        text.contains("3 incidents") && text.contains("killed 59–100, best 100"),
        "{text}"
    );
}

#[test]
fn an_incident_from_files_counts_its_reports_and_no_sources() {
    let sb = Sandbox::empty();
    sb.write(
        "news/attack.txt",
        "Suicide bomber kills 12 in Peshawar mosque\n\nPESHAWAR: A suicide bomber killed 12 \
         worshippers at a mosque in Peshawar on Monday, police said.\n",
    );
    sb.index(&["news"]);
    let out = sb.run(&["events"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("killed 12 · police · 1 report\n"), "{text}");
    assert!(!text.contains("source"), "{text}");
}

#[test]
fn an_incident_lies_where_its_title_says_not_at_the_dateline() {
    let sb = Sandbox::empty();
    sb.write(
        "news/a.jsonl",
        r#"{"id":"sw","date":"2023-06-01","title":"Five labourers shot dead in South Waziristan","text":"PESHAWAR – Five labourers were shot dead by unidentified gunmen in South Waziristan on Thursday, police in Peshawar said."}"#,
    );
    sb.index(&["news"]);
    let (_, r) = json(&sb, &["events", "--json"]);
    let e = &r["events"][0];
    assert_eq!(
        (e["province"].as_str(), e["place"].as_str()),
        (Some("Khyber Pakhtunkhwa"), Some("South Waziristan")),
        "{r:#}"
    );
}

#[test]
fn a_city_named_like_its_province_is_named_once() {
    let sb = Sandbox::empty();
    sb.write(
        "news/a.jsonl",
        r#"{"id":"kb","date":"2023-01-01","title":"Blast kills five at Kabul airport","text":"A bomb exploded near a checkpoint at Kabul airport on Sunday, killing five people, police said."}"#,
    );
    sb.index(&["news"]);
    let (_, r) = json(&sb, &["events", "--json"]);
    let e = &r["events"][0];
    assert_eq!(
        (e["province"].as_str(), e["place"].as_str()),
        (Some("Kabul"), Some("Kabul")),
        "{r:#}"
    );
    let text = String::from_utf8(sb.run(&["events", "--no-pager"]).stdout).unwrap();
    assert!(
        text.contains("  Kabul, Afghanistan\n") && !text.contains("Kabul, Kabul"),
        "{text}"
    );
}

#[test]
fn the_csv_puts_the_acting_side_first_as_acled_does() {
    let sb = Sandbox::empty();
    sb.write(
        "news/a.jsonl",
        concat!(
            r#"{"id":"op","date":"2023-06-01","title":"Troops kill five TTP militants in North Waziristan operation","text":"Pakistan Army troops killed five TTP militants during an intelligence-based operation in North Waziristan district on Thursday, the military said."}"#,
            "\n",
            r#"{"id":"bomb","date":"2023-08-01","title":"TTP suicide bomber kills four policemen in Bannu","text":"A suicide bomber of the TTP blew himself up near a police van in Bannu district on Tuesday, killing four policemen, police said."}"#,
            "\n",
        ),
    );
    sb.index(&["news"]);
    let out = sb.run(&["events", "--csv"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let (header, records) = common::read_csv(&out.stdout);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let actors: Vec<(String, String, String)> = records
        .iter()
        .map(|r| {
            (
                r[col("sub_event_type")].to_string(),
                r[col("actor1")].to_string(),
                r[col("actor2")].to_string(),
            )
        })
        .collect();
    assert!(
        actors.contains(&("suicide bombing".into(), "TTP".into(), "police".into())),
        "{actors:?}"
    );
    assert!(
        actors
            .iter()
            .any(|(t, a1, a2)| t.starts_with("military operation")
                && a1 == "Pakistan Army"
                && a2 == "TTP"),
        "{actors:?}"
    );
}

#[test]
fn the_timeline_counts_per_period_in_text_json_and_csv() {
    let sb = sandbox();
    let (code, t) = json(
        &sb,
        &[
            "timeline",
            "--json",
            "--by",
            "month",
            "--metric",
            "incidents",
        ],
    );
    assert_eq!(code, 0);
    let buckets = t["buckets"].as_array().unwrap();
    // January to September 2023, the empty months as zero.
    assert_eq!(buckets.len(), 9, "{t:#}");
    assert_eq!(
        (buckets[0]["label"].as_str(), buckets[0]["value"].as_u64()),
        (Some("2023-01"), Some(1))
    );
    assert_eq!(buckets[8]["value"], 2);
    assert_eq!(t["total"], 3);
    let (_, docs) = json(&sb, &["timeline", "--json", "--by", "year"]);
    assert_eq!(docs["total"], 7);
    let (_, stories) = json(
        &sb,
        &["timeline", "--json", "--by", "year", "--metric", "stories"],
    );
    assert_eq!(stories["total"], 6);
    let (_, killed) = json(
        &sb,
        &["timeline", "--json", "--metric", "killed", "--by", "year"],
    );
    assert_eq!(killed["total"], 100 + 52 + 5);
    // The window asked for is covered to its ends, however quiet they are.
    let (_, window) = json(
        &sb,
        &["timeline", "--json", "--from", "2022-11", "--to", "2023-12"],
    );
    let labels: Vec<&str> = window["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        (labels.len(), labels.first(), labels.last()),
        (14, Some(&"2022-11"), Some(&"2023-12"))
    );

    let text = String::from_utf8(sb.run(&["timeline", "--metric", "incidents"]).stdout).unwrap();
    assert!(text.starts_with("incidents per month"), "{text}");
    assert!(text.contains("2023-09 2 ██"), "{text}");
    let out = sb.run(&["timeline", "--csv", "--by", "week"]);
    let (header, rows) = common::read_csv(&out.stdout);
    assert_eq!(header, vec!["start", "period", "value"]);
    assert!(rows.len() > 30);
    let out = sb.run(&["timeline", "--by", "fortnight"]);
    assert_error(&out, "fortnight");
    // Too many periods: one line that says which flags narrow it.
    let out = sb.run(&["timeline", "--by", "day", "--from", "1000", "--to", "2999"]);
    assert_error(
        &out,
        "narrow --from/--to or count by a longer period (--by)",
    );
    let out = sb.run(&["timeline", "--json", "--csv"]);
    assert_eq!(out.status.code(), Some(2));
}

/// `--format json` is `--json`; `--format jsonl` streams the same objects one per line
/// (incidents, periods, facet values); a format that does not exist is refused.
#[test]
fn events_timeline_and_facets_speak_json_and_json_lines() {
    let sb = sandbox();
    let lines = |args: &[&str]| -> Vec<Value> {
        let out = sb.run(args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{args:?} {e}: {l}")))
            .collect()
    };
    for (args, list) in [
        (&["events"][..], "events"),
        (&["events", "--type", "suicide bombing"], "events"),
        (&["timeline", "--by", "month"], "buckets"),
        (
            &["timeline", "--metric", "killed", "--by", "year"],
            "buckets",
        ),
    ] {
        let (_, whole) = json(&sb, &[args, &["--json"]].concat());
        let (_, same) = json(&sb, &[args, &["--format", "json"]].concat());
        assert_eq!(whole, same, "{args:?}");
        let items = whole[list].as_array().unwrap();
        assert!(!items.is_empty(), "{args:?}");
        assert_eq!(
            &lines(&[args, &["--format", "jsonl"]].concat()),
            items,
            "{args:?}"
        );
    }
    // Facets: one line per value, with its field.
    let (_, whole) = json(&sb, &["facets", "--format", "json"]);
    let rows = lines(&["facets", "--format", "jsonl"]);
    let mut rebuilt = serde_json::Map::new();
    for row in &rows {
        let field = row["field"].as_str().unwrap();
        let entry = rebuilt
            .entry(field)
            .or_insert_with(|| Value::Array(Vec::new()));
        entry
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({"value": row["value"], "count": row["count"]}));
    }
    let nonempty: serde_json::Map<String, Value> = whole["facets"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, v)| !v.as_array().unwrap().is_empty())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    assert!(nonempty.contains_key("type"), "{whole}");
    assert_eq!(rebuilt, nonempty);
    // A format that does not exist: one line, the ones that do, exit 2.
    for args in [
        &["events"][..],
        &["timeline"],
        &["facets"],
        &["docs"],
        &["search", "bombing"],
        &["similar", "pesh-1"],
    ] {
        let out = sb.run(&[args, &["--format", "xml"]].concat());
        assert_error(&out, "invalid value 'xml' for '--format <FORMAT>'");
        assert_error(&out, "[possible values: text, json, jsonl, csv]");
        assert_eq!(
            String::from_utf8_lossy(&out.stderr).lines().count(),
            1,
            "{args:?}"
        );
    }
}

#[test]
fn eval_events_scores_figures_types_and_incidents() {
    let sb = sandbox();
    sb.write(
        "labels.jsonl",
        [
            r#"{"id":"pesh-3","split":"dev","types":["suicide bombing"],"figures":[{"kind":"killed","min":100,"max":100,"who":"unspecified","text":"rose to 100"}]}"#,
            r#"{"id":"talks-1","split":"dev","types":[],"figures":[]}"#,
            r#"{"id":"hangu-1","split":"test","types":["bombing"],"figures":[{"kind":"killed","min":5,"max":5,"who":"civilians","text":"killing five worshippers"},{"kind":"wounded","min":12,"max":12,"who":"unspecified","text":"injuring 12"},{"kind":"abducted","min":2,"max":2,"who":"unspecified","text":"invented to be missed"}]}"#,
            r#"{"incident":"peshawar","split":"dev","docs":["pesh-1","pesh-2","pesh-3"]}"#,
            r#"{"incident":"mastung","split":"test","docs":["mastung-1"]}"#,
            r#"{"incident":"hangu","split":"test","docs":["hangu-1","not-indexed"]}"#,
        ]
        .join("\n"),
    );
    let (_, dev) = json(
        &sb,
        &[
            "eval",
            "--json",
            "--events",
            "labels.jsonl",
            "--split",
            "dev",
        ],
    );
    assert_eq!(dev["documents"], 2);
    assert_eq!(dev["casualties"]["true_positives"], 1);
    assert_eq!(dev["incidents"]["bcubed_precision"], 1.0);
    assert_eq!(dev["incidents"]["bcubed_recall"], 1.0);
    let (_, test) = json(
        &sb,
        &[
            "eval",
            "--json",
            "--events",
            "labels.jsonl",
            "--split",
            "test",
        ],
    );
    assert_eq!(test["casualties"]["false_negatives"], 1, "{test:#}");
    assert_eq!(test["casualties"]["true_positives"], 2, "{test:#}");
    assert_eq!(test["incidents"]["incidents"], 2);
    assert!(strs(&test["missing"]).contains(&"not-indexed".to_string()));
    let missed: Vec<&Value> = test["mistakes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["what"] == "missed figure")
        .collect();
    assert_eq!(missed.len(), 1);
    assert_eq!(missed[0]["text"], "invented to be missed");

    // The same labels in two files, after one flag, score the same.
    let labels = std::fs::read_to_string(sb.path("labels.jsonl")).unwrap();
    let (incidents, documents): (Vec<&str>, Vec<&str>) =
        labels.lines().partition(|l| l.contains("\"incident\""));
    sb.write("documents.jsonl", documents.join("\n"));
    sb.write("incidents.jsonl", incidents.join("\n"));
    let eval_test = |files: &[&str]| {
        let mut args = vec!["eval", "--json", "--split", "test", "--events"];
        args.extend(files);
        json(&sb, &args).1
    };
    assert_eq!(eval_test(&["documents.jsonl", "incidents.jsonl"]), test);

    // Incidents alone: the figures and types are said to be empty, not scored 1.000, and
    // JSON says null.
    let alone = eval_test(&["incidents.jsonl"]);
    for score in ["precision", "recall", "f1"] {
        assert!(alone["casualties"][score].is_null(), "{alone}");
        assert!(alone["types"][score].is_null(), "{alone}");
    }
    assert!(alone["who_accuracy"].is_null(), "{alone}");
    assert!(alone["incidents"]["bcubed_f1"].is_number(), "{alone}");
    let out = sb.run(&["eval", "--events", "incidents.jsonl", "--split", "test"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("casualty figures   none labelled, none found"),
        "{text}"
    );
    assert!(
        text.contains("event types        none labelled, none found"),
        "{text}"
    );
    assert!(
        text.contains("who right          no figure found right"),
        "{text}"
    );
    assert!(text.contains("incidents          B-cubed P"), "{text}");
    let out = sb.run(&["eval", "--events", "documents.jsonl", "--split", "test"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("casualty figures   P 1.000  R 0.667"),
        "{text}"
    );

    sb.write("bad.jsonl", "{\"neither\": 1}\n");
    assert_error(&sb.run(&["eval", "--events", "bad.jsonl"]), "bad.jsonl:1");
    assert_error(
        &sb.run(&["eval", "--events", "nowhere.jsonl"]),
        "nowhere.jsonl",
    );
    // Labels that would count twice or could never match are refused where they are.
    assert_error(
        &sb.run(&["eval", "--events", "labels.jsonl", "labels.jsonl"]),
        "is labelled twice (first at labels.jsonl:",
    );
    sb.write(
        "bad.jsonl",
        "{\"id\": \"a\", \"types\": [], \"figures\": [{\"kind\": \"killed\", \"min\": 12, \"max\": 10, \"who\": \"civilians\"}]}\n",
    );
    assert_error(
        &sb.run(&["eval", "--events", "bad.jsonl"]),
        "bad.jsonl:1: a figure's max (10) is below its min (12)",
    );
    sb.write(
        "bad.jsonl",
        "{\"incident\": \"i1\", \"docs\": [\"a\", \"b\"]}\n{\"incident\": \"i2\", \"docs\": [\"b\"]}\n",
    );
    assert_error(
        &sb.run(&["eval", "--events", "bad.jsonl"]),
        "bad.jsonl:2: report \"b\" is already in an incident (at bad.jsonl:1)",
    );
    sb.write(
        "bad.jsonl",
        "{\"incident\": \"i1\", \"docs\": [\"a\"]}\n{\"incident\": \"i1\", \"docs\": [\"b\"]}\n",
    );
    assert_error(
        &sb.run(&["eval", "--events", "bad.jsonl"]),
        "bad.jsonl:2: incident \"i1\" is labelled twice (first at bad.jsonl:1)",
    );
    // A label of the wrong shape names the field at fault, in words, not Rust's types.
    for (line, said) in [
        (
            r#"{"id": "a", "figures": [{"kind": "killed", "min": "five"}]}"#,
            "bad.jsonl:1: field `figures[0].min`: invalid type: string \"five\", expected a whole number of 0 or more",
        ),
        (
            r#"{"id": "a", "types": 5}"#,
            "bad.jsonl:1: field `types`: invalid type: integer `5`, expected a sequence",
        ),
        (
            "[1",
            "bad.jsonl:1: not JSON: EOF while parsing a list (column 2)",
        ),
        ("5", "bad.jsonl:1: expected a JSON object, found a number"),
    ] {
        sb.write("bad.jsonl", line);
        let out = sb.run(&["eval", "--events", "bad.jsonl"]);
        assert_error(&out, said);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("at line"), "{err}");
        let out = sb.run(&["eval", "--tags", "bad.jsonl"]);
        assert_eq!(out.status.code(), Some(2));
    }
    // A key written twice is refused, not the last one taken.
    sb.write("bad.jsonl", r#"{"id": "a", "id": "b", "split": "dev"}"#);
    assert_error(
        &sb.run(&["eval", "--tags", "bad.jsonl"]),
        "bad.jsonl:1: duplicate field `id`",
    );
}

/// A story counts at its earliest dated report: one of its reports without a date does not
/// make the whole story undated.
#[test]
fn a_story_with_an_undated_report_counts_at_its_dated_one() {
    let sb = Sandbox::empty();
    let body = "Militants attacked a police post in Bajaur district, killing three policemen and wounding two others, officials said. The attackers fled towards the mountains after a gunfight that lasted an hour.";
    sb.write("news/a.txt", format!("Attack in Bajaur\n\n{body}"));
    sb.write(
        "news/b.md",
        format!("---\ntitle: Attack in Bajaur\ndate: 2023-05-01\n---\n{body}"),
    );
    sb.index(&["news"]);
    let (code, t) = json(
        &sb,
        &["timeline", "--json", "--by", "year", "--metric", "stories"],
    );
    assert_eq!(
        (code, &t["total"], &t["undated"]),
        (0, &1.into(), &0.into()),
        "{t:#}"
    );
}

/// `tests/fixtures/follow_ups.jsonl`: two reports of the Bajaur rally bombing, a report two
/// days later that only says the police identified the bomber (no violence of its own), the
/// same kind of title seven weeks later, two titles that share one word each with the
/// incident's or the follow-up's, and eight unrelated items so that "police" (in seven
/// titles) is too common to tie titles.
#[test]
fn a_report_that_follows_an_incident_up_joins_it_flagged() {
    let sb = Sandbox::empty();
    sb.fixture("follow_ups.jsonl", "news/follow_ups.jsonl");
    sb.index(&["news"]);
    let (code, r) = json(&sb, &["events", "--json"]);
    assert_eq!(code, 0);
    let bajaur = r["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["place"] == "Bajaur")
        .unwrap_or_else(|| panic!("a Bajaur incident: {r:#}"));
    let reports: Vec<(String, bool)> = bajaur["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["doc"].as_str().unwrap().to_string(),
                r["follow_up"].as_bool().unwrap(),
            )
        })
        .collect();
    let expected = [("bajaur-1", false), ("bajaur-2", false), ("bajaur-3", true)];
    assert_eq!(
        reports,
        expected.map(|(d, f)| (d.to_string(), f)).to_vec(),
        "{bajaur:#}"
    );
    // A follow-up adds its source, not a type or a figure.
    assert_eq!(bajaur["sources"], 3);
    assert_eq!(strs(&bajaur["types"]), vec!["suicide bombing"]);
    assert_eq!(bajaur["killed"]["high"], 63);
    let everywhere: Vec<&str> = r["events"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["reports"].as_array().unwrap())
        .map(|r| r["doc"].as_str().unwrap())
        .collect();
    for decoy in ["karachi-1", "bajaur-late", "filler-1"] {
        assert!(!everywhere.contains(&decoy), "{decoy} joined: {r:#}");
    }
    let out = sb.run(&["events", "--color", "never"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("3 reports (1 follow-up), 3 sources"),
        "{text}"
    );
    // A follow-up must match the query like any report: "suicide" is not in it.
    let reports_for = |query: &str| -> Vec<String> {
        let (_, r) = json(&sb, &["events", "--json", query]);
        r["events"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|e| e["reports"].as_array().unwrap())
            .map(|r| r["doc"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(reports_for("bomber"), vec!["bajaur-1", "bajaur-3"]);
    assert_eq!(reports_for("suicide bomber"), vec!["bajaur-1"]);
}
