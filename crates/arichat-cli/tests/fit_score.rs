//! End-to-end tests of `arichat fit` and `arichat score`.

use std::path::PathBuf;

use arichat_core::scoring::{LeadRecord, Scorecard};
use assert_cmd::Command;

fn arichat() -> Command {
    Command::cargo_bin("arichat").expect("binary built")
}

/// A file under cargo's per-crate temporary directory.
fn temp(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name)
}

/// 200 deterministic rows with a clear signal: "pro" plans with many visits buy.
fn training_csv() -> String {
    let mut s = String::from("plan,visits,city,vip,bought\n");
    for i in 0..200u32 {
        let pro = i % 3 == 0;
        let visits = (i * 7) % 10;
        let city = ["Bogotá", "Medellín", "Cali, Valle"][(i % 4 % 3) as usize];
        let vip = i % 5 == 0;
        let bought = (pro && visits > 3) || visits == 9 || (vip && i % 2 == 0);
        let city = if city.contains(',') {
            format!("\"{city}\"")
        } else {
            city.to_owned()
        };
        let visits = if i % 17 == 0 {
            String::new()
        } else {
            visits.to_string()
        };
        s.push_str(&format!(
            "{},{visits},{city},{vip},{}\n",
            if pro { "pro" } else { "free" },
            if bought { "yes" } else { "no" }
        ));
    }
    s
}

fn stdout_of(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// Scores `csv` with the library, row by row, as `arichat score` must.
fn library_scores(card: &Scorecard, csv: &str, delimiter: u8) -> Vec<[String; 3]> {
    let mut r = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(csv.as_bytes());
    let headers: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
    let now = chrono::Utc::now();
    r.records()
        .map(|rec| {
            let cells: Vec<&str> = rec.as_ref().unwrap().iter().collect();
            let s = card.score(
                &LeadRecord::from_csv_row(&headers, &cells, &card.fields),
                &[],
                now,
            );
            [
                s.total.to_string(),
                s.grade.to_string(),
                s.stage.to_string(),
            ]
        })
        .collect()
}

fn appended(out: &str, delimiter: u8) -> (Vec<String>, Vec<[String; 3]>) {
    let mut r = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(out.as_bytes());
    let headers = r.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = r
        .records()
        .map(|rec| {
            let rec = rec.unwrap();
            let n = rec.len();
            [n - 3, n - 2, n - 1].map(|i| rec[i].to_owned())
        })
        .collect();
    (headers, rows)
}

#[test]
fn fit_prints_a_scorecard_that_score_reads_back() {
    let data = temp("train.csv");
    std::fs::write(&data, training_csv()).unwrap();
    let out = arichat()
        .args(["fit", "--label", "bought", "--cv", "5", "--seed", "7"])
        .arg(&data)
        .output()
        .unwrap();
    let toml = stdout_of(&out);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("200 rows"), "{stderr}");
    assert!(stderr.contains("AUC"), "{stderr}");
    let card = Scorecard::from_toml(&toml).expect("a scorecard");
    assert!(card.fit.iter().any(|r| r.field == "plan"), "{toml}");
    assert!(card.fit.iter().all(|r| r.field != "bought"), "{toml}");

    // Deterministic: same file, same bytes.
    let again = arichat()
        .args([
            "fit",
            "--label",
            "bought",
            "--positive",
            "yes",
            "--seed",
            "7",
        ])
        .arg(&data)
        .output()
        .unwrap();
    assert_eq!(stdout_of(&again), toml);

    let card_path = temp("train.toml");
    std::fs::write(&card_path, &toml).unwrap();
    let out = arichat()
        .args(["score", "--scorecard"])
        .arg(&card_path)
        .arg(&data)
        .output()
        .unwrap();
    let scored = stdout_of(&out);
    let (headers, rows) = appended(&scored, b',');
    assert_eq!(
        headers,
        ["plan", "visits", "city", "vip", "bought", "score", "grade", "stage"]
    );
    assert_eq!(rows.len(), 200);
    assert_eq!(rows, library_scores(&card, &training_csv(), b','));
    // The signal is learned: the best-scored row is a buyer.
    let train = training_csv();
    let best = rows
        .iter()
        .zip(train.lines().skip(1))
        .max_by(|a, b| {
            let (x, y) = (
                a.0[0].parse::<f64>().unwrap(),
                b.0[0].parse::<f64>().unwrap(),
            );
            x.total_cmp(&y)
        })
        .unwrap();
    assert!(best.1.ends_with(",yes"), "{best:?}");
}

