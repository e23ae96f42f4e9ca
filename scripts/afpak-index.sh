# Sourced by scripts/eval_tags.sh and scripts/eval_events.sh: builds the release binary and an
# index of the two Af-Pak files of ../shared/data (the 9,001 RSS items and the 257 PANDA
# articles the hand labels were drawn from), then sets BIN and INDEX. Exits 0 with "skip"
# when ../shared/data is absent (the articles are not committed).
# shellcheck source=scripts/shared-data.sh
source "$(dirname "${BASH_SOURCE[0]}")/shared-data.sh"
AFPAK=$DATA/05_afpak_news
need "$AFPAK/afpak_rss_items_2021_2023.jsonl"
release
INDEX=target/eval/afpak-index
"$BIN" --index "$INDEX" index --quiet "$AFPAK/afpak_rss_items_2021_2023.jsonl" \
    "$AFPAK/panda_pakistani_news_2017_2018.jsonl" > /dev/null
