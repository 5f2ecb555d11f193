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
}

impl DealsError {
    /// A stable snake_case code, the same in every binding.
    pub fn code(&self) -> &'static str {
        match self {
            DealsError::Database(_) => "database",
            DealsError::InvalidRecord(_) => "invalid_record",
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
