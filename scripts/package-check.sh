#!/usr/bin/env bash
# Release checks of the Rust packages, run by scripts/test; needs the crates.io index
# (network) but no credentials, and publishes nothing:
# - rustdoc with every feature, warnings denied (broken intra-doc links fail);
# - each publishable crate's file list carries both licenses and its README and none of
#   the repository-only links;
# - `cargo publish --dry-run` of the publishable crates together (cargo packages the
#   crates that depend on each other against a local overlay of the index), each
#   package unpacked and built on its own.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --all-features --quiet

publishable=(arichat-core arichat-channels arichat-deals arichat-cli)
for crate in "${publishable[@]}"; do
    list="$(cargo package --list --allow-dirty -p "$crate")"
    for need in LICENSE-MIT LICENSE-APACHE README.md Cargo.toml; do
        if ! grep -qx "$need" <<<"$list"; then
            echo "package-check: $crate lacks $need" >&2
            exit 1
        fi
    done
    if grep -E '^examples/(data|campaigns)/' <<<"$list" >&2; then
        echo "package-check: $crate carries the README doctests' links to repository data" >&2
        exit 1
    fi
done

# The dry run builds each package against the others as registry crates, and cargo never
# rebuilds a registry crate it has built at the same version: with target/ cached
# between runs, a package would be checked against last run's arichat-core (0.1.0
# either way) and miss what it gained since. So the dry run has its own target dir,
# kept for the third-party crates, from which our own crates' builds are removed first.
PUBLISH_TARGET="${CARGO_TARGET_DIR:-$ROOT/target}/publish-check"
rm -rf "$PUBLISH_TARGET"/debug/.fingerprint/arichat* "$PUBLISH_TARGET"/debug/deps/*arichat*
# Likewise cargo unpacks the overlay's packages once into CARGO_HOME (a registry source
# dir named after the overlay's path, the same every run) and reuses an unpacked 0.1.0
# after the sources changed: remove our crates from the overlays' dirs first.
CARGO_HOME_DIR="${CARGO_HOME:-$HOME/.cargo}"
rm -rf "$CARGO_HOME_DIR"/registry/src/-*/arichat-* "$CARGO_HOME_DIR"/registry/cache/-*/arichat-*
CARGO_TARGET_DIR="$PUBLISH_TARGET" cargo publish --dry-run --allow-dirty --workspace
