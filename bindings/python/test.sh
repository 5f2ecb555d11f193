#!/usr/bin/env bash
# Builds the arichat Python module into a venv under the repo's target/ and runs pytest.
# Works from any cwd and on re-runs (the venv is reused).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="$ROOT/target/py-venv"
PYTHON="${PYTHON:-python3}"

cd "$HERE"

# The Redis store tests need a redis-server: reuse the one scripts/test started, or
# start one here (installed with apt-get if missing) and stop it on exit.
if [ -z "${ARICHAT_REDIS_URL:-}" ]; then
    redis_env="$("$ROOT/scripts/redis-server.sh" start)"
    eval "$redis_env"
    trap '"$ROOT/scripts/redis-server.sh" stop' EXIT
fi

if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi
export VIRTUAL_ENV="$VENV"
export PATH="$VENV/bin:$PATH"
export MYPY_CACHE_DIR="$ROOT/target/mypy-cache"
unset CONDA_PREFIX PYTHONHOME

# mypy is pinned: stubtest grows new checks between releases.
# pyarrow, pandas (+ pandas-stubs for mypy), polars and numpy: the table inputs and
# outputs of Scorecard.score_table, classify_column and arichat.fit are tested on each
# of them. pyspark: tests/test_spark.py runs examples/spark in local mode (needs Java 17+,
# which CI machines have). jsonschema: tests/test_cloudevents.py validates every envelope
# against the CloudEvents JSON Schema (tests/vectors/cloudevents.schema.json). flask: the
# README's webhook snippets are Flask apps (tests/test_readme.py runs them).
python -m pip install --quiet --disable-pip-version-check "maturin>=1.9.4,<2" "pytest>=7" "mypy==2.4.1" \
    numpy pyarrow pandas pandas-stubs polars "pyspark>=4,<5" "jsonschema>=4" "flask>=3"

# Build the wheel users get (abi3, manylinux2014, dev profile), smoke-test it in a fresh
# venv (wheel.sh), and test that same wheel here: one build serves both.
wheel="$("$HERE/wheel.sh" | tail -n 1)"
python -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheel"

# The hand-written stubs must match the native module, and the tests must type-check.
(cd "$ROOT/target" && python -m mypy.stubtest arichat)
python -m mypy --no-incremental python tests
# The type test: the stubs' TypedDicts and Literals must catch what typing/check_types.py
# marks with `# type: ignore[...]` (an ignore no longer needed fails the check).
python -m mypy --no-incremental --strict --warn-unused-ignores typing/check_types.py

python -m pytest -p no:cacheprovider tests "$@"
