#!/usr/bin/env python3
"""Whole-process latency of `durand search` by BM25, --hybrid and --semantic, interleaved in
one run (BENCHMARKS.md, "Hybrid search"): the first 10 SciFact queries, 2 warm-up runs each,
then 5 rounds of every query in every mode.

Usage: python3 benches/hybrid_latency.py DURAND_BINARY INDEX [--data ../shared/data]
INDEX must have vectors (`durand --index INDEX index --semantic corpus.jsonl`).
"""
import json, os, statistics, subprocess, sys, time

B, I = sys.argv[1], sys.argv[2]
data = sys.argv[4] if len(sys.argv) > 4 and sys.argv[3] == "--data" else os.environ.get("DURAND_DATA", "../shared/data")
path = os.path.join(data, "02_ir_test_collections", "scifact_beir", "queries.jsonl")
if not os.path.isfile(path):
    print(f"skip: {path} not found")
    sys.exit(0)
queries = [json.loads(l)["text"] for l in open(path)][:10]
modes = {"bm25": [], "hybrid": ["--hybrid"], "semantic": ["--semantic"]}
res = {m: [] for m in modes}
for q in queries:
    for m, flags in modes.items():
        for _ in range(2):
            subprocess.run([B, "--index", I, "search", *flags, q], capture_output=True)
for rnd in range(5):
    for q in queries:
        for m, flags in modes.items():
            t = time.perf_counter()
            subprocess.run([B, "--index", I, "search", *flags, q], capture_output=True)
            res[m].append((time.perf_counter() - t) * 1000)
for m, v in res.items():
    v.sort()
    print(f"{m:9} median {statistics.median(v):6.1f} ms  p90 {v[int(len(v)*0.9)]:6.1f} ms  min {v[0]:6.1f} ms  (n={len(v)})")
