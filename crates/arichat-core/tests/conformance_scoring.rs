//! The shared scoring vectors (`tests/vectors/scoring.json`) hold for the Rust core's
//! [`Scorecard::score`], and every binding's tests read the same file.
//!
//! The scorecards (`tests/vectors/scorecard.toml` by file name, the others inline as
//! TOML lines), each case's `name`, `note`, `scorecard`, `now`, `record` and `events`
//! are written by hand; its `expected` block (the whole `ScoreResult`) is written by
//! this test:
//!
//! ```text
//! ARICHAT_BLESS=1 cargo test -p arichat-core --test conformance_scoring
//! ```
//!
//! Run that after changing how scorecards score, review the diff, and commit it: the
//! bindings then hold their runtimes to the new answers.

#[path = "support/bless.rs"]
mod bless;

use std::collections::BTreeMap;

use arichat_core::scoring::{
    Contribution, ContributionKind, EngagementEvent, Grade, LeadRecord, Predicate, ScoreResult,
    Scorecard,
};
use arichat_core::LifecycleStage;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/vectors");
const PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/vectors/scoring.json"
);

/// Written into the file on blessing, so that the file says how it is made.
const ABOUT: &str = "Cross-runtime scoring vectors. The scorecards (`file`: a file of \
     tests/vectors read with from_toml; `toml`: the lines of a TOML scorecard, joined with \
     \\n) and each case's name, note, scorecard, now, record and events are hand-written; \
     every `expected` is Scorecard::score's result, written by `ARICHAT_BLESS=1 cargo test \
     -p arichat-core --test conformance_scoring`. Score `record` (JSON values as they are: \
     numbers, text, booleans, null; an absent field is missing) with `events` (kind, at, \
     intent, payload) at `now`, and compare grade, stage and each contribution's rule, name, \
     kind and events exactly, and total, fit, engagement, probability and each \
     contribution's points within `tolerance` (decay goes through the platform's pow).";

/// Points are compared within this: decay is `powf`, which may differ by an ulp
/// between platforms' math libraries.
const TOLERANCE: f64 = 1e-9;

