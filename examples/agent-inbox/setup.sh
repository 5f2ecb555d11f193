# Sourced by run.sh and test.sh: the repository root, caches under target/, and the
# Node addon built only when bindings/node holds none (scripts/test has built it).
#   . ./setup.sh [napi build flags...]
ROOT="$(cd ../.. && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export npm_config_cache="${npm_config_cache:-$ROOT/target/npm-cache}"

if ! compgen -G "$ROOT/bindings/node/arichat.*.node" >/dev/null; then
  (cd "$ROOT/bindings/node" && npm ci --no-audit --no-fund && npx --no-install napi build --platform "$@")
fi
