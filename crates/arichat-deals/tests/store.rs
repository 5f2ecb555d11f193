//! The PostgreSQL deal store against a real server (scripts/postgres-server.sh).

mod postgres;

use std::collections::BTreeSet;

use arichat_deals::{PgDeals, Recorded, SaleRecord};
use chrono::{TimeZone, Utc};

fn sale(post: &str, seller: &str, amount_minor: i64, units: u32, day: u32) -> SaleRecord {
    SaleRecord {
        post_id: post.to_owned(),
        seller: seller.to_owned(),
        customer: "Juan".to_owned(),
        amount_minor,
        currency: "COP".to_owned(),
        units,
        // The seed's rule: $10 × (units − 3) when units > 3.
        commission_minor: i64::from(units.saturating_sub(3)) * 1_000,
        recorded_at: Utc.with_ymd_and_hms(2026, 3, day, 15, 0, 0).unwrap(),
    }
}

#[tokio::test]
async fn migrations_apply_once_and_a_month_reads_back_with_its_goal() {
    let Some(url) = postgres::fresh_database("month").await else {
        return;
    };
    let mut deals = PgDeals::connect(&url).await.unwrap();
    assert_eq!(deals.migrate().await.unwrap(), 1);
    assert_eq!(deals.migrate().await.unwrap(), 0);

    assert_eq!(
        deals
            .record(&sale("p1", "ana", 150_000, 5, 2))
            .await
            .unwrap(),
        Recorded::New
    );
    assert_eq!(
        deals
            .record(&sale("p2", "ana", 50_000, 2, 31))
            .await
            .unwrap(),
        Recorded::New
    );
    // A redelivered hook: same post, nothing written, even with other values.
    assert_eq!(
        deals
            .record(&sale("p1", "ana", 999_999, 9, 3))
            .await
            .unwrap(),
        Recorded::Duplicate
    );
    // Other months and sellers stay out.
    let mut april = sale("p3", "ana", 70_000, 4, 1);
    april.recorded_at = Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap();
    deals.record(&april).await.unwrap();
    deals
        .record(&sale("p4", "beto", 10_000, 1, 5))
        .await
        .unwrap();
    let mut usd = sale("p5", "ana", 2_500, 0, 6);
    usd.currency = "USD".into();
    deals.record(&usd).await.unwrap();
    deals
        .set_goal("ana", 2026, 3, 400_000, "COP")
        .await
        .unwrap();

    let m = deals.seller_month("ana", 2026, 3).await.unwrap();
    let posts: Vec<_> = m.sales.iter().map(|s| s.post_id.as_str()).collect();
    assert_eq!(posts, ["p1", "p5", "p2"]);
    assert_eq!(m.sales[0], sale("p1", "ana", 150_000, 5, 2));
    let cop = &m.totals[0];
    assert_eq!(
        (
            cop.currency.as_str(),
            cop.amount_minor,
            cop.commission_minor,
            cop.units,
            cop.sales
        ),
        ("COP", 200_000, 2_000, 7, 2)
    );
    assert_eq!(
        (m.totals[1].currency.as_str(), m.totals[1].amount_minor),
        ("USD", 2_500)
    );
    let goal = m.goal.unwrap();
    assert_eq!((goal.achieved_minor, goal.progress_bp), (200_000, 5_000));

    let empty = deals.seller_month("nobody", 2026, 3).await.unwrap();
    assert!(empty.sales.is_empty() && empty.totals.is_empty() && empty.goal.is_none());
    assert_eq!(
        deals
            .seller_month("ana", 2026, 13)
            .await
            .unwrap_err()
            .code(),
        "invalid_record"
    );
}

#[tokio::test]
async fn invalid_records_are_refused_before_any_write() {
    let Some(url) = postgres::fresh_database("invalid").await else {
        return;
    };
    let mut deals = PgDeals::connect(&url).await.unwrap();
    deals.migrate().await.unwrap();
    let mut bad = sale("p1", "ana", -1, 1, 1);
    assert_eq!(
        deals.record(&bad).await.unwrap_err().code(),
        "invalid_record"
    );
    bad.amount_minor = 1;
    bad.currency = "pesos".into();
    assert_eq!(
        deals.record(&bad).await.unwrap_err().code(),
        "invalid_record"
    );
    assert!(deals
        .seller_month("ana", 2026, 3)
        .await
        .unwrap()
        .sales
        .is_empty());
}

