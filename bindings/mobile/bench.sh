#!/usr/bin/env bash
# One customer's campaign evaluation on the device, timed from Kotlin on the JVM: the
# 50-campaign bundle of the Rust benchmark (examples/bench_bundle.rs prints it), the bank
# customers, the release library, and kotlin/src/test/kotlin/arichat/CampaignBench.kt
# (a JUnit test tagged `bench`, which test.sh leaves out). Prints p50/p99/p99.9.
#
#   bindings/mobile/bench.sh [CUSTOMERS.csv]   # default: ../shared/datasets/bank-additional-full.csv,
#                                             # else examples/campaigns/customers.csv
#
# Needs what test.sh needs (cargo, a JDK 17+, Maven).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$(uname -s)" in
  Darwin) LIB_FILE="libarichat_mobile.dylib" ;;
  *) LIB_FILE="libarichat_mobile.so" ;;
esac

DATA="${1:-$ROOT/../shared/datasets/bank-additional-full.csv}"
[ -f "$DATA" ] || DATA="$ROOT/examples/campaigns/customers.csv"

cargo build --manifest-path "$ROOT/Cargo.toml" --release -p arichat-mobile --lib --example bench_bundle
# As test.sh builds it (with arichat-mobile, so that uniffi's features match and neither
# script rebuilds the other's debug build).
cargo build --manifest-path "$ROOT/Cargo.toml" -p arichat-mobile -p arichat-uniffi-bindgen
BUNDLE="$TARGET_DIR/bench-50-campaigns.json"
"$TARGET_DIR/release/examples/bench_bundle" >"$BUNDLE"

KOTLIN_GEN="$TARGET_DIR/uniffi/kotlin-release"
rm -rf "$KOTLIN_GEN" "$HERE/kotlin/target"
"$TARGET_DIR/debug/uniffi-bindgen" generate --no-format --library "$TARGET_DIR/release/$LIB_FILE" \
  --language kotlin --out-dir "$KOTLIN_GEN"

mvn -B -q --no-transfer-progress -f "$HERE/kotlin/pom.xml" \
  -Dmaven.repo.local="$ROOT/target/m2" \
  -Duniffi.generated.dir="$KOTLIN_GEN" \
  -Darichat.native.dir="$TARGET_DIR/release" \
  -Darichat.cargoToml.path="$ROOT/Cargo.toml" \
  -Darichat.excludedGroups=none -Dgroups=bench -Dtest=CampaignBench \
  -Darichat.bench.bundle="$BUNDLE" -Darichat.bench.data="$DATA" \
  test
