#!/usr/bin/env bash
# Ranking quality on the users' own domain for BENCHMARKS.md: the 34 hand-judged analyst
# queries of eval/hybrid over the 9,001 Af-Pak RSS items, ranked by durand's BM25, hybrid and
# semantic search, and by SQLite FTS5 (scripts/eval_fts5.py) in the same run. Indexes the
# items with vectors once (about 15 minutes on 2 cores; later runs reuse them). Needs the
# model (scripts/fetch-model.sh). Extra arguments go to `durand eval`; `--fusion` and
# `--weight` only to its hybrid run (they need --hybrid).
#
# Usage: scripts/eval_afpak.sh [durand eval options…]
# Skips (exit 0) when ../shared/data is absent (the articles are not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DURAND_DATA:-../shared/data}
RSS=$DATA/05_afpak_news/afpak_rss_items_2021_2023.jsonl
if [[ ! -f $RSS ]]; then
    echo "skip: $RSS not found (the articles are not committed)"
    exit 0
fi
scripts/fetch-model.sh > /dev/null
cargo build --release --quiet
BIN=$(realpath "${CARGO_TARGET_DIR:-target}")/release/durand
INDEX=target/eval/afpak-rss-index
"$BIN" --index "$INDEX" index --quiet --semantic "$RSS" > /dev/null
common=()
fusion=()
while (($#)); do
    case $1 in
        --fusion | --weight) fusion+=("$1" "$2"); shift 2 ;;
        --fusion=* | --weight=*) fusion+=("$1"); shift ;;
        *) common+=("$1"); shift ;;
    esac
done
for ranking in "" --hybrid --semantic; do
    extra=()
    if [[ $ranking == --hybrid ]]; then extra=("${fusion[@]}"); fi
    "$BIN" --index "$INDEX" eval --color never $ranking \
        --queries eval/hybrid/afpak-queries.tsv --qrels eval/hybrid/afpak-qrels.txt \
        "${common[@]}" "${extra[@]}"
done
python3 scripts/eval_fts5.py --data "$DATA"
