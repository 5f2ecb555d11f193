//! The one error type of `arichat-deals`.

/// What can go wrong storing deals or reading receipts. Messages never hold a
/// connection string or password.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DealsError {
    /// The database refused or could not be reached.
    #[error("database: {0}")]
    Database(String),
    /// A record the store will not write (a negative amount, a bad currency code, …).
    #[error("invalid record: {0}")]
    InvalidRecord(String),
    /// A receipt image that does not decode (not PNG or JPEG, truncated).
    #[error("invalid image: {0}")]
    InvalidImage(String),
    /// The OCR binary could not be started (not installed: scripts/tesseract.sh).
    #[error("OCR unavailable: {0}")]
    OcrUnavailable(String),
    /// The OCR binary failed.
    #[error("OCR failed: {0}")]
    OcrFailed(String),
}

impl DealsError {
    /// A stable snake_case code, the same in every binding.
    pub fn code(&self) -> &'static str {
        match self {
            DealsError::Database(_) => "database",
            DealsError::InvalidRecord(_) => "invalid_record",
            DealsError::InvalidImage(_) => "invalid_image",
            DealsError::OcrUnavailable(_) => "ocr_unavailable",
            DealsError::OcrFailed(_) => "ocr_failed",
        }
    }
}

impl From<tokio_postgres::Error> for DealsError {
    fn from(e: tokio_postgres::Error) -> Self {
        // tokio-postgres never prints the connection string; its database errors
        // carry the server's message, code and constraint.
        DealsError::Database(match e.as_db_error() {
            Some(db) => format!("{} ({})", db.message(), db.code().code()),
            None => e.to_string(),
        })
    }
}
