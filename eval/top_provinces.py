#!/usr/bin/env python3
"""The province facet check of issue 12: are the top 30 province values on the Af-Pak RSS
index mostly right?

`sample` draws up to 20 documents per value from an index (via `durand docs --json` and
`durand show --json`) and writes a worksheet with each document's title and description from
../shared/data, for a reader to judge by hand (the worksheet holds article text: keep it out
of the repository). `table` prints, per value, how many of the sampled documents a reader
judged right, from judgement lines {"province", "id", "right", "why"}.

Usage:
  eval/top_provinces.py sample INDEX SEED > worksheet.jsonl
  eval/top_provinces.py table eval/tags/rss-top30-after.jsonl
"""
import collections
import json
import random
import subprocess
import sys
from pathlib import Path

RSS = Path(__file__).resolve().parents[2] / "shared/data/05_afpak_news/afpak_rss_items_2021_2023.jsonl"


def durand(index, *args):
    out = subprocess.run(["durand", "--index", index, *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def sample(index, seed):
    source = {}
    with open(RSS, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            source[r["id"]] = r
    by = collections.defaultdict(list)
    for d in durand(index, "docs", "--json")["documents"]:
        for p in d["provinces"]:
            by[p].append(d["doc"])
    top = sorted(by.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:30]
    rng = random.Random(seed)
    for province, ids in top:
        for doc in sorted(rng.sample(sorted(ids), min(20, len(ids)))):
            shown = durand(index, "show", doc, "--json")
            found = [f for e in shown["entities"] if e["kind"] == "province" and e["value"] == province
                     for f in e["found"]]
            r = source[doc]
            print(json.dumps({"province": province, "facet_count": len(ids), "id": doc,
                              "found_as": found, "title": r.get("title"),
                              "description": r.get("description")}, ensure_ascii=False))


def table(path):
    counts = collections.OrderedDict()
    with open(path, encoding="utf-8") as f:
        for line in f:
            j = json.loads(line)
            right, total = counts.get(j["province"], (0, 0))
            counts[j["province"]] = (right + bool(j["right"]), total + 1)
    for province, (right, total) in counts.items():
        print(f"{province}\t{right}/{total}")
    print(f"all\t{sum(r for r, _ in counts.values())}/{sum(t for _, t in counts.values())}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "sample":
        sample(sys.argv[2], int(sys.argv[3]))
    elif len(sys.argv) == 3 and sys.argv[1] == "table":
        table(sys.argv[2])
    else:
        sys.exit(__doc__)
