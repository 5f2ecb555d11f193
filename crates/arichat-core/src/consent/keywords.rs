//! STOP/START keywords: a whole message that is one of these words changes consent.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use super::ConsentStatus;

/// Whole-message opt-out keywords, folded (lowercase, no accents, single spaces).
///
/// The CTIA list used by SMS carriers (STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT),
/// their Spanish and Portuguese counterparts, and the "Stop promotions" quick reply
/// of WhatsApp marketing templates in the three languages.
pub const STOP_KEYWORDS: &[&str] = &[
    "stop",
    "stopall",
    "stop all",
    "unsubscribe",
    "cancel",
    "end",
    "quit",
    "optout",
    "opt out",
    "stop promotions",
    "baja",
    "dar de baja",
    "darme de baja",
    "de baja",
    "parar",
    "para",
    "alto",
    "cancelar",
    "cancelar suscripcion",
    "desuscribir",
    "desuscribirme",
    "detener promociones",
    "no mas mensajes",
    "sair",
    "descadastrar",
    "cancelar inscricao",
    "parar promocoes",
];

/// Whole-message opt-in keywords, folded.
pub const START_KEYWORDS: &[&str] = &[
    "start",
    "unstop",
    "subscribe",
    "resume promotions",
    "alta",
    "suscribir",
    "suscribirme",
    "reanudar promociones",
    "assinar",
    "retomar promocoes",
];

/// Lowercase, accents removed, anything but letters and digits turned into single
/// spaces. `"¡BAJA!"` and `"  baja "` both fold to `"baja"`.
pub(crate) fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.nfd().filter(|c| !is_combining_mark(*c)) {
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        } else {
            space = true;
        }
    }
    out
}

/// Whether a whole message is a consent keyword: `(status it sets, the keyword)`.
///
/// Only the whole message counts: "stop" opts out, "please don't stop" does not (the
/// intent classifier judges sentences, see [`super::ConsentLedger::record_message`]).
/// Messages longer than 40 bytes are never keywords.
///
/// ```
/// use arichat_core::consent::{consent_keyword, ConsentStatus};
/// assert_eq!(consent_keyword(" STOP! "), Some((ConsentStatus::OptedOut, "stop")));
/// assert_eq!(consent_keyword("Dar de baja"), Some((ConsentStatus::OptedOut, "dar de baja")));
/// assert_eq!(consent_keyword("Parar promoções"), Some((ConsentStatus::OptedOut, "parar promocoes")));
/// assert_eq!(consent_keyword("START"), Some((ConsentStatus::OptedIn, "start")));
/// assert_eq!(consent_keyword("no pares de escribir"), None);
/// ```
pub fn consent_keyword(text: &str) -> Option<(ConsentStatus, &'static str)> {
    if text.len() > 40 {
        return None;
    }
    let folded = fold(text);
    let find = |list: &[&'static str]| list.iter().copied().find(|k| *k == folded);
    find(STOP_KEYWORDS)
        .map(|k| (ConsentStatus::OptedOut, k))
        .or_else(|| find(START_KEYWORDS).map(|k| (ConsentStatus::OptedIn, k)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_folded_and_disjoint() {
        for k in STOP_KEYWORDS.iter().chain(START_KEYWORDS) {
            assert_eq!(fold(k), *k);
            assert!(k.len() <= 40);
        }
        for k in STOP_KEYWORDS {
            assert!(!START_KEYWORDS.contains(k), "{k}");
        }
    }

    #[test]
    fn folding() {
        assert_eq!(fold("¡¡BAJA!!"), "baja");
        assert_eq!(fold("  Cancelar   inscrição 🙏"), "cancelar inscricao");
        assert_eq!(fold(""), "");
        assert_eq!(consent_keyword("stop please"), None);
        assert_eq!(consent_keyword(&"stop ".repeat(20)), None);
    }
}
