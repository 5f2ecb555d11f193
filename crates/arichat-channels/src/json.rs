//! Parsing a webhook body that is usually, but not always, valid UTF-8.

use serde::Deserialize;

/// A body's bytes, checked as UTF-8 once.
///
/// `serde_json::from_slice` validates every string it returns (keys included) on its
/// own, dozens of small checks per body; one check of the whole body lets the parse run
/// on a `&str` with none. A body that is not UTF-8 is parsed from the bytes as before
/// (`serde_json` accepts invalid UTF-8 inside strings it skips), so results and errors
/// are the same either way.
#[derive(Clone, Copy)]
pub(crate) struct Body<'a> {
    bytes: &'a [u8],
    text: Option<&'a str>,
}

impl<'a> Body<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Body {
            bytes,
            text: std::str::from_utf8(bytes).ok(),
        }
    }

    /// `serde_json::from_slice`, from the checked text when there is one.
    pub fn parse<T: Deserialize<'a>>(self) -> serde_json::Result<T> {
        match self.text {
            Some(text) => serde_json::from_str(text),
            None => serde_json::from_slice(self.bytes),
        }
    }
}
