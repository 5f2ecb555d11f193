//! The PostgreSQL of the store tests: the cluster `scripts/postgres-server.sh` starts
//! (`ARICHAT_POSTGRES_URL`), one fresh database per test.
#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};

/// `ARICHAT_POSTGRES_URL`; when absent, `None` (skip, loudly) unless the run requires
/// it (`CI=true`, or `ARICHAT_REQUIRE_POSTGRES=1` as scripts/test sets), then a panic.
pub fn url() -> Option<String> {
    match std::env::var("ARICHAT_POSTGRES_URL") {
        Ok(v) if !v.is_empty() => Some(v),
        _ if std::env::var("CI").is_ok_and(|v| v == "true")
            || std::env::var("ARICHAT_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") =>
        {
            panic!("ARICHAT_POSTGRES_URL is not set: run through scripts/test, which starts PostgreSQL")
        }
        _ => {
            eprintln!(
                "\n*** SKIPPED: ARICHAT_POSTGRES_URL is not set; start one with\n*** eval \"$(scripts/postgres-server.sh start)\"\n"
            );
            None
        }
    }
}

/// A new, empty database on the test cluster; its URL.
pub async fn fresh_database(test: &str) -> Option<String> {
    static N: AtomicUsize = AtomicUsize::new(0);
    let url = url()?;
    let name = format!(
        "t_{test}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    );
    let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap();
    let driver = tokio::spawn(conn);
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    drop(client);
    let _ = driver.await;
    let (base, _) = url.rsplit_once('/').unwrap();
    Some(format!("{base}/{name}"))
}
