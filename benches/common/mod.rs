//! A deterministic synthetic collection for the benches: news-like records about the
//! Afghanistan–Pakistan border, generated from a fixed seed, so every run measures the same
//! corpus without any download. Words follow a Zipf-like distribution over a vocabulary of
//! common news words, with place, group and force names and dates mixed in, so queries of
//! every class (words, phrases, entity filters, facets) find hits.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// The seed every corpus is generated from.
pub const SEED: u64 = 0x00D0_4A4D;

const COMMON: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "on",
    "said",
    "for",
    "with",
    "was",
    "by",
    "officials",
    "security",
    "forces",
    "border",
    "attack",
    "killed",
    "police",
    "militants",
    "government",
    "province",
    "district",
    "army",
    "operation",
    "people",
    "area",
    "local",
    "report",
    "week",
    "military",
    "soldiers",
    "civilians",
    "checkpoint",
    "convoy",
    "talks",
    "refugees",
    "market",
    "curfew",
    "elders",
    "crossing",
    "drone",
    "strike",
    "clashes",
    "wounded",
    "claimed",
    "spokesman",
    "minister",
    "interior",
    "ceasefire",
    "negotiations",
    "trade",
    "road",
    "valley",
    "village",
    "tribal",
    "leaders",
    "meeting",
    "statement",
    "violence",
    "bomb",
    "explosion",
    "mosque",
    "school",
    "hospital",
    "injured",
    "arrested",
    "raid",
    "hideout",
    "commander",
    "fighters",
    "insurgents",
    "terrorists",
    "cross",
    "accused",
    "denied",
    "rockets",
    "shelling",
    "artillery",
    "airstrikes",
    "retaliation",
    "humanitarian",
    "aid",
    "floods",
    "earthquake",
    "polio",
    "vaccination",
    "election",
    "protest",
    "jirga",
];
const PLACES: &[&str] = &[
    "Kunar",
    "Nangarhar",
    "Khost",
    "Paktika",
    "Kabul",
    "Kandahar",
    "Helmand",
    "Peshawar",
    "Bajaur",
    "North Waziristan",
    "South Waziristan",
    "Khyber Pakhtunkhwa",
    "Balochistan",
    "Quetta",
    "Chaman",
    "Torkham",
    "Swat",
    "Kurram",
    "Dera Ismail Khan",
    "Bannu",
    "Nuristan",
];
const ACTORS: &[&str] = &[
    "Tehrik-i-Taliban Pakistan",
    "TTP",
    "the Afghan Taliban",
    "the Haqqani network",
    "Islamic State-Khorasan",
    "ISKP",
    "al-Qaeda",
    "the Balochistan Liberation Army",
    "Lashkar-e-Jhangvi",
    "the Pakistani Taliban",
    "the Pakistan Army",
    "the Frontier Corps",
    "ISAF",
    "US forces",
];
const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn zipf(rng: &mut StdRng, n: usize) -> usize {
    // Inverse-power sampling: rank r with probability ~ 1/r.
    let u: f64 = rng.random();
    ((n as f64).powf(u) - 1.0).floor() as usize % n
}

fn sentence(rng: &mut StdRng) -> String {
    let len = rng.random_range(12..28);
    let mut words: Vec<String> = Vec::with_capacity(len + 4);
    for i in 0..len {
        let w = if rng.random_ratio(1, 14) {
            PLACES[rng.random_range(0..PLACES.len())].to_string()
        } else if rng.random_ratio(1, 18) {
            ACTORS[rng.random_range(0..ACTORS.len())].to_string()
        } else if rng.random_ratio(1, 60) {
            let d = rng.random_range(1..29);
            let m = MONTHS[rng.random_range(0..12)];
            format!("{d} {m} {}", rng.random_range(2014..2025))
        } else {
            COMMON[zipf(rng, COMMON.len())].to_string()
        };
        if i == 0 {
            let mut c = w.chars();
            let first = c
                .next()
                .map(|f| f.to_uppercase().collect::<String>())
                .unwrap_or_default();
            words.push(first + c.as_str());
        } else {
            words.push(w);
        }
    }
    format!("{}.", words.join(" "))
}

/// One record as a JSON line.
pub fn record(rng: &mut StdRng, i: usize) -> String {
    let title = format!(
        "{} {} in {}",
        ACTORS[rng.random_range(0..ACTORS.len())],
        ["attack", "clash", "talks", "strike", "raid", "protest"][rng.random_range(0..6)],
        PLACES[rng.random_range(0..PLACES.len())]
    );
    let sentences = rng.random_range(3..9);
    let text: Vec<String> = (0..sentences).map(|_| sentence(rng)).collect();
    let date = format!(
        "{}-{:02}-{:02}",
        rng.random_range(2014..2025),
        rng.random_range(1..13),
        rng.random_range(1..29)
    );
    serde_json::json!({"id": format!("syn-{i}"), "title": title, "text": text.join(" "), "date": date})
        .to_string()
}

/// Writes `n` records to `dir/synthetic-N.jsonl` (once) and returns its path.
pub fn write_corpus(dir: &Path, n: usize) -> PathBuf {
    let path = dir.join(format!("synthetic-{n}.jsonl"));
    if path.exists() {
        return path;
    }
    let mut rng = StdRng::seed_from_u64(SEED);
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).expect("create corpus"));
    for i in 0..n {
        writeln!(out, "{}", record(&mut rng, i)).expect("write corpus");
    }
    out.flush().expect("flush corpus");
    path
}

/// The first `n` records of the 2023 RSS corpus in `../shared/data`, if it is there.
pub fn rss_slice(dir: &Path, n: usize) -> Option<PathBuf> {
    use std::io::BufRead;
    let gz = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/01_news_rss2023/rss2023_news_en.jsonl.gz");
    let file = std::fs::File::open(gz).ok()?;
    let path = dir.join(format!("rss-{n}.jsonl"));
    if !path.exists() {
        let reader = std::io::BufReader::new(flate2::read::MultiGzDecoder::new(file));
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path).ok()?);
        for line in reader.lines().take(n) {
            writeln!(out, "{}", line.ok()?).ok()?;
        }
        out.flush().ok()?;
    }
    Some(path)
}

/// A scratch folder under `target/` that survives between bench runs (corpora and indexes
/// are reused, not rebuilt every time).
pub fn scratch() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).expect("bench scratch dir");
    dir
}

/// Brings the index of `source` in `scratch/<name>` up to date (a no-op after the first
/// run, a rebuild when durand's index format changed) and opens it.
pub fn index_of(source: &Path, name: &str) -> durand::DurandIndex {
    let dir = scratch().join(name);
    let options = durand::index::sync::SyncOptions::new(&dir, vec![source.to_path_buf()]);
    durand::index::sync::sync(&options, &durand::report::Silent, None).expect("index builds");
    durand::index::open(&dir).expect("index opens")
}
