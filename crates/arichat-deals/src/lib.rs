#![doc = include_str!("../README.md")]

mod error;
pub mod ocr;
pub mod store;

pub use error::DealsError;
pub use ocr::{ReceiptText, Tesseract};
pub use store::{Goal, MonthTotal, PgDeals, Recorded, SaleRecord, SellerMonth};
