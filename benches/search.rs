//! Query latency per class (single word, several words, phrase, filtered, with facets) on
//! synthetic corpora of 10k and 100k documents, and on the first 100,000 records of the 2023
//! RSS corpus when `../shared/data` is present. Each iteration runs the class's queries
//! through the full search path (stored fields and snippets included) and checks their hit
//! counts, so a bench can never silently measure empty results.

mod common;

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use durand::DurandIndex;
use durand::bench::{BenchQuery, Class};
use durand::date::PartialDate;
use durand::search::{SearchOptions, search};
use durand::tag::EntityKind;

/// A query of a bench: its words and how its options differ from a plain search. Flags are
/// the command line's business; benches build the library's options directly.
fn query(text: &str, change: impl FnOnce(&mut SearchOptions)) -> BenchQuery {
    let mut options = SearchOptions::new(text);
    change(&mut options);
    BenchQuery {
        line: text.to_string(),
        origin: "bench".to_string(),
        class: Class::of(&options),
        options,
    }
}

fn plain(text: &str) -> BenchQuery {
    query(text, |_| {})
}

fn entity(kind: EntityKind, name: &str) -> impl FnOnce(&mut SearchOptions) {
    move |o| o.filters.entities.get_mut(kind).push(name.to_string())
}

fn synthetic_queries() -> Vec<BenchQuery> {
    vec![
        plain("border"),
        plain("militants"),
        plain("elders"),
        plain("border crossing"),
        plain("security forces killed"),
        plain("drone strike commander"),
        plain("\"security forces\""),
        plain("\"border crossing\""),
        query("attack", entity(EntityKind::PROVINCE, "Kunar")),
        query("militants", entity(EntityKind::GROUP, "TTP")),
        query("convoy", |o| {
            o.filters.from = PartialDate::parse_iso("2020");
            o.filters.to = PartialDate::parse_iso("2022");
        }),
        query("border", |o| o.facets = true),
        query("attack", |o| {
            o.facets = true;
            o.filters
                .entities
                .get_mut(EntityKind::GROUP)
                .push("Haqqani network".into());
        }),
    ]
}

fn rss_queries() -> Vec<BenchQuery> {
    vec![
        plain("pakistan"),
        plain("earthquake"),
        plain("border crossing"),
        plain("interest rates"),
        plain("\"prime minister\""),
        plain("\"climate change\""),
        query("attack", |o| o.filters.countries.push("Pakistan".into())),
        query("taliban", entity(EntityKind::GROUP, "Afghan Taliban")),
        query("pakistan", |o| o.facets = true),
        query("election", |o| o.facets = true),
    ]
}

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

fn bench_corpus(c: &mut Criterion, name: &str, index: &DurandIndex, queries: Vec<BenchQuery>) {
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
        bench_corpus(c, &format!("synthetic-{n}"), &index, synthetic_queries());
    }
    match common::rss_slice(&dir, 100_000) {
        Some(source) => {
            let index = common::index_of(&source, "rss-100000");
            bench_corpus(c, "rss-100000", &index, rss_queries());
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
