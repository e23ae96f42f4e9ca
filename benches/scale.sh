#!/usr/bin/env bash
# Scale run for BENCHMARKS.md: index all 524,069 records of the 2023 RSS corpus (the gzip is
# read directly), then add 1,000 new records in a second file and re-index, then re-index
# with nothing changed. Prints docs/s, MB/s of source, peak resident memory, index size and
# the incremental runs' cost as a share of the full build.
#
# Usage: benches/scale.sh [durand index options…]    (e.g. --threads 1 --memory 128)
# Skips (exit 0) when ../shared/data is absent. Needs python3 and GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DURAND_DATA:-../shared/data}
GZ=$DATA/01_news_rss2023/rss2023_news_en.jsonl.gz
AFPAK=$DATA/05_afpak_news/afpak_rss_items_2021_2023.jsonl
if [[ ! -f $GZ || ! -f $AFPAK ]]; then
    echo "skip: $GZ or $AFPAK not found (the scale corpus is not committed)"
    exit 0
fi
cargo build --release --quiet
BIN=$(realpath "${CARGO_TARGET_DIR:-target}")/release/durand
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# 1,000 Af-Pak items that are not in the 2023 corpus.
python3 - "$AFPAK" "$WORK/new.jsonl" <<'PY'
import json, sys
n = 0
with open(sys.argv[2], "w") as out:
    for line in open(sys.argv[1]):
        d = json.loads(line)
        if d.get("in_01_scale_corpus"):
            continue
        out.write(json.dumps(d) + "\n")
        n += 1
        if n == 1000:
            break
PY

run() { # label, durand args…
    local label=$1; shift
    /usr/bin/time -f "%e %M" -o "$WORK/time" "$BIN" --index "$WORK/index" index --json --quiet "$@" \
        > "$WORK/$label.json"
    read -r secs rss_kb < "$WORK/time"
    echo "$label $secs $rss_kb $(cat "$WORK/$label.json")"
}

RAW=$(gzip -dc "$GZ" | wc -c)
full=$(run full "$@" "$GZ")
inc=$(run incremental "$@" "$GZ" "$WORK/new.jsonl")
noop=$(run unchanged "$@" "$GZ" "$WORK/new.jsonl")
SIZE=$(du -sb "$WORK/index" | cut -f1)

python3 - "$RAW" "$SIZE" "$(nproc)" "$full" "$inc" "$noop" <<'PY'
import json, sys
raw, size, cores = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rows = []
for arg in sys.argv[4:]:
    label, secs, rss, summary = arg.split(" ", 3)
    rows.append((label, float(secs), int(rss) / 1024, json.loads(summary)))
full_secs = rows[0][1]
print(f"source: {raw / 1e6:.1f} MB of JSONL (gzip read directly); {cores} cores")
print("| run | added | unchanged | wall s | docs/s | MB/s of source | peak RSS MiB | share of full build |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for label, secs, rss, s in rows:
    touched = s["added"] + s["updated"] + s["removed"]
    docs = s["added"] + s["updated"] + s["unchanged"]
    print(f"| {label} | {s['added']:,} | {s['unchanged']:,} | {secs:.2f} | {docs / secs:,.0f} "
          f"| {raw / 1e6 / secs:.1f} | {rss:.0f} | {100 * secs / full_secs:.1f}% |")
print(f"index size: {size / 2**20:.0f} MiB for {rows[-1][3]['documents']:,} documents, "
      f"{rows[-1][3]['passages']:,} passages")
PY
