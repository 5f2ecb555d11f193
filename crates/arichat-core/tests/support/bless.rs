//! Blessing the shared vectors under `tests/vectors/`: with `ARICHAT_BLESS=1` a
//! conformance test writes Rust's answers into its file instead of checking them
//! (every runtime then reads those answers). Included by each test with `#[path]`.

use serde::Serialize;

/// Whether this run writes the vectors (`ARICHAT_BLESS=1`).
pub fn blessing() -> bool {
    std::env::var_os("ARICHAT_BLESS").is_some_and(|v| v == "1")
}

/// Writes `value` to `path` as pretty JSON with a final newline, the form every vector
/// file keeps (so a bless that changes nothing leaves the file byte for byte).
pub fn write_json<T: Serialize + ?Sized>(path: &str, value: &T) {
    let mut json = serde_json::to_string_pretty(value).expect("vectors serialize");
    json.push('\n');
    std::fs::write(path, json).unwrap_or_else(|e| panic!("write {path}: {e}"));
}
