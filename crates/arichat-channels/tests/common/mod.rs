//! Helpers shared by the vendor fixture tests.

use std::path::{Path, PathBuf};

/// `../shared/fixtures` (beside the repository, as in CI) when every one of `channels`
/// has a folder there; otherwise a note on stderr and `None`, so the tests skip.
pub fn fixtures_root(channels: &[&str]) -> Option<PathBuf> {
    let root = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/fixtures"
    ));
    if channels.iter().all(|c| root.join(c).is_dir()) {
        Some(root.to_path_buf())
    } else {
        eprintln!(
            "note: {} lacks {channels:?} fixtures, skipping",
            root.display()
        );
        None
    }
}

/// Every `.json` file under `dir`, recursively, appended to `out`.
#[allow(dead_code)] // not every test file that shares this module walks folders
pub fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}
