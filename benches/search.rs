//! Query latency per class (single word, several words, phrase, filtered, with facets) on
//! synthetic corpora of 10k and 100k documents, and on the first 100,000 records of the 2023
//! RSS corpus when `../shared/data` is present. Each iteration runs the class's queries
//! through the full search path (stored fields and snippets included) and checks their hit
//! counts, so a bench can never silently measure empty results.

mod common;

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use durand::DurandIndex;
use durand::bench::{BenchQuery, Class, parse_queries};
use durand::search::search;

const SYNTHETIC_QUERIES: &str = r#"
border
militants
elders
border crossing
security forces killed
drone strike commander
"security forces"
"border crossing"
attack --province Kunar
militants --group TTP
convoy --from 2020 --to 2022
border --facets
attack --facets --group "Haqqani network"
"#;

const RSS_QUERIES: &str = r#"
pakistan
earthquake
border crossing
interest rates
"prime minister"
"climate change"
attack --country Pakistan
taliban --group "Afghan Taliban"
pakistan --facets
election --facets
"#;

/// Runs every query once, checks it matches, and returns the hit counts to expect.
fn expected_hits(index: &DurandIndex, queries: &[BenchQuery]) -> Vec<usize> {
    queries
        .iter()
        .map(|q| {
            let r = search(index, &q.options).expect("query runs");
            assert!(r.total_hits > 0, "{} matches nothing", q.line);
            r.total_hits
        })
        .collect()
}

fn bench_corpus(c: &mut Criterion, name: &str, index: &DurandIndex, queries: &str) {
    let queries = parse_queries(queries, name).expect("queries parse");
    let expected = expected_hits(index, &queries);
    let mut group = c.benchmark_group(format!("search/{name}"));
    for class in [
        Class::SingleWord,
        Class::SeveralWords,
        Class::Phrase,
        Class::Filtered,
        Class::Facets,
    ] {
        let of_class: Vec<(&BenchQuery, usize)> = queries
            .iter()
            .zip(expected.iter().copied())
            .filter(|(q, _)| q.class == class)
            .collect();
        if of_class.is_empty() {
            continue;
        }
        group.bench_function(BenchmarkId::new(class.label(), of_class.len()), |b| {
            b.iter(|| {
                for (q, hits) in &of_class {
                    let r = search(index, black_box(&q.options)).expect("query runs");
                    assert_eq!(r.total_hits, *hits);
                    black_box(&r.hits);
                }
            })
        });
    }
    // Ranking alone: no stored fields, no snippets.
    let ranking: Vec<(BenchQuery, usize)> = queries
        .iter()
        .zip(expected.iter().copied())
        .filter(|(q, _)| q.class == Class::SingleWord)
        .map(|(q, hits)| {
            let mut q = q.clone();
            q.options.fetch = false;
            (q, hits)
        })
        .collect();
    group.bench_function(
        BenchmarkId::new("single word, ranking only", ranking.len()),
        |b| {
            b.iter(|| {
                for (q, hits) in &ranking {
                    let r = search(index, black_box(&q.options)).expect("query runs");
                    assert_eq!(r.total_hits, *hits);
                }
            })
        },
    );
    group.finish();
}

fn searches(c: &mut Criterion) {
    let dir = common::scratch();
    for n in [10_000, 100_000] {
        let source = common::write_corpus(&dir, n);
        let index = common::index_of(&source, &format!("synthetic-{n}"));
        bench_corpus(c, &format!("synthetic-{n}"), &index, SYNTHETIC_QUERIES);
    }
    match common::rss_slice(&dir, 100_000) {
        Some(source) => {
            let index = common::index_of(&source, "rss-100000");
            bench_corpus(c, "rss-100000", &index, RSS_QUERIES);
        }
        None => eprintln!("skipping the RSS corpus: ../shared/data is not there"),
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = searches
}
criterion_main!(benches);
