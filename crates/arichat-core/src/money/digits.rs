//! A run of digits and separators (`1.234.567,5`, `1,500`, `1 500 000`) read by the
//! rules of a region.

use super::decimal::Decimal;
use super::Separators;

/// How one digit run reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Reading {
    /// The value by the region's rules (or by structure, when it is unambiguous).
    pub(crate) value: Decimal,
    /// The other reading when the run fits both (`1.500` in Lima: 1.5 or 1500).
    pub(crate) alternative: Option<Decimal>,
}

/// Whether `c` may group digits when the region groups with spaces.
pub(crate) fn is_space_group(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}')
}

/// The byte length of the digit run at the start of `s` (which starts with an ASCII
/// digit): digits, plus `.`/`,` followed by a digit, plus (where the region groups with
/// spaces) a space followed by exactly three digits. A trailing `.` or `,` is left out
/// (it ends the sentence).
pub(crate) fn run_len(s: &str, separators: Separators) -> usize {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_digit() {
            i += 1;
            continue;
        }
        if (b == b'.' || b == b',') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
            i += 1;
            continue;
        }
        if separators.groups_with_spaces() {
            let Some(c) = s[i..].chars().next() else {
                break;
            };
            if is_space_group(c) {
                let after = &s[i + c.len_utf8()..];
                let digits = after.bytes().take_while(u8::is_ascii_digit).count();
                let next = after[digits..].chars().next();
                let ends = !next.is_some_and(|n| n.is_ascii_digit() || is_space_group(n));
                if digits == 3 && (ends || next.is_some_and(is_space_group)) {
                    i += c.len_utf8();
                    continue;
                }
            }
        }
        break;
    }
    i
}

/// Reads a digit run (as delimited by [`run_len`]). `None` when it is not a number
/// (`1.2.3`, `12.03.2026`).
pub(crate) fn read(run: &str, separators: Separators) -> Option<Reading> {
    // Spaces only ever group (run_len admitted them before three digits): they become
    // `'` here, a group mark no region uses as decimal.
    let compact: String = run
        .chars()
        .map(|c| if is_space_group(c) { '\'' } else { c })
        .collect();
    let spaced = compact.contains('\'');
    let marks: Vec<(usize, u8)> = compact
        .bytes()
        .enumerate()
        .filter(|(_, b)| *b == b'.' || *b == b',')
        .collect();
    let Some(&(last_at, last)) = marks.last() else {
        let groups: Vec<&str> = compact.split('\'').collect();
        if spaced && !valid_groups(&groups) {
            return None;
        }
        return Decimal::from_digits(&groups.concat(), "").map(|value| Reading {
            value,
            alternative: None,
        });
    };
    let mixed = marks.iter().any(|(_, b)| *b != last);
    let decimal = separators.decimal() as u8;
    if mixed || spaced {
        // `1.234,5` / `1,234.5` / `1 234,5`: the last mark is the decimal one, the
        // others group (and must all be the same).
        let (int, frac) = (&compact[..last_at], &compact[last_at + 1..]);
        if marks[..marks.len() - 1].iter().any(|(_, b)| *b == last) {
            return None;
        }
        let groups: Vec<&str> = int.split(['.', ',', '\'']).collect();
        if spaced && !mixed && last != decimal {
            // `1 500.000` is no number anyone writes.
            return None;
        }
        return valid_groups(&groups)
            .then(|| Decimal::from_digits(&groups.concat(), frac))
            .flatten()
            .map(|value| Reading {
                value,
                alternative: None,
            });
    }
    let parts: Vec<&str> = compact.split(last as char).collect();
    if parts.len() > 2 {
        // `1.234.567`: several marks of one kind only ever group.
        return valid_groups(&parts)
            .then(|| Decimal::from_digits(&parts.concat(), ""))
            .flatten()
            .map(|value| Reading {
                value,
                alternative: None,
            });
    }
    let (int, frac) = (parts[0], parts[1]);
    let as_decimal = Decimal::from_digits(int, frac)?;
    let could_group = frac.len() == 3 && valid_groups(&[int, frac]);
    if !could_group {
        return Some(Reading {
            value: as_decimal,
            alternative: None,
        });
    }
    let as_grouped = Decimal::from_digits(int, "")?
        .times(1000)?
        .plus(Decimal::from_digits(frac, "")?)?;
    if last == decimal {
        // `1.500` in Lima: the region says 1.5, the shape says 1500.
        Some(Reading {
            value: as_decimal,
            alternative: Some(as_grouped),
        })
    } else {
        Some(Reading {
            value: as_grouped,
            alternative: None,
        })
    }
}

/// A first group of 1 to 3 digits not starting with 0, then groups of exactly 3.
fn valid_groups(groups: &[&str]) -> bool {
    let Some((first, rest)) = groups.split_first() else {
        return false;
    };
    (1..=3).contains(&first.len())
        && !first.starts_with('0')
        && rest.iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Separators::*;

    fn minor(run: &str, sep: Separators) -> Option<(i64, Option<i64>)> {
        let r = read(run, sep)?;
        Some((
            r.value.to_minor(2)?.0,
            r.alternative.and_then(|a| a.to_minor(2)).map(|a| a.0),
        ))
    }

    #[test]
    fn regions_read_their_own_separators() {
        assert_eq!(minor("1.500", DotGroupCommaDecimal), Some((150_000, None)));
        assert_eq!(
            minor("1.500", CommaGroupDotDecimal),
            Some((150, Some(150_000)))
        );
        assert_eq!(
            minor("1,500", DotGroupCommaDecimal),
            Some((150, Some(150_000)))
        );
        assert_eq!(minor("1,500", CommaGroupDotDecimal), Some((150_000, None)));
        assert_eq!(
            minor("1.234.567,5", DotGroupCommaDecimal),
            Some((123_456_750, None))
        );
        assert_eq!(
            minor("1,234,567.5", DotGroupCommaDecimal),
            Some((123_456_750, None))
        );
        assert_eq!(
            minor("1 234 567,5", SpaceGroupCommaDecimal),
            Some((123_456_750, None))
        );
        assert_eq!(minor("1.5", DotGroupCommaDecimal), Some((150, None)));
        assert_eq!(
            minor("1500.50", DotGroupCommaDecimal),
            Some((150_050, None))
        );
        assert_eq!(minor("0,500", DotGroupCommaDecimal), Some((50, None)));
        assert_eq!(minor("1.2.3", DotGroupCommaDecimal), None);
        assert_eq!(minor("12.03.2026", DotGroupCommaDecimal), None);
        assert_eq!(minor("1.234,5.6", DotGroupCommaDecimal), None);
    }

    #[test]
    fn runs_stop_at_sentence_punctuation_and_lone_spaces() {
        assert_eq!(run_len("1.500.", DotGroupCommaDecimal), 5);
        assert_eq!(run_len("1 500 000 pesos", SpaceGroupCommaDecimal), 9);
        assert_eq!(run_len("1 500 000 pesos", DotGroupCommaDecimal), 1);
        assert_eq!(run_len("5 1500", SpaceGroupCommaDecimal), 1);
        assert_eq!(run_len("12,5x", DotGroupCommaDecimal), 4);
    }
}
