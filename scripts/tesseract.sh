#!/usr/bin/env bash
# Tesseract OCR with Spanish and Portuguese data, and the DejaVu fonts the OCR tests
# render receipts with.
#
#   env="$(scripts/tesseract.sh)"   # (an assignment, so `set -e` sees a failure)
#   eval "$env"                     # exports ARICHAT_TESSERACT (the binary) and
#                                   # ARICHAT_FONTS_DIR (DejaVu TrueType fonts)
#
# Installs the Debian packages tesseract-ocr, tesseract-ocr-spa, tesseract-ocr-por and
# fonts-dejavu-core with apt-get when something is missing (as root, or through sudo).
# Everything it prints on stdout is shell to eval; its progress goes to stderr.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"

log() { printf 'tesseract.sh: %s\n' "$*" >&2; }
# shellcheck source=lib/apt.sh
. "$ROOT/scripts/lib/apt.sh"

FONTS=/usr/share/fonts/truetype/dejavu

ready() {
  command -v tesseract >/dev/null &&
    tesseract --list-langs 2>/dev/null | grep -qx spa &&
    tesseract --list-langs 2>/dev/null | grep -qx por &&
    [ -f "$FONTS/DejaVuSans.ttf" ] && [ -f "$FONTS/DejaVuSerif.ttf" ] && [ -f "$FONTS/DejaVuSansMono.ttf" ]
}

if ! ready; then
  apt_install tesseract-ocr tesseract-ocr-spa tesseract-ocr-por fonts-dejavu-core
  ready || { log "tesseract or its data still missing after apt-get"; exit 1; }
fi
log "$(tesseract --version 2>&1 | head -1) with spa, por"
printf 'export ARICHAT_TESSERACT=%q\n' "$(command -v tesseract)"
printf 'export ARICHAT_FONTS_DIR=%q\n' "$FONTS"
