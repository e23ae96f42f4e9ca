#!/usr/bin/env bash
# Event quality for BENCHMARKS.md: indexes the two Af-Pak files (scripts/afpak-index.sh) and
# runs `durand eval --events` with the twenty-two Af-Pak label files of eval/events on the dev split
# (tuned on) and the test split (only reported). Extra arguments go to `durand eval`.
#
# Usage: scripts/eval_events.sh [durand eval options…]
# Skips (exit 0) when ../shared/data is absent (the articles are not committed).
set -euo pipefail
source "$(dirname "$0")/afpak-index.sh"
for split in dev test; do
    echo "== $split"
    "$BIN" --index "$INDEX" eval --color never --events eval/events/afpak-dev.jsonl \
        --events eval/events/afpak-dev2.jsonl --events eval/events/afpak-dev3.jsonl \
        --events eval/events/afpak-dev4.jsonl --events eval/events/afpak-dev5.jsonl \
        --events eval/events/afpak-dev6.jsonl --events eval/events/afpak-dev7.jsonl \
        --events eval/events/incidents-2023.jsonl --events eval/events/incidents-2023b.jsonl \
        --events eval/events/incidents-2023c.jsonl --events eval/events/afpak-test2.jsonl \
        --events eval/events/incidents-2023d.jsonl --events eval/events/afpak-dev8.jsonl \
        --events eval/events/incidents-2021-22.jsonl --events eval/events/afpak-dev9.jsonl \
        --events eval/events/afpak-dev10.jsonl --events eval/events/afpak-dev11.jsonl \
        --events eval/events/afpak-dev12.jsonl --events eval/events/afpak-dev13.jsonl \
        --events eval/events/afpak-dev14.jsonl --events eval/events/afpak-dev15.jsonl \
        --events eval/events/afpak-dev16.jsonl \
        --split "$split" "$@"
done
