//! `arichat fit`: learn a scorecard from a labelled CSV file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use arichat_core::fit::{cross_validate, fit, FitConfig};
use arichat_core::scoring::{FieldType, LeadRecord};

use crate::error::CliError;
use crate::table::Table;

/// Label values taken as the positive class when `--positive` is not given.
const YES: [&str; 7] = ["yes", "true", "1", "y", "si", "sí", "sim"];

/// Arguments of `arichat fit`.
#[derive(clap::Args)]
pub struct FitArgs {
    /// The column with the outcome (for example `y`).
    #[arg(long)]
    label: String,
    /// The label value of the positive class (default: yes/true/1 in a two-valued column).
    #[arg(long)]
    positive: Option<String>,
    /// Seed of the cross-validation folds.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// A column not to use, for example one that leaks the label (repeatable).
    #[arg(long = "drop", value_name = "COLUMN")]
    drop: Vec<String>,
    /// Declare a column's type instead of inferring it: COLUMN=number|text|bool (repeatable).
    #[arg(long = "type", value_name = "COLUMN=TYPE")]
    types: Vec<String>,
    /// Also report held-out AUC and Brier score over K stratified folds on stderr.
    #[arg(long, value_name = "K")]
    cv: Option<usize>,
    /// The CSV file (`,` or `;` separated, with a header), or `-` for stdin.
    file: PathBuf,
}

/// Fits and returns the scorecard as TOML; a summary (and the CV report) goes to stderr.
pub fn run(args: &FitArgs) -> Result<String, CliError> {
    let table = Table::read(&args.file)?;
    let label = table.column(&args.label)?;
    for d in &args.drop {
        table.column(d)?;
    }
    let types = declared_types(&args.types, &table)?;
    let positive = positive_value(&table, label, &args.label, args.positive.as_deref())?;

    let mut rows = Vec::with_capacity(table.rows.len());
    let mut labels = Vec::with_capacity(table.rows.len());
    let mut unlabelled = 0usize;
    for cells in &table.rows {
        let y = cells[label].trim();
        if y.is_empty() {
            unlabelled += 1;
            continue;
        }
        let mut record = LeadRecord::from_csv_row(&table.headers, cells, &types);
        record.remove(&args.label);
        for d in &args.drop {
            record.remove(d);
        }
        rows.push(record);
        labels.push(y == positive);
    }

    let cfg = FitConfig {
        seed: args.seed,
        folds: args.cv.unwrap_or(FitConfig::default().folds),
        ..FitConfig::default()
    };
    let fitted = fit(&rows, &labels, &cfg).map_err(CliError::Fit)?;
    let mut card = fitted.scorecard;
    // Declared types go into the file, so `arichat score` reads the cells the same way.
    for (field, t) in types {
        if field != args.label && !args.drop.contains(&field) {
            card.fields.entry(field).or_insert(t);
        }
    }
    card.name = Some(format!(
        "{} = {positive:?} fitted on {}",
        args.label,
        args.file.display()
    ));
    let positives = labels.iter().filter(|y| **y).count();
    crate::note(format_args!(
        "arichat fit: {} rows ({positives} positive{}), {} rules, {} Newton iterations{}",
        rows.len(),
        if unlabelled > 0 {
            format!(", {unlabelled} without label skipped")
        } else {
            String::new()
        },
        card.fit.len(),
        fitted.iterations,
        if fitted.converged {
            ""
        } else {
            " (not converged)"
        }
    ));
    if args.cv.is_some() {
        let report = cross_validate(&rows, &labels, &cfg).map_err(CliError::Fit)?;
        crate::note(format_args!(
            "arichat fit: {}-fold CV (seed {}): AUC {:.4} ± {:.4} (pooled {:.4}), Brier {:.4}, log loss {:.4}",
            cfg.folds,
            cfg.seed,
            report.auc_mean,
            report.auc_std,
            report.auc_pooled,
            report.brier,
            report.log_loss
        ));
    }
    Ok(card.to_toml())
}

fn declared_types(args: &[String], table: &Table) -> Result<BTreeMap<String, FieldType>, CliError> {
    let mut types = BTreeMap::new();
    for arg in args {
        let bad = |reason: String| CliError::BadType {
            arg: arg.clone(),
            reason,
        };
        let (column, t) = arg
            .split_once('=')
            .ok_or_else(|| bad("expected COLUMN=TYPE".into()))?;
        table.column(column)?;
        let t = t
            .trim()
            .parse::<FieldType>()
            .map_err(|e| bad(e.to_string()))?;
        types.insert(column.to_owned(), t);
    }
    Ok(types)
}

/// The label value of the positive class: the one given (it must occur), or the
/// yes-like value of a two-valued column.
fn positive_value(
    table: &Table,
    label: usize,
    column: &str,
    given: Option<&str>,
) -> Result<String, CliError> {
    let seen: BTreeSet<&str> = table
        .rows
        .iter()
        .map(|r| r[label].trim())
        .filter(|v| !v.is_empty())
        .collect();
    let listed = || seen.iter().take(10).map(|s| (*s).to_owned()).collect();
    match given {
        Some(p) if seen.contains(p.trim()) => Ok(p.trim().to_owned()),
        Some(p) => Err(CliError::UnknownPositive {
            value: p.to_owned(),
            column: column.to_owned(),
            seen: listed(),
        }),
        None => {
            let yes: Vec<&&str> = seen
                .iter()
                .filter(|v| YES.iter().any(|y| y.eq_ignore_ascii_case(v)))
                .collect();
            match yes.as_slice() {
                [one] if seen.len() == 2 => Ok((**one).to_owned()),
                _ => Err(CliError::AmbiguousLabel {
                    column: column.to_owned(),
                    seen: listed(),
                }),
            }
        }
    }
}
