//! Accuracy of the intent classifier on one split of `data/intents/`: per language
//! and label, the confusion matrix, opt-out precision and recall, calibration per
//! confidence bin, the uncertain rate, and the language detection beside whatlang.
//! The lexicon-only classifier is reported beside it as the baseline.
//!
//! ```text
//! cargo run --release -p arichat-core --example intent_eval -- --split dev --retrain refit=0   # while tuning
//! cargo run --release -p arichat-core --example intent_eval -- --split test   # the reported figures
//! cargo run --release -p arichat-core --example intent_eval -- --by-source    # unseen writers
//! ```
//!
//! The shipped model's weights are trained on train + dev (`refit_with_dev`), so its
//! dev figures are in-sample: tune with `--retrain refit=0`, which trains on train
//! alone in process.
//!
//! `--corpus DIR --all` classifies every message of the files in `DIR` with the
//! built-in model (a new source, checked before it joins the corpus).
//!
//! `--by-source` estimates how the classifier does on writers it has never read: for
//! each source file it trains on the other files and classifies that file's `train`
//! and `dev` messages (its `test` messages stay unread), then pools the answers.
//!
//! `--folds K` does the same with K folds of the `train` and `dev` messages (every
//! K-th message, in corpus order) in place of the files: each message is classified by
//! a model that never read it, so `--errors` lists the labels a model trained on the
//! rest of the corpus disagrees with — where a label audit starts. (In-sample, the
//! model fits every training label.)

use arichat_core::intent::corpus::{LabelledMessage, Split};
use arichat_core::intent::{
    Classification, HybridClassifier, Intent, IntentClassifier, IntentModel, Language,
    OptOutSignal, RuleClassifier, TrainOptions,
};

#[path = "support/corpus_files.rs"]
mod corpus_files;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let split: Split = args
        .iter()
        .position(|a| a == "--split")
        .and_then(|i| args.get(i + 1))
        .map_or(Ok(Split::Dev), |s| s.parse())?;
    let all = corpus_files::load(&corpus_files::corpus_dir(&args))?;
    let options = train_options(&args)?;
    if args.iter().any(|a| a == "--by-source") {
        return by_source(&all, &options.unwrap_or_default(), &args);
    }
    if let Some(k) = args
        .iter()
        .position(|a| a == "--folds")
        .and_then(|i| args.get(i + 1))
    {
        return by_fold(&all, k.parse()?, &options.unwrap_or_default(), &args);
    }
    let mut hybrid = HybridClassifier::new();
    // `--retrain epochs=20,lr=0.3,...`: train in process with other options (tuning).
    if let Some(options) = options {
        hybrid = hybrid.with_model(IntentModel::train(&all, &options));
    }
    if let Some(t) = args
        .iter()
        .position(|a| a == "--uncertain-below")
        .and_then(|i| args.get(i + 1))
    {
        hybrid = hybrid.with_uncertain_below(t.parse()?)?;
    }
    // `--all`: every message of the files read (a new source checked before it joins
    // the corpus, with `--corpus DIR`).
    let every = args.iter().any(|a| a == "--all");
    let corpus: Vec<LabelledMessage> = all
        .into_iter()
        .filter(|m| every || m.split() == split)
        .collect();
    let results: Vec<Classification> = corpus.iter().map(|m| hybrid.classify(&m.text)).collect();
    println!(
        "## Intent classifier on the `{}` split ({} messages)\n",
        if every { "all" } else { split.as_str() },
        corpus.len()
    );
    report(&corpus, &results);
    if args.iter().any(|a| a == "--errors") {
        errors(&corpus, &results);
    }
    let rules = RuleClassifier::new();
    let baseline: Vec<Classification> = corpus.iter().map(|m| rules.classify(&m.text)).collect();
    println!("\n### Baseline: lexicon only (`RuleClassifier`)\n");
    accuracy_table(&corpus, &baseline);
    opt_out_line(&corpus, &baseline);
    languages(&corpus, &results);
    Ok(())
}

