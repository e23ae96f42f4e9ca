#!/usr/bin/env bash
# Push throughput and remote search latency (BENCHMARKS.md, "Remote search"): the first N
# items of the 2023 RSS corpus indexed locally, pushed to a fresh 3-node cluster with two
# batch sizes, pushed again with nothing changed, then the bench queries timed as whole
# processes, local and remote interleaved. Exits 0 with "skip" when ../shared/data is absent.
#
#   scripts/bench_remote.sh [N]      (default 20000)
set -euo pipefail
# shellcheck source=scripts/shared-data.sh
source "$(dirname "${BASH_SOURCE[0]}")/shared-data.sh"
N=${1:-20000}
RSS=$DATA/01_news_rss2023/rss2023_news_en.jsonl.gz
need "$RSS"
release
WORK=target/bench-remote
rm -rf "$WORK" && mkdir -p "$WORK"
# zcat ends on SIGPIPE when head has its lines: not a failure.
(zcat "$RSS" || true) | head -n "$N" >"$WORK/rss.jsonl"
"$BIN" --index "$WORK/index" index --quiet "$WORK/rss.jsonl" >/dev/null

export DURAND_CLUSTER_DIR=$PWD/$WORK/cluster
trap 'scripts/cluster.sh stop' EXIT
# shellcheck disable=SC1091
scripts/cluster.sh start >/dev/null && . "$DURAND_CLUSTER_DIR/env"
for batch in 500 2000; do
    "$BIN" --index "$WORK/index" push "$DURAND_REMOTE_URLS" --collection "b$batch" \
        --api-key "$DURAND_REMOTE_KEY" --batch "$batch" --quiet
done
# Nothing changed: what an incremental push costs (reading and hashing every record).
"$BIN" --index "$WORK/index" push "$DURAND_REMOTE_URLS" --collection b500 \
    --api-key "$DURAND_REMOTE_KEY" --quiet
python3 benches/remote_latency.py "$BIN" "$WORK/index" "$DURAND_REMOTE_URLS" \
    "$DURAND_REMOTE_KEY" benches/rss_queries.txt 10 b500
