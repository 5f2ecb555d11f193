//! The normalize corpora of the benches and speed examples: the webhook bodies under
//! `../shared/fixtures/<channel dir>` (or under `NORMALIZE_FIXTURES`, same layout)
//! that are whole bodies and normalize.

use std::path::{Path, PathBuf};

use arichat_channels::{normalize, NormalizeOptions};
use arichat_core::Channel;

/// The fixtures directory: `NORMALIZE_FIXTURES` when set, else `../shared/fixtures`.
pub fn fixtures_dir() -> PathBuf {
    std::env::var_os("NORMALIZE_FIXTURES").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures"),
        PathBuf::from,
    )
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// The bodies of `channel` under `sub`, in path order, that parse as JSON and normalize
/// with `opts`.
pub fn bodies(channel: Channel, sub: &str, opts: &NormalizeOptions) -> Vec<Vec<u8>> {
    let mut files = Vec::new();
    collect(&fixtures_dir().join(sub), &mut files);
    files.sort();
    files
        .into_iter()
        .filter_map(|p| std::fs::read(p).ok())
        .filter(|b| {
            serde_json::from_slice::<serde_json::Value>(b).is_ok()
                && normalize(channel, b, opts).is_ok()
        })
        .collect()
}
