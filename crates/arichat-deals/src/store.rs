//! Deals in PostgreSQL.
//!
//! # Tables (`migrations/`)
//! `sellers` (by name), `sales` (one per chat post: `post_id` is unique), `sale_details`
//! (units per item), `commissions` (one per sale), `monthly_goals` (per seller and
//! month). Money is integer minor units with an ISO 4217 code.
//!
//! # Several workers
//! Each worker holds its own [`PgDeals`] (one connection). [`PgDeals::migrate`] takes
//! an advisory lock, so workers starting together apply each migration once.
//! [`PgDeals::record`] writes a sale, its details and its commission in one
//! transaction whose sale row is `INSERT … ON CONFLICT (post_id) DO NOTHING`: of two
//! workers recording the same post at once, the second waits on the unique index
//! until the first commits and then finds the post taken ([`Recorded::Duplicate`]),
//! writing nothing. Sellers are upserted the same way, so two first sales of a new
//! seller make one seller.
//!
//! # Months
//! A month is a calendar month in UTC (`recorded_at` ≥ its first day 00:00 and < the
//! next month's).

use arichat_core::commission::Commission;
use arichat_core::deal::Deal;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use tokio_postgres::{Client, NoTls};

use crate::DealsError;

/// The migrations, in order: (version, SQL). Applied ones are listed in
/// `arichat_deals_migrations`.
const MIGRATIONS: &[(i32, &str)] = &[(1, include_str!("../migrations/0001_deals.sql"))];

/// The advisory lock key serializing migrations (any constant; "arichat" in ASCII).
const MIGRATION_LOCK: i64 = 0x0061_7269_6368_6174;

/// One sale as the chat recorded it: plain values ([`SaleRecord::from_deal`] maps the
/// core's deal and commission onto them). `Debug` shows the customer by size only.
#[derive(Clone, PartialEq, Eq)]
pub struct SaleRecord {
    /// The chat post that recorded it (Mattermost `post_id`): the idempotency key.
    pub post_id: String,
    /// The seller (their chat user name).
    pub seller: String,
    /// The customer as written.
    pub customer: String,
    /// The amount in minor units of `currency`.
    pub amount_minor: i64,
    /// ISO 4217 code (`COP`, `MXN`, `BRL`, …).
    pub currency: String,
    /// Units sold (the seed's `@tubos`).
    pub units: u32,
    /// The commission earned, in minor units of `currency`.
    pub commission_minor: i64,
    /// When the sale was recorded.
    pub recorded_at: DateTime<Utc>,
}

impl std::fmt::Debug for SaleRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SaleRecord")
            .field("post_id", &self.post_id)
            .field("seller", &self.seller)
            .field("customer_len", &self.customer.len())
            .field("amount_minor", &self.amount_minor)
            .field("currency", &self.currency)
            .field("units", &self.units)
            .field("commission_minor", &self.commission_minor)
            .field("recorded_at", &self.recorded_at)
            .finish()
    }
}

impl SaleRecord {
    /// The record of a deal the core parsed (`arichat_core::deal::parse_deal`) from
    /// post `post_id` of `seller`, with the commission the core computed for it (none:
    /// zero). Units the message did not give are 0.
    ///
    /// # Errors
    /// `invalid_record` when the commission is in another currency than the deal.
    pub fn from_deal(
        post_id: impl Into<String>,
        seller: impl Into<String>,
        deal: &Deal,
        commission: Option<&Commission>,
        recorded_at: DateTime<Utc>,
    ) -> Result<SaleRecord, DealsError> {
        let currency = deal.amount.currency;
        if commission.is_some_and(|c| c.currency != currency) {
            return Err(DealsError::InvalidRecord(
                "the commission's currency is not the deal's".into(),
            ));
        }
        Ok(SaleRecord {
            post_id: post_id.into(),
            seller: seller.into(),
            customer: deal.customer.clone(),
            amount_minor: deal.amount.minor,
            currency: currency.as_str().to_owned(),
            units: deal.units.unwrap_or(0),
            commission_minor: commission.map_or(0, |c| c.total_minor),
            recorded_at,
        })
    }

    fn check(&self) -> Result<(), DealsError> {
        let bad = |why: &str| Err(DealsError::InvalidRecord(why.to_owned()));
        if self.post_id.trim().is_empty() || self.seller.trim().is_empty() {
            return bad("post_id and seller must not be empty");
        }
        if self.amount_minor < 0 || self.commission_minor < 0 {
            return bad("amounts must not be negative");
        }
        if i32::try_from(self.units).is_err() {
            return bad("units out of range");
        }
        check_currency(&self.currency)
    }
}

fn check_currency(code: &str) -> Result<(), DealsError> {
    if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(DealsError::InvalidRecord(
            "currency must be an ISO 4217 code (three capital letters)".into(),
        ))
    }
}

