#!/usr/bin/env bash
# One command from a fresh clone: a release wheel of the binding in target/bench-venv
# (release_venv.sh), the peers (pywa, python-telegram-bot) there, then
# benches/python/normalize_vs_peers.py.
# Not part of scripts/test: it downloads the peer libraries. Extra arguments go to the
# script (e.g. --volume 20000 --rounds 7).
set -euo pipefail
BENCH_PACKAGES="pywa python-telegram-bot"
# shellcheck source=release_venv.sh
source "$(dirname "$0")/release_venv.sh"
exec python "$HERE/normalize_vs_peers.py" "$@"