/// `--retrain epochs=20,lr=0.3,...`: options to train with in process (tuning).
fn train_options(args: &[String]) -> Result<Option<TrainOptions>, Box<dyn std::error::Error>> {
    let Some(spec) = args
        .iter()
        .position(|a| a == "--retrain")
        .and_then(|i| args.get(i + 1))
    else {
        return Ok(None);
    };
    let mut options = TrainOptions::default();
    for kv in spec.split(',') {
        let (k, v) = kv.split_once('=').ok_or("--retrain takes key=value,...")?;
        match k {
            "bits" => options.bits = v.parse()?,
            "lang_bits" => options.lang_bits = v.parse()?,
            "joined" => options.joined_opt_outs = v.parse()?,
            "epochs" => options.epochs = v.parse()?,
            "lr" => options.learning_rate = v.parse()?,
            "l2" => options.l2 = v.parse()?,
            "opt_out_weight" => options.opt_out_weight = v.parse()?,
            "seed" => options.seed = v.parse()?,
            "runs" => options.runs = v.parse()?,
            "refit" => options.refit_with_dev = v.parse::<u8>()? != 0,
            _ => return Err(format!("unknown option {k}").into()),
        }
    }
    Ok(Some(options))
}

/// Leave one source out: train without it, classify its non-test messages.
fn by_source(
    all: &[LabelledMessage],
    options: &TrainOptions,
    args: &[String],
) -> Result<(), Box<dyn std::error::Error>> {
    let mut sources: Vec<&str> = all.iter().map(|m| m.source.as_str()).collect();
    sources.sort_unstable();
    sources.dedup();
    println!("## Leave one source out ({} sources)\n", sources.len());
    let groups: Vec<(String, Vec<bool>)> = sources
        .iter()
        .map(|s| (s.to_string(), all.iter().map(|m| m.source == *s).collect()))
        .collect();
    held_out(all, &groups, options, args);
    Ok(())
}

/// K folds of the non-test messages (every K-th, in corpus order): train without one,
/// classify it.
fn by_fold(
    all: &[LabelledMessage],
    k: usize,
    options: &TrainOptions,
    args: &[String],
) -> Result<(), Box<dyn std::error::Error>> {
    if k < 2 {
        return Err("--folds takes at least 2".into());
    }
    println!("## {k} folds of the train and dev messages\n");
    let groups: Vec<(String, Vec<bool>)> = (0..k)
        .map(|f| {
            (
                format!("fold {f}"),
                (0..all.len()).map(|i| i % k == f).collect(),
            )
        })
        .collect();
    held_out(all, &groups, options, args);
    Ok(())
}

/// For each group (a name and which messages of `all` it holds): trains on every
/// other message, classifies the group's `train` and `dev` messages (never its
/// `test` ones); then the pooled report, and `--errors`.
fn held_out(
    all: &[LabelledMessage],
    groups: &[(String, Vec<bool>)],
    options: &TrainOptions,
    args: &[String],
) {
    let mut corpus = Vec::new();
    let mut results = Vec::new();
    println!(
        "| held out | n | accuracy | opt_out recall | opt_out precision |\n|---|---|---|---|---|"
    );
    for (name, member) in groups {
        let rest: Vec<LabelledMessage> = all
            .iter()
            .zip(member)
            .filter(|(_, m)| !**m)
            .map(|(msg, _)| msg.clone())
            .collect();
        let held: Vec<LabelledMessage> = all
            .iter()
            .zip(member)
            .filter(|(msg, m)| **m && msg.split() != Split::Test)
            .map(|(msg, _)| msg.clone())
            .collect();
        let hybrid = HybridClassifier::new().with_model(IntentModel::train(&rest, options));
        let r: Vec<Classification> = held.iter().map(|m| hybrid.classify(&m.text)).collect();
        let right = pairs(&held, &r).filter(|(t, p)| t == p).count();
        let tp = pairs(&held, &r)
            .filter(|&(t, p)| t == Intent::OptOut && p == Intent::OptOut)
            .count();
        let actual = held.iter().filter(|m| m.intent == Intent::OptOut).count();
        let predicted = r.iter().filter(|c| c.primary == Intent::OptOut).count();
        println!(
            "| {name} | {} | {:.3} | {:.3} | {:.3} |",
            held.len(),
            ratio(right, held.len()),
            ratio(tp, actual),
            ratio(tp, predicted)
        );
        corpus.extend(held);
        results.extend(r);
    }
    println!("\n### Pooled\n");
    report(&corpus, &results);
    if args.iter().any(|a| a == "--errors") {
        errors(&corpus, &results);
    }
}

