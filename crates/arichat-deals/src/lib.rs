//! # arichat-deals
//!
//! Sales recorded from chat, with the I/O the pure core must not do:
//!
//! - [`store`]: deals in PostgreSQL — migrations, idempotent writes keyed by the chat
//!   post (`INSERT … ON CONFLICT`), several workers writing at once, and a seller's
//!   month (sales, totals, commission, goal progress).
//! - [`ocr`]: receipts read by the distribution's Tesseract after light preprocessing
//!   (grayscale, threshold, cheap deskew).
//!
//! Parsing a deal message, picking a receipt's total and computing commissions are the
//! core's (`arichat-core`); this crate stores and reads what they decide.

mod error;
pub mod ocr;
pub mod store;

pub use error::DealsError;
pub use ocr::{ReceiptText, Tesseract};
pub use store::{Goal, MonthTotal, PgDeals, Recorded, SaleRecord, SellerMonth};
