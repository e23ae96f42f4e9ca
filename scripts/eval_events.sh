#!/usr/bin/env bash
# Event quality for BENCHMARKS.md: indexes the two Af-Pak files of ../shared/data (the 9,001
# RSS items and the 257 PANDA articles the labelled documents and incidents were drawn from)
# and runs `durand eval --events` with the three label files on the dev split (tuned on) and
# the test split (only reported). Extra arguments go to `durand eval` (e.g. --json).
#
# Usage: scripts/eval_events.sh [durand eval options…]
# Skips (exit 0) when ../shared/data is absent (the articles are not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DURAND_DATA:-../shared/data}
AFPAK=$DATA/05_afpak_news
if [[ ! -f $AFPAK/afpak_rss_items_2021_2023.jsonl ]]; then
    echo "skip: $AFPAK not found (the articles are not committed)"
    exit 0
fi
cargo build --release --quiet
BIN=$(realpath "${CARGO_TARGET_DIR:-target}")/release/durand
INDEX=target/eval/afpak-index
"$BIN" --index "$INDEX" index --quiet "$AFPAK/afpak_rss_items_2021_2023.jsonl" \
    "$AFPAK/panda_pakistani_news_2017_2018.jsonl" > /dev/null
for split in dev test; do
    echo "== $split"
    "$BIN" --index "$INDEX" eval --color never --events eval/events/afpak-dev.jsonl \
        --events eval/events/afpak-dev2.jsonl --events eval/events/incidents-2023.jsonl \
        --split "$split" "$@"
done
