#!/usr/bin/env bash
# One command from a fresh clone: a release wheel of the binding in target/bench-venv
# (release_venv.sh) with pyarrow, pandas and numpy, a throwaway redis-server, then
# benches/python/campaigns_table.py. Not part of scripts/test (a benchmark, not a test).
# Extra arguments go to the script (e.g. --rows 1000000 --rounds 5).
set -euo pipefail
BENCH_PACKAGES="pyarrow pandas numpy"
# shellcheck source=release_venv.sh
source "$(dirname "$0")/release_venv.sh"
if [ -z "${ARICHAT_REDIS_URL:-}" ]; then
    redis_env="$("$ROOT/scripts/redis-server.sh" start)"
    eval "$redis_env"
    trap '"$ROOT/scripts/redis-server.sh" stop' EXIT
fi
python "$HERE/campaigns_table.py" "$@"
