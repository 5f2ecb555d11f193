//! Helpers for the client tests: fast retry settings and misbehaving servers.
#![allow(dead_code)]

use std::io::Read;
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use arichat_channels::client::{HttpConfig, RateLimits, RetryPolicy, SendGuarantee};

/// Short timeouts and backoff so fault tests run in milliseconds; no rate limits; the
/// default guarantee (at most once).
pub fn fast(max_attempts: u32) -> HttpConfig {
    HttpConfig {
        timeout: Duration::from_millis(400),
        connect_timeout: Duration::from_millis(400),
        retry: RetryPolicy {
            max_attempts,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(20),
            max_retry_after: Duration::from_secs(5),
            jitter: true,
            guarantee: SendGuarantee::AtMostOnce,
        },
        rate_limits: Some(RateLimits::NONE),
        ..HttpConfig::default()
    }
}

/// [`fast`], retrying sends whose outcome is unknown.
pub fn fast_at_least_once(max_attempts: u32) -> HttpConfig {
    let mut http = fast(max_attempts);
    http.retry.guarantee = SendGuarantee::AtLeastOnce;
    http
}

/// A server that accepts connections, reads the request, and closes without
/// answering. Returns its base URL and the count of connections it took.
pub fn dropping_server() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let count = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&count);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            seen.fetch_add(1, Ordering::SeqCst);
            let mut buf = [0u8; 4096];
            let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
            let _ = stream.read(&mut buf);
            drop(stream);
        }
    });
    (format!("http://{addr}"), count)
}

/// A base URL where nothing listens.
pub fn closed_port() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}")
}
