//! Parsing the vendors' error bodies into [`VendorError`].

use std::time::Duration;

use arichat_core::Channel;
use serde::Deserialize;

use super::error::{VendorError, VendorErrorKind};

#[derive(Deserialize)]
struct GraphEnvelope {
    error: GraphError,
}

#[derive(Deserialize)]
struct GraphError {
    #[serde(default)]
    message: String,
    code: Option<i64>,
    error_subcode: Option<i64>,
    error_data: Option<GraphErrorData>,
    fbtrace_id: Option<String>,
}

#[derive(Deserialize)]
struct GraphErrorData {
    details: Option<String>,
}

#[derive(Deserialize)]
struct TelegramError {
    error_code: Option<i64>,
    #[serde(default)]
    description: String,
    parameters: Option<TelegramParameters>,
}

#[derive(Deserialize)]
struct TelegramParameters {
    retry_after: Option<u64>,
}

/// A Graph API (WhatsApp, Messenger, Instagram, Conversions API) error answer.
pub(crate) fn graph(
    channel: Channel,
    operation: &'static str,
    status: u16,
    body: &[u8],
    retry_after: Option<Duration>,
) -> VendorError {
    let parsed = serde_json::from_slice::<GraphEnvelope>(body).ok();
    let (code, subcode, message, trace_id) = match parsed {
        Some(GraphEnvelope { error }) => {
            let mut message = error.message;
            if let Some(details) = error.error_data.and_then(|d| d.details) {
                message = format!("{message} ({details})");
            }
            (error.code, error.error_subcode, message, error.fbtrace_id)
        }
        None => (None, None, body_excerpt(body), None),
    };
    let kind = match (code, subcode) {
        (Some(131047), _) | (Some(10), Some(2018278)) => VendorErrorKind::OutsideWindow,
        (Some(131026 | 551), _) | (Some(100), Some(2018001)) => VendorErrorKind::Undeliverable,
        (Some(130429 | 131056 | 80007 | 4 | 17 | 32 | 613), _) => VendorErrorKind::RateLimited,
        (Some(190), _) => VendorErrorKind::InvalidToken,
        (Some(131050), _) => VendorErrorKind::MarketingOptOut,
        (Some(c), _) if (132_000..133_000).contains(&c) => VendorErrorKind::Template,
        (Some(131000 | 131016 | 1 | 2), _) => VendorErrorKind::Temporary,
        (Some(c), _) if c == 3 || c == 10 || (200..300).contains(&c) => {
            VendorErrorKind::PermissionDenied
        }
        (Some(100 | 131008 | 131009 | 131051 | 131053), _) => VendorErrorKind::InvalidRequest,
        _ => by_status(status),
    };
    VendorError {
        channel,
        operation,
        http_status: status,
        code,
        subcode,
        message,
        kind,
        retry_after,
        trace_id,
    }
}

/// A Telegram Bot API error answer (`{"ok": false, "error_code", "description"}`).
pub(crate) fn telegram(
    operation: &'static str,
    status: u16,
    body: &[u8],
    retry_after: Option<Duration>,
) -> VendorError {
    let parsed = serde_json::from_slice::<TelegramError>(body).ok();
    let (code, message, vendor_wait) = match parsed {
        Some(e) => (
            e.error_code,
            e.description,
            e.parameters.and_then(|p| p.retry_after),
        ),
        None => (None, body_excerpt(body), None),
    };
    let lower = message.to_lowercase();
    let kind = match code.unwrap_or(i64::from(status)) {
        401 => VendorErrorKind::InvalidToken,
        403 if lower.contains("blocked by the user") => VendorErrorKind::BlockedByUser,
        403 if lower.contains("deactivated") || lower.contains("kicked") => {
            VendorErrorKind::Undeliverable
        }
        403 => VendorErrorKind::PermissionDenied,
        400 if lower.contains("chat not found") || lower.contains("user not found") => {
            VendorErrorKind::Undeliverable
        }
        429 => VendorErrorKind::RateLimited,
        _ => by_status(status),
    };
    VendorError {
        channel: Channel::Telegram,
        operation,
        http_status: status,
        code,
        subcode: None,
        message,
        kind,
        retry_after: vendor_wait.map(Duration::from_secs).or(retry_after),
        trace_id: None,
    }
}

#[derive(Deserialize)]
struct MattermostError {
    #[serde(default)]
    id: String,
    #[serde(default)]
    message: String,
    request_id: Option<String>,
}

