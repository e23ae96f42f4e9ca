//! Tagging throughput: MB/s of cleaned article text through `Tagger::tag_document`.
//!
//! Runs on the 257 full-text Pakistani newspaper articles in
//! `../shared/data/05_afpak_news/panda_pakistani_news_2017_2018.jsonl` when that folder is
//! present, and on the five seeds otherwise. Asserts the mentions it finds, so it cannot
//! silently measure nothing.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use durand::clean::clean;
use durand::tag::{EntityKind, Table, Tagger};

/// (title, cleaned text) of each article.
fn corpus() -> (String, Vec<(String, String)>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let panda = root.join("../shared/data/05_afpak_news/panda_pakistani_news_2017_2018.jsonl");
    if let Ok(text) = std::fs::read_to_string(&panda) {
        let docs = text
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .map(|v| {
                let title = v["title"].as_str().unwrap_or_default().to_string();
                let doc = clean(v["text"].as_str().unwrap_or_default(), Some(&title));
                (doc.title, doc.text)
            })
            .collect();
        return ("PANDA, 257 articles".into(), docs);
    }
    let docs = std::fs::read_dir(root.join("seeds"))
        .expect("seeds folder")
        .map(|e| {
            let raw = std::fs::read_to_string(e.expect("entry").path()).expect("seed");
            let doc = clean(&raw, None);
            (doc.title, doc.text)
        })
        .collect();
    ("seeds, 5 articles".into(), docs)
}

fn tagging(c: &mut Criterion) {
    let (name, docs) = corpus();
    let bytes: usize = docs.iter().map(|(t, x)| t.len() + x.len()).sum();
    let tagger = Tagger::new(Table::builtin()).expect("the tables build");
    let expected: usize = docs
        .iter()
        .map(|(t, x)| tagger.tag_document(t, x, None).mentions.len())
        .sum();
    assert!(expected > 0, "the corpus yields mentions");

    let mut group = c.benchmark_group("tagging");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(20);
    group.bench_function(name, |b| {
        b.iter(|| {
            let mut found = 0;
            for (title, text) in &docs {
                let tagged = tagger.tag_document(black_box(title), black_box(text), None);
                found += tagged.mentions.len();
            }
            assert_eq!(found, expected);
            found
        })
    });
    group.finish();

    c.bench_function("tagger build (automata)", |b| {
        b.iter(|| {
            let t = Tagger::new(Table::builtin()).expect("the tables build");
            assert!(!t.table().names(EntityKind::GROUP).is_empty());
            t
        })
    });
}

criterion_group!(benches, tagging);
criterion_main!(benches);
