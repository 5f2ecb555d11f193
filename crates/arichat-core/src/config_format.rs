//! Which text format a configuration file (scorecard, campaign bundle, deal rules) is
//! written in, decided from its name once for the CLI and every binding that reads files.

use std::path::Path;

use crate::CoreError;

crate::named_enum!(
    /// The two formats every configuration loads from: the same shape either way.
    ///
    /// ```
    /// use arichat_core::ConfigFormat;
    /// use std::path::Path;
    /// assert_eq!(ConfigFormat::of_path(Path::new("cards/bank.TOML")).unwrap(), ConfigFormat::Toml);
    /// assert_eq!(ConfigFormat::of_path(Path::new("bundle.json")).unwrap(), ConfigFormat::Json);
    /// let err = ConfigFormat::of_path(Path::new("card.txt")).unwrap_err();
    /// assert_eq!(err.code(), "invalid_config");
    /// assert!(err.to_string().contains("card.txt must end in .toml or .json"));
    /// ```
    ConfigFormat, "config format", "toml, json", {
        /// `.toml`.
        Toml => "toml",
        /// `.json`.
        Json => "json",
    }
);

impl ConfigFormat {
    /// The format a file's extension names (`.toml` or `.json`, any case).
    ///
    /// # Errors
    /// [`CoreError::InvalidConfig`] for any other name, saying which ones are read.
    pub fn of_path(path: &Path) -> Result<Self, CoreError> {
        path.extension()
            .and_then(|e| e.to_str())
            .and_then(|e| e.to_ascii_lowercase().parse().ok())
            .ok_or_else(|| CoreError::InvalidConfig {
                what: "configuration file",
                reason: format!("{} must end in .toml or .json", path.display()),
            })
    }
}