/// Eight workers, each on its own connection, migrate at once and then record 50
/// posts each: posts 0..200 overlap between neighbours (every post is sent by two
/// workers, the way a hook redelivered to another worker would be). Every post ends
/// up recorded exactly once, and `New` answers add up to the number of posts.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_workers_lose_nothing_and_double_nothing() {
    let Some(url) = postgres::fresh_database("concurrent").await else {
        return;
    };
    const WORKERS: usize = 8;
    const PER_WORKER: usize = 50;
    let mut tasks = Vec::new();
    for w in 0..WORKERS {
        let url = url.clone();
        tasks.push(tokio::spawn(async move {
            let mut deals = PgDeals::connect(&url).await.unwrap();
            deals.migrate().await.unwrap();
            let mut new = Vec::new();
            for i in 0..PER_WORKER {
                // Worker w sends posts (w/2)*PER_WORKER + i: workers 2k and 2k+1 collide.
                let post = (w / 2) * PER_WORKER + i;
                let seller = format!("seller{}", post % 7);
                let s = sale(
                    &format!("post{post}"),
                    &seller,
                    1_000 + post as i64,
                    (post % 6) as u32,
                    1 + (post % 28) as u32,
                );
                if deals.record(&s).await.unwrap() == Recorded::New {
                    new.push(post);
                }
            }
            new
        }));
    }
    let mut recorded = Vec::new();
    for t in tasks {
        recorded.extend(t.await.unwrap());
    }
    let distinct: BTreeSet<_> = recorded.iter().copied().collect();
    let posts = WORKERS / 2 * PER_WORKER;
    assert_eq!(recorded.len(), posts, "a post recorded twice or lost");
    assert_eq!(distinct, (0..posts).collect());

    let reader = PgDeals::connect(&url).await.unwrap();
    let mut seen = 0;
    let mut amount = 0;
    for k in 0..7 {
        let m = reader
            .seller_month(&format!("seller{k}"), 2026, 3)
            .await
            .unwrap();
        seen += m.sales.len();
        amount += m.totals.iter().map(|t| t.amount_minor).sum::<i64>();
    }
    assert_eq!(seen, posts);
    assert_eq!(amount, (0..posts as i64).map(|p| 1_000 + p).sum::<i64>());
}

/// Runs without a server: a refused connection names no password, and `Debug` of a
/// record shows no customer.
#[tokio::test]
async fn errors_and_debug_hold_no_secret_and_no_customer() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = PgDeals::connect(&format!(
        "postgres://arichat:hunter2secret@127.0.0.1:{port}/x"
    ))
    .await
    .unwrap_err();
    assert_eq!(err.code(), "database");
    assert!(!format!("{err}{err:?}").contains("hunter2secret"), "{err}");
    let debug = format!("{:?}", sale("p1", "ana", 1, 1, 1));
    assert!(debug.contains("p1") && !debug.contains("Juan"), "{debug}");
}

/// The seed's message, parsed and commissioned by the core, recorded once even when
/// the hook is redelivered, and read back in the seller's month.
#[tokio::test]
async fn a_parsed_deal_with_its_commission_is_recorded_once() {
    use arichat_core::commission::{CommissionRules, SaleInput};
    use arichat_core::deal::{parse_deal, DealGrammar};
    use arichat_core::money::Region;

    let Some(url) = postgres::fresh_database("from_deal").await else {
        return;
    };
    let grammar = DealGrammar::default().with_region(Region::Us);
    let deal = parse_deal("@monto 1500 @cliente Juan @tubos 5", &grammar)
        .deal
        .expect("a complete deal");
    // The seed's rule alone (examples/sales/commissions.toml adds tiers and sellers).
    let rules = CommissionRules::from_toml(
        "currency = \"USD\"\n[[rules]]\nid = \"tubos_sobre_3\"\nkind = \"per_unit\"\nover = 3\nrate = 10\n",
    )
    .unwrap();
    let commission = rules
        .compute(&SaleInput {
            seller: "ana".into(),
            amount_minor: deal.amount.minor,
            currency: deal.amount.currency,
            units: deal.units.unwrap_or(0),
        })
        .unwrap();
    // The seed's rule: $10 × (5 − 3).
    assert_eq!(commission.total_minor, 2_000, "{}", commission.explanation);
    let at = Utc.with_ymd_and_hms(2026, 3, 4, 15, 0, 0).unwrap();
    let record = SaleRecord::from_deal("post-77", "ana", &deal, Some(&commission), at).unwrap();
    assert_eq!(
        (
            record.amount_minor,
            record.currency.as_str(),
            record.units,
            record.commission_minor
        ),
        (150_000, "USD", 5, 2_000)
    );

    let mut deals = PgDeals::connect(&url).await.unwrap();
    deals.migrate().await.unwrap();
    assert_eq!(deals.record(&record).await.unwrap(), Recorded::New);
    assert_eq!(deals.record(&record).await.unwrap(), Recorded::Duplicate);
    let month = deals.seller_month("ana", 2026, 3).await.unwrap();
    assert_eq!(month.sales.len(), 1);
    assert_eq!(month.sales[0], record);
}

#[test]
fn a_commission_in_another_currency_is_refused() {
    use arichat_core::commission::Commission;
    use arichat_core::deal::{parse_deal, DealGrammar};
    use arichat_core::money::{Currency, Region};
    let deal = parse_deal(
        "@monto 1500 @cliente Juan",
        &DealGrammar::default().with_region(Region::Co),
    )
    .deal
    .unwrap();
    let usd = Commission {
        currency: Currency::Usd,
        total_minor: 100,
        lines: Vec::new(),
        capped_at: None,
        seller_terms: false,
        explanation: String::new(),
    };
    let err = SaleRecord::from_deal("p", "ana", &deal, Some(&usd), Utc::now()).unwrap_err();
    assert_eq!(err.code(), "invalid_record");
    let ok = SaleRecord::from_deal("p", "ana", &deal, None, Utc::now()).unwrap();
    assert_eq!(
        (ok.currency.as_str(), ok.units, ok.commission_minor),
        ("COP", 0, 0)
    );
}
