#!/usr/bin/env bash
# Keeps the cached target/ from filling the disk between test runs (scripts/test calls it
# first). The test command builds without incremental state (CARGO_INCREMENTAL=0, set by
# scripts/test), so incremental directories left by earlier runs are removed; and when
# target/ still holds more than ARICHAT_TARGET_CAP_GB (default 20), the compiled builds
# are removed and rebuilt from scratch. Tool caches (venvs, Maven, npm) are kept.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
CAP_GB="${ARICHAT_TARGET_CAP_GB:-20}"
[ -d "$TARGET" ] || exit 0

find "$TARGET" -mindepth 2 -maxdepth 4 -type d -name incremental -prune -exec rm -rf {} +

used_kb="$(du -sk "$TARGET" | cut -f1)"
if [ "$used_kb" -gt $((CAP_GB * 1024 * 1024)) ]; then
    echo "prune-target: target/ holds $((used_kb / 1024 / 1024)) GB (cap $CAP_GB GB); removing compiled builds" >&2
    for dir in debug release publish-check x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu; do
        rm -rf "${TARGET:?}/$dir"
    done
fi
df -h "$TARGET" | tail -1 | awk '{print "prune-target: " $4 " free on " $6}' >&2
