# Sourced by scripts/eval_tags.sh and scripts/eval_events.sh: builds the release binary and an
# index of the two Af-Pak files of ../shared/data (the 9,001 RSS items and the 257 PANDA
# articles the hand labels were drawn from), then sets BIN and INDEX. Exits 0 with "skip"
# when ../shared/data is absent (the articles are not committed).
cd "$(dirname "${BASH_SOURCE[0]}")/.."
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
