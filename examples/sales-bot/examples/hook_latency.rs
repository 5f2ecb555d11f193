//! The bot's end-to-end time per hook: HTTP in → verify → parse → commission →
//! PostgreSQL record → thread reply and reaction on a wiremock Mattermost → HTTP out.
//! No receipt (Tesseract's time per receipt is measured on its own in BENCHMARKS.md).
//!
//! ```sh
//! eval "$(scripts/postgres-server.sh start)"
//! cargo run --release -p arichat-sales-bot --example hook_latency
//! ```

#[path = "../tests/world/mod.rs"]
mod world;

use std::sync::Arc;
use std::time::{Duration, Instant};

use arichat_deals::Tesseract;

const WARM_UP: usize = 20;
const HOOKS: usize = 200;
const CONCURRENT_HOOKS: usize = 400;
const IN_FLIGHT: usize = 8;

fn text(n: usize) -> String {
    format!("@monto {} @cliente Cliente {n} @tubos {}", 1_000 + n, n % 9)
}

fn percentile(sorted: &[Duration], p: usize) -> Duration {
    sorted[(sorted.len() * p).div_ceil(100) - 1]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let w = world::world("latency", Tesseract::new())
        .await
        .expect("ARICHAT_POSTGRES_URL: eval \"$(scripts/postgres-server.sh start)\"");
    let mut times = Vec::with_capacity(HOOKS);
    for n in 0..WARM_UP + HOOKS {
        let fields = world::hook(&format!("s{n}"), "beto", &text(n), "");
        let started = Instant::now();
        let res = w.post_json(&fields).await;
        let took = started.elapsed();
        assert_eq!(res.status(), 200);
        if n >= WARM_UP {
            times.push(took);
        }
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "one at a time, {HOOKS} hooks: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        ms(percentile(&times, 50)),
        ms(percentile(&times, 99)),
        ms(times[times.len() - 1])
    );

    let w = Arc::new(w);
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..IN_FLIGHT {
        let (w, next) = (w.clone(), next.clone());
        tasks.spawn(async move {
            loop {
                let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if n >= CONCURRENT_HOOKS {
                    break;
                }
                let fields = world::hook(&format!("c{n}"), "ana", &text(n), "");
                assert_eq!(w.post_json(&fields).await.status(), 200);
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{IN_FLIGHT} in flight, {CONCURRENT_HOOKS} hooks: {:.0} hooks/s",
        CONCURRENT_HOOKS as f64 / secs
    );
    let rows = w.rows().await.len();
    assert_eq!(
        rows,
        WARM_UP + HOOKS + CONCURRENT_HOOKS,
        "every hook recorded once"
    );
}
