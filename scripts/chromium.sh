#!/usr/bin/env bash
# Chromium from Debian's packages, for the tests that drive a real headless browser
# (the agent inbox page, the fit report).
#
#   env="$(scripts/chromium.sh)"   # (an assignment, so `set -e` sees a failure)
#   eval "$env"                    # exports ARICHAT_CHROMIUM (the browser binary)
#
# Installs the Debian package chromium with apt-get when it is missing (as root, or
# through sudo). Everything it prints on stdout is shell to eval; progress goes to stderr.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"

log() { printf 'chromium.sh: %s\n' "$*" >&2; }
# shellcheck source=lib/apt.sh
. "$ROOT/scripts/lib/apt.sh"

find_chromium() { command -v chromium || command -v chromium-browser || true; }

bin="$(find_chromium)"
if [ -z "$bin" ]; then
  apt_install chromium fonts-dejavu-core
  bin="$(find_chromium)"
  [ -n "$bin" ] || { log "chromium still missing after apt-get"; exit 1; }
fi
log "$("$bin" --version 2>/dev/null | head -1)"
printf 'export ARICHAT_CHROMIUM=%q\n' "$bin"