#[test]
fn score_keeps_a_quoted_semicolon_file_and_its_delimiter() {
    let card = temp("hand.toml");
    std::fs::write(
        &card,
        r#"
        [fields]
        zip = "text"
        [[fit]]
        id = "adult"
        field = "age"
        range = { gte = 18 }
        points = 60
        [[fit]]
        id = "medellin"
        field = "zip"
        starts_with = "050"
        points = 20
        [[engagement]]
        id = "opted_out"
        event = "opt_out"
        points = -100
        "#,
    )
    .unwrap();
    let csv = "\"age\";\"zip\";\"note\"\n41;\"05001\";\"a; b\"\n17;\"11001\";\"\"\n;\"05002\";x\n";
    let data = temp("people.csv");
    std::fs::write(&data, csv).unwrap();
    let out = arichat()
        .args(["score", "--scorecard"])
        .arg(&card)
        .arg(&data)
        .output()
        .unwrap();
    let scored = stdout_of(&out);
    // Rows come back as written (quotes and all), the new columns appended.
    assert!(
        scored.starts_with("\"age\";\"zip\";\"note\";score;grade;stage\n41;\"05001\";\"a; b\";80;"),
        "{scored}"
    );
    let (_, rows) = appended(&scored, b';');
    let card = Scorecard::from_toml(&std::fs::read_to_string(&card).unwrap()).unwrap();
    assert_eq!(rows, library_scores(&card, csv, b';'));
    assert_eq!(rows[0][0], "80");
    assert_eq!(rows[2][0], "20"); // no age; zip kept as text "05002"
    assert!(scored.contains("\"a; b\""), "{scored}");
}

/// The shared vector `tests/vectors/fit_labels.csv` (labels sí/Sí/SIM/yes against
/// no/No/não/NO, some empty) fits to `tests/vectors/fit_labels.toml` byte for byte;
/// Python's `tests/test_vectors.py` holds `arichat.fit` to the same file.
#[test]
fn fit_gives_the_shared_vector_byte_for_byte() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors");
    let out = arichat()
        .args(["fit", "--label", "bought", "--seed", "7", "--cv", "3"])
        .arg(dir.join("fit_labels.csv"))
        .output()
        .unwrap();
    let toml = stdout_of(&out);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("289 rows (138 positive, 11 without label skipped)"),
        "{stderr}"
    );
    let expected = std::fs::read_to_string(dir.join("fit_labels.toml")).unwrap();
    // `main` ends every output with a line break of its own.
    assert_eq!(toml, format!("{expected}\n"));
    assert!(toml.starts_with(r#"name = 'bought in ["SIM", "Sí", "sí", "yes"]'"#));
}

/// The fitting options reach the core: a constant column is dropped with a note on
/// stderr, `--max-rules` caps the card, `--no-monotone` keeps every quantile bin.
#[test]
fn fit_options_and_dropped_columns() {
    let data = temp("options.csv");
    let csv: String = training_csv()
        .lines()
        .enumerate()
        .map(|(i, l)| format!("{l},{}\n", if i == 0 { "country" } else { "CO" }))
        .collect();
    std::fs::write(&data, csv).unwrap();
    let fit_with = |extra: &[&str]| {
        let out = arichat()
            .args(["fit", "--label", "bought", "--cv", "0"])
            .args(extra)
            .arg(&data)
            .output()
            .unwrap();
        let card = Scorecard::from_toml(&stdout_of(&out)).unwrap();
        (card, String::from_utf8(out.stderr).unwrap())
    };
    let (card, stderr) = fit_with(&[]);
    assert!(
        stderr.contains("column \"country\" dropped: one value in every row"),
        "{stderr}"
    );
    assert!(card.fit.iter().all(|r| r.field != "country"));
    let (small, _) = fit_with(&["--max-rules", "3"]);
    assert!(
        small.fit.len() <= 3 && card.fit.len() > 3,
        "{}",
        small.fit.len()
    );
    let bins = |c: &Scorecard| c.fit.iter().filter(|r| r.field == "visits").count();
    let (plain, _) = fit_with(&["--no-monotone", "--min-iv", "0", "--min-support", "0"]);
    assert!(
        bins(&plain) >= bins(&card),
        "{} < {}",
        bins(&plain),
        bins(&card)
    );
}

fn fails_with(args: &[&str], message: &str) {
    let out = arichat().args(args).output().unwrap();
    assert!(!out.status.success(), "{args:?} succeeded");
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains(message), "{args:?}: {stderr}");
}

