#!/usr/bin/env bash
# One command from a fresh clone: builds the arichat Python binding in RELEASE mode as a
# wheel and installs it into target/bench-venv (its own venv; a wheel rather than
# `maturin develop`, so bindings/python/test.sh's debug build of the same in-tree module
# cannot replace it), installs pyarrow there and runs
# benches/python/classify_vs_regex.py.
# Not part of scripts/test (a benchmark, not a test). Extra arguments go to the
# script (e.g. --messages 200000 --rounds 5).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="$ROOT/target/bench-venv"
PYTHON="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi
export VIRTUAL_ENV="$VENV"
export PATH="$VENV/bin:$PATH"
unset CONDA_PREFIX PYTHONHOME

python -m pip install --quiet --disable-pip-version-check "maturin>=1.9.4,<2" pyarrow
WHEELS="$ROOT/target/bench-wheels"
rm -rf "$WHEELS"
(cd "$ROOT/bindings/python" && maturin build --release --quiet --interpreter "$VENV/bin/python" --out "$WHEELS")
python -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$WHEELS"/arichat-*.whl

exec python "$HERE/classify_vs_regex.py" "$@"
