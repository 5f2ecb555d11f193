//! The Redis idempotency store against a real `redis-server`.
//!
//! `scripts/test` (through `scripts/redis-server.sh`) starts one on loopback and exports
//! `ARICHAT_REDIS_URL` and `ARICHAT_REDIS_SERVER`. Without them the tests say so and
//! skip, except under `CI=true`, where they fail.
#![cfg(feature = "redis")]

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::{Arc, Barrier, Mutex};
use std::time::Duration;

use arichat_channels::store::{HistoryLostPolicy, RedisConfig, RedisIdempotencyStore};
use arichat_channels::{normalize, NormalizeOptions};
use arichat_core::dedup::{IdempotencyStore, Seen};
use arichat_core::Channel;
use chrono::{DateTime, Utc};

mod redis_server;
use redis_server::{
    check_closed_port, free_port, raw_connection, required_env, unique_prefix, PrivateServer,
};

fn store(url: &str, prefix: &str) -> RedisIdempotencyStore {
    RedisIdempotencyStore::connect(RedisConfig::new(url).with_prefix(prefix))
        .expect("connect to the test redis")
}

fn password_of(url: &str) -> Option<&str> {
    let auth = url.strip_prefix("redis://")?.split('@').next()?;
    auth.rsplit(':').next().filter(|p| !p.is_empty())
}

struct Delivery {
    channel: Channel,
    body: Vec<u8>,
}

/// The demo's sample webhooks of all four channels (one of them already a redelivery).
fn demo_deliveries() -> (Vec<Delivery>, DateTime<Utc>, String) {
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/data/demo"
    ));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let now = manifest["now"].as_str().unwrap().parse().unwrap();
    let bot = manifest["accounts"]["telegram"]
        .as_str()
        .unwrap()
        .to_owned();
    let deliveries = manifest["webhooks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hook| Delivery {
            channel: hook["channel"].as_str().unwrap().parse().unwrap(),
            body: std::fs::read(dir.join(hook["file"].as_str().unwrap())).unwrap(),
        })
        .collect();
    (deliveries, now, bot)
}

#[test]
fn two_workers_apply_each_redelivered_event_once() {
    let Some(url) = required_env("ARICHAT_REDIS_URL") else {
        return;
    };
    let prefix = unique_prefix("two-workers");
    let (deliveries, now, bot) = demo_deliveries();
    let options = NormalizeOptions::new(now).with_account(bot.as_str());
    let events: Vec<_> = deliveries
        .iter()
        .flat_map(|d| normalize(d.channel, &d.body, &options).unwrap())
        .collect();
    let expected: BTreeSet<String> = events.iter().map(|e| e.idempotency_key.clone()).collect();
    assert!(
        events.len() > expected.len(),
        "the samples include a redelivery"
    );
    assert!(expected.len() >= 14, "{} distinct events", expected.len());

    // Every body is redelivered 10 times; worker 0 walks the list forwards and worker 1
    // backwards, so they meet in the middle, racing on the same keys.
    const REDELIVERIES: usize = 10;
    let deliveries = Arc::new(deliveries);
    let applied: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
    let start = Arc::new(Barrier::new(2));
    let workers: Vec<_> = (0..2)
        .map(|worker| {
            let (url, prefix, bot) = (url.clone(), prefix.clone(), bot.clone());
            let (deliveries, applied, start) = (
                Arc::clone(&deliveries),
                Arc::clone(&applied),
                Arc::clone(&start),
            );
            std::thread::spawn(move || {
                let mut store = store(&url, &prefix);
                let options = NormalizeOptions::new(now).with_account(bot.as_str());
                let mut order: Vec<usize> = (0..deliveries.len() * REDELIVERIES)
                    .map(|i| i % deliveries.len())
                    .collect();
                if worker == 1 {
                    order.reverse();
                }
                start.wait();
                let mut duplicates = 0;
                for i in order {
                    let d = &deliveries[i];
                    for event in normalize(d.channel, &d.body, &options).unwrap() {
                        match store.check_and_insert(&event.idempotency_key, now).unwrap() {
                            Seen::New => {
                                *applied
                                    .lock()
                                    .unwrap()
                                    .entry(event.idempotency_key)
                                    .or_default() += 1
                            }
                            Seen::Duplicate => duplicates += 1,
                        }
                    }
                }
                duplicates
            })
        })
        .collect();
    let duplicates: usize = workers.into_iter().map(|w| w.join().unwrap()).sum();

    let applied = applied.lock().unwrap();
    let keys: BTreeSet<String> = applied.keys().cloned().collect();
    assert_eq!(keys, expected, "every event is applied");
    let twice: Vec<_> = applied.iter().filter(|(_, n)| **n != 1).collect();
    assert!(twice.is_empty(), "applied more than once: {twice:?}");
    assert_eq!(duplicates + applied.len(), 2 * REDELIVERIES * events.len());
}

