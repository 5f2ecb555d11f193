#!/usr/bin/env bash
# Builds arichat-mobile, generates its Kotlin bindings and runs the Kotlin tests with Maven,
# then checks that the committed Swift bindings (swift/) match the Rust code.
#
#   bindings/mobile/test.sh                 # build + Kotlin tests + Swift check
#   bindings/mobile/test.sh --update-swift  # regenerate swift/ in place (then commit it)
#
# Needs: cargo, a JDK (17+), Maven and python3. Maven's local repository is "$ROOT/target/m2".
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$HERE"

UPDATE_SWIFT=0
for arg in "$@"; do
  case "$arg" in
    --update-swift) UPDATE_SWIFT=1 ;;
    *) echo "usage: $0 [--update-swift]" >&2; exit 2 ;;
  esac
done

step() { printf '\n==> mobile: %s\n' "$*"; }

for tool in cargo java mvn python3; do
  command -v "$tool" >/dev/null || { echo "mobile: '$tool' not found on PATH" >&2; exit 1; }
done

TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$(uname -s)" in
  Darwin) LIB_FILE="libarichat_mobile.dylib" ;;
  *) LIB_FILE="libarichat_mobile.so" ;;
esac
NATIVE_DIR="$TARGET_DIR/debug"
LIB="$NATIVE_DIR/$LIB_FILE"
BINDGEN="$TARGET_DIR/debug/uniffi-bindgen"

step "cargo build (library + uniffi-bindgen)"
# One invocation for both, so uniffi is compiled once with the features of the whole set.
cargo build --manifest-path "$ROOT/Cargo.toml" -p arichat-mobile -p arichat-uniffi-bindgen

generate() { # language out-dir
  rm -rf "$2"
  mkdir -p "$2"
  # --no-format: the output must not depend on whether ktlint / swift-format are installed.
  "$BINDGEN" generate --no-format --library "$LIB" --language "$1" --out-dir "$2"
}

step "generate Kotlin bindings"
KOTLIN_GEN="$TARGET_DIR/uniffi/kotlin"
generate kotlin "$KOTLIN_GEN"

step "stage the native library for the jar"
# JNA finds a library on the classpath under its platform prefix.
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) JNA_PREFIX=linux-x86-64 ;;
  Linux-aarch64) JNA_PREFIX=linux-aarch64 ;;
  Darwin-arm64) JNA_PREFIX=darwin-aarch64 ;;
  Darwin-x86_64) JNA_PREFIX=darwin-x86-64 ;;
  *) echo "mobile: no JNA platform prefix known for $(uname -s)-$(uname -m)" >&2; exit 1 ;;
esac
JAR_RESOURCES="$TARGET_DIR/uniffi/jar-resources"
rm -rf "$JAR_RESOURCES"
mkdir -p "$JAR_RESOURCES/$JNA_PREFIX" "$JAR_RESOURCES/META-INF"
# The debug library is mostly debug info (130 MB); the jar needs the code only.
strip --strip-debug -o "$JAR_RESOURCES/$JNA_PREFIX/$LIB_FILE" "$LIB" 2>/dev/null \
  || cp "$LIB" "$JAR_RESOURCES/$JNA_PREFIX/$LIB_FILE"
for license in "$ROOT"/LICENSE*; do
  [ -f "$license" ] && cp "$license" "$JAR_RESOURCES/META-INF/"
done

step "mvn install (Kotlin tests, then the jar into target/m2)"
# Maven's own output (compiled Kotlin) is not reused: classes of test files that were
# renamed or deleted would otherwise stay in kotlin/target and run against new bindings.
rm -rf "$HERE/kotlin/target" "$HERE/kotlin-consumer/target"
mvn -B --no-transfer-progress -f "$HERE/kotlin/pom.xml" \
  -Dmaven.repo.local="$ROOT/target/m2" \
  -Duniffi.generated.dir="$KOTLIN_GEN" \
  -Darichat.native.dir="$NATIVE_DIR" \
  -Darichat.jar.resources.dir="$JAR_RESOURCES" \
  -Darichat.cargoToml.path="$ROOT/Cargo.toml" \
  install

step "a project that depends only on the artifact (and the README's Kotlin, run as written)"
# No jna.library.path, no generated sources: the jar alone (and JNA, which it brings).
SNIPPETS="$TARGET_DIR/uniffi/readme-snippets"
rm -rf "$SNIPPETS"
python3 "$HERE/kotlin-consumer/readme_snippets.py" "$HERE/README.md" "$SNIPPETS"
mvn -B --no-transfer-progress -f "$HERE/kotlin-consumer/pom.xml" \
  -Dmaven.repo.local="$ROOT/target/m2" \
  -Darichat.repo="$ROOT" \
  -Dreadme.snippets.dir="$SNIPPETS" \
  test

step "Swift bindings are in sync with the Rust code"
SWIFT_TMP="$(mktemp -d)"
trap 'rm -rf "$SWIFT_TMP"' EXIT
generate swift "$SWIFT_TMP"
# Swift names enum cases lowerCamel, and UniFFI 0.32 does for plain enums but forces
# UpperCamel on error cases (its ErrorTemplate.swift applies `class_name`; uniffi.toml
# cannot rename them). Rename the cases of `ArichatError` where the generated code
# declares (`case Core(`), builds (`return .Core(`) and matches (`case let .Core(`) them.
ERROR_CASES='Core|Store'
sed -E -i "s/\b(case|case let|return) (\.?)($ERROR_CASES)\(/\1 \2\l\3(/" "$SWIFT_TMP/arichat.swift"
if grep -En "\b(case|case let|return) \.?($ERROR_CASES)\(" "$SWIFT_TMP/arichat.swift"; then
  echo "mobile: an ArichatError case is still UpperCamel in the Swift bindings" >&2
  exit 1
fi
if [ "$UPDATE_SWIFT" = 1 ]; then
  rm -rf "$HERE/swift"
  mkdir -p "$HERE/swift"
  cp "$SWIFT_TMP"/* "$HERE/swift/"
  echo "swift/ regenerated: review and commit it"
elif ! diff -r "$HERE/swift" "$SWIFT_TMP"; then
  echo "mobile: bindings/mobile/swift/ is out of date; run bindings/mobile/test.sh --update-swift and commit it" >&2
  exit 1
else
  echo "swift/ matches the generated bindings (Swift itself is not compiled here: no swiftc)"
fi

step "mobile binding passed"
