# Sourced by the Python bench scripts: builds the arichat Python binding in RELEASE mode
# as a wheel and installs it into target/bench-venv (its own venv; a wheel rather than
# `maturin develop`, so bindings/python/test.sh's debug build of the same in-tree module
# cannot replace it), with the extra packages named in BENCH_PACKAGES.
# Sets HERE (the sourcing script's folder) and ROOT; leaves the venv active.

HERE="$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$ROOT/target/bench-venv"
PYTHON="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi
export VIRTUAL_ENV="$VENV"
export PATH="$VENV/bin:$PATH"
unset CONDA_PREFIX PYTHONHOME

# shellcheck disable=SC2086 # BENCH_PACKAGES is a space-separated list
python -m pip install --quiet --disable-pip-version-check "maturin>=1.9.4,<2" $BENCH_PACKAGES
WHEELS="$ROOT/target/bench-wheels"
rm -rf "$WHEELS"
(cd "$ROOT/bindings/python" && maturin build --release --quiet --interpreter "$VENV/bin/python" --out "$WHEELS")
python -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$WHEELS"/arichat-*.whl
