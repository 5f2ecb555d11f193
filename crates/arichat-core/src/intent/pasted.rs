//! Text a customer pasted or quoted into a message, told apart from their own words.
//!
//! Customers paste the business's campaign (footer and all), an SMS or a bank notice,
//! in quotation marks or after a "> " line marker, and add a few words of their own.
//! The pasted words say what the message is about, not what the customer asks: the
//! [hybrid classifier](super::HybridClassifier) reads a used stop with the customer's own
//! words alone when the whole message overrules it.

use std::ops::Range;

use super::scope::DOUBLE_QUOTES;

/// The byte ranges of `text` that are pasted: each closed pair of [`DOUBLE_QUOTES`]
/// (an unclosed mark encloses nothing), and from a "> " marker (at the start of the
/// text or of a line, or after a sentence's end) to the end of its line. A run of three
/// or more spaces ends that line too: a line break lost when the message was flattened
/// into one line (exports, copies) leaves one.
pub(crate) fn pasted_spans(text: &str) -> Vec<Range<usize>> {
    let mut spans: Vec<Range<usize>> = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut prev_visible: Option<char> = None;
    while let Some((i, c)) = chars.next() {
        if let Some(&(_, close)) = DOUBLE_QUOTES.iter().find(|(open, _)| *open == c) {
            if let Some(end) = text[i + c.len_utf8()..].find(close) {
                let end = i + c.len_utf8() + end + close.len_utf8();
                spans.push(i..end);
                while chars.peek().is_some_and(|&(j, _)| j < end) {
                    chars.next();
                }
                prev_visible = Some(close);
                continue;
            }
        }
        if c == '>'
            && chars.peek().is_some_and(|&(_, n)| n == ' ')
            && prev_visible.is_none_or(|p| matches!(p, '\n' | '.' | '!' | '?' | ':'))
        {
            let end = [text[i..].find('\n'), text[i..].find(FLATTENED_BREAK)]
                .into_iter()
                .flatten()
                .min()
                .map_or(text.len(), |n| i + n);
            spans.push(i..end);
            while chars.peek().is_some_and(|&(j, _)| j < end) {
                chars.next();
            }
            prev_visible = Some('\n');
            continue;
        }
        if !c.is_whitespace() || c == '\n' {
            prev_visible = Some(c);
        }
    }
    spans
}

/// What a line break flattened into spaces leaves behind.
const FLATTENED_BREAK: &str = "   ";

/// `text` with its pasted spans blanked, when there are any and words are left;
/// `None` otherwise.
pub(crate) fn own_words(text: &str, spans: &[Range<usize>]) -> Option<String> {
    if spans.is_empty() {
        return None;
    }
    let mut own = String::with_capacity(text.len());
    let mut at = 0;
    for s in spans {
        own.push_str(&text[at..s.start]);
        own.push(' ');
        at = s.end;
    }
    own.push_str(&text[at..]);
    own.chars().any(char::is_alphanumeric).then_some(own)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn own(text: &str) -> Option<String> {
        own_words(text, &pasted_spans(text))
            .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
    }

    #[test]
    fn quoted_and_marked_text_is_pasted() {
        assert_eq!(
            own(r#"como me doy de baja de esto?? "Recarga S/10 y llévate 5GB""#).as_deref(),
            Some("como me doy de baja de esto??")
        );
        assert_eq!(
            own("unsubscribe. > Your favorite restaurant has 40% off tonight").as_deref(),
            Some("unsubscribe.")
        );
        assert_eq!(
            own("> Black Friday! responda SAIR\nSAIR").as_deref(),
            Some("SAIR")
        );
        assert_eq!(
            own("> Planes desde $39.900 🔥 responde SALIR   SALIR").as_deref(),
            Some("SALIR")
        );
        assert_eq!(
            own("“Envía ALTO para cancelar” ALTO").as_deref(),
            Some("ALTO")
        );
    }

    #[test]
    fn nothing_pasted_or_nothing_left_reads_nothing() {
        assert_eq!(own("no me manden más mensajes"), None);
        // An unclosed mark and a comparison are not pastes.
        assert_eq!(own("el de 15\" por favor"), None);
        assert_eq!(own("si el saldo es > 100 me avisan"), None);
        assert_eq!(own("I don't want it, it's fine"), None);
        // The pasted text alone leaves no words of the customer's.
        assert_eq!(own("\"Responda SAIR para não receber mais.\""), None);
    }
}
