//! Errors of the send clients, typed from the vendors' error bodies.

use std::fmt;
use std::time::Duration;

use arichat_core::consent::ConsentEvidence;
use arichat_core::{Channel, ConsentSignal, ConsentStatus};

use crate::outbound::PolicyError;

/// What a vendor's error means for the sender, whatever its numeric code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum VendorErrorKind {
    /// Free-form message outside the 24-hour window (WhatsApp 131047, Messenger 10/2018278).
    OutsideWindow,
    /// The recipient cannot get messages (WhatsApp 131026, Messenger 551, Telegram
    /// "chat not found" / "user is deactivated").
    Undeliverable,
    /// Too many requests (HTTP 429, WhatsApp 130429/131056/80007, Graph 4/17/32/613).
    RateLimited,
    /// The access token or bot token is invalid or expired (190, Telegram 401).
    InvalidToken,
    /// The app lacks a permission (Graph 10, 200–299, 3).
    PermissionDenied,
    /// The contact blocked the Telegram bot (403 "bot was blocked by the user").
    BlockedByUser,
    /// The contact stopped marketing messages from the business (WhatsApp 131050).
    MarketingOptOut,
    /// A template is missing, paused or got the wrong parameters (WhatsApp 132xxx).
    Template,
    /// The request is malformed or a parameter is invalid (100, 131008, 131009, 400).
    InvalidRequest,
    /// The vendor failed temporarily (5xx, WhatsApp 131000/131016, Graph 1/2).
    Temporary,
    /// Anything else.
    Other,
}

impl VendorErrorKind {
    /// A stable snake_case code, the same in every binding.
    pub fn code(self) -> &'static str {
        match self {
            VendorErrorKind::OutsideWindow => "outside_window",
            VendorErrorKind::Undeliverable => "undeliverable",
            VendorErrorKind::RateLimited => "rate_limited",
            VendorErrorKind::InvalidToken => "invalid_token",
            VendorErrorKind::PermissionDenied => "permission_denied",
            VendorErrorKind::BlockedByUser => "blocked_by_user",
            VendorErrorKind::MarketingOptOut => "marketing_opt_out",
            VendorErrorKind::Template => "template_error",
            VendorErrorKind::InvalidRequest => "invalid_request",
            VendorErrorKind::Temporary => "temporary_failure",
            VendorErrorKind::Other => "vendor_error",
        }
    }

    /// Whether sending the same request again later may succeed.
    pub fn is_retryable(self) -> bool {
        matches!(
            self,
            VendorErrorKind::RateLimited | VendorErrorKind::Temporary
        )
    }
}

/// An error answer from a vendor's API, parsed from its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VendorError {
    /// The channel (the Conversions API reports as the channel of its events).
    pub channel: Channel,
    /// The API call (`messages`, `sendMessage`, ...).
    pub operation: &'static str,
    /// HTTP status.
    pub http_status: u16,
    /// The vendor's numeric code (Graph `error.code`, Telegram `error_code`).
    pub code: Option<i64>,
    /// Graph `error.error_subcode`.
    pub subcode: Option<i64>,
    /// The vendor's message (Graph `error.message` + `error_data.details`, Telegram
    /// `description`); secrets are scrubbed from it.
    pub message: String,
    /// What it means.
    pub kind: VendorErrorKind,
    /// How long the vendor asked to wait (`Retry-After`, Telegram `retry_after`).
    pub retry_after: Option<Duration>,
    /// Graph `fbtrace_id`, for Meta support.
    pub trace_id: Option<String>,
}

impl fmt::Display for VendorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} failed with HTTP {}",
            self.channel, self.operation, self.http_status
        )?;
        if let Some(code) = self.code {
            write!(f, ", code {code}")?;
        }
        if let Some(sub) = self.subcode {
            write!(f, "/{sub}")?;
        }
        write!(f, " ({}): {}", self.kind.code(), self.message)
    }
}

impl VendorError {
    /// The consent change this error proves, if any: a Telegram block is an opt-out
    /// of the channel, WhatsApp 131050 a stop of marketing messages. Record it with
    /// [`ConsentLedger::record_manual`](arichat_core::ConsentLedger::record_manual), or
    /// let [`SendError::apply_to_ledger`] do it.
    pub fn consent_change(&self) -> Option<(ConsentStatus, ConsentEvidence)> {
        match self.kind {
            VendorErrorKind::BlockedByUser => {
                Some((ConsentStatus::OptedOut, ConsentEvidence::TelegramBlock))
            }
            VendorErrorKind::MarketingOptOut => Some((
                ConsentStatus::OptedOut,
                ConsentEvidence::Platform {
                    signal: ConsentSignal::OptOut,
                    detail: Some(format!(
                        "{} error {}",
                        self.channel,
                        self.code.unwrap_or_default()
                    )),
                },
            )),
            _ => None,
        }
    }
}

