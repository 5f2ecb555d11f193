#!/usr/bin/env bash
# The agent inbox's end-to-end test in a real headless Chromium (node --test).
#
# Uses the Node addon bindings/node/test.sh builds (scripts/test runs that first, so the
# addon is not built twice); builds a debug one only when none is there. Reuses the
# redis-server and Chromium scripts/test provides (ARICHAT_REDIS_URL, ARICHAT_CHROMIUM),
# else starts / installs them. With ARICHAT_REQUIRE_CHROMIUM=1 a missing browser fails
# the test instead of skipping it.
set -euo pipefail

cd "$(dirname "$0")"
# shellcheck source=setup.sh
. ./setup.sh

npm ci --no-audit --no-fund

if [ -z "${ARICHAT_REDIS_URL:-}" ]; then
  redis_env="$("$ROOT/scripts/redis-server.sh" start)"
  eval "$redis_env"
  trap '"$ROOT/scripts/redis-server.sh" stop' EXIT
fi
if [ -z "${ARICHAT_CHROMIUM:-}" ]; then
  chromium_env="$("$ROOT/scripts/chromium.sh")" || chromium_env=""
  eval "$chromium_env"
fi

node --test --test-reporter=tap test/