#[derive(Serialize, Deserialize)]
struct Vectors {
    #[serde(default)]
    about: String,
    #[serde(default)]
    tolerance: f64,
    scorecards: BTreeMap<String, CardSource>,
    cases: Vec<Case>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CardSource {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    toml: Option<Vec<String>>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    note: String,
    scorecard: String,
    now: DateTime<Utc>,
    /// Kept as written (JSON), so that blessing leaves the inputs alone.
    record: Json,
    events: Vec<EngagementEvent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expected: Option<ScoreResult>,
}

fn read() -> Vectors {
    let bytes = std::fs::read(PATH).expect("tests/vectors/scoring.json");
    serde_json::from_slice(&bytes).expect("tests/vectors/scoring.json is valid")
}

fn load(name: &str, source: &CardSource) -> Scorecard {
    let text = match (&source.file, &source.toml) {
        (Some(file), None) => std::fs::read_to_string(format!("{DIR}/{file}"))
            .unwrap_or_else(|e| panic!("scorecard {name}: {file}: {e}")),
        (None, Some(lines)) => lines.join("\n"),
        _ => panic!("scorecard {name}: give one of file and toml"),
    };
    Scorecard::from_toml(&text).unwrap_or_else(|e| panic!("scorecard {name}: {e}"))
}

fn cards(v: &Vectors) -> BTreeMap<&str, Scorecard> {
    v.scorecards
        .iter()
        .map(|(name, source)| (name.as_str(), load(name, source)))
        .collect()
}

fn score(cards: &BTreeMap<&str, Scorecard>, c: &Case) -> ScoreResult {
    let card = cards
        .get(c.scorecard.as_str())
        .unwrap_or_else(|| panic!("{}: no scorecard {:?}", c.name, c.scorecard));
    let record: LeadRecord = serde_json::from_value(c.record.clone())
        .unwrap_or_else(|e| panic!("{}: record: {e}", c.name));
    card.score(&record, &c.events, c.now)
}

/// What differs between two results: floats within [`TOLERANCE`], the rest exactly.
fn differences(want: &ScoreResult, got: &ScoreResult) -> Vec<String> {
    let close = |a: f64, b: f64| (a - b).abs() <= TOLERANCE;
    let mut out = Vec::new();
    for (what, w, g) in [
        ("total", want.total, got.total),
        ("fit", want.fit, got.fit),
        ("engagement", want.engagement, got.engagement),
    ] {
        if !close(w, g) {
            out.push(format!("{what}: want {w}, got {g}"));
        }
    }
    if want.grade != got.grade || want.stage != got.stage {
        out.push(format!(
            "grade/stage: want {}/{}, got {}/{}",
            want.grade, want.stage, got.grade, got.stage
        ));
    }
    let probability_same = match (want.probability, got.probability) {
        (None, None) => true,
        (Some(w), Some(g)) => close(w, g),
        _ => false,
    };
    if !probability_same {
        out.push(format!(
            "probability: want {:?}, got {:?}",
            want.probability, got.probability
        ));
    }
    let line = |c: &Contribution| (c.rule.clone(), c.name.clone(), c.kind, c.events);
    let same_lines = want.contributions.len() == got.contributions.len()
        && want
            .contributions
            .iter()
            .zip(&got.contributions)
            .all(|(w, g)| line(w) == line(g) && close(w.points, g.points));
    if !same_lines {
        out.push(format!(
            "contributions: want {:?}, got {:?}",
            want.contributions, got.contributions
        ));
    }
    out
}

#[test]
fn scorecards_give_the_expected_scores() {
    let mut v = read();
    let cards = cards(&v);
    if bless::blessing() {
        let results: Vec<ScoreResult> = v.cases.iter().map(|c| score(&cards, c)).collect();
        for (c, r) in v.cases.iter_mut().zip(results) {
            c.expected = Some(r);
        }
        v.about = ABOUT.to_owned();
        v.tolerance = TOLERANCE;
        bless::write_json(PATH, &v);
        return;
    }
    assert_eq!(v.tolerance, TOLERANCE, "tolerance; re-bless");
    let mut wrong = Vec::new();
    for c in &v.cases {
        let want = c.expected.as_ref().unwrap_or_else(|| {
            panic!(
                "{} has no expected score; run ARICHAT_BLESS=1 cargo test -p arichat-core \
                 --test conformance_scoring",
                c.name
            )
        });
        let got = score(&cards, c);
        for d in differences(want, &got) {
            wrong.push(format!("{} ({}): {d}", c.name, c.note));
        }
    }
    assert!(
        wrong.is_empty(),
        "scores differ from tests/vectors/scoring.json (after changing scoring, re-bless \
         with ARICHAT_BLESS=1 and review the diff):\n{}",
        wrong.join("\n")
    );
}

/// The file keeps covering every predicate, every contribution kind, every grade and
/// stage, totals on a threshold, and the record shapes the bindings must carry,
/// whatever the scores are.
#[test]
fn vectors_cover_predicates_caps_grades_and_record_shapes() {
    let v = read();
    let cards = cards(&v);
    let all_toml: String = cards
        .values()
        .map(Scorecard::to_toml)
        .collect::<Vec<_>>()
        .join("\n");
    let used: Vec<&str> = cards
        .values()
        .flat_map(|c| c.fit.iter().map(|r| r.predicate.name()))
        .collect();
    for name in Predicate::NAMES {
        assert!(used.contains(&name), "no fit rule uses {name}");
    }
    for key in [
        "half_life_hours",
        "max_age_hours",
        "within_minutes",
        "payload",
        "intent",
        "[groups",
        "[odds]",
    ] {
        assert!(all_toml.contains(key), "no scorecard uses {key}");
    }
    let names: Vec<&str> = v.cases.iter().map(|c| c.name.as_str()).collect();
    let mut unique = names.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), names.len(), "case names are unique");
    assert!(v.scorecards.values().any(|s| s.file.is_some()));

    let expected: Vec<(&Case, &ScoreResult)> = v
        .cases
        .iter()
        .filter_map(|c| Some((c, c.expected.as_ref()?)))
        .collect();
    for kind in [
        ContributionKind::Base,
        ContributionKind::Fit,
        ContributionKind::Engagement,
        ContributionKind::GroupCap,
    ] {
        assert!(
            expected
                .iter()
                .any(|(_, r)| r.contributions.iter().any(|l| l.kind == kind)),
            "no contribution of kind {kind}"
        );
    }
    for grade in [Grade::A, Grade::B, Grade::C, Grade::D] {
        assert!(
            expected.iter().any(|(_, r)| r.grade == grade),
            "grade {grade}"
        );
    }
    for stage in [
        LifecycleStage::Iql,
        LifecycleStage::Mql,
        LifecycleStage::Sql,
    ] {
        assert!(
            expected.iter().any(|(_, r)| r.stage == stage),
            "stage {stage}"
        );
    }
    assert!(
        expected.iter().any(|(_, r)| r.probability.is_some()),
        "a probability"
    );
    assert!(
        expected.iter().any(|(_, r)| r.total < 0.0),
        "a negative total"
    );
    // A total exactly on a grade and a stage threshold.
    let on_threshold = expected.iter().any(|(c, r)| {
        let card = &cards[c.scorecard.as_str()];
        let g = card.grades;
        let s = card.stages;
        [g.a, g.b, g.c].contains(&r.total) && [s.mql, s.sql].contains(&r.total)
    });
    assert!(on_threshold, "a total on a grade and a stage threshold");

    let values = || {
        v.cases
            .iter()
            .filter_map(|c| c.record.as_object())
            .flat_map(|o| o.values())
    };
    assert!(values().any(Json::is_null), "a null attribute");
    assert!(values().any(Json::is_boolean), "a boolean attribute");
    assert!(
        values().any(|x| x.as_f64().is_some_and(|n| n.fract() != 0.0)),
        "a fractional number"
    );
    assert!(
        values().any(|x| x.as_str().is_some_and(|s| s.trim().parse::<f64>().is_ok())),
        "a number as text"
    );
    assert!(
        values().any(|x| x.as_str().is_some_and(|s| !s.is_ascii())),
        "accented text"
    );
    assert!(
        values().any(|x| x.as_str() == Some("")),
        "empty text (missing)"
    );
    assert!(
        v.cases
            .iter()
            .any(|c| c.events.iter().any(|e| e.at > c.now)),
        "an event after now"
    );
}
