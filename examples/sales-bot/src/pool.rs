//! A few PostgreSQL connections shared by the hooks in flight.

use arichat_deals::{DealsError, PgDeals, Recorded, SaleRecord};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::{Mutex, Semaphore};

/// At most `size` connections, opened on demand; one that failed is dropped and
/// reopened by the next sale.
pub(crate) struct Pool {
    url: SecretString,
    idle: Mutex<Vec<PgDeals>>,
    slots: Semaphore,
}

impl Pool {
    /// Connects once and applies the migrations (several bots starting together apply
    /// each once: `PgDeals::migrate` takes an advisory lock).
    pub(crate) async fn open(url: SecretString, size: usize) -> Result<Pool, DealsError> {
        let mut first = PgDeals::connect(url.expose_secret()).await?;
        first.migrate().await?;
        Ok(Pool {
            url,
            idle: Mutex::new(vec![first]),
            slots: Semaphore::new(size.max(1)),
        })
    }

    /// Records `sale` once per post on an idle connection.
    pub(crate) async fn record(&self, sale: &SaleRecord) -> Result<Recorded, DealsError> {
        // The semaphore is never closed.
        let _slot = self.slots.acquire().await.ok();
        let idle = self.idle.lock().await.pop();
        let mut deals = match idle {
            Some(deals) => deals,
            None => PgDeals::connect(self.url.expose_secret()).await?,
        };
        let recorded = deals.record(sale).await;
        if !matches!(recorded, Err(DealsError::Database(_))) {
            self.idle.lock().await.push(deals);
        }
        recorded
    }
}
