//! Redis Streams throughput with batching: CloudEvents published through
//! [`EventStream::publish`] and consumed with [`EventStream::read`] + `ack`, beside the
//! baseline of the same JSON written with raw pipelined `XADD`s and read with raw
//! `XREADGROUP` + `XACK` through the same redis crate, interleaved over rounds, for
//! batches of 1, 100 and 1,000.
//!
//! ```text
//! eval "$(scripts/redis-server.sh start)"
//! cargo run --release -p arichat-channels --features redis --example stream_throughput -- [rounds] [events]
//! ```

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use arichat_channels::cloudevents::CloudEvent;
use arichat_channels::store::{EventStream, StreamConfig};
use chrono::{TimeZone, Utc};
use serde_json::json;

fn events(n: usize) -> Vec<CloudEvent> {
    (0..n)
        .map(|i| CloudEvent {
            id: format!("whatsapp:106540352242922:msg:wamid.{i:012}"),
            source: "/whatsapp/106540352242922".into(),
            specversion: "1.0".into(),
            ty: "com.arichat.message.v1".into(),
            time: Some(Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).unwrap()),
            subject: Some(format!("57300{:07}", i % 5000)),
            datacontenttype: Some("application/json".into()),
            data: Some(json!({"kind": "message", "direction": "inbound",
                "content": {"type": "text", "body": "hola, cuánto cuesta el plan de 20 GB?"}})),
            extensions: BTreeMap::from([
                ("channel".into(), json!("whatsapp")),
                (
                    "partitionkey".into(),
                    json!(format!("whatsapp:106540352242922:{}", i % 5000)),
                ),
            ]),
        })
        .collect()
}

fn ours(url: &str, stream: &str, events: &[CloudEvent], batch: usize) -> (f64, f64) {
    let config = StreamConfig::new(url, stream)
        .with_group("bench")
        .with_batch_size(batch)
        .with_block(Duration::from_millis(10));
    let mut bus = EventStream::connect(config).unwrap();
    let t = Instant::now();
    for chunk in events.chunks(batch) {
        bus.publish(chunk, Utc::now()).unwrap();
    }
    let publish = events.len() as f64 / t.elapsed().as_secs_f64();
    let t = Instant::now();
    let mut got = 0;
    while got < events.len() {
        let deliveries = bus.read().unwrap();
        let ids: Vec<&str> = deliveries.iter().map(|d| d.entry_id.as_str()).collect();
        bus.ack(&ids).unwrap();
        got += deliveries.len();
    }
    (publish, events.len() as f64 / t.elapsed().as_secs_f64())
}

fn raw(url: &str, stream: &str, events: &[CloudEvent], batch: usize) -> (f64, f64) {
    let mut conn = redis::Client::open(url).unwrap().get_connection().unwrap();
    let _: () = redis::cmd("XGROUP")
        .arg("CREATE")
        .arg(stream)
        .arg("bench")
        .arg("0")
        .arg("MKSTREAM")
        .query(&mut conn)
        .unwrap();
    let t = Instant::now();
    for chunk in events.chunks(batch) {
        let mut pipe = redis::pipe();
        for e in chunk {
            pipe.cmd("XADD")
                .arg(stream)
                .arg("*")
                .arg("id")
                .arg(&e.id)
                .arg("ce")
                .arg(e.to_json());
        }
        let _: Vec<String> = pipe.query(&mut conn).unwrap();
    }
    let publish = events.len() as f64 / t.elapsed().as_secs_f64();
    let t = Instant::now();
    let mut got = 0;
    while got < events.len() {
        let reply: redis::streams::StreamReadReply = redis::cmd("XREADGROUP")
            .arg("GROUP")
            .arg("bench")
            .arg("c")
            .arg("COUNT")
            .arg(batch)
            .arg("STREAMS")
            .arg(stream)
            .arg(">")
            .query(&mut conn)
            .unwrap();
        let ids: Vec<String> = reply
            .keys
            .into_iter()
            .flat_map(|k| k.ids)
            .map(|e| e.id)
            .collect();
        let _: usize = redis::cmd("XACK")
            .arg(stream)
            .arg("bench")
            .arg(&ids)
            .query(&mut conn)
            .unwrap();
        got += ids.len();
    }
    let _: () = redis::cmd("DEL").arg(stream).query(&mut conn).unwrap();
    (publish, events.len() as f64 / t.elapsed().as_secs_f64())
}

fn main() {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(3);
    let n: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(20_000);
    let url = std::env::var("ARICHAT_REDIS_URL")
        .expect("ARICHAT_REDIS_URL (eval \"$(scripts/redis-server.sh start)\")");
    let events = events(n);
    for round in 1..=rounds {
        for batch in [1, 100, 1000] {
            let stream = format!("arichat-bench:{}:{round}:{batch}", std::process::id());
            let (bp, bc) = raw(&url, &format!("{stream}:raw"), &events, batch);
            let (op, oc) = ours(&url, &stream, &events, batch);
            let mut conn = redis::Client::open(url.as_str())
                .unwrap()
                .get_connection()
                .unwrap();
            let _: () = redis::cmd("DEL").arg(&stream).query(&mut conn).unwrap();
            println!(
                "round {round} batch {batch:>4}: publish {:>7.0}/s (raw {:>7.0}/s, ratio {:.2}); consume+ack {:>7.0}/s (raw {:>7.0}/s, ratio {:.2})",
                op, bp, op / bp, oc, bc, oc / bc
            );
        }
    }
}
