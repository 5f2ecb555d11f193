#!/usr/bin/env bash
# Checks .github/workflows/*.yml with actionlint (installed into target/tools from the Go
# module proxy on first use; needs the Go toolchain).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TOOLS="$ROOT/target/tools"
VERSION=v1.7.12
if ! "$TOOLS/actionlint" -version 2>/dev/null | grep -q "${VERSION#v}"; then
  command -v go >/dev/null || { echo "lint-workflows: 'go' not found (needed to install actionlint)" >&2; exit 1; }
  GOBIN="$TOOLS" go install "github.com/rhysd/actionlint/cmd/actionlint@$VERSION"
fi
"$TOOLS/actionlint" "$ROOT"/.github/workflows/*.yml
echo "workflows: actionlint clean"
