#!/usr/bin/env bash
# Ranking quality on the Cranfield collection (1,400 aeronautics abstracts, 225 judged
# queries) for BENCHMARKS.md: converts the SMART files in ../shared/data to JSONL, TSV queries
# and TREC qrels under target/eval/cranfield (Cleverdon codes 1-4 count as relevant, grade 1;
# -1 rows are ignored; queries are numbered 1..225 in file order, as the qrels number them),
# indexes the abstracts (title and text) and runs `durand eval`. Extra arguments go to
# `durand eval` (e.g. --doc-score max, --hybrid).
#
# Usage: scripts/eval_cranfield.sh [durand eval options…]
# Skips (exit 0) when ../shared/data is absent (the collection is not committed).
# Reference (../shared/data/02_ir_test_collections/SOURCE.md, pure-Python BM25, k1=1.2
# b=0.75): nDCG@10 0.3847, MAP 0.3066.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DURAND_DATA:-../shared/data}
CRAN=$DATA/02_ir_test_collections/glasgow_classic/cran
if [[ ! -f $CRAN/cran.all.1400 ]]; then
    echo "skip: $CRAN/cran.all.1400 not found (the collection is not committed)"
    exit 0
fi
OUT=target/eval/cranfield
mkdir -p "$OUT"
python3 - "$CRAN" "$OUT" <<'PY'
import json, re, sys
src, out = sys.argv[1], sys.argv[2]

def records(path):
    """SMART records: '.I id' then '.X' fields."""
    recs, cur, field = [], None, None
    for line in open(path, encoding="utf-8", errors="replace"):
        m = re.match(r"^\.([A-Z])(?:\s+(\S+))?\s*$", line)
        if m and m.group(1) == "I":
            cur = {"I": m.group(2)}
            recs.append(cur)
            field = None
        elif m:
            field = m.group(1)
            cur.setdefault(field, "")
        elif cur is not None and field:
            cur[field] += line
    return recs

with open(f"{out}/corpus.jsonl", "w") as f:
    for r in records(f"{src}/cran.all.1400"):
        text = " ".join(r.get("W", "").split())
        title = " ".join(r.get("T", "").split())
        f.write(json.dumps({"id": r["I"], "title": title, "text": text or title}) + "\n")
with open(f"{out}/queries.tsv", "w") as f:
    for n, r in enumerate(records(f"{src}/cran.qry"), 1):
        f.write(f"{n}\t{' '.join(r.get('W', '').split())}\n")
with open(f"{out}/qrels.txt", "w") as f:
    for line in open(f"{src}/cran.qrels"):
        q, d, code = line.split()[:3]
        if int(code) in (1, 2, 3, 4):
            f.write(f"{q} 0 {d} 1\n")
PY
cargo build --release --quiet
BIN=$(realpath "${CARGO_TARGET_DIR:-target}")/release/durand
# --hybrid or --semantic need passage vectors (embedded once; later runs reuse them).
semantic=()
for a in "$@"; do
    [[ $a == --hybrid || $a == --semantic ]] && semantic=(--semantic)
done
"$BIN" --index "$OUT/index" index --quiet "${semantic[@]}" "$OUT/corpus.jsonl" > /dev/null
echo "Cranfield:"
"$BIN" --index "$OUT/index" eval --color never \
    --queries "$OUT/queries.tsv" --qrels "$OUT/qrels.txt" --run "$OUT/cranfield.run" "$@"