/// What [`PgDeals::record`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    /// The sale was written (with its details and commission).
    New,
    /// The post was recorded before: nothing was written.
    Duplicate,
}

/// A seller's totals in one currency for a month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthTotal {
    /// ISO 4217 code.
    pub currency: String,
    /// Sum of the sales, minor units.
    pub amount_minor: i64,
    /// Sum of the commissions, minor units.
    pub commission_minor: i64,
    /// Units sold.
    pub units: i64,
    /// Number of sales.
    pub sales: i64,
}

/// A monthly goal and how far the seller is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Goal {
    /// The goal, minor units.
    pub goal_minor: i64,
    /// Its currency: only sales in it count.
    pub currency: String,
    /// Sold so far in that currency, minor units.
    pub achieved_minor: i64,
    /// `achieved / goal` in basis points (10,000 = reached), rounded down; integer,
    /// like all money here.
    pub progress_bp: i64,
}

/// One seller's month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SellerMonth {
    /// The seller.
    pub seller: String,
    /// The month's first day.
    pub month: NaiveDate,
    /// The sales, oldest first.
    pub sales: Vec<SaleRecord>,
    /// Totals per currency, by code.
    pub totals: Vec<MonthTotal>,
    /// The goal, when one is set.
    pub goal: Option<Goal>,
}

/// A PostgreSQL deal store over one connection (one per worker).
pub struct PgDeals {
    client: Client,
}

impl std::fmt::Debug for PgDeals {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgDeals").finish_non_exhaustive()
    }
}

fn month_start(year: i32, month: u32) -> Result<(NaiveDate, NaiveDate), DealsError> {
    let start = NaiveDate::from_ymd_opt(year, month, 1)
        .ok_or_else(|| DealsError::InvalidRecord("no such month".into()))?;
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }
    .ok_or_else(|| DealsError::InvalidRecord("no such month".into()))?;
    Ok((start, next))
}

impl PgDeals {
    /// Connects (`postgres://user:password@host:port/db`, no TLS: a loopback or
    /// private-network database) and drives the connection on the current Tokio
    /// runtime.
    ///
    /// # Errors
    /// [`DealsError::Database`] when the server cannot be reached or refuses; the
    /// message never holds the URL.
    pub async fn connect(url: &str) -> Result<Self, DealsError> {
        let (client, connection) = tokio_postgres::connect(url, NoTls).await?;
        tokio::spawn(async move {
            // Ends when the client is dropped or the server goes away; the client's
            // next call reports the latter.
            let _ = connection.await;
        });
        Ok(PgDeals { client })
    }

    /// Applies the migrations not applied yet; returns how many it applied. Safe
    /// from several workers at once (an advisory lock serializes them).
    ///
    /// # Errors
    /// [`DealsError::Database`].
    pub async fn migrate(&mut self) -> Result<usize, DealsError> {
        let tx = self.client.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS arichat_deals_migrations (
                version INTEGER PRIMARY KEY,
                applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
        )
        .await?;
        let applied: Vec<i32> = tx
            .query("SELECT version FROM arichat_deals_migrations", &[])
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let mut count = 0;
        for (version, sql) in MIGRATIONS {
            if applied.contains(version) {
                continue;
            }
            tx.batch_execute(sql).await?;
            tx.execute(
                "INSERT INTO arichat_deals_migrations (version) VALUES ($1)",
                &[version],
            )
            .await?;
            count += 1;
        }
        tx.commit().await?;
        Ok(count)
    }

    /// Records a sale, its units and its commission, once per `post_id`.
    ///
    /// # Errors
    /// [`DealsError::InvalidRecord`] before any write; [`DealsError::Database`].
    pub async fn record(&mut self, sale: &SaleRecord) -> Result<Recorded, DealsError> {
        sale.check()?;
        let tx = self.client.transaction().await?;
        let seller: i64 = tx
            .query_one(
                "INSERT INTO sellers (name) VALUES ($1)
                 ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id",
                &[&sale.seller],
            )
            .await?
            .get(0);
        let inserted = tx
            .query_opt(
                "INSERT INTO sales (post_id, seller_id, customer, amount_minor, currency, recorded_at)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (post_id) DO NOTHING RETURNING id",
                &[
                    &sale.post_id,
                    &seller,
                    &sale.customer,
                    &sale.amount_minor,
                    &sale.currency,
                    &sale.recorded_at,
                ],
            )
            .await?;
        let Some(row) = inserted else {
            // The seller upsert changed nothing either.
            tx.rollback().await?;
            return Ok(Recorded::Duplicate);
        };
        let sale_id: i64 = row.get(0);
        let units = i32::try_from(sale.units).unwrap_or(i32::MAX);
        tx.execute(
            "INSERT INTO sale_details (sale_id, item, units) VALUES ($1, 'units', $2)",
            &[&sale_id, &units],
        )
        .await?;
        tx.execute(
            "INSERT INTO commissions (sale_id, amount_minor, currency) VALUES ($1, $2, $3)",
            &[&sale_id, &sale.commission_minor, &sale.currency],
        )
        .await?;
        tx.commit().await?;
        Ok(Recorded::New)
    }

