#!/usr/bin/env bash
# Held-out figures of fitted cards (BENCHMARKS.md, "Better cards"): the UCI bank
# marketing data from ../shared/datasets and the CoIL 2000 caravan-insurance data
# (5,822 customers, 348 buyers; UCI, CC BY 4.0), which the ISLP package on PyPI ships
# as ISLP/data/Caravan.csv (BSD). Extra arguments go to every run (e.g. --max-rules 25).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
DATA="$TARGET/datasets"
mkdir -p "$DATA"
if [ ! -f "$DATA/Caravan.csv" ]; then
    python3 -m pip download --quiet --no-deps --dest "$DATA" "islp==0.6.0"
    python3 - "$DATA" <<'PY'
import glob, sys, zipfile
d = sys.argv[1]
with zipfile.ZipFile(glob.glob(f"{d}/islp-0.6.0-*.whl")[0]) as z:
    open(f"{d}/Caravan.csv", "wb").write(z.read("ISLP/data/Caravan.csv"))
PY
fi
cd "$ROOT"
cargo build --quiet --release -p arichat-core --example fit_cards
BIN="$TARGET/release/examples/fit_cards"
"$BIN" --data ../shared/datasets/bank-additional-full.csv --label y --drop duration "$@"
"$BIN" --data "$DATA/Caravan.csv" --label Purchase "$@"
