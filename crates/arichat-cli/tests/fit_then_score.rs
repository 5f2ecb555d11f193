//! A card `arichat fit` writes always loads and scores in `arichat score`, whatever
//! the CSV holds: missing markers, decimal commas, grouping, text in a number column.

use assert_cmd::Command;
use proptest::prelude::*;

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("N/A".to_owned()),
        Just("-".to_owned()),
        Just(String::new()),
        Just("null".to_owned()),
        (0u32..120).prop_map(|n| n.to_string()),
        (0u32..100, 1u32..99).prop_map(|(a, b)| format!("\"{a},{b}\"")),
        (1u32..9, 0u32..999).prop_map(|(a, b)| format!("{a}.{b:03}")),
        Just("abc".to_owned()),
    ]
}

fn csv() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        (
            cell(),
            prop_oneof![Just("gold"), Just("silver"), Just(""), Just("N/A")],
            prop_oneof![Just("yes"), Just("no"), Just("N/A")],
            proptest::bool::ANY,
        ),
        // Enough rows that the fit keeps rules (a dozen rows fit none).
        100..160,
    )
    .prop_map(|rows| {
        let mut s = String::from("age,plan,vip,y\n");
        for (i, (age, plan, vip, y)) in rows.into_iter().enumerate() {
            // Both classes, whatever was drawn.
            let y = match i {
                0 => "yes",
                1 => "no",
                _ if y => "yes",
                _ => "no",
            };
            // Plan carries signal, so its rules survive.
            let plan = if y == "yes" && i % 3 == 0 {
                "gold"
            } else {
                plan
            };
            s.push_str(&format!("{age},{plan},{vip},{y}\n"));
        }
        s
    })
}

fn arichat(args: &[&str], stdin: &str) -> std::process::Output {
    Command::cargo_bin("arichat")
        .unwrap()
        .args(args)
        .write_stdin(stdin)
        .output()
        .unwrap()
}

proptest! {
    // Each case runs the binary twice per option set.
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn a_fitted_card_scores_its_own_data(data in csv(), typed in proptest::bool::ANY) {
        let dir = std::env::temp_dir().join(format!("arichat-fit-score-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let card = dir.join(format!("card-{typed}.toml"));
        let mut fit = vec!["fit", "--label", "y", "--positive", "yes", "--cv", "0", "--locale", "es-CO"];
        if typed {
            fit.extend(["--type", "age=number"]);
        }
        fit.push("-");
        let out = arichat(&fit, &data);
        prop_assert!(out.status.success(), "fit: {}", String::from_utf8_lossy(&out.stderr));
        std::fs::write(&card, &out.stdout).unwrap();
        let scored = arichat(
            &["score", "--locale", "es-CO", "--scorecard", card.to_str().unwrap(), "-"],
            &data,
        );
        prop_assert!(
            scored.status.success(),
            "score: {}\ncard:\n{}",
            String::from_utf8_lossy(&scored.stderr),
            String::from_utf8_lossy(&out.stdout)
        );
        prop_assert_eq!(String::from_utf8_lossy(&scored.stdout).lines().count(), data.lines().count());
        prop_assert!(String::from_utf8_lossy(&out.stdout).contains("[[fit]]"), "a card without rules proves nothing");
    }
}
