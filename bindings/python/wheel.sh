#!/usr/bin/env bash
# Builds the arichat wheel users install: abi3 (CPython >= 3.9), tagged manylinux2014
# (glibc 2.17: Ubuntu 20.04, Debian 11, RHEL 8 and later), linked against glibc 2.17's
# symbols by zig (the `ziglang` package from PyPI, through maturin --zig), so the host's
# newer glibc does not leak into the wheel. Then installs it into a fresh venv and
# smoke-tests it there (import, normalize a sample webhook, score a table).
#
#   bindings/python/wheel.sh              dev profile (what the tests use: a release build
#                                         takes ~10 minutes on 2 cores)
#   bindings/python/wheel.sh --release    the wheel to publish (same checks)
#
# Prints the wheel's path on its last line. Caches: target/wheel-tools (maturin, zig),
# target/wheel-smoke (the fresh venv, recreated on every run).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
PYTHON="${PYTHON:-python3}"
TOOLS="$TARGET/wheel-tools"
OUT="$TARGET/wheels"
SMOKE="$TARGET/wheel-smoke"

profile=(--profile dev)
if [ "${1:-}" = "--release" ]; then
    profile=(--release)
fi

if [ ! -x "$TOOLS/bin/python" ]; then
    "$PYTHON" -m venv "$TOOLS"
fi
"$TOOLS/bin/python" -m pip install --quiet --disable-pip-version-check "maturin>=1.9.4,<2" "ziglang>=0.13"

rm -f "$OUT"/arichat-*.whl
(cd "$HERE" && PATH="$TOOLS/bin:$PATH" maturin build --quiet --zig --compatibility manylinux2014 \
    "${profile[@]}" --out "$OUT" >&2)
wheel="$(ls "$OUT"/arichat-*.whl)"

# The tag and the contents a user gets: one abi3 manylinux2014 wheel carrying both licenses.
case "$(basename "$wheel")" in
    arichat-*-cp39-abi3-manylinux2014_*.whl | arichat-*-cp39-abi3-manylinux_2_17_*.whl) ;;
    *) echo "wheel.sh: unexpected wheel tag: $(basename "$wheel")" >&2; exit 1 ;;
esac
"$TOOLS/bin/python" - "$wheel" >&2 <<'PY'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
text = zipfile.ZipFile(sys.argv[1]).read(meta).decode()
for need in ("License-Expression: MIT OR Apache-2.0", "Project-URL: Repository, https://github.com/arichat/arichat"):
    assert need in text, f"METADATA lacks {need!r}"
for lic in ("LICENSE-MIT", "LICENSE-APACHE"):
    assert any(n.endswith("/licenses/" + lic) for n in names), f"wheel lacks {lic}: {names}"
assert any(n.startswith("arichat/_native") and n.endswith(".so") for n in names), names
assert "arichat/_native.pyi" in names and "arichat/py.typed" in names, names
PY

# A fresh venv holding only the wheel and its declared dependencies.
rm -rf "$SMOKE"
"$PYTHON" -m venv "$SMOKE"
"$SMOKE/bin/python" -m pip install --quiet --disable-pip-version-check "$wheel"
(cd "$ROOT/examples" && "$SMOKE/bin/python" "$HERE/wheel_smoke.py" >&2)

echo "$wheel"
