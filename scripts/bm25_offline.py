#!/usr/bin/env python3
"""What BM25 settings durand cannot change would have done on SciFact (BENCHMARKS.md,
"Ranking quality"): a plain whole-document BM25 over title + text, outside durand, with
`[a-z0-9]+` words, trying k1/b (tantivy fixes 1.2/0.75), stemmers and Lucene's stop words.

Usage: python3 scripts/bm25_offline.py [--split test|train] [--data ../shared/data]
Needs the `snowballstemmer` package (pip install snowballstemmer). Skips (exit 0) when the
collection is absent.
"""

import argparse
import collections
import json
import math
import os
import re
import sys

LUCENE_STOP_WORDS = (
    "a an and are as at be but by for if in into is it no not of on or such that the their "
    "then there these they this to was will with"
).split()


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", default="test", choices=["test", "train"])
    ap.add_argument("--data", default=os.path.join(here, "..", "..", "shared", "data"))
    args = ap.parse_args()
    root = os.path.join(args.data, "02_ir_test_collections", "scifact_beir")
    if not os.path.isfile(os.path.join(root, "corpus.jsonl")):
        print(f"skip: {root}/corpus.jsonl not found (the collection is not committed)")
        return
    try:
        import snowballstemmer
    except ImportError:
        sys.exit("needs snowballstemmer: pip install snowballstemmer")

    docs = [json.loads(line) for line in open(os.path.join(root, "corpus.jsonl"))]
    queries = {}
    for line in open(os.path.join(root, "queries.jsonl")):
        q = json.loads(line)
        queries[q["_id"]] = q["text"]
    qrels = collections.defaultdict(dict)
    for line in open(os.path.join(root, "qrels", f"{args.split}.tsv")):
        cols = line.split()
        if len(cols) != 3 or cols[0] == "query-id":  # train.tsv repeats its header
            continue
        qrels[cols[0]][cols[1]] = int(cols[2])

    def words(s):
        return re.findall(r"[a-z0-9]+", s.lower())

    def evaluate(stem, k1=1.2, b=0.75, stop=()):
        toks = [stem(words(d["title"] + " " + d["text"])) for d in docs]
        n = len(docs)
        avgdl = sum(map(len, toks)) / n
        df = collections.Counter(t for ts in toks for t in set(ts))
        postings = collections.defaultdict(list)
        for i, ts in enumerate(toks):
            for t, c in collections.Counter(ts).items():
                postings[t].append((i, c))
        stop = set(stem(list(stop)))
        ndcg, recall = [], []
        for qid, rel in qrels.items():
            scores = collections.defaultdict(float)
            for t in stem(words(queries[qid])):
                if t in stop or t not in df:
                    continue
                idf = math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
                for i, c in postings[t]:
                    norm = k1 * (1 - b + b * len(toks[i]) / avgdl)
                    scores[i] += idf * c * (k1 + 1) / (c + norm)
            ranked = sorted(scores.items(), key=lambda x: -x[1])[:100]
            ranked = [docs[i]["_id"] for i, _ in ranked]
            gains = [rel.get(d, 0) for d in ranked]
            dcg = sum(g / math.log2(r + 2) for r, g in enumerate(gains[:10]) if g > 0)
            ideal = sorted((g for g in rel.values() if g > 0), reverse=True)[:10]
            idcg = sum(g / math.log2(r + 2) for r, g in enumerate(ideal))
            relevant = sum(1 for g in rel.values() if g > 0)
            ndcg.append(dcg / idcg if idcg else 0.0)
            recall.append(sum(1 for g in gains if g > 0) / relevant if relevant else 0.0)
        return sum(ndcg) / len(ndcg), sum(recall) / len(recall)

    snowball = snowballstemmer.stemmer("english").stemWords
    porter = snowballstemmer.stemmer("porter").stemWords
    runs = [
        ("k1/b 1.2/0.75 (tantivy), Snowball English", snowball, {}),
        ("k1/b 0.9/0.4 (Anserini)", snowball, {"k1": 0.9, "b": 0.4}),
        ("k1/b 1.2/0.4", snowball, {"b": 0.4}),
        ("k1/b 0.9/0.75", snowball, {"k1": 0.9}),
        ("no stemming", lambda ws: ws, {}),
        ("Porter stemming", porter, {}),
        ("Lucene's 33 stop words", snowball, {"stop": LUCENE_STOP_WORDS}),
    ]
    print(f"SciFact {args.split}, {len(qrels)} queries: offline BM25, title + text")
    for label, stem, kw in runs:
        nd, rec = evaluate(stem, **kw)
        print(f"  {label:45} nDCG@10 {nd:.4f}  Recall@100 {rec:.4f}")


if __name__ == "__main__":
    main()