#[test]
fn racing_threads_get_exactly_one_new_per_key() {
    let Some(url) = required_env("ARICHAT_REDIS_URL") else {
        return;
    };
    let prefix = unique_prefix("race");
    const THREADS: usize = 4;
    const KEYS: usize = 2_000;
    let start = Arc::new(Barrier::new(THREADS));
    let threads: Vec<_> = (0..THREADS)
        .map(|_| {
            let (url, prefix, start) = (url.clone(), prefix.clone(), Arc::clone(&start));
            std::thread::spawn(move || {
                let mut store = store(&url, &prefix);
                start.wait();
                (0..KEYS)
                    .filter(|i| {
                        let key = format!("whatsapp:106540352242922:msg:wamid.RACE{i:06}");
                        store.check_and_insert(&key, Utc::now()).unwrap() == Seen::New
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut news: Vec<usize> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    news.sort_unstable();
    assert_eq!(news, (0..KEYS).collect::<Vec<_>>(), "one New per key");
}

#[test]
fn keys_expire_after_the_ttl_and_forget_releases_them() {
    let Some(url) = required_env("ARICHAT_REDIS_URL") else {
        return;
    };
    let prefix = unique_prefix("ttl");
    let ttl = Duration::from_millis(300);
    let mut s =
        RedisIdempotencyStore::connect(RedisConfig::new(&url).with_prefix(&prefix).with_ttl(ttl))
            .unwrap();
    let now = Utc::now();
    assert_eq!(s.check_and_insert("k", now).unwrap(), Seen::New);
    assert_eq!(s.check_and_insert("k", now).unwrap(), Seen::Duplicate);

    // The key is in Redis under the prefix, with a TTL of at most 300 ms.
    let client = redis::Client::open(url.as_str()).unwrap();
    let mut raw = client.get_connection().unwrap();
    let pttl: i64 = redis::cmd("PTTL")
        .arg(format!("{prefix}k"))
        .query(&mut raw)
        .unwrap();
    assert!(0 < pttl && pttl <= 300, "PTTL {pttl}");

    // Wait (bounded) until Redis has expired it, then it is new again.
    let mut gone = false;
    for _ in 0..200 {
        let exists: u32 = redis::cmd("EXISTS")
            .arg(format!("{prefix}k"))
            .query(&mut raw)
            .unwrap();
        if exists == 0 {
            gone = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(gone, "the key never expired");
    assert_eq!(s.check_and_insert("k", Utc::now()).unwrap(), Seen::New);

    // forget: the next delivery counts as new.
    assert_eq!(s.check_and_insert("f", now).unwrap(), Seen::New);
    assert!(s.forget("f").unwrap());
    assert!(!s.forget("f").unwrap());
    assert_eq!(s.check_and_insert("f", now).unwrap(), Seen::New);
}

#[test]
fn prefixes_separate_tenants() {
    let Some(url) = required_env("ARICHAT_REDIS_URL") else {
        return;
    };
    let base = unique_prefix("tenants");
    let mut acme = store(&url, &format!("{base}acme:"));
    let mut globex = store(&url, &format!("{base}globex:"));
    let now = Utc::now();
    assert_eq!(
        acme.check_and_insert("telegram:bot:1", now).unwrap(),
        Seen::New
    );
    assert_eq!(
        globex.check_and_insert("telegram:bot:1", now).unwrap(),
        Seen::New
    );
    assert_eq!(
        acme.check_and_insert("telegram:bot:1", now).unwrap(),
        Seen::Duplicate
    );
}

#[test]
fn debug_and_errors_never_show_the_password() {
    let Some(url) = required_env("ARICHAT_REDIS_URL") else {
        return;
    };
    let password = password_of(&url).expect("the test redis has a password");
    let s = store(&url, &unique_prefix("debug"));
    let debug = format!("{s:?}");
    assert!(!debug.contains(password), "{debug}");
    assert!(debug.contains("127.0.0.1:"), "{debug}");

    // A wrong password is refused by the server: a typed error naming no secret.
    let wrong = url.replace(password, "not-the-password-77");
    let err = RedisIdempotencyStore::connect(RedisConfig::new(&wrong)).unwrap_err();
    assert_eq!(err.code(), "store_unavailable", "{err}");
    assert!(!err.to_string().contains("not-the-password-77"), "{err}");
    assert!(!err.to_string().contains(password), "{err}");
}

#[test]
fn a_closed_port_is_store_unavailable() {
    if required_env("ARICHAT_REDIS_URL").is_none() {
        return;
    }
    check_closed_port(|url| RedisIdempotencyStore::connect(RedisConfig::new(url)).unwrap_err());
}

#[test]
fn redis_going_away_is_a_typed_error_not_a_duplicate() {
    let Some(binary) = required_env("ARICHAT_REDIS_SERVER") else {
        return;
    };
    let mut server = PrivateServer::start(&binary, free_port());
    let config = RedisConfig::new(&server.url)
        .with_prefix("going-away:")
        .with_connect_timeout(Duration::from_millis(500))
        .with_io_timeout(Duration::from_millis(500));
    let mut s = RedisIdempotencyStore::connect(config).unwrap();
    let now = Utc::now();
    assert_eq!(s.check_and_insert("a", now).unwrap(), Seen::New);

    server.kill();
    for key in ["a", "b", "b"] {
        let err = s
            .check_and_insert(key, now)
            .expect_err("no answer without Redis");
        assert_eq!(err.code(), "store_unavailable", "{err}");
        assert!(!err.to_string().contains("private-pw-4242"), "{err}");
    }
    assert_eq!(s.forget("a").unwrap_err().code(), "store_unavailable");

    // Redis back, empty (no persistence): the store reconnects by itself, sees that the
    // generation marker is gone and refuses to call "a" new a second time.
    let _server = PrivateServer::start(&binary, server.port);
    for key in ["a", "b"] {
        let err = s.check_and_insert(key, now).expect_err("history lost");
        assert_eq!(err.code(), "store_history_lost", "{err}");
        assert!(!err.to_string().contains("private-pw-4242"), "{err}");
    }
    // A worker started now cannot know there was history: it starts a new generation.
    let mut fresh =
        RedisIdempotencyStore::connect(RedisConfig::new(&server.url).with_prefix("going-away:"))
            .unwrap();
    assert_ne!(fresh.generation(), s.generation());
    assert_eq!(fresh.check_and_insert("b", now).unwrap(), Seen::New);
    assert_eq!(fresh.check_and_insert("b", now).unwrap(), Seen::Duplicate);
}

fn flushall(url: &str) {
    let () = redis::cmd("FLUSHALL")
        .query(&mut raw_connection(url))
        .unwrap();
}

#[test]
fn a_flushed_redis_is_history_lost_or_a_counted_reset() {
    let Some(binary) = required_env("ARICHAT_REDIS_SERVER") else {
        return;
    };
    let server = PrivateServer::start(&binary, free_port());
    flushall(&server.url); // start from an empty Redis
    let config = RedisConfig::new(&server.url).with_prefix("flushed:");
    // A first connect to an empty Redis is a first start, not a loss.
    let mut strict = RedisIdempotencyStore::connect(config.clone()).unwrap();
    let mut lenient = RedisIdempotencyStore::connect(
        config
            .clone()
            .with_on_history_lost(HistoryLostPolicy::Reset),
    )
    .unwrap();
    assert_eq!(
        strict.generation(),
        lenient.generation(),
        "one generation per prefix"
    );
    let now = Utc::now();
    assert_eq!(strict.check_and_insert("a", now).unwrap(), Seen::New);
    assert_eq!(lenient.check_and_insert("a", now).unwrap(), Seen::Duplicate);

    flushall(&server.url);
    for _ in 0..2 {
        let err = strict.check_and_insert("a", now).expect_err("history lost");
        assert_eq!(err.code(), "store_history_lost", "{err}");
    }
    // Nothing was written by the refused checks.
    let client = redis::Client::open(server.url.as_str()).unwrap();
    let mut raw = client.get_connection().unwrap();
    let size: u64 = redis::cmd("DBSIZE").query(&mut raw).unwrap();
    assert_eq!(size, 0);

    // Reset: a new generation, the loss counted, and "a" applied a second time, as documented.
    assert_eq!(lenient.check_and_insert("a", now).unwrap(), Seen::New);
    assert_eq!(lenient.history_losses(), 1);
    assert_eq!(lenient.check_and_insert("a", now).unwrap(), Seen::Duplicate);
    // The strict store stays refused: the marker now holds another generation.
    let err = strict.check_and_insert("z", now).expect_err("still lost");
    assert_eq!(err.code(), "store_history_lost", "{err}");
    assert!(format!("{lenient:?}").contains("history_losses: 1"));
}
