//! Deals recorded per second by 1, 2, 4 and 8 workers, each on its own connection, into
//! a fresh database of the cluster at `ARICHAT_POSTGRES_URL`; every post is sent twice
//! (a redelivery), and the count of `New` answers is checked.
//!
//! ```sh
//! eval "$(scripts/postgres-server.sh start)"
//! cargo run --release -p arichat-deals --example record_speed
//! scripts/postgres-server.sh stop
//! ```

use std::time::Instant;

use arichat_deals::{PgDeals, Recorded, SaleRecord};
use chrono::{TimeZone, Utc};

const POSTS: usize = 4_000;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let url = std::env::var("ARICHAT_POSTGRES_URL")
        .expect("ARICHAT_POSTGRES_URL: eval \"$(scripts/postgres-server.sh start)\"");
    let (base, _) = url.rsplit_once('/').expect("a database URL");
    println!("| workers | posts | records (with redeliveries) | deals/s | records/s |");
    println!("|---|---|---|---|---|");
    for workers in [1usize, 2, 4, 8] {
        let db = format!("record_speed_{}_{workers}", std::process::id());
        let (admin, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        admin
            .batch_execute(&format!("CREATE DATABASE {db}"))
            .await
            .unwrap();
        let db_url = format!("{base}/{db}");
        PgDeals::connect(&db_url)
            .await
            .unwrap()
            .migrate()
            .await
            .unwrap();
        let started = Instant::now();
        let mut tasks = Vec::new();
        for w in 0..workers {
            let db_url = db_url.clone();
            tasks.push(tokio::spawn(async move {
                let mut deals = PgDeals::connect(&db_url).await.unwrap();
                let mut new = 0;
                // Each post twice over all workers: worker w takes every workers-th
                // post of both passes.
                for i in (w..2 * POSTS).step_by(workers) {
                    let post = i % POSTS;
                    let sale = SaleRecord {
                        post_id: format!("post{post}"),
                        seller: format!("seller{}", post % 20),
                        customer: "Juan".into(),
                        amount_minor: 150_000,
                        currency: "COP".into(),
                        units: 5,
                        commission_minor: 2_000,
                        recorded_at: Utc
                            .with_ymd_and_hms(2026, 3, 1 + (post % 28) as u32, 12, 0, 0)
                            .unwrap(),
                    };
                    if deals.record(&sale).await.unwrap() == Recorded::New {
                        new += 1;
                    }
                }
                new
            }));
        }
        let mut new = 0;
        for t in tasks {
            new += t.await.unwrap();
        }
        let secs = started.elapsed().as_secs_f64();
        assert_eq!(new, POSTS, "every post recorded exactly once");
        println!(
            "| {workers} | {POSTS} | {} | {:.0} | {:.0} |",
            2 * POSTS,
            POSTS as f64 / secs,
            2.0 * POSTS as f64 / secs
        );
        admin
            .batch_execute(&format!("DROP DATABASE {db} WITH (FORCE)"))
            .await
            .unwrap();
    }
}
