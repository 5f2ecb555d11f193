//! Receipts: is the amount read from a receipt the amount the seller declared, and
//! which amount on a receipt's text is its total. Pure text and integers; reading the
//! image (OCR) happens elsewhere.

use super::{parse_amount, Amount, Region};

/// The tolerance of [`check_receipt`] unless a tenant sets another: 5 %, in basis
/// points (1 bp = 0.01 %).
pub const DEFAULT_TOLERANCE_BPS: u32 = 500;

/// The outcome of comparing a declared amount with the one read on a receipt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ReceiptCheck {
    /// Within tolerance; `difference` is `read - declared` in minor units.
    Match {
        /// `read - declared`, minor units.
        difference: i64,
    },
    /// Outside tolerance.
    Mismatch {
        /// `read - declared`, minor units.
        difference: i64,
    },
    /// No amount could be read from the receipt.
    Unreadable,
}

/// Compares the `declared` amount with the one `read` on the receipt (both in minor
/// units of one currency): a match when `|read − declared| × 10 000 ≤ |declared| ×
/// tolerance_bps`, inclusive, in integer arithmetic (no rounding anywhere).
///
/// ```
/// use arichat_core::money::{check_receipt, ReceiptCheck, DEFAULT_TOLERANCE_BPS};
/// // 5 % of 150 000 is 7 500: inclusive.
/// assert_eq!(check_receipt(150_000, Some(157_500), DEFAULT_TOLERANCE_BPS), ReceiptCheck::Match { difference: 7_500 });
/// assert_eq!(check_receipt(150_000, Some(157_501), DEFAULT_TOLERANCE_BPS), ReceiptCheck::Mismatch { difference: 7_501 });
/// assert_eq!(check_receipt(150_000, None, DEFAULT_TOLERANCE_BPS), ReceiptCheck::Unreadable);
/// ```
pub fn check_receipt(declared: i64, read: Option<i64>, tolerance_bps: u32) -> ReceiptCheck {
    let Some(read) = read else {
        return ReceiptCheck::Unreadable;
    };
    let difference = i128::from(read) - i128::from(declared);
    let within =
        difference.abs() * 10_000 <= i128::from(declared).abs() * i128::from(tolerance_bps);
    // |difference| < 2^64 fits an i64 unless the inputs are at the two ends of i64.
    let difference =
        i64::try_from(difference).unwrap_or(if difference > 0 { i64::MAX } else { i64::MIN });
    if within {
        ReceiptCheck::Match { difference }
    } else {
        ReceiptCheck::Mismatch { difference }
    }
}

/// Labels of a receipt's total, strongest first. `SUBTOTAL` never counts.
const LABELS: &[(&str, u8)] = &[
    ("TOTAL A PAGAR", 3),
    ("VALOR PAGO", 3),
    ("VALOR PAGADO", 3),
    ("TOTAL PAGADO", 3),
    ("VALOR TOTAL", 3),
    ("MONTO TOTAL", 3),
    ("TOTAL", 3),
    ("MONTO", 2),
    ("VALOR", 2),
    ("IMPORTE", 2),
];

