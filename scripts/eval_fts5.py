#!/usr/bin/env python3
"""The SQLite FTS5 baseline of the Af-Pak ranking judgments (eval/hybrid, BENCHMARKS.md):
an FTS5 table over the 9,001 Af-Pak RSS items (title and description, the porter tokenizer
over unicode61, bm25() ranking), each query's words OR-ed (as durand's any-word mode) or
AND-ed, scored with graded nDCG@10 and Recall@100 exactly as `durand eval` scores them.

Usage: python3 scripts/eval_fts5.py [--data ../shared/data]
Skips (exit 0) when the collection is absent (it is not committed).
"""

import argparse
import json
import math
import os
import re
import sqlite3
import sys

ap = argparse.ArgumentParser()
ap.add_argument("--data", default=os.environ.get("DURAND_DATA", "../shared/data"))
args = ap.parse_args()
here = os.path.dirname(os.path.abspath(__file__))
rss = os.path.join(args.data, "05_afpak_news", "afpak_rss_items_2021_2023.jsonl")
if not os.path.isfile(rss):
    print(f"skip: {rss} not found (the articles are not committed)")
    sys.exit(0)

db = sqlite3.connect(":memory:")
db.execute("create virtual table items using fts5(id unindexed, title, body, tokenize='porter unicode61')")
with open(rss, encoding="utf-8") as f:
    for line in f:
        r = json.loads(line)
        db.execute("insert into items values (?, ?, ?)", (r["id"], r.get("title") or "", r.get("description") or ""))

queries = {}
with open(os.path.join(here, "..", "eval", "hybrid", "afpak-queries.tsv"), encoding="utf-8") as f:
    for line in f:
        if line.strip():
            qid, text = line.rstrip("\n").split("\t", 1)
            queries[qid] = text
qrels = {}
with open(os.path.join(here, "..", "eval", "hybrid", "afpak-qrels.txt"), encoding="utf-8") as f:
    for line in f:
        q, _, d, g = line.split()
        qrels.setdefault(q, {})[d] = int(g)


def ndcg(ranked, judged, k=10):
    dcg = sum(max(judged.get(d, 0), 0) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted((g for g in judged.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall(ranked, judged, n=100):
    rel = {d for d, g in judged.items() if g > 0}
    return len(rel & set(ranked[:n])) / len(rel) if rel else 0.0


for joiner in (" OR ", " AND "):
    n, r = [], []
    for qid, text in queries.items():
        words = re.findall(r"[\w']+", text.lower())
        match = joiner.join('"' + w.replace('"', '') + '"' for w in words)
        rows = db.execute(
            "select id from items where items match ? order by bm25(items) limit 1000", (match,)
        ).fetchall()
        ranked = [row[0] for row in rows]
        n.append(ndcg(ranked, qrels.get(qid, {})))
        r.append(recall(ranked, qrels.get(qid, {})))
    label = "OR" if "OR" in joiner else "AND"
    print(f"FTS5 words {label}-ed: nDCG@10 {sum(n) / len(n):.4f}  Recall@100 {sum(r) / len(r):.4f}  ({len(n)} queries)")