/// Everything that can go wrong sending through a channel client.
///
/// `Display` and `Debug` never contain a token: requests are described by channel and
/// operation, never by URL, and vendor messages are scrubbed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SendError {
    /// Refused before any request left (window, consent, unsupported message).
    #[error(transparent)]
    Policy(#[from] PolicyError),
    /// The vendor answered with an error (after the retries it allows).
    #[error("{error}{}", attempts_note(*.attempts))]
    Vendor {
        /// The parsed error.
        error: VendorError,
        /// Requests made.
        attempts: u32,
    },
    /// No answer within the timeout, on every attempt.
    #[error("{channel} {operation} timed out{}", attempts_note(*.attempts))]
    Timeout {
        /// The channel.
        channel: Channel,
        /// The API call.
        operation: &'static str,
        /// Requests made.
        attempts: u32,
    },
    /// The connection failed or dropped, on every attempt.
    #[error("{channel} {operation}: connection failed{}: {reason}", attempts_note(*.attempts))]
    Connection {
        /// The channel.
        channel: Channel,
        /// The API call.
        operation: &'static str,
        /// Requests made.
        attempts: u32,
        /// What failed (no URL).
        reason: String,
    },
    /// A send may have reached the vendor but nothing says what the vendor did with it:
    /// a timeout or a dropped connection after the request was written, or a 5xx that
    /// is not a refusal. Under the default [`SendGuarantee`](super::SendGuarantee) it
    /// is not sent again; sending it again may deliver it twice. Reconcile first:
    /// `request_id` names this send on the client side (stable across its attempts),
    /// and on WhatsApp `callback_data` is the `biz_opaque_callback_data` the status
    /// webhooks of the message echo if it was accepted.
    #[error(
        "{channel} {operation}: outcome unknown{}, not sent again: {reason} (request id {request_id})",
        attempts_note(*.attempts)
    )]
    OutcomeUnknown {
        /// The channel.
        channel: Channel,
        /// The API call.
        operation: &'static str,
        /// Requests made.
        attempts: u32,
        /// The send's client-side id: 32 hex digits, the same for every attempt.
        request_id: String,
        /// WhatsApp: the `biz_opaque_callback_data` sent with the message, echoed in
        /// its status webhooks; `None` on channels that echo nothing.
        callback_data: Option<String>,
        /// What happened (timed out, connection lost, the vendor's 5xx), no URL, no
        /// secret.
        reason: String,
        /// The last answer, when it was an ambiguous server error.
        vendor: Option<Box<VendorError>>,
    },
    /// A success status with a body that is not what the API documents.
    #[error("{channel} {operation}: HTTP {status} with an unexpected body: {reason}")]
    MalformedResponse {
        /// The channel.
        channel: Channel,
        /// The API call.
        operation: &'static str,
        /// HTTP status.
        status: u16,
        /// What was wrong.
        reason: String,
    },
    /// The client cannot build this request (bad configuration or argument).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
}

fn attempts_note(attempts: u32) -> String {
    if attempts > 1 {
        format!(" after {attempts} attempts")
    } else {
        String::new()
    }
}

impl SendError {
    /// A stable snake_case code, the same in every binding.
    pub fn code(&self) -> &'static str {
        match self {
            SendError::Policy(e) => e.code(),
            SendError::Vendor { error, .. } => error.kind.code(),
            SendError::Timeout { .. } => "timeout",
            SendError::Connection { .. } => "connection_failed",
            SendError::OutcomeUnknown { .. } => "outcome_unknown",
            SendError::MalformedResponse { .. } => "malformed_response",
            SendError::InvalidRequest(_) => "invalid_request",
        }
    }

    /// The exception class every binding raises this error as: a `SendError`, or its
    /// subclass for a timeout or a failed connection (a `TimeoutError` and a
    /// `ConnectionError` in Python).
    pub fn class(&self) -> arichat_core::ErrorClass {
        use arichat_core::ErrorClass;
        match self {
            SendError::Timeout { .. } => ErrorClass::SendTimeoutError,
            SendError::Connection { .. } => ErrorClass::SendConnectionError,
            SendError::Policy(_)
            | SendError::Vendor { .. }
            | SendError::OutcomeUnknown { .. }
            | SendError::MalformedResponse { .. }
            | SendError::InvalidRequest(_) => ErrorClass::SendError,
        }
    }

    /// The vendor error, when the vendor answered.
    pub fn vendor(&self) -> Option<&VendorError> {
        match self {
            SendError::Vendor { error, .. } => Some(error),
            SendError::OutcomeUnknown { vendor, .. } => vendor.as_deref(),
            _ => None,
        }
    }

    /// The send's client-side id, when its outcome is unknown
    /// ([`SendError::OutcomeUnknown`]).
    pub fn request_id(&self) -> Option<&str> {
        match self {
            SendError::OutcomeUnknown { request_id, .. } => Some(request_id),
            _ => None,
        }
    }

    /// The WhatsApp `biz_opaque_callback_data` of a send whose outcome is unknown: its
    /// status webhooks, if it was accepted, carry it back.
    pub fn callback_data(&self) -> Option<&str> {
        match self {
            SendError::OutcomeUnknown { callback_data, .. } => callback_data.as_deref(),
            _ => None,
        }
    }

    /// Requests made before giving up (0 when refused before sending).
    pub fn attempts(&self) -> u32 {
        match self {
            SendError::Vendor { attempts, .. }
            | SendError::Timeout { attempts, .. }
            | SendError::Connection { attempts, .. }
            | SendError::OutcomeUnknown { attempts, .. } => *attempts,
            SendError::MalformedResponse { .. } => 1,
            SendError::Policy(_) | SendError::InvalidRequest(_) => 0,
        }
    }

    /// Records the consent change this error proves (a Telegram block, a WhatsApp
    /// marketing stop) for `contact` in `ledger`; `true` when it recorded one.
    pub fn apply_to_ledger(
        &self,
        ledger: &mut arichat_core::ConsentLedger,
        contact: &arichat_core::ContactId,
        at: chrono::DateTime<chrono::Utc>,
    ) -> bool {
        let Some(error) = self.vendor() else {
            return false;
        };
        let Some((status, evidence)) = error.consent_change() else {
            return false;
        };
        ledger.record_manual(contact, error.channel, status, evidence, at);
        true
    }
}
