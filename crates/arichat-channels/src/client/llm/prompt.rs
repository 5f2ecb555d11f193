//! The request a chat-completions backend gets and how its answer is read.

use arichat_core::intent::Intent;
use serde::Deserialize;
use serde_json::{json, Value};

use super::backend::BackendAnswer;
use super::error::LlmError;

/// The label guide (`data/intents/GUIDE.md`) in a few lines: the closed set, what each
/// label holds, precedence, and the hard cases that make a keyword not count.
const SYSTEM_PROMPT: &str = "\
You label one customer message sent to a business on WhatsApp (Spanish, Portuguese or English, Latin America). \
Answer with the single intent an agent must act on first.
Labels:
- opt_out: asks to stop messages, calls or marketing; unsubscribe; remove me; asks HOW to unsubscribe; a bare \"not interested\".
- support: an existing customer's problem or question: order not received, tracking, refund, wrong item, unknown or double charge, balance, blocked card, pending transfer or Pix, verification code, app login, password.
- purchase_intent: wants to buy, order, open or apply; asks for a payment link, bank details or Pix key; confirms an order; asks to hold an item; reports a payment made.
- negotiation: discount, coupon, counteroffer, installments, wholesale, lower rate, free shipping.
- objection: too expensive, will think about it, not now, found cheaper, distrust - without asking to stop contact.
- price_inquiry: price, cost, quote, shipping cost, fees, interest rate.
- scheduling: call me, visit, appointment, demo, opening hours.
- greeting: a greeting with nothing else.
- other: thanks, ok, product details or availability, off-topic, questions about a word, button or SMS.
When several apply, precedence is opt_out > support > purchase_intent > negotiation > objection > price_inquiry > scheduling > greeting > other.
A keyword that is quoted, negated, contrasted away (\"not X but Y\"), asked about, or part of a longer word does not carry its label.
[email], [phone] and [card] stand for masked data.
confidence is your probability, 0 to 1, that the label is right.";

/// The body of one `POST /chat/completions`: the guide, the (masked) message, a JSON
/// schema that admits only the closed label set, temperature 0.
pub(crate) fn request_body(model: &str, text: &str) -> Value {
    let labels: Vec<&str> = Intent::ALL.iter().map(|i| i.as_str()).collect();
    json!({
        "model": model,
        "temperature": 0,
        "messages": [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": text},
        ],
        "response_format": {
            "type": "json_schema",
            "json_schema": {
                "name": "intent",
                "strict": true,
                "schema": {
                    "type": "object",
                    "properties": {
                        "intent": {"type": "string", "enum": labels},
                        "confidence": {"type": "number"},
                    },
                    "required": ["intent", "confidence"],
                    "additionalProperties": false,
                },
            },
        },
    })
}

#[derive(Deserialize)]
struct Completion {
    choices: Vec<Choice>,
}

#[derive(Deserialize)]
struct Choice {
    message: ChoiceMessage,
}

#[derive(Deserialize)]
struct ChoiceMessage {
    content: Option<String>,
}

/// The label as the model wrote it: checked against the closed set after parsing, so
/// the error can say which label was refused.
#[derive(Deserialize)]
struct Label {
    intent: String,
    confidence: f64,
}

/// Reads a completion body: `choices[0].message.content` must be JSON with an `intent`
/// of the closed set and a numeric `confidence` (clamped to [0, 1]).
pub(crate) fn parse_answer(body: &[u8]) -> Result<BackendAnswer, LlmError> {
    let malformed = |what: String| LlmError::MalformedResponse(what);
    let completion: Completion = serde_json::from_slice(body)
        .map_err(|e| malformed(format!("not a chat completion ({})", position(&e))))?;
    let content = completion
        .choices
        .into_iter()
        .next()
        .ok_or_else(|| malformed("no choices".into()))?
        .message
        .content
        .ok_or_else(|| malformed("no message content".into()))?;
    let label: Label = serde_json::from_str(&content).map_err(|e| {
        malformed(format!(
            "content is not the answer object ({})",
            position(&e)
        ))
    })?;
    let intent = label
        .intent
        .parse::<Intent>()
        .map_err(|_| LlmError::InvalidLabel(shown_label(&label.intent)))?;
    Ok(BackendAnswer {
        intent,
        confidence: (label.confidence as f32).clamp(0.0, 1.0),
    })
}

/// Where JSON went wrong, without the text serde quotes (it may echo the message).
fn position(e: &serde_json::Error) -> String {
    let kind = match e.classify() {
        serde_json::error::Category::Io => "I/O",
        serde_json::error::Category::Syntax => "syntax error",
        serde_json::error::Category::Data => "wrong shape",
        serde_json::error::Category::Eof => "cut short",
    };
    format!("{kind} at line {} column {}", e.line(), e.column())
}

/// A refused label as errors show it: a short name as is, anything else (a sentence
/// the model wrote, which may echo the message) by length only.
fn shown_label(label: &str) -> String {
    let plain = label.len() <= 40
        && label
            .bytes()
            .all(|b| b.is_ascii_alphabetic() || b == b'_' || b == b'-');
    if plain {
        label.to_owned()
    } else {
        format!("<{} chars>", label.chars().count())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn completion(content: &str) -> Vec<u8> {
        serde_json::to_vec(
            &json!({"choices": [{"message": {"role": "assistant", "content": content}}]}),
        )
        .unwrap()
    }

    #[test]
    fn the_schema_admits_exactly_the_closed_set() {
        let body = request_body("m", "hola");
        let schema = &body["response_format"]["json_schema"]["schema"];
        let labels = schema["properties"]["intent"]["enum"].as_array().unwrap();
        assert_eq!(labels.len(), Intent::ALL.len());
        assert_eq!(body["temperature"], 0);
        assert_eq!(body["messages"][1]["content"], "hola");
        for i in Intent::ALL {
            assert!(SYSTEM_PROMPT.contains(&format!("- {}:", i.as_str())), "{i}");
        }
    }

    #[test]
    fn reads_a_label_and_clamps_its_confidence() {
        let a = parse_answer(&completion(r#"{"intent":"support","confidence":1.7}"#)).unwrap();
        assert_eq!((a.intent, a.confidence), (Intent::Support, 1.0));
        let a = parse_answer(&completion(r#"{"intent":"opt_out","confidence":-2}"#)).unwrap();
        assert_eq!((a.intent, a.confidence), (Intent::OptOut, 0.0));
    }

    #[test]
    fn refuses_what_is_not_an_answer() {
        let cases = [
            (
                completion(r#"{"intent":"refund","confidence":0.9}"#),
                "invalid_label",
            ),
            (
                completion(r#"{"intent":"Support","confidence":0.9}"#),
                "invalid_label",
            ),
            (completion(r#"{"intent":"support"}"#), "malformed_response"),
            (completion(r#"{"confidence":0.9}"#), "malformed_response"),
            (completion("support"), "malformed_response"),
            (
                completion(r#"{"intent":"support","confidence":"high"}"#),
                "malformed_response",
            ),
            (br#"{"choices":[]}"#.to_vec(), "malformed_response"),
            (
                br#"{"choices":[{"message":{"content":null}}]}"#.to_vec(),
                "malformed_response",
            ),
            (b"<html>".to_vec(), "malformed_response"),
        ];
        for (body, code) in cases {
            let err = parse_answer(&body).unwrap_err();
            assert_eq!(err.code(), code, "{}", String::from_utf8_lossy(&body));
        }
        let long = completion(r#"{"intent":"the customer at 555 wants","confidence":1}"#);
        assert_eq!(
            parse_answer(&long).unwrap_err(),
            LlmError::InvalidLabel("<25 chars>".into())
        );
    }
}
