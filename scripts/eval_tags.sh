#!/usr/bin/env bash
# Tagging quality for BENCHMARKS.md: indexes the two Af-Pak files (scripts/afpak-index.sh) and
# runs `durand eval --tags eval/tags/afpak-dev.jsonl` on the dev split (tuned on) and the test
# split (only reported). Extra arguments go to `durand eval` (e.g. --json).
#
# Usage: scripts/eval_tags.sh [durand eval options…]
# Skips (exit 0) when ../shared/data is absent (the articles are not committed).
set -euo pipefail
source "$(dirname "$0")/afpak-index.sh"
for split in dev test; do
    echo "== $split"
    "$BIN" --index "$INDEX" eval --color never --tags eval/tags/afpak-dev.jsonl --split "$split" "$@"
done