    /// Sets (or replaces) a seller's goal for a month, creating the seller if needed.
    ///
    /// # Errors
    /// [`DealsError::InvalidRecord`] for a non-positive goal, a bad currency or month;
    /// [`DealsError::Database`].
    pub async fn set_goal(
        &self,
        seller: &str,
        year: i32,
        month: u32,
        goal_minor: i64,
        currency: &str,
    ) -> Result<(), DealsError> {
        check_currency(currency)?;
        if goal_minor <= 0 {
            return Err(DealsError::InvalidRecord("a goal must be positive".into()));
        }
        let (start, _) = month_start(year, month)?;
        self.client
            .execute(
                "WITH s AS (
                    INSERT INTO sellers (name) VALUES ($1)
                    ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id)
                 INSERT INTO monthly_goals (seller_id, month, goal_minor, currency)
                 SELECT id, $2, $3, $4 FROM s
                 ON CONFLICT (seller_id, month)
                 DO UPDATE SET goal_minor = EXCLUDED.goal_minor, currency = EXCLUDED.currency",
                &[&seller, &start, &goal_minor, &currency],
            )
            .await?;
        Ok(())
    }

    /// A seller's month: sales oldest first, totals per currency, goal progress. An
    /// unknown seller has an empty month.
    ///
    /// # Errors
    /// [`DealsError::InvalidRecord`] for a month that does not exist;
    /// [`DealsError::Database`].
    pub async fn seller_month(
        &self,
        seller: &str,
        year: i32,
        month: u32,
    ) -> Result<SellerMonth, DealsError> {
        let (start, next) = month_start(year, month)?;
        let (from, to) = (
            start.and_time(Default::default()).and_utc(),
            next.and_time(Default::default()).and_utc(),
        );
        let rows = self
            .client
            .query(
                "SELECT s.post_id, s.customer, s.amount_minor, s.currency,
                        COALESCE(d.units, 0), COALESCE(c.amount_minor, 0), s.recorded_at
                 FROM sales s
                 JOIN sellers p ON p.id = s.seller_id
                 LEFT JOIN sale_details d ON d.sale_id = s.id AND d.item = 'units'
                 LEFT JOIN commissions c ON c.sale_id = s.id
                 WHERE p.name = $1 AND s.recorded_at >= $2 AND s.recorded_at < $3
                 ORDER BY s.recorded_at, s.post_id",
                &[&seller, &from, &to],
            )
            .await?;
        let sales: Vec<SaleRecord> = rows
            .iter()
            .map(|r| SaleRecord {
                post_id: r.get(0),
                seller: seller.to_owned(),
                customer: r.get(1),
                amount_minor: r.get(2),
                currency: r.get::<_, String>(3).trim_end().to_owned(),
                units: u32::try_from(r.get::<_, i32>(4)).unwrap_or_default(),
                commission_minor: r.get(5),
                recorded_at: r.get(6),
            })
            .collect();
        let mut totals: Vec<MonthTotal> = Vec::new();
        for s in &sales {
            let i = match totals.binary_search_by(|t| t.currency.as_str().cmp(&s.currency)) {
                Ok(i) => i,
                Err(i) => {
                    totals.insert(
                        i,
                        MonthTotal {
                            currency: s.currency.clone(),
                            amount_minor: 0,
                            commission_minor: 0,
                            units: 0,
                            sales: 0,
                        },
                    );
                    i
                }
            };
            let t = &mut totals[i];
            t.amount_minor += s.amount_minor;
            t.commission_minor += s.commission_minor;
            t.units += i64::from(s.units);
            t.sales += 1;
        }
        let goal = self
            .client
            .query_opt(
                "SELECT g.goal_minor, g.currency FROM monthly_goals g
                 JOIN sellers p ON p.id = g.seller_id WHERE p.name = $1 AND g.month = $2",
                &[&seller, &start],
            )
            .await?
            .map(|r| {
                let goal_minor: i64 = r.get(0);
                let currency = r.get::<_, String>(1).trim_end().to_owned();
                let achieved_minor = totals
                    .iter()
                    .find(|t| t.currency == currency)
                    .map_or(0, |t| t.amount_minor);
                let progress_bp = i128::from(achieved_minor) * 10_000 / i128::from(goal_minor);
                Goal {
                    goal_minor,
                    currency,
                    achieved_minor,
                    progress_bp: i64::try_from(progress_bp).unwrap_or(i64::MAX),
                }
            });
        debug_assert_eq!(start.day(), 1);
        Ok(SellerMonth {
            seller: seller.to_owned(),
            month: start,
            sales,
            totals,
            goal,
        })
    }
}
