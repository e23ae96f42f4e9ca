//! Throughput of the indexing pipeline's stages on the seeded synthetic corpus: the analyzer
//! (MiB/s of text), cleaning and passage splitting (MiB/s), a whole index build of 10k
//! documents, and the analysis of one document of 1, 4, 16 and 64 MiB of paragraphs and of 1,
//! 4 and 16 MiB on one line (its throughput must not fall with its size: analysis is linear). Each bench checks what it produced.

mod common;

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use durand::analyzer::{analyzer, terms};
use durand::clean::clean;
use durand::index::sync::{SyncOptions, sync};
use durand::passage::split;

fn texts(n: usize) -> Vec<String> {
    let path = common::write_corpus(&common::scratch(), n);
    std::fs::read_to_string(path)
        .expect("corpus readable")
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json");
            v["text"].as_str().expect("text").to_string()
        })
        .collect()
}

fn stages(c: &mut Criterion) {
    let docs = texts(10_000);
    let bytes: usize = docs.iter().map(String::len).sum();
    let expected_tokens: usize = {
        let mut a = analyzer();
        docs.iter().map(|t| terms(&mut a, t).len()).sum()
    };
    assert!(expected_tokens > 1_000_000);

    let mut group = c.benchmark_group("pipeline");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.bench_function("analyzer (10k docs)", |b| {
        let mut a = analyzer();
        b.iter(|| {
            let n: usize = docs.iter().map(|t| terms(&mut a, black_box(t)).len()).sum();
            assert_eq!(n, expected_tokens);
        })
    });
    group.bench_function("clean + passages (10k docs)", |b| {
        b.iter(|| {
            let n: usize = docs
                .iter()
                .map(|t| split(&clean(black_box(t), Some("Title"))).len())
                .sum();
            assert!(n >= docs.len());
        })
    });
    group.finish();

    let source = common::write_corpus(&common::scratch(), 10_000);
    let mut build = c.benchmark_group("index build");
    build.sample_size(10);
    build.bench_function("10k documents, from scratch", |b| {
        b.iter_with_setup(
            || tempfile::tempdir().expect("temp dir"),
            |dir| {
                let options = SyncOptions::new(dir.path().join("index"), vec![source.clone()]);
                let s = sync(&options, &durand::report::Silent, None).expect("builds");
                assert_eq!(s.documents, 10_000);
                dir
            },
        )
    });
    build.finish();
}

/// One document of about `bytes` bytes: the corpus's texts one after another, as paragraphs
/// (`separator` a blank line) or as one endless line (a space).
fn one_document(texts: &[String], bytes: usize, separator: &str) -> String {
    let mut out = String::with_capacity(bytes + 4096);
    out.push_str("A very long report\n\n");
    for t in texts.iter().cycle() {
        if out.len() >= bytes {
            break;
        }
        if separator.contains('\n') {
            out.push_str(t);
        } else {
            out.push_str(&t.replace('\n', " "));
        }
        out.push_str(separator);
    }
    out
}

fn one_huge_document(c: &mut Criterion) {
    use durand::analysis::analyse;
    use durand::index::document::records;
    use durand::index::schema::{Fields, build_schema};
    use durand::tag::{Table, Tagger};
    let docs = texts(10_000);
    let fields = Fields::resolve(&build_schema()).expect("schema");
    let tagger = Tagger::new(Table::builtin()).expect("the tables build");
    let mut group = c.benchmark_group("one document");
    group.sample_size(10);
    // Abbreviations defined in brackets ("Frontier Constabulary (FC)") once per text, as
    // news defines them: each bracket used to be compared with every name of the document.
    let defined: Vec<String> = docs
        .iter()
        .map(|t| {
            format!(
                "{t} The Frontier Constabulary (FC) and the Pakistan Army (PA) said so (briefly)."
            )
        })
        .collect();
    let shapes = [1usize, 4, 16, 64]
        .map(|mib| (mib, "\n\n", "", &docs))
        .into_iter()
        .chain([1usize, 4, 16].map(|mib| (mib, " ", " on one line", &docs)))
        .chain(
            [1usize, 4, 16].map(|mib| (mib, " ", " on one line, abbreviations defined", &defined)),
        );
    for (mib, separator, shape, texts) in shapes {
        let text = one_document(texts, mib << 20, separator);
        let raw = durand::RawDoc {
            id: "huge".into(),
            file: "huge.txt".into(),
            line: None,
            title: None,
            date: Some("2024-01-01".into()),
            source: None,
            url: None,
            text,
            stamp: 0,
        };
        group.throughput(Throughput::Bytes(raw.text.len() as u64));
        group.bench_function(format!("analysis of {mib} MiB{shape}"), |b| {
            b.iter(|| {
                let prepared = records(&raw, &analyse(black_box(&raw), &tagger), &fields);
                assert!(prepared.passages > mib * 1000);
            })
        });
    }
    group.finish();
}

criterion_group!(benches, stages, one_huge_document);
criterion_main!(benches);
