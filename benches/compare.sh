#!/usr/bin/env bash
# Whole-process comparison, one run, same corpus: `durand search` (top 10 with snippets)
# against SQLite FTS5 (porter unicode61, `MATCH … ORDER BY bm25 LIMIT 10` with snippet())
# and ripgrep (`rg -i`, no index), timed with hyperfine. Prints a table of medians and the
# ratios durand/FTS5 and durand/rg, with an empty Rust program as the process-start floor.
#
# Corpus: the first 100,000 records of ../shared/data/01_news_rss2023 (skips, exit 0, when
# it is absent). Installs sqlite3, ripgrep and hyperfine with apt-get when missing.
#
# Usage: benches/compare.sh [--cold]   (--cold drops the page cache before every run; root)
# Environment: WORK=DIR keeps the corpus, indexes and database between runs; RUNS, RECORDS.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DURAND_DATA:-../shared/data}
GZ=$DATA/01_news_rss2023/rss2023_news_en.jsonl.gz
RECORDS=${RECORDS:-100000}
RUNS=${RUNS:-40}
COLD=0
[[ ${1:-} == --cold ]] && COLD=1
if [[ ! -f $GZ ]]; then
    echo "skip: $GZ not found (the comparison corpus is not committed)"
    exit 0
fi

need=()
command -v sqlite3 >/dev/null || need+=(sqlite3)
command -v rg >/dev/null || need+=(ripgrep)
command -v hyperfine >/dev/null || need+=(hyperfine)
command -v python3 >/dev/null || need+=(python3)
if ((${#need[@]})); then
    SUDO=; [[ $(id -u) != 0 ]] && SUDO=sudo
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

cargo build --release --quiet
BIN=$(realpath "${CARGO_TARGET_DIR:-target}")/release/durand
if [[ -z ${WORK:-} ]]; then
    WORK=$(mktemp -d)
    trap 'rm -rf "$WORK"' EXIT
fi
mkdir -p "$WORK"

if [[ ! -f $WORK/corpus.jsonl ]]; then
    # head closes the pipe early; gzip's SIGPIPE is expected.
    { gzip -dc "$GZ" || true; } | head -n "$RECORDS" > "$WORK/corpus.jsonl"
fi
# Brings a kept index up to date (a no-op when nothing changed; a rebuild after a format change).
"$BIN" --index "$WORK/index" index --quiet "$WORK/corpus.jsonl" > /dev/null
if [[ ! -f $WORK/fts.db ]]; then
    python3 - "$WORK/corpus.jsonl" "$WORK/fts.db" <<'PY'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[2])
db.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, tokenize='porter unicode61')")
with open(sys.argv[1]) as f:
    rows = ((d["id"], d.get("title") or "", d.get("description") or d.get("text") or "")
            for d in map(json.loads, f))
    db.executemany("INSERT INTO docs VALUES (?, ?, ?)", rows)
db.execute("INSERT INTO docs(docs) VALUES('optimize')")
db.commit()
PY
fi
printf 'fn main() {}\n' > "$WORK/trivial.rs"
rustc -O -o "$WORK/trivial" "$WORK/trivial.rs"

# Queries in the syntax both engines share: words (all required), a quoted phrase.
QUERIES=(
    'pakistan'
    'taliban'
    'earthquake'
    'border crossing'
    'security forces killed'
    'interest rates'
    '"prime minister"'
    '"climate change"'
)

PREPARE=()
if ((COLD)); then
    # hyperfine -N runs commands without a shell, the prepare command too.
    PREPARE=(--prepare "sh -c 'sync; echo 3 > /proc/sys/vm/drop_caches'")
fi

rows=()
for i in "${!QUERIES[@]}"; do
    q=${QUERIES[$i]}
    plain=${q//\"/}
    # The SQL goes through a file: FTS5 phrases need double quotes inside the statement.
    printf "SELECT id, title, snippet(docs, 2, '[', ']', '…', 24) FROM docs WHERE docs MATCH '%s' ORDER BY bm25(docs) LIMIT 10;\n" \
        "$q" > "$WORK/q$i.sql"
    # Each engine must answer (ripgrep exits 1 when nothing matches, which is an answer).
    "$BIN" --index "$WORK/index" search --color never "$q" >/dev/null || [[ $? == 1 ]]
    sqlite3 "$WORK/fts.db" ".read $WORK/q$i.sql" >/dev/null
    hyperfine -N --style none --warmup 3 --runs "$RUNS" "${PREPARE[@]}" \
        --export-json "$WORK/h.json" \
        "$WORK/trivial" \
        "$BIN --index $WORK/index search --color never '$q'" \
        "sqlite3 $WORK/fts.db '.read $WORK/q$i.sql'" \
        "rg -i -F '$plain' $WORK/corpus.jsonl" \
        >/dev/null
    rows+=("$q"$'\t'"$(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["results"]
print("\t".join("%.2f" % (x["median"] * 1000) for x in r))' "$WORK/h.json")")
done

python3 - "$(nproc)" "$(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2 | xargs)" "$COLD" "${rows[@]}" <<'PY'
import statistics, sys
cores, cpu, cold = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
print(f"machine: {cores} cores, {cpu}; page cache: {'dropped before each run' if cold else 'warm'}")
print("| query | empty Rust binary | durand | FTS5 | rg -i | durand/FTS5 | durand/rg |")
print("|---|---:|---:|---:|---:|---:|---:|")
ratios_fts, ratios_rg = [], []
for row in sys.argv[4:]:
    q, triv, durand, fts, rg = row.split("\t")
    triv, durand, fts, rg = map(float, (triv, durand, fts, rg))
    ratios_fts.append(durand / fts)
    ratios_rg.append(durand / rg)
    print(f"| `{q}` | {triv:.2f} ms | {durand:.2f} ms | {fts:.2f} ms | {rg:.2f} ms "
          f"| {durand / fts:.2f} | {durand / rg:.2f} |")
print(f"| **median** | | | | | **{statistics.median(ratios_fts):.2f}** "
      f"| **{statistics.median(ratios_rg):.2f}** |")
PY
