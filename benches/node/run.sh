#!/usr/bin/env bash
# One command from a fresh clone: builds the arichat Node addon in RELEASE mode
# (bindings/node, `npm run build`), installs the peer libraries listed in this folder's
# package.json (whatsapp-api-js, grammy) and runs normalize_vs_peers.mjs.
# Not part of scripts/test: it downloads the peer libraries. Extra arguments go to the
# script (e.g. --volume 20000 --rounds 7).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export npm_config_cache="${npm_config_cache:-$ROOT/target/npm-cache}"

(cd "$ROOT/bindings/node" && npm ci --no-audit --no-fund && npm run build)
(cd "$HERE" && npm install --no-audit --no-fund)

exec node --expose-gc "$HERE/normalize_vs_peers.mjs" "$@"
