#!/usr/bin/env bash
# Builds target/apple/ArichatFFI.xcframework for Package.swift: the arichat-mobile static
# library for iOS devices, the iOS simulator (arm64 + x86_64) and macOS (arm64 + x86_64),
# with the two C headers uniffi generates and one module map declaring both FFI modules
# (arichatFFI, arichat_coreFFI) that bindings/mobile/swift/*.swift import.
#
#   scripts/build-xcframework.sh        # on macOS with Xcode and rustup
#
# It cannot run on Linux (no xcodebuild, no Apple SDKs); the release workflow runs it on
# a macOS runner.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

[ "$(uname -s)" = Darwin ] || { echo "build-xcframework: needs macOS with Xcode (xcodebuild, lipo)" >&2; exit 1; }
for tool in cargo rustup xcodebuild lipo; do
  command -v "$tool" >/dev/null || { echo "build-xcframework: '$tool' not found" >&2; exit 1; }
done

TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
OUT="$TARGET_DIR/apple"
LIB=libarichat_mobile.a
TARGETS=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios aarch64-apple-darwin x86_64-apple-darwin)

rustup target add "${TARGETS[@]}"
for t in "${TARGETS[@]}"; do
  cargo build --release -p arichat-mobile --lib --target "$t"
done

rm -rf "$OUT"
mkdir -p "$OUT/ios" "$OUT/ios-simulator" "$OUT/macos" "$OUT/headers"
cp "$TARGET_DIR/aarch64-apple-ios/release/$LIB" "$OUT/ios/$LIB"
lipo -create -output "$OUT/ios-simulator/$LIB" \
  "$TARGET_DIR/aarch64-apple-ios-sim/release/$LIB" "$TARGET_DIR/x86_64-apple-ios/release/$LIB"
lipo -create -output "$OUT/macos/$LIB" \
  "$TARGET_DIR/aarch64-apple-darwin/release/$LIB" "$TARGET_DIR/x86_64-apple-darwin/release/$LIB"

# The headers and module maps uniffi generated (committed, drift-checked by the mobile
# tests); an XCFramework's headers folder takes one module.modulemap, so both go in it.
SWIFT="$ROOT/bindings/mobile/swift"
cp "$SWIFT/arichatFFI.h" "$SWIFT/arichat_coreFFI.h" "$OUT/headers/"
cat "$SWIFT/arichatFFI.modulemap" "$SWIFT/arichat_coreFFI.modulemap" >"$OUT/headers/module.modulemap"

xcodebuild -create-xcframework \
  -library "$OUT/ios/$LIB" -headers "$OUT/headers" \
  -library "$OUT/ios-simulator/$LIB" -headers "$OUT/headers" \
  -library "$OUT/macos/$LIB" -headers "$OUT/headers" \
  -output "$OUT/ArichatFFI.xcframework"
echo "built $OUT/ArichatFFI.xcframework"
