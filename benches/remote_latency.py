#!/usr/bin/env python3
"""Whole-process latency of `durand search` on the local index and on a remote Typesense
collection, interleaved in one run (BENCHMARKS.md, "Remote search"): every query of a
`durand bench` query file, 2 warm-up runs each, then ROUNDS rounds of every query both ways.
Queries the remote side refuses (OR, prefix*, ~N) are reported and left out.

Usage: python3 benches/remote_latency.py DURAND_BINARY INDEX URLS KEY QUERIES [ROUNDS [COLLECTION]]
"""
import shlex, statistics, subprocess, sys, time

B, I, URLS, KEY, QUERIES = sys.argv[1:6]
ROUNDS = int(sys.argv[6]) if len(sys.argv) > 6 else 10
COLLECTION = sys.argv[7] if len(sys.argv) > 7 else "durand"
queries = []
for line in open(QUERIES):
    line = line.strip()
    if line and not line.startswith("#"):
        queries.append(shlex.split(line))
modes = {"local": ["--all"], "remote": ["--remote", URLS, "--collection", COLLECTION, "--api-key", KEY]}


def run(mode, q):
    return subprocess.run([B, "--index", I, "search", *modes[mode], *q], capture_output=True)


usable = []
for q in queries:
    r = run("remote", q)
    if r.returncode == 2:
        print(f"left out {' '.join(q)!r}: {r.stderr.decode().strip()}")
        continue
    usable.append(q)
    for mode in modes:
        for _ in range(2):
            run(mode, q)
times = {m: [] for m in modes}
for _ in range(ROUNDS):
    for q in usable:
        for mode in modes:
            t = time.perf_counter()
            run(mode, q)
            times[mode].append((time.perf_counter() - t) * 1000)
for mode, v in times.items():
    v.sort()
    p95 = v[min(len(v) - 1, int(len(v) * 0.95))]
    print(f"{mode:6} p50 {statistics.median(v):6.1f} ms  p95 {p95:6.1f} ms  min {v[0]:6.1f} ms  (n={len(v)})")
l, r = sorted(times["local"]), sorted(times["remote"])
print(f"remote/local p50 {statistics.median(r) / statistics.median(l):.2f}")
