//! Passes of `normalize` over the bench's fixture corpora (BENCHMARKS.md, "Webhook
//! normalization"), counted two ways the load of a shared machine does not move the way
//! it moves wall-clock times: instructions (callgrind) and the thread's CPU time.
//!
//! ```text
//! cargo build --release -p arichat-channels --example normalize_passes
//! valgrind --tool=callgrind --toggle-collect='normalize_passes::pass' \
//!     target/release/examples/normalize_passes whatsapp normalize 10
//! target/release/examples/normalize_passes cpu 15
//! target/release/examples/normalize_passes bodies
//! ```
//!
//! Instructions: `whatsapp` or `telegram`; `normalize`, `value` (`serde_json::Value`)
//! or `tokenize` (`IgnoredAny`); passes (default 10). A warm-up pass runs first,
//! outside `pass` (phone validation is remembered per thread, as in the bench's steady
//! state), so divide the collected count by the passes given.
//!
//! `NORMALIZE_FIXTURES` names another fixtures directory (same layout).
//!
//! Per body: `bodies` times normalize and tokenize-only on each body alone (CPU time,
//! 300 calls each) and lists the 25 whose normalize costs most beyond 1/0.35 of their
//! tokenize-only time (issue 20 point 4's bound), with the corpus's total ratio.
//!
//! CPU time: `cpu` and rounds (default 15). Each round times 20 passes of each of the
//! three on each corpus, in turn, by the thread's CPU clock (time waiting for a core is
//! not counted), and prints the round's ratios; then the medians and ranges.
// One call to clock_gettime(CLOCK_THREAD_CPUTIME_ID) through libc.
#![allow(unsafe_code)]

use arichat_channels::{normalize, NormalizeOptions};
use arichat_core::Channel;

#[path = "common/fixture_bodies.rs"]
mod fixture_bodies;
#[path = "common/thread_cpu.rs"]
mod thread_cpu;

use fixture_bodies::bodies;
use thread_cpu::thread_cpu_ns;

/// One measured pass: what callgrind counts (the warm-up calls [`run`] directly).
#[inline(never)]
fn pass(channel: Channel, mode: &str, bodies: &[Vec<u8>], opts: &NormalizeOptions) {
    run(channel, mode, bodies, opts);
}

/// One pass of `mode` over every body.
fn run(channel: Channel, mode: &str, bodies: &[Vec<u8>], opts: &NormalizeOptions) {
    for body in bodies {
        match mode {
            "tokenize" => {
                std::hint::black_box(
                    serde_json::from_slice::<serde::de::IgnoredAny>(body).unwrap(),
                );
            }
            "value" => {
                std::hint::black_box(serde_json::from_slice::<serde_json::Value>(body).unwrap());
            }
            _ => {
                std::hint::black_box(normalize(channel, body, opts).unwrap());
            }
        }
    }
}

/// Microseconds of CPU per pass of `mode`, over `passes` passes.
fn cpu_per_pass(
    channel: Channel,
    mode: &str,
    bodies: &[Vec<u8>],
    opts: &NormalizeOptions,
    passes: u32,
) -> f64 {
    let start = thread_cpu_ns();
    for _ in 0..passes {
        run(channel, mode, bodies, opts);
    }
    (thread_cpu_ns() - start) as f64 / 1e3 / f64::from(passes)
}

fn median_and_range(mut v: Vec<f64>) -> String {
    v.sort_by(f64::total_cmp);
    format!("{:.3} ({:.3}–{:.3})", v[v.len() / 2], v[0], v[v.len() - 1])
}

