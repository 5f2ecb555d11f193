#!/usr/bin/env bash
# Builds the Node binding (debug) and runs its tests with node's built-in runner.
# Needs only Rust, Node 20+ and npm (npm ci fetches @napi-rs/cli and typescript from
# the registry).
# Also checks that the committed, generated index.js / index.d.ts match what the
# build generates, so the published loader and types never drift from the Rust API.
set -euo pipefail

cd "$(dirname "$0")"
ROOT="$(cd ../.. && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
# Keep npm's download cache inside the repo's target/ as well.
export npm_config_cache="${npm_config_cache:-$ROOT/target/npm-cache}"

npm ci --no-audit --no-fund

# The generated loader and types are committed. Compare the freshly generated ones
# with git's copy when they are tracked, else with the files found before the build.
snapshot="$(mktemp -d)"
trap 'rm -rf "$snapshot"' EXIT

# The Redis store tests need a redis-server: reuse the one scripts/test started, or
# start one here (installed with apt-get if missing) and stop it on exit.
if [ -z "${ARICHAT_REDIS_URL:-}" ]; then
  redis_env="$("$ROOT/scripts/redis-server.sh" start)"
  eval "$redis_env"
  trap 'rm -rf "$snapshot"; "$ROOT/scripts/redis-server.sh" stop' EXIT
fi
cp index.js index.d.ts "$snapshot/" 2>/dev/null || true

npx --no-install napi build --platform

if git ls-files --error-unmatch index.js index.d.ts >/dev/null 2>&1; then
  git --no-pager diff --exit-code -- index.js index.d.ts || drift=1
else
  for f in index.js index.d.ts; do
    diff -u "$snapshot/$f" "$f" || drift=1
  done
fi
if [ "${drift:-0}" -ne 0 ]; then
  echo "error: the generated index.js / index.d.ts differ from the committed ones;" >&2
  echo "       review and commit the regenerated files in $(pwd)." >&2
  exit 1
fi

# The type test: index.d.ts must type-check under --strict, accept the correct usages
# in __test__/types.ts and reject each line marked @ts-expect-error.
npx --no-install tsc --strict --noEmit --module nodenext --types node __test__/types.ts

# The Express example's own dependencies (express; arichat is this folder), for its
# end-to-end test (__test__/express.test.mjs).
(cd ../../examples/node-express && npm install --no-audit --no-fund --no-package-lock)

# The TAP reporter prints the "# pass N / # fail N" summary on any Node version.
node --test --test-reporter=tap __test__/

# The npm layout: main package without binaries, this platform's package with it, both
# installed into an empty project.
./pack-check.sh