fn errors(corpus: &[LabelledMessage], results: &[Classification]) {
    println!("\n### Errors\n");
    for (m, r) in corpus.iter().zip(results) {
        if m.intent != r.primary {
            println!(
                "- [{}] {} → {} ({:.2}{}{}) `{}`",
                m.source,
                m.intent,
                r.primary,
                r.confidence,
                if r.uncertain { ", uncertain" } else { "" },
                if r.opt_out == Some(OptOutSignal::Explicit) {
                    ", explicit"
                } else {
                    ""
                },
                m.text
            );
        }
    }
}

fn report(corpus: &[LabelledMessage], results: &[Classification]) {
    accuracy_table(corpus, results);
    opt_out_line(corpus, results);
    let uncertain = results.iter().filter(|r| r.uncertain).count();
    let answered: Vec<usize> = (0..corpus.len())
        .filter(|&i| !results[i].uncertain)
        .collect();
    let right = answered
        .iter()
        .filter(|&&i| results[i].primary == corpus[i].intent)
        .count();
    println!(
        "\nUncertain: {uncertain} of {} ({:.1} %); accuracy on the rest {:.3}.",
        corpus.len(),
        100.0 * uncertain as f64 / corpus.len().max(1) as f64,
        right as f64 / answered.len().max(1) as f64
    );
    println!("\n### Per label\n\n| label | precision | recall | F1 | n |\n|---|---|---|---|---|");
    for &label in Intent::ALL {
        let tp = pairs(corpus, results)
            .filter(|(t, p)| *t == label && *p == label)
            .count();
        let predicted = results.iter().filter(|r| r.primary == label).count();
        let actual = corpus.iter().filter(|m| m.intent == label).count();
        let (p, r) = (ratio(tp, predicted), ratio(tp, actual));
        let f1 = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        println!("| {label} | {p:.3} | {r:.3} | {f1:.3} | {actual} |");
    }
    println!("\n### Confusion matrix (rows: label, columns: primary)\n");
    let short: Vec<String> = Intent::ALL
        .iter()
        .map(|i| i.as_str().chars().take(7).collect())
        .collect();
    println!("| | {} |", short.join(" | "));
    println!("|---{}|", "|---".repeat(Intent::ALL.len()));
    for (&label, name) in Intent::ALL.iter().zip(&short) {
        let row: Vec<String> = Intent::ALL
            .iter()
            .map(|&p| {
                pairs(corpus, results)
                    .filter(|&(t, q)| t == label && q == p)
                    .count()
                    .to_string()
            })
            .collect();
        println!("| **{name}** | {} |", row.join(" | "));
    }
    println!("\n### Calibration (confidence of the primary, per bin)\n\n| bin | n | mean confidence | accuracy |\n|---|---|---|---|");
    for bin in 0..10 {
        let (lo, hi) = (bin as f32 / 10.0, (bin + 1) as f32 / 10.0);
        let idx: Vec<usize> = (0..corpus.len())
            .filter(|&i| {
                results[i].confidence >= lo
                    && (results[i].confidence < hi || (bin == 9 && results[i].confidence <= 1.0))
            })
            .collect();
        if idx.is_empty() {
            continue;
        }
        let mean = idx
            .iter()
            .map(|&i| f64::from(results[i].confidence))
            .sum::<f64>()
            / idx.len() as f64;
        let acc = idx
            .iter()
            .filter(|&&i| results[i].primary == corpus[i].intent)
            .count();
        println!(
            "| {lo:.1}–{hi:.1} | {} | {mean:.3} | {:.3} |",
            idx.len(),
            ratio(acc, idx.len())
        );
    }
}

