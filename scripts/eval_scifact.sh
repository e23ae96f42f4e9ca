#!/usr/bin/env bash
# Ranking quality on BEIR SciFact for BENCHMARKS.md: index the 5,183 abstracts, then evaluate
# the 300 test queries (and, with --train, the 809 training queries the defaults were tuned
# on) with `durand eval`. Extra arguments go to `durand eval` (e.g. --doc-score max).
#
# Usage: scripts/eval_scifact.sh [--train] [durand eval options…]
# Skips (exit 0) when ../shared/data is absent (the collection is not committed).
# Published BM25 baselines on the test set: nDCG@10 0.665 (BEIR), 0.679 (Anserini,
# title+text); Recall@100 0.925.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DURAND_DATA:-../shared/data}
SCIFACT=$DATA/02_ir_test_collections/scifact_beir
if [[ ! -f $SCIFACT/corpus.jsonl ]]; then
    echo "skip: $SCIFACT/corpus.jsonl not found (the collection is not committed)"
    exit 0
fi
splits=(test)
if [[ ${1:-} == --train ]]; then
    splits+=(train)
    shift
fi
cargo build --release --quiet
BIN=$(realpath "${CARGO_TARGET_DIR:-target}")/release/durand
# Kept between runs: re-indexing an unchanged corpus only checks it.
INDEX=target/eval/scifact-index
# --hybrid or --semantic need passage vectors (embedded once; later runs reuse them).
semantic=()
for a in "$@"; do
    [[ $a == --hybrid || $a == --semantic ]] && semantic=(--semantic)
done
"$BIN" --index "$INDEX" index --quiet "${semantic[@]}" "$SCIFACT/corpus.jsonl" > /dev/null
for split in "${splits[@]}"; do
    echo "SciFact $split:"
    "$BIN" --index "$INDEX" eval --color never \
        --queries "$SCIFACT/queries.jsonl" --qrels "$SCIFACT/qrels/$split.tsv" \
        --run "target/eval/scifact-$split.run" "$@"
done