/// The total of a receipt's text (as OCR reads it): the amount on the line of its
/// strongest label (`TOTAL A PAGAR`, `VALOR PAGO`, `TOTAL`, then `MONTO`, `VALOR`,
/// `IMPORTE`; never `SUBTOTAL`), or on the next line when the label stands alone. Among
/// lines with equally strong labels, the largest amount wins (`TOTAL IVA` is smaller
/// than `TOTAL`). `None` when no label has an amount.
///
/// ```
/// use arichat_core::money::{pick_receipt_total, Region};
/// let text = "FERRETERIA EL TUBO\nSUBTOTAL 1.260,50\nIVA 239,50\nTOTAL $ 1.500,00\nGRACIAS";
/// let total = pick_receipt_total(text, Region::Co).unwrap();
/// assert_eq!(total.minor, 150_000);
/// assert_eq!(total.text, "$ 1.500,00");
/// ```
pub fn pick_receipt_total(ocr_text: &str, region: Region) -> Option<Amount> {
    let mut lines = Vec::new();
    let mut offset = 0;
    for line in ocr_text.split_inclusive('\n') {
        lines.push((offset, line));
        offset += line.len();
    }
    let repaired = repair_ocr_numbers(ocr_text, region);
    let mut best: Option<(u8, Amount)> = None;
    // Lines of the repaired text: the same bytes but for separators, so the same offsets.
    let lines: Vec<(usize, &str)> = lines
        .iter()
        .map(|&(start, line)| (start, &repaired[start..start + line.len()]))
        .collect();
    for (k, &(line_start, line)) in lines.iter().enumerate() {
        let Some((strength, label_end)) = label(line) else {
            continue;
        };
        let on_line = parse_amount(&line[label_end..], region)
            .into_iter()
            .next()
            .map(|a| shift(a, line_start + label_end));
        let next_line = || {
            lines[k + 1..]
                .iter()
                .find(|(_, l)| !l.trim().is_empty())
                .and_then(|&(s, l)| {
                    parse_amount(l, region)
                        .into_iter()
                        .next()
                        .map(|a| shift(a, s))
                })
        };
        let Some(amount) = on_line.or_else(next_line) else {
            continue;
        };
        let better = match &best {
            None => true,
            Some((s, b)) => strength > *s || (strength == *s && amount.minor > b.minor),
        };
        if better {
            best = Some((strength, amount));
        }
    }
    // The amount's text as OCR read it, not as repaired.
    best.map(|(_, mut a)| {
        a.text = ocr_text[a.start..a.end].to_owned();
        a
    })
}