fn pairs<'a>(
    corpus: &'a [LabelledMessage],
    results: &'a [Classification],
) -> impl Iterator<Item = (Intent, Intent)> + 'a {
    corpus
        .iter()
        .zip(results)
        .map(|(m, r)| (m.intent, r.primary))
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn accuracy_table(corpus: &[LabelledMessage], results: &[Classification]) {
    println!("| language | n | accuracy |\n|---|---|---|");
    for lang in [Language::Es, Language::Pt, Language::En] {
        let idx: Vec<usize> = (0..corpus.len())
            .filter(|&i| corpus[i].language == lang)
            .collect();
        let right = idx
            .iter()
            .filter(|&&i| results[i].primary == corpus[i].intent)
            .count();
        println!(
            "| {lang} | {} | {:.3} |",
            idx.len(),
            ratio(right, idx.len())
        );
    }
    let right = pairs(corpus, results).filter(|(t, p)| t == p).count();
    println!(
        "| all | {} | {:.3} |",
        corpus.len(),
        ratio(right, corpus.len())
    );
}

fn opt_out_line(corpus: &[LabelledMessage], results: &[Classification]) {
    let tp = pairs(corpus, results)
        .filter(|&(t, p)| t == Intent::OptOut && p == Intent::OptOut)
        .count();
    let predicted = results
        .iter()
        .filter(|r| r.primary == Intent::OptOut)
        .count();
    let actual = corpus.iter().filter(|m| m.intent == Intent::OptOut).count();
    let explicit_wrong = pairs(corpus, results)
        .zip(results)
        .filter(|((t, _), r)| *t != Intent::OptOut && r.is_explicit_opt_out())
        .count();
    let explicit_right = pairs(corpus, results)
        .zip(results)
        .filter(|((t, _), r)| *t == Intent::OptOut && r.is_explicit_opt_out())
        .count();
    println!(
        "\nopt_out: recall {:.3} ({tp}/{actual}), precision {:.3} ({tp}/{predicted}); explicit opt-outs on messages that are not: {explicit_wrong}; explicit (consent revoked at once) for {explicit_right} of {actual} opt-outs",
        ratio(tp, actual),
        ratio(tp, predicted)
    );
    // What automation does with them: any opt-out signal (explicit, or implicit: the
    // primary or a flag) stops marketing to the contact; only an explicit one also
    // revokes consent and closes the lead.
    let flagged = |r: &Classification| r.opt_out.is_some();
    let stopped = pairs(corpus, results)
        .zip(results)
        .filter(|((t, _), r)| *t == Intent::OptOut && flagged(r))
        .count();
    let held_back = pairs(corpus, results)
        .zip(results)
        .filter(|((t, _), r)| *t != Intent::OptOut && flagged(r))
        .count();
    println!(
        "marketing stopped (explicit or implicit signal) for {stopped} of {actual} opt-outs ({:.3}); messages that are not opt-outs held back for an agent: {held_back} of {}",
        ratio(stopped, actual),
        corpus.len() - actual
    );
}

fn languages(corpus: &[LabelledMessage], results: &[Classification]) {
    let ours = (0..corpus.len())
        .filter(|&i| results[i].language == corpus[i].language)
        .count();
    let unknown = results
        .iter()
        .filter(|r| r.language == Language::Unknown)
        .count();
    let detector = whatlang::Detector::with_allowlist(vec![
        whatlang::Lang::Spa,
        whatlang::Lang::Por,
        whatlang::Lang::Eng,
    ]);
    let theirs = corpus
        .iter()
        .filter(|m| {
            let lang = detector.detect_lang(&m.text).map(|l| match l {
                whatlang::Lang::Spa => Language::Es,
                whatlang::Lang::Por => Language::Pt,
                _ => Language::En,
            });
            lang == Some(m.language)
        })
        .count();
    println!(
        "\n### Language\n\nmodel head: {:.3} right, {unknown} unknown; whatlang 0.18 (allowlist es/pt/en): {:.3} right",
        ratio(ours, corpus.len()),
        ratio(theirs, corpus.len())
    );
}
