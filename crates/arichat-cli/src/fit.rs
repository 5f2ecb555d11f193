//! `arichat fit`: learn a scorecard from a labelled CSV file.

use std::collections::BTreeMap;
use std::path::PathBuf;

use arichat_core::fit::{fit_labelled_with_progress, FitOptions};
use arichat_core::scoring::{FieldType, LeadRecord, Value};

use arichat_core::numbers::ColumnAudit;

use crate::error::CliError;
use crate::number_args::{self, NumberArgs};
use crate::progress::{self, Unit};
use crate::table::Table;

/// Arguments of `arichat fit`. Every default is the core's (`arichat_core::fit::FitOptions`).
#[derive(clap::Args)]
pub struct FitArgs {
    /// The column with the outcome (for example `y`).
    #[arg(long)]
    label: String,
    /// The label value of the positive class (default: read from yes/no values such as
    /// yes, sí, sim, true, 1 in English, Spanish or Portuguese).
    #[arg(long)]
    positive: Option<String>,
    /// Seed of the cross-validation folds (default 0).
    #[arg(long)]
    seed: Option<u64>,
    /// A column not to use, for example one that leaks the label (repeatable).
    #[arg(long = "drop", value_name = "COLUMN")]
    drop: Vec<String>,
    /// Declare a column's type instead of inferring it: COLUMN=number|text|bool (repeatable).
    #[arg(long = "type", value_name = "COLUMN=TYPE")]
    types: Vec<String>,
    /// Stratified folds of the held-out AUC and Brier score reported on stderr
    /// (default 5; 0 for none).
    #[arg(long, value_name = "K")]
    cv: Option<usize>,
    /// Also write the fit report to this HTML file: ROC and lift curves, reliability
    /// diagram, conversion per grade, each field's bins (one self-contained page).
    #[arg(long, value_name = "FILE.html")]
    report: Option<PathBuf>,
    /// Keep every quantile bin of numeric columns (by default their points rise or
    /// fall with the value, in the direction the data shows).
    #[arg(long)]
    no_monotone: bool,
    /// Share of the rows every bin and category needs (default 0.005, and 20 rows);
    /// smaller ones are merged into a neighbour or "other".
    #[arg(long, value_name = "FRACTION")]
    min_support: Option<f64>,
    /// Columns whose information value is under this are dropped (default 0.02).
    #[arg(long, value_name = "IV")]
    min_iv: Option<f64>,
    /// At most this many rules; the least informative splits are merged first.
    #[arg(long, value_name = "N")]
    max_rules: Option<usize>,
    /// How numbers are written (the same options, and parser, as `score`).
    #[command(flatten)]
    numbers: NumberArgs,
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
    let parser = args.numbers.parser()?;
    let mut types = declared_types(&args.types, &table)?;
    // Columns that read as numbers only through the parser (missing markers, the
    // locale's separators) are declared numbers, in the card too, so `score` reads them
    // the same way; without it each value would become a text category.
    for (i, h) in table.headers.iter().enumerate() {
        if types.contains_key(h) || *h == args.label {
            continue;
        }
        let cells = || table.rows.iter().map(move |r| r[i].as_str());
        let needs_parser =
            cells().any(|c| !matches!(Value::infer(c), Value::Number(_) | Value::Null));
        if needs_parser && parser.reads_as_numbers(cells()) {
            types.insert(h.clone(), FieldType::Number);
        }
    }
    let mut audits: BTreeMap<&str, ColumnAudit> = BTreeMap::new();
    let mut records = Vec::with_capacity(table.rows.len());
    for (row, cells) in table.rows.iter().enumerate() {
        let mut r = LeadRecord::new();
        for (h, c) in table.headers.iter().zip(cells) {
            let v = match types.get(h) {
                Some(t) => t.parse_cell_with(c, &parser).unwrap_or_else(|| {
                    audits
                        .entry(h)
                        .or_insert_with(|| ColumnAudit::new(h.clone()))
                        .invalid_at(&parser, c, row as u64 + 1);
                    Value::Null
                }),
                None => Value::infer(c),
            };
            r.set(h.clone(), v);
        }
        // The label as written: the core compares it with `--positive` as text.
        r.set(args.label.clone(), Value::Text(cells[label].clone()));
        records.push(r);
    }
    if let Some(bad) = audits
        .values()
        .find(|a| args.numbers.strict && a.has_problems())
    {
        return Err(CliError::InvalidValue(bad.clone()));
    }
    number_args::report("fit", audits.values());
    let options = FitOptions {
        label: args.label.clone(),
        positive: args.positive.clone().map(Value::Text),
        drop: args.drop.clone(),
        seed: args.seed,
        folds: args.cv,
        monotone: args.no_monotone.then_some(false),
        min_support: args.min_support,
        min_information_value: args.min_iv,
        max_rules: args.max_rules,
    };
    let bar = progress::bar(Unit::Fits, None, "arichat fit");
    let out = fit_labelled_with_progress(records, &options, &mut |done, total| {
        bar.set_length(total);
        bar.set_position(done);
        Ok::<(), arichat_core::CoreError>(())
    });
    bar.finish_and_clear();
    let out = out.map_err(CliError::Fit)?;
    for d in &out.fitted.dropped {
        crate::note(format_args!(
            "arichat fit: column {:?} dropped: {} (information value {:.4})",
            d.field,
            d.reason.describe(),
            d.information_value
        ));
    }
    if let Some(path) = &args.report {
        std::fs::write(path, out.report.to_html()).map_err(|source| CliError::Unwritable {
            path: path.clone(),
            source,
        })?;
    }
    let mut card = out.fitted.scorecard;
    // Declared types go into the file, so `arichat score` reads the cells the same way.
    for (field, t) in types {
        if field != args.label && !args.drop.contains(&field) {
            card.fields.entry(field).or_insert(t);
        }
    }
    crate::note(format_args!(
        "arichat fit: {}: {} rows ({} positive{}), {} rules, {} Newton iterations{}",
        args.file.display(),
        out.rows,
        out.positives,
        if out.unlabelled > 0 {
            format!(", {} without label skipped", out.unlabelled)
        } else {
            String::new()
        },
        card.fit.len(),
        out.fitted.iterations,
        if out.fitted.converged {
            ""
        } else {
            " (not converged)"
        }
    ));
    if let Some(report) = &out.cv {
        crate::note(format_args!(
            "arichat fit: {}-fold CV (seed {}): AUC {:.4} ± {:.4} (pooled {:.4}), Brier {:.4}, log loss {:.4}",
            out.config.folds,
            out.config.seed,
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