/// A Mattermost API error answer (`{"id": "api.…app_error", "message", "request_id",
/// "status_code"}`): typed by the HTTP status; the message keeps the error id.
pub(crate) fn mattermost(
    operation: &'static str,
    status: u16,
    body: &[u8],
    retry_after: Option<Duration>,
) -> VendorError {
    let (message, trace_id) = match serde_json::from_slice::<MattermostError>(body) {
        Ok(e) if !e.message.is_empty() || !e.id.is_empty() => {
            (format!("{} ({})", e.message, e.id), e.request_id)
        }
        _ => (body_excerpt(body), None),
    };
    VendorError {
        channel: Channel::Mattermost,
        operation,
        http_status: status,
        code: None,
        subcode: None,
        message,
        kind: by_status(status),
        retry_after,
        trace_id,
    }
}

/// The longest excerpt of a non-JSON error body, in bytes.
pub(crate) const EXCERPT_MAX: usize = 200;

pub(crate) fn by_status(status: u16) -> VendorErrorKind {
    match status {
        429 => VendorErrorKind::RateLimited,
        401 => VendorErrorKind::InvalidToken,
        403 => VendorErrorKind::PermissionDenied,
        400 | 404 | 405 | 409 | 413 | 422 => VendorErrorKind::InvalidRequest,
        500..=599 => VendorErrorKind::Temporary,
        _ => VendorErrorKind::Other,
    }
}

/// The start of a body that is not the vendor's error JSON (an HTML error page, say):
/// at most [`EXCERPT_MAX`] bytes, cut on a character boundary. The body must come
/// scrubbed of secrets (the transport does it), or the cut could keep part of one.
pub(crate) fn body_excerpt(body: &[u8]) -> String {
    // Four bytes more than kept, so a character cut by this slice is past the excerpt.
    let text = String::from_utf8_lossy(&body[..body.len().min(EXCERPT_MAX + 4)]);
    let text = text.trim_start();
    let mut cut = text.len().min(EXCERPT_MAX);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let text = text[..cut].trim_end();
    if text.is_empty() {
        "empty body".to_owned()
    } else {
        format!("unexpected body: {text}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whatever a server answers, parsing gives an error value, never a panic, and
        /// the excerpt of a non-JSON body stays short.
        #[test]
        fn any_error_body_parses_without_panic(body in proptest::collection::vec(any::<u8>(), 0..600), status in 100u16..600) {
            let g = graph(Channel::Whatsapp, "messages", status, &body, None);
            let t = telegram("sendMessage", status, &body, None);
            prop_assert!(g.message.len() <= 4 * 600 + 64);
            prop_assert!(t.message.len() <= 4 * 600 + 64);
            prop_assert_eq!(g.http_status, status);
        }
    }

    #[test]
    fn whatsapp_codes_are_typed() {
        let body = br#"{"error":{"message":"(#131047) Re-engagement message","type":"OAuthException","code":131047,"error_data":{"messaging_product":"whatsapp","details":"Message failed to send because more than 24 hours have passed since the customer last replied to this number."},"fbtrace_id":"Az8or2yhqkZfEZ-_4Qn_Bam"}}"#;
        let e = graph(Channel::Whatsapp, "messages", 400, body, None);
        assert_eq!(e.kind, VendorErrorKind::OutsideWindow);
        assert_eq!(e.code, Some(131047));
        assert!(e.message.contains("24 hours"));
        assert_eq!(e.trace_id.as_deref(), Some("Az8or2yhqkZfEZ-_4Qn_Bam"));
        for (code, kind) in [
            (131026, VendorErrorKind::Undeliverable),
            (130429, VendorErrorKind::RateLimited),
            (190, VendorErrorKind::InvalidToken),
            (131050, VendorErrorKind::MarketingOptOut),
            (132001, VendorErrorKind::Template),
            (131000, VendorErrorKind::Temporary),
            (100, VendorErrorKind::InvalidRequest),
        ] {
            let body = format!(r#"{{"error":{{"message":"m","code":{code}}}}}"#);
            assert_eq!(
                graph(Channel::Whatsapp, "messages", 400, body.as_bytes(), None).kind,
                kind,
                "{code}"
            );
        }
        let e = graph(
            Channel::Messenger,
            "messages",
            502,
            b"<html>Bad gateway</html>",
            None,
        );
        assert_eq!(e.kind, VendorErrorKind::Temporary);
        assert!(e.message.contains("Bad gateway"));
    }

    #[test]
    fn telegram_block_and_retry_after() {
        let e = telegram(
            "sendMessage",
            403,
            br#"{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}"#,
            None,
        );
        assert_eq!(e.kind, VendorErrorKind::BlockedByUser);
        assert!(e.consent_change().is_some());
        let e = telegram(
            "sendMessage",
            429,
            br#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 3","parameters":{"retry_after":3}}"#,
            None,
        );
        assert_eq!(e.kind, VendorErrorKind::RateLimited);
        assert_eq!(e.retry_after, Some(Duration::from_secs(3)));
    }
}
