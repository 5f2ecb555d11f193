//! How many backend requests each tenant may make.
//!
//! A fixed window per tenant: at most `requests` backend requests from the first one
//! of a window until `window` has passed, then a fresh count. Every request that
//! leaves counts, failed ones too (a provider bills them, and a failing backend should
//! not be hammered); cache hits and certain local results do not. A fixed window is
//! chosen over a sliding one because the budget is a cost cap, not a rate smoother:
//! a burst at the edge of two windows costs at most twice the cap, once.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// A per-tenant cap on backend requests: `requests` per `window`.
///
/// ```
/// use std::time::Duration;
/// use arichat_channels::client::Budget;
/// let b = Budget::default();
/// assert_eq!((b.requests, b.window), (1_000, Duration::from_secs(3_600)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Backend requests a tenant may make per window (0: never ask the backend).
    pub requests: u32,
    /// The window.
    pub window: Duration,
}

impl Default for Budget {
    /// 1,000 requests per tenant per hour: about 5 % of a busy tenant's inbound
    /// traffic at 20,000 messages an hour, the share the local model leaves uncertain.
    fn default() -> Self {
        Budget {
            requests: 1_000,
            window: Duration::from_secs(3_600),
        }
    }
}

/// The counts of every tenant.
#[derive(Debug)]
pub(crate) struct Ledger {
    budget: Budget,
    windows: Mutex<HashMap<String, Window>>,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    started: Instant,
    used: u32,
}

/// Above this many tracked tenants, windows that have ended are dropped.
const PRUNE_AT: usize = 10_000;

impl Ledger {
    pub(crate) fn new(budget: Budget) -> Self {
        Ledger {
            budget,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request from `tenant`'s budget; `false` when it is spent.
    pub(crate) fn take(&self, tenant: &str) -> bool {
        self.take_at(tenant, Instant::now())
    }

    fn take_at(&self, tenant: &str, now: Instant) -> bool {
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        let window = self.budget.window;
        if windows.len() >= PRUNE_AT {
            windows.retain(|_, w| now.duration_since(w.started) < window);
        }
        let w = windows.entry(tenant.to_owned()).or_insert(Window {
            started: now,
            used: 0,
        });
        if now.duration_since(w.started) >= window {
            *w = Window {
                started: now,
                used: 0,
            };
        }
        if w.used >= self.budget.requests {
            return false;
        }
        w.used += 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_tenant_has_its_own_count_and_the_window_renews_it() {
        let ledger = Ledger::new(Budget {
            requests: 2,
            window: Duration::from_secs(60),
        });
        let t0 = Instant::now();
        assert!(ledger.take_at("a", t0));
        assert!(ledger.take_at("a", t0));
        assert!(!ledger.take_at("a", t0 + Duration::from_secs(59)));
        assert!(ledger.take_at("b", t0));
        assert!(ledger.take_at("a", t0 + Duration::from_secs(60)));
    }

    #[test]
    fn a_zero_budget_never_asks() {
        let ledger = Ledger::new(Budget {
            requests: 0,
            window: Duration::from_secs(60),
        });
        assert!(!ledger.take("a"));
    }
}
