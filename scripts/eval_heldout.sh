#!/usr/bin/env bash
# Held-out quality for BENCHMARKS.md, on another corpus than the one the rules were tuned on:
# indexes the 524,069 RSS items of 2023 (../shared/data/01_news_rss2023, about a minute) and
# runs `durand eval --tags` and `durand eval --events` with the hand labels of 95 of them
# (eval/tags/rss2023-heldout.jsonl, eval/events/rss2023-heldout.jsonl; all split test,
# never tuned on). Extra arguments go to `durand eval` (e.g. --json).
#
# Usage: scripts/eval_heldout.sh [durand eval options…]
# Skips (exit 0) when ../shared/data is absent (the articles are not committed).
set -euo pipefail
# shellcheck source=scripts/shared-data.sh
source "$(dirname "$0")/shared-data.sh"
FEED=$DATA/01_news_rss2023/rss2023_news_en.jsonl.gz
need "$FEED"
release
INDEX=target/eval/rss2023-index
"$BIN" --index "$INDEX" index --quiet "$FEED" > /dev/null
echo "== tags"
"$BIN" --index "$INDEX" eval --color never --tags eval/tags/rss2023-heldout.jsonl --split test "$@"
echo "== events"
"$BIN" --index "$INDEX" eval --color never --events eval/events/rss2023-heldout.jsonl --split test "$@"
