//! `arichat assign`: today's campaigns for every customer of a CSV file.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use arichat_core::campaign::{CampaignBundle, CapUsage, IdColumn};
use arichat_core::scoring::LeadRecord;
use arichat_core::ConfigFormat;
use chrono::{DateTime, NaiveDate, Utc};

use crate::error::CliError;
use crate::score::{csv_write_error, read_config};
use crate::stream::{Chunk, CsvStream};

/// Arguments of `arichat assign`.
#[derive(clap::Args)]
pub struct AssignArgs {
    /// The campaign bundle (TOML, or JSON when the name ends in `.json`).
    #[arg(long)]
    bundle: PathBuf,
    /// The customers: a CSV file with a header, or `-` for stdin.
    file: PathBuf,
    /// The instant to assign for (RFC 3339 or YYYY-MM-DD, UTC); default now.
    #[arg(long, value_parser = parse_now)]
    now: Option<DateTime<Utc>>,
    /// The column holding the customer id; default `customer_id`, else `id`, else the
    /// row number (1 = first data row).
    #[arg(long)]
    id_column: Option<String>,
    /// The field delimiter (`,`, `;`, `tab`); default detected from the header line.
    #[arg(long, value_parser = parse_delimiter)]
    delimiter: Option<u8>,
    /// Print every campaign of every customer with its status (assigned, not_eligible,
    /// excluded, ...) and the deciding rule path, instead of the assignments.
    #[arg(long)]
    explain: bool,
}

fn parse_now(s: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Ok(d.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc())
        .ok_or_else(|| format!("{s:?} is not RFC 3339 (2026-12-03T08:00:00Z) or YYYY-MM-DD"))
}

fn parse_delimiter(s: &str) -> Result<u8, String> {
    match s {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        _ if s.len() == 1 && s.is_ascii() => Ok(s.as_bytes()[0]),
        _ => Err(format!("{s:?} is not one ASCII character or `tab`")),
    }
}

/// Loads a campaign bundle file, TOML or JSON by its name.
pub fn load_bundle(path: &Path) -> Result<CampaignBundle, CliError> {
    let bundle = match read_config(path)? {
        (text, ConfigFormat::Json) => CampaignBundle::from_json_str(&text),
        (text, ConfigFormat::Toml) => CampaignBundle::from_toml_str(&text),
    };
    bundle.map_err(|source| CliError::InvalidBundle {
        path: path.to_owned(),
        source,
    })
}

/// Writes one CSV row per assignment — `customer_id, campaign_id, variant, reason,
/// rule_path, offer` (the offer as JSON) — or, with `--explain`, one per customer and
/// campaign with `status` in place of `reason`. Cells are typed by the bundle
/// scorecard's `[fields]`, else inferred ([`LeadRecord::from_csv_row`]). The file is
/// one batch: `max_assignments` counts in row order (not with `--explain`). Streams:
/// the file (or stdin) is read in chunks of records and each row's assignments are
/// written as it is read, so memory does not grow with the file.
pub fn run(args: &AssignArgs, out: &mut impl Write) -> Result<(), CliError> {
    let bundle = load_bundle(&args.bundle)?;
    let mut input = CsvStream::open(&args.file, args.delimiter)?;
    let now = args.now.unwrap_or_else(Utc::now);
    let id_column = match IdColumn::resolve(&input.headers, args.id_column.as_deref()) {
        IdColumn::At(c) => Some(c),
        IdColumn::RowNumbers => None,
        IdColumn::Missing(column) => {
            return Err(CliError::MissingColumn {
                column,
                available: input.headers.clone(),
            })
        }
    };
    let headers = input.headers.clone();
    let no_types = BTreeMap::new();
    let types = bundle.scorecard().map_or(&no_types, |c| &c.fields);
    let mut w = csv::Writer::from_writer(out);
    let header = if args.explain {
        [
            "customer_id",
            "campaign_id",
            "status",
            "rule_path",
            "excluded_by",
        ]
        .as_slice()
    } else {
        [
            "customer_id",
            "campaign_id",
            "variant",
            "reason",
            "rule_path",
            "offer",
        ]
        .as_slice()
    };
    w.write_record(header).map_err(csv_write_error)?;
    let mut assignments = Vec::new();
    let mut usage = CapUsage::new();
    let mut chunk = Chunk::default();
    loop {
        input.next_chunk(&mut chunk)?;
        if chunk.is_empty() {
            break;
        }
        let mut cells: Vec<&str> = Vec::with_capacity(headers.len());
        for (offset, row) in chunk.rows().iter().enumerate() {
            let row_number = chunk.first_row + offset as u64;
            cells.clear();
            cells.extend(row.iter());
            let id = match id_column {
                Some(c) => cells.get(c).copied().unwrap_or_default().to_owned(),
                None => row_number.to_string(),
            };
            let record = LeadRecord::from_csv_row(&headers, &cells, types);
            if args.explain {
                for e in bundle.explain(&id, &record, now) {
                    let row = [
                        id.as_str(),
                        e.campaign_id.as_str(),
                        e.status.as_str(),
                        e.rule_path.as_deref().unwrap_or(""),
                        e.excluded_by.as_ref().map_or("", |c| c.as_str()),
                    ];
                    w.write_record(row).map_err(csv_write_error)?;
                }
                continue;
            }
            assignments.clear();
            bundle.assign_into(&id, &record, now, Some(&mut usage), &mut assignments);
            for a in &assignments {
                let offer = a.offer.as_ref().map_or_else(String::new, |o| o.to_string());
                let row = [
                    id.as_str(),
                    a.campaign_id.as_str(),
                    a.variant.as_deref().unwrap_or(""),
                    a.reason.as_str(),
                    a.rule_path.as_str(),
                    offer.as_str(),
                ];
                w.write_record(row).map_err(csv_write_error)?;
            }
        }
    }
    w.flush().map_err(CliError::Write)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_and_delimiter_arguments_parse() {
        assert_eq!(
            parse_now("2026-12-03").unwrap().to_rfc3339(),
            "2026-12-03T00:00:00+00:00"
        );
        assert_eq!(
            parse_now("2026-12-03T08:00:00-05:00").unwrap().to_rfc3339(),
            "2026-12-03T13:00:00+00:00"
        );
        assert!(parse_now("tomorrow").is_err());
        assert_eq!(parse_delimiter(";"), Ok(b';'));
        assert_eq!(parse_delimiter("tab"), Ok(b'\t'));
        assert!(parse_delimiter(";;").is_err());
    }
}