/// OCR reads a decimal comma as a dot and a dot as a space (`TOTAL $ 1.200.00`,
/// `R$ 69 586.34`). On a receipt, a number whose groups after the first have three
/// digits and whose last separator (`.` or `,`) is followed by exactly two digits is
/// groups and cents whatever separators OCR gave: they are rewritten, byte for byte, into
/// the region's group and decimal separators, so every offset stays the OCR text's.
fn repair_ocr_numbers(text: &str, region: Region) -> String {
    let separators = region.separators();
    let decimal = separators.decimal() as u8;
    let group = if separators.groups_with_spaces() {
        b' '
    } else if decimal == b',' {
        b'.'
    } else {
        b','
    };
    let mut bytes = text.as_bytes().to_vec();
    let is_sep = |b: u8| matches!(b, b'.' | b',' | b' ');
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() || (i > 0 && bytes[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        // Groups of digits joined by one separator each: (start, len) and separators.
        let mut groups: Vec<(usize, usize)> = Vec::new();
        let mut seps: Vec<usize> = Vec::new();
        let mut j = i;
        loop {
            let start = j;
            while j < bytes.len() && bytes[j].is_ascii_digit() {
                j += 1;
            }
            groups.push((start, j - start));
            if j + 1 < bytes.len() && is_sep(bytes[j]) && bytes[j + 1].is_ascii_digit() {
                seps.push(j);
                j += 1;
            } else {
                break;
            }
        }
        let n = groups.len();
        let shaped = n >= 2
            && groups[n - 1].1 == 2
            && bytes[seps[n - 2]] != b' '
            && (1..=3).contains(&groups[0].1)
            && groups[1..n - 1].iter().all(|g| g.1 == 3);
        if shaped {
            for &s in &seps[..n - 2] {
                bytes[s] = group;
            }
            bytes[seps[n - 2]] = decimal;
        }
        i = j.max(i + 1);
    }
    // Only ASCII separators were swapped for ASCII separators.
    String::from_utf8(bytes).unwrap_or_else(|_| text.to_owned())
}

/// Whether a label starts right after `SUB-`, `SUB ` or `SUB.` (`SUB-TOTAL` is no total).
fn after_sub(before: &[u8]) -> bool {
    before.len() >= 4
        && before[before.len() - 4..before.len() - 1].eq_ignore_ascii_case(b"SUB")
        && matches!(before[before.len() - 1], b'-' | b' ' | b'.')
        && (before.len() == 4 || !before[before.len() - 5].is_ascii_alphabetic())
}

fn shift(mut amount: Amount, by: usize) -> Amount {
    amount.start += by;
    amount.end += by;
    amount
}

/// The strongest label on a line and the byte offset just after it.
fn label(line: &str) -> Option<(u8, usize)> {
    let upper = line.as_bytes();
    let mut best: Option<(u8, usize)> = None;
    for &(label, strength) in LABELS {
        let n = label.len();
        let hit = (0..upper.len().saturating_sub(n - 1)).find(|&i| {
            upper[i..i + n].eq_ignore_ascii_case(label.as_bytes())
                && (i == 0 || !upper[i - 1].is_ascii_alphabetic())
                && upper.get(i + n).is_none_or(|b| !b.is_ascii_alphabetic())
                && !after_sub(&upper[..i])
        });
        if let Some(i) = hit {
            if best.is_none_or(|(s, _)| strength > s) {
                best = Some((strength, i + n));
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_misread_by_ocr_are_read_as_groups_and_cents() {
        let pick = |t: &str, r| pick_receipt_total(t, r).map(|a| (a.minor, a.text));
        assert_eq!(
            pick("TOTAL $ 1.200.00", Region::Co),
            Some((120_000, "$ 1.200.00".to_owned()))
        );
        assert_eq!(
            pick("TOTAL R$ 69 586.34", Region::Br).map(|a| a.0),
            Some(6_958_634)
        );
        assert_eq!(
            pick("TOTAL $ 80.393.17", Region::Mx).map(|a| a.0),
            Some(8_039_317)
        );
        // Whole pesos, and numbers that are not groups and cents, are left alone.
        assert_eq!(
            pick("TOTAL $ 15.000", Region::Co).map(|a| a.0),
            Some(1_500_000)
        );
        assert_eq!(pick("TOTAL 12.5", Region::Mx).map(|a| a.0), Some(1_250));
        // SUB-TOTAL, SUB TOTAL are no total.
        assert_eq!(
            pick("MONTO 5\nSUB-TOTAL 4", Region::Co).map(|a| a.0),
            Some(500)
        );
        assert_eq!(
            pick("MONTO 5\nSub total 4", Region::Co).map(|a| a.0),
            Some(500)
        );
    }

    #[test]
    fn tolerance_is_inclusive_both_ways_and_exact() {
        assert_eq!(
            check_receipt(100, Some(95), 500),
            ReceiptCheck::Match { difference: -5 }
        );
        assert_eq!(
            check_receipt(100, Some(94), 500),
            ReceiptCheck::Mismatch { difference: -6 }
        );
        assert_eq!(
            check_receipt(0, Some(0), 500),
            ReceiptCheck::Match { difference: 0 }
        );
        assert_eq!(
            check_receipt(0, Some(1), 500),
            ReceiptCheck::Mismatch { difference: 1 }
        );
        assert_eq!(
            check_receipt(i64::MAX, Some(i64::MIN), 500),
            ReceiptCheck::Mismatch {
                difference: i64::MIN
            }
        );
    }

    #[test]
    fn labels_alone_on_a_line_and_subtotals() {
        let text = "Subtotal 1,200.00\nTOTAL\n\n S/ 1,500.00\n";
        let total = pick_receipt_total(text, Region::Pe).unwrap();
        assert_eq!(total.minor, 150_000);
        assert_eq!(total.text, "S/ 1,500.00");
        assert!(pick_receipt_total("SUBTOTAL 100\nGRACIAS", Region::Co).is_none());
        let pix = "Comprovante Pix\nValor pago\nR$ 1.500,50\nData 03/12/2026";
        assert_eq!(pick_receipt_total(pix, Region::Br).unwrap().minor, 150_050);
        let iva = "TOTAL IVA 239\nTOTAL 1.500";
        assert_eq!(pick_receipt_total(iva, Region::Co).unwrap().minor, 150_000);
    }
}
