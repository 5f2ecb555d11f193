//! `arichat deal`: a deal message read into JSON — the parsed deal, the receipt check
//! and the commission.

use std::path::PathBuf;

use arichat_core::commission::{Commission, CommissionRules, SaleInput};
use arichat_core::deal::{parse_deal, Deal, DealGrammar, DealParse};
use arichat_core::money::{
    check_receipt, pick_receipt_total, Amount, ReceiptCheck, Region, DEFAULT_TOLERANCE_BPS,
};
use arichat_core::ConfigFormat;

use crate::error::{CliError, Failure};
use crate::score::read_config;

/// Arguments of `arichat deal`.
#[derive(clap::Args)]
pub struct DealArgs {
    /// The message as the seller wrote it (`@monto 1500 @cliente Juan @tubos 5`).
    text: String,
    /// How amounts are written (ISO 3166-1 alpha-2, for example CO, PE, BR); default:
    /// the grammar's, else CO.
    #[arg(long)]
    region: Option<String>,
    /// The tenant's deal grammar (TOML, or JSON when the name ends in `.json`).
    #[arg(long)]
    grammar: Option<PathBuf>,
    /// Commission rules (`.toml` or `.json`): adds `commission`.
    #[arg(long)]
    commission: Option<PathBuf>,
    /// The seller, for per-seller commission terms.
    #[arg(long, default_value = "")]
    seller: String,
    /// A photo of the receipt (PNG or JPEG), read with the distribution's Tesseract
    /// (`tesseract-ocr`, `spa` and `por` data): adds `receipt` as `--receipt-text` does.
    #[arg(long, conflicts_with = "receipt_text")]
    receipt: Option<PathBuf>,
    /// A receipt's text as OCR read it: adds `receipt` (the total picked near TOTAL /
    /// MONTO / VALOR and its check against the deal's amount, 5 % tolerance).
    #[arg(long)]
    receipt_text: Option<PathBuf>,
}

/// The JSON `arichat deal` prints.
#[derive(serde::Serialize)]
struct Report {
    /// Tags, deal and problems.
    deal: DealParse,
    /// The receipt, when one was given and the deal is complete.
    receipt: Option<ReceiptReport>,
    /// The commission, when rules were given and the deal is complete.
    commission: Option<Commission>,
}

/// A receipt's total and its check against the declared amount.
#[derive(serde::Serialize)]
pub struct ReceiptReport {
    /// The amount picked on the receipt, if any.
    pub total: Option<Amount>,
    /// Match, mismatch with the difference, or unreadable.
    pub check: ReceiptCheck,
}

/// Picks the total of a receipt's text and checks it against the deal's amount.
pub fn receipt(ocr_text: &str, deal: &Deal, region: Region) -> ReceiptReport {
    let total = pick_receipt_total(ocr_text, region);
    let check = check_receipt(
        deal.amount.minor,
        total.as_ref().map(|a| a.minor),
        DEFAULT_TOLERANCE_BPS,
    );
    ReceiptReport { total, check }
}

/// Runs `arichat deal`: one JSON document. A message with problems is not a failure:
/// they are in `deal.problems`, in the grammar's language, for the seller.
pub fn run(args: &DealArgs) -> Result<String, Failure> {
    let mut grammar = match &args.grammar {
        Some(path) => match read_config(path)? {
            (text, ConfigFormat::Json) => DealGrammar::from_json(&text),
            (text, ConfigFormat::Toml) => DealGrammar::from_toml(&text),
        }?,
        None => DealGrammar::default(),
    };
    if let Some(region) = &args.region {
        grammar = grammar.with_region(region.parse::<Region>()?);
    }
    let parsed = parse_deal(&args.text, &grammar);
    let mut report = Report {
        deal: parsed,
        receipt: None,
        commission: None,
    };
    if let Some(deal) = report.deal.deal.clone() {
        let unreadable = |path: &PathBuf, source| CliError::Unreadable {
            path: path.clone(),
            source,
        };
        if let Some(path) = &args.receipt_text {
            let text = std::fs::read_to_string(path).map_err(|e| unreadable(path, e))?;
            report.receipt = Some(receipt(&text, &deal, grammar.region()));
        }
        if let Some(path) = &args.receipt {
            let image = std::fs::read(path).map_err(|e| unreadable(path, e))?;
            let read = arichat_deals::Tesseract::new()
                .read(&image)
                .map_err(CliError::Ocr)?;
            report.receipt = Some(receipt(&read.text, &deal, grammar.region()));
        }
        if let Some(path) = &args.commission {
            let rules = match read_config(path)? {
                (text, ConfigFormat::Json) => CommissionRules::from_json(&text),
                (text, ConfigFormat::Toml) => CommissionRules::from_toml(&text),
            }?;
            let sale = SaleInput {
                seller: args.seller.clone(),
                amount_minor: deal.amount.minor,
                currency: deal.amount.currency,
                units: deal.units.unwrap_or(0),
            };
            report.commission = Some(rules.compute(&sale)?);
        }
    }
    serde_json::to_string_pretty(&report).map_err(|e| Failure::Write(e.into()))
}
