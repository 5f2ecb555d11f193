//! Properties of money, deal and receipt parsing over any text: no panic, spans that
//! slice the text, and no amount that is not in it.

use arichat_core::deal::{parse_deal, DealGrammar};
use arichat_core::money::{
    check_receipt, parse_amount_with, pick_receipt_total, ParseOptions, ReceiptCheck, Region,
};
use proptest::prelude::*;

/// Text made of what amounts and tags are made of, so that the parsers' branches are
/// reached far more often than by arbitrary strings.
fn salesish() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "1",
        "5",
        "0",
        "500",
        "1.500",
        "1,5",
        ".",
        ",",
        " ",
        "\u{a0}",
        "$",
        "US$",
        "R$",
        "S/",
        "Q",
        "Bs",
        "₡",
        "COP",
        "k",
        "K",
        " mil",
        " millones",
        " lucas",
        " pesos",
        " reais",
        "mil",
        "quinientos",
        " e ",
        " y ",
        "dos",
        "@monto",
        "@cliente",
        "@tubos",
        "monto:",
        "monto=",
        "cliente=\"",
        "\"",
        "“",
        "\n",
        "TOTAL",
        "SUBTOTAL",
        "VALOR PAGO",
        "é",
        "ñ",
        "🙂",
        "@",
        "=",
        ":",
    ]);
    prop::collection::vec(pieces, 0..24).prop_map(|p| p.concat())
}

fn check_amounts(text: &str) {
    for region in Region::ALL {
        for slang in [false, true] {
            let found = parse_amount_with(text, *region, &ParseOptions { slang });
            let mut last_end = 0;
            for a in &found {
                assert!(
                    a.start >= last_end && a.start < a.end && a.end <= text.len(),
                    "{text:?}: {a:?}"
                );
                assert_eq!(text.get(a.start..a.end), Some(a.text.as_str()));
                assert!(a.minor >= 0);
                last_end = a.end;
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn parse_amount_never_panics_on_any_string(text in any::<String>()) {
        check_amounts(&text);
    }

    #[test]
    fn parse_amount_never_panics_on_money_like_text(text in salesish()) {
        check_amounts(&text);
    }

    #[test]
    fn deal_grammar_never_panics_and_spans_slice(text in prop_oneof![any::<String>(), salesish()]) {
        let grammar = DealGrammar::from_toml("slang = true").unwrap();
        for region in [Region::Co, Region::Pe, Region::Br, Region::Cr] {
            let parsed = parse_deal(&text, &grammar.clone().with_region(region));
            for f in &parsed.fields {
                prop_assert!(text.get(f.tag_start..f.start).is_some() && text.get(f.start..f.end).is_some());
            }
            for p in &parsed.problems {
                if let (Some(s), Some(e)) = (p.start, p.end) {
                    prop_assert!(text.get(s..e).is_some(), "{:?}", p);
                }
            }
            prop_assert_eq!(parsed.deal.is_some(), parsed.problems.is_empty());
        }
    }

    #[test]
    fn receipt_totals_never_panic(text in prop_oneof![any::<String>(), salesish()]) {
        let _ = pick_receipt_total(&text, Region::Co);
        let _ = pick_receipt_total(&text, Region::Pe);
    }

    #[test]
    fn receipt_check_is_inclusive_at_the_tolerance(declared in 0_i64..1_000_000_000_000, bps in 0_u32..10_000) {
        // The largest difference within tolerance matches, one more does not.
        let edge = i64::try_from(i128::from(declared) * i128::from(bps) / 10_000).unwrap();
        prop_assert_eq!(check_receipt(declared, Some(declared + edge), bps), ReceiptCheck::Match { difference: edge });
        prop_assert_eq!(check_receipt(declared, Some(declared - edge), bps), ReceiptCheck::Match { difference: -edge });
        let over = edge + 1;
        let beyond = i128::from(over) * 10_000 > i128::from(declared) * i128::from(bps);
        prop_assert_eq!(matches!(check_receipt(declared, Some(declared + over), bps), ReceiptCheck::Mismatch { .. }), beyond);
    }
}
