//! Progress bars for long work (`fit` with cross-validation, `score` of large files),
//! drawn on stderr only when stderr is a terminal: piped or redirected, the command
//! prints no bar and no escape code, so logs and `2>file` stay clean.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressFinish, ProgressStyle};

/// What a bar counts.
pub enum Unit {
    /// Fits (the final one and one per cross-validation fold).
    Fits,
    /// Bytes of an input file of known size.
    Bytes,
    /// Rows of an input of unknown size (stdin): a spinner with a count.
    Rows,
}

/// A bar of `total` units (a spinner without one), labelled `prefix`, on stderr when it
/// is a terminal, else a hidden one (every call a no-op).
pub fn bar(unit: Unit, total: Option<u64>, prefix: &'static str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let template = match unit {
        Unit::Fits => "{prefix} [{bar:32}] {pos}/{len} fits, {elapsed}",
        Unit::Bytes => {
            "{prefix} [{bar:32}] {bytes}/{total_bytes} ({binary_bytes_per_sec}, {eta} left)"
        }
        Unit::Rows => "{prefix} {spinner} {human_pos} rows ({per_sec})",
    };
    let style = ProgressStyle::with_template(template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    // Cleared however the work ends, so an error message starts on a clean line.
    let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr())
        .with_style(style)
        .with_prefix(prefix)
        .with_finish(ProgressFinish::AndClear);
    // A fit takes seconds between updates: redraw meanwhile so the clock and spinner move.
    bar.enable_steady_tick(std::time::Duration::from_millis(250));
    bar
}