/// Rounds of CPU time per pass, each corpus and mode in turn; ratios per round.
fn cpu(rounds: usize, opts: &NormalizeOptions) {
    for (channel, sub) in [
        (Channel::Whatsapp, "whatsapp"),
        (Channel::Telegram, "telegram"),
    ] {
        let bodies = bodies(channel, sub, opts);
        for mode in ["tokenize", "value", "normalize"] {
            run(channel, mode, &bodies, opts);
        }
        let (mut tok, mut val) = (Vec::new(), Vec::new());
        for round in 0..rounds {
            let t = cpu_per_pass(channel, "tokenize", &bodies, opts, 20);
            let v = cpu_per_pass(channel, "value", &bodies, opts, 20);
            let n = cpu_per_pass(channel, "normalize", &bodies, opts, 20);
            println!(
                "{sub} round {round}: tokenize {t:.1} µs, Value {v:.1} µs, normalize {n:.1} µs; \
                 tokenize/normalize {:.3}, Value/normalize {:.3}",
                t / n,
                v / n
            );
            tok.push(t / n);
            val.push(v / n);
        }
        println!(
            "{sub} ({} bodies, {rounds} rounds): tokenize/normalize {}, Value/normalize {}",
            bodies.len(),
            median_and_range(tok),
            median_and_range(val)
        );
    }
}

/// Issue 20 point 4: normalize should take at most 1/0.35 of tokenize-only's time.
const TOKENIZE_SHARE: f64 = 0.35;

/// Per body: CPU time of normalize and of tokenize-only, the bodies whose normalize
/// costs most beyond 1/[`TOKENIZE_SHARE`] of their tokenize first (where the time goes).
fn per_body(channel: Channel, sub: &str, opts: &NormalizeOptions) {
    let bodies = bodies(channel, sub, opts);
    let time = |mode: &str, body: &Vec<u8>| {
        let one = std::slice::from_ref(body);
        run(channel, mode, one, opts);
        cpu_per_pass(channel, mode, one, opts, 300)
    };
    let mut rows: Vec<(f64, f64, f64, usize)> = bodies
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let (t, n) = (time("tokenize", b), time("normalize", b));
            (n - t / TOKENIZE_SHARE, t, n, i)
        })
        .collect();
    let (tt, tn): (f64, f64) = rows.iter().fold((0.0, 0.0), |a, r| (a.0 + r.1, a.1 + r.2));
    println!(
        "{sub}: tokenize {tt:.1} µs, normalize {tn:.1} µs, ratio {:.3}",
        tt / tn
    );
    rows.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (excess, t, n, i) in rows.iter().take(25) {
        let text = String::from_utf8_lossy(&bodies[*i]);
        let squeezed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let head: String = squeezed.chars().take(150).collect();
        println!(
            "{excess:7.2} µs over  tok {t:6.2} norm {n:6.2} ratio {:.2} bytes {}  {head}",
            t / n,
            bodies[*i].len()
        );
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let first = args.next();
    if first.as_deref() == Some("bodies") {
        let opts = NormalizeOptions::new(chrono::Utc::now()).with_account("bench");
        per_body(Channel::Whatsapp, "whatsapp", &opts);
        per_body(Channel::Telegram, "telegram", &opts);
        return;
    }
    if first.as_deref() == Some("cpu") {
        let rounds = args.next().and_then(|r| r.parse().ok()).unwrap_or(15);
        cpu(
            rounds,
            &NormalizeOptions::new(chrono::Utc::now()).with_account("bench"),
        );
        return;
    }
    let mut args = std::env::args().skip(1);
    let (channel, sub) = match args.next().as_deref() {
        Some("telegram") => (Channel::Telegram, "telegram"),
        _ => (Channel::Whatsapp, "whatsapp"),
    };
    let mode = args.next().unwrap_or_else(|| "normalize".into());
    let passes: usize = args.next().and_then(|p| p.parse().ok()).unwrap_or(10);
    let opts = NormalizeOptions::new(chrono::Utc::now()).with_account("bench");
    let bodies = bodies(channel, sub, &opts);
    run(channel, &mode, &bodies, &opts);
    for _ in 0..passes {
        pass(channel, &mode, &bodies, &opts);
    }
    eprintln!("{} bodies, {passes} passes of {mode}", bodies.len());
}
