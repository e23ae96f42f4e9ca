//! What a search by meaning costs beyond BM25: scoring every stored vector against the
//! query's (the exact nearest-passage scan, at 10k, 100k and 1M passages: where exact search
//! stops being cheap), fusing two candidate lists, and — when the model has been fetched
//! (`scripts/fetch-model.sh`) — embedding a query and a batch of passages.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use durand::embed::{DIM, Embedder};
use durand::index::vectors::{Appender, FILE, Vectors};
use durand::search::hybrid::{DEFAULT_FUSION, fuse};

/// A unit vector from a seed (deterministic, spread over every dimension).
fn unit(seed: u64) -> Vec<f32> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let v: Vec<f32> = (0..DIM)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % 2001) as f32 / 1000.0 - 1.0
        })
        .collect();
    let n = v.iter().map(|a| a * a).sum::<f32>().sqrt();
    v.into_iter().map(|a| a / n).collect()
}

fn scan(c: &mut Criterion) {
    let mut group = c.benchmark_group("nearest passages (exact scan)");
    group.sample_size(10);
    let dir = tempfile::tempdir().unwrap();
    for n in [10_000u64, 100_000, 1_000_000] {
        let path = dir.path().join(format!("{n}-{FILE}"));
        let (mut out, _) = Appender::open(&path, "bench").unwrap();
        for key in 0..n {
            out.append(key, &unit(key)).unwrap();
        }
        out.sync().unwrap();
        drop(out);
        let vectors = Vectors::open(&path).unwrap().unwrap();
        let query = unit(u64::MAX);
        group.throughput(Throughput::Elements(n));
        group.bench_with_input(BenchmarkId::from_parameter(n), &vectors, |b, v| {
            b.iter(|| {
                let best = v.iter().map(|s| s.cosine(&query)).fold(f32::MIN, f32::max);
                black_box(best)
            })
        });
    }
    group.finish();
}

fn fusion(c: &mut Criterion) {
    let keyword: Vec<(u32, f32)> = (0..1000).map(|i| (i, 30.0 - i as f32 * 0.01)).collect();
    let semantic: Vec<(u32, f32)> = (500..1500).map(|i| (i, 0.9 - i as f32 * 1e-4)).collect();
    c.bench_function("fuse 1000 + 1000 candidates", |b| {
        b.iter(|| black_box(fuse(&keyword, &semantic, DEFAULT_FUSION)))
    });
}

fn model(c: &mut Criterion) {
    let dir = std::env::var_os("DURAND_MODEL").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("models/all-MiniLM-L6-v2"),
        PathBuf::from,
    );
    let Ok(embedder) = Embedder::load(&dir) else {
        eprintln!(
            "skip: no model in {} (scripts/fetch-model.sh)",
            dir.display()
        );
        return;
    };
    let mut group = c.benchmark_group("embedding");
    group.sample_size(10);
    group.bench_function("one query", |b| {
        b.iter(|| black_box(embedder.embed(&["insurgents slain in Bajaur"]).unwrap()))
    });
    // Passages of about the length durand cuts (up to 120 words), with a title.
    let passage = "Security forces killed five militants in an intelligence-based operation \
        in the Bajaur district of Khyber Pakhtunkhwa on Tuesday, the military's media wing \
        said, adding that weapons and ammunition were recovered from the hideout. The \
        militants had been involved in attacks on security forces and the killing of \
        civilians, it said. A soldier was injured in the exchange of fire. Officials said \
        a search operation was under way in the area to clear it of any other militants.";
    let texts: Vec<String> = (0..32)
        .map(|i| format!("Report {i}: operation in Bajaur\n{passage}"))
        .collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    group.throughput(Throughput::Elements(refs.len() as u64));
    group.bench_function("32 passages of ~90 words", |b| {
        b.iter(|| black_box(embedder.embed_many(&refs, 8).unwrap()))
    });
    group.finish();
}

criterion_group!(benches, scan, fusion, model);
criterion_main!(benches);