#[test]
fn errors_exit_non_zero_with_a_message() {
    let data = temp("errors.csv");
    std::fs::write(&data, training_csv()).unwrap();
    let data = data.to_str().unwrap();
    fails_with(&["fit", "--label", "nope", data], "no column \"nope\"");
    fails_with(
        &["fit", "--label", "bought", "--positive", "maybe", data],
        "unknown positive value \"maybe\"",
    );
    fails_with(&["fit", "--label", "plan", data], "name the positive value");
    fails_with(
        &["fit", "--label", "bought", "--drop", "duration", data],
        "no column \"duration\"",
    );
    fails_with(
        &["fit", "--label", "bought", "--type", "plan=date", data],
        "bad --type",
    );
    fails_with(
        &["fit", "--label", "bought", "/nonexistent/x.csv"],
        "cannot read /nonexistent/x.csv",
    );
    let one_class = temp("one_class.csv");
    std::fs::write(&one_class, "a,y\n1,yes\n2,yes\n").unwrap();
    fails_with(
        &[
            "fit",
            "--label",
            "y",
            "--positive",
            "yes",
            one_class.to_str().unwrap(),
        ],
        "cannot fit",
    );
    let bad = temp("bad.toml");
    std::fs::write(
        &bad,
        "[[fit]]\nid = \"x\"\nfield = \"age\"\npoints = \"many\"\n",
    )
    .unwrap();
    fails_with(
        &["score", "--scorecard", bad.to_str().unwrap(), data],
        "invalid scorecard",
    );
    fails_with(
        &["score", "--scorecard", "/nonexistent/card.toml", data],
        "cannot read /nonexistent/card.toml",
    );
    // The format comes from the name (ConfigFormat, as in Python): no guessing TOML.
    let unnamed = temp("card.txt");
    std::fs::write(&unnamed, "base = 1\n").unwrap();
    fails_with(
        &["score", "--scorecard", unnamed.to_str().unwrap(), data],
        "card.txt must end in .toml or .json",
    );
    let ragged = temp("ragged.csv");
    std::fs::write(&ragged, "a,b\n1,2,3\n").unwrap();
    let good = temp("good.toml");
    std::fs::write(&good, "base = 1\n").unwrap();
    fails_with(
        &[
            "score",
            "--scorecard",
            good.to_str().unwrap(),
            ragged.to_str().unwrap(),
        ],
        "not readable CSV",
    );
}

/// Fits a quarter of the UCI bank-marketing file (every fourth row) when the shared
/// data is present; `duration` is dropped because it leaks the label.
#[test]
fn fits_the_bank_subsample_when_present() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/datasets/bank-additional-full.csv");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: {} absent", path.display());
        return;
    };
    let sample: String = text
        .lines()
        .enumerate()
        .filter(|(i, _)| i % 4 == 0)
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    let data = temp("bank_quarter.csv");
    std::fs::write(&data, &sample).unwrap();
    let out = arichat()
        .args([
            "fit", "--label", "y", "--drop", "duration", "--cv", "3", "--seed", "42",
        ])
        .arg(&data)
        .output()
        .unwrap();
    let toml = stdout_of(&out);
    let card = Scorecard::from_toml(&toml).unwrap();
    assert!(card
        .fit
        .iter()
        .all(|r| r.field != "duration" && r.field != "y"));
    assert!(card
        .fit
        .iter()
        .any(|r| r.field == "nr.employed" || r.field == "euribor3m"));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let auc: f64 = stderr
        .split("AUC ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no AUC in {stderr}"));
    assert!(auc > 0.7, "{stderr}");
}
