//! What a built client will do, as plain values: each client's `settings()`, which the
//! bindings expose so the cross-runtime vectors (`tests/vectors/send_spec.json`) hold
//! every runtime to the same defaults and clamps. Its own file: the clients and the
//! specs that build them both read it.

use serde::Serialize;

use super::config::HttpConfig;

/// What a built client will do, without its token: seconds as numbers. Each client's
/// `settings()` returns it; bindings expose it as `settings` so the cross-runtime
/// vectors can hold every runtime to the same defaults and clamps.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClientSettings {
    /// `"whatsapp"`, `"messenger"`, `"instagram"`, `"telegram"` or `"conversions"`.
    pub client: &'static str,
    /// The phone number, page, account or dataset id; `None` for Telegram.
    pub account_id: Option<String>,
    /// The API root.
    pub api_base: String,
    /// The Graph API version; `None` for Telegram.
    pub graph_version: Option<String>,
    /// Whole-request timeout in seconds.
    pub timeout: f64,
    /// Connect timeout in seconds.
    pub connect_timeout: f64,
    /// Requests at most per call.
    pub max_attempts: u32,
    /// Backoff before the first retry in seconds.
    pub retry_base_delay: f64,
    /// `"at_most_once"` or `"at_least_once"`.
    pub guarantee: &'static str,
}

impl ClientSettings {
    pub(super) fn new(
        client: &'static str,
        account_id: Option<&str>,
        api_base: &str,
        graph_version: Option<&str>,
        http: &HttpConfig,
    ) -> Self {
        ClientSettings {
            client,
            account_id: account_id.map(str::to_owned),
            api_base: api_base.to_owned(),
            graph_version: graph_version.map(str::to_owned),
            timeout: http.timeout.as_secs_f64(),
            connect_timeout: http.connect_timeout.as_secs_f64(),
            max_attempts: http.retry.max_attempts,
            retry_base_delay: http.retry.base_delay.as_secs_f64(),
            guarantee: http.retry.guarantee.as_str(),
        }
    }
}
