# Sourced by the scripts that read ../shared/data (the articles are not committed): moves to
# the repository, sets DATA, and gives `need FILE…` (exits 0 with "skip" when one is absent)
# and `release` (builds the release binary and sets BIN).
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DATA=${DURAND_DATA:-../shared/data}

need() {
    local file
    for file in "$@"; do
        if [[ ! -f $file ]]; then
            echo "skip: $file not found (the articles are not committed)"
            exit 0
        fi
    done
}

release() {
    cargo build --release --quiet
    BIN=$(realpath "${CARGO_TARGET_DIR:-target}")/release/durand
}
