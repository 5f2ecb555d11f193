#!/usr/bin/env bash
# One command from a fresh clone: a release wheel of the binding in target/bench-venv
# (release_venv.sh), pyarrow there, then benches/python/classify_vs_regex.py.
# Not part of scripts/test (a benchmark, not a test). Extra arguments go to the
# script (e.g. --messages 200000 --rounds 5).
set -euo pipefail
BENCH_PACKAGES="pyarrow"
# shellcheck source=release_venv.sh
source "$(dirname "$0")/release_venv.sh"
exec python "$HERE/classify_vs_regex.py" "$@"
