//! The Redis servers of the store tests: the shared one `scripts/redis-server.sh` starts
//! (`ARICHAT_REDIS_URL`, `ARICHAT_REDIS_SERVER`) and private ones a test may kill.
#![allow(dead_code)] // each test file uses some of these

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use chrono::Utc;

/// `$name` from the environment; when absent, `None` (skip) outside CI and a panic in CI.
pub fn required_env(name: &str) -> Option<String> {
    match std::env::var(name) {
        Ok(v) if !v.is_empty() => Some(v),
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("{name} is not set under CI=true: run through scripts/test, which starts redis-server")
        }
        _ => {
            eprintln!("note: {name} is not set (see scripts/redis-server.sh), skipping");
            None
        }
    }
}

/// A prefix no other test or run shares.
pub fn unique_prefix(test: &str) -> String {
    let nanos = Utc::now().timestamp_nanos_opt().unwrap_or_default();
    format!("arichat-test:{test}:{}:{nanos}:", std::process::id())
}

/// A loopback port nobody listens on (at the time of asking).
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// Connects to a loopback port nobody listens on, with a password in the URL: the
/// error must be `store_unavailable`, name the endpoint and never the password.
pub fn check_closed_port(connect: impl FnOnce(&str) -> arichat_core::CoreError) {
    let port = free_port();
    let err = connect(&format!("redis://:hunter2secret@127.0.0.1:{port}/0"));
    assert_eq!(err.code(), "store_unavailable", "{err}");
    let message = err.to_string();
    assert!(message.contains(&format!("127.0.0.1:{port}")), "{message}");
    assert!(!message.contains("hunter2secret"), "{message}");
}

/// A connection of the test itself, beside the store under test.
pub fn raw_connection(url: &str) -> redis::Connection {
    redis::Client::open(url).unwrap().get_connection().unwrap()
}

/// A private redis-server this test may kill.
pub struct PrivateServer {
    child: Child,
    pub url: String,
    pub port: u16,
}

impl PrivateServer {
    pub const PASSWORD: &'static str = "private-pw-4242";

    pub fn start(binary: &str, port: u16) -> PrivateServer {
        let child = Command::new(binary)
            .args(["--bind", "127.0.0.1", "--port", &port.to_string()])
            .args([
                "--requirepass",
                Self::PASSWORD,
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(Stdio::null())
            .spawn()
            .expect("start redis-server");
        let server = PrivateServer {
            child,
            url: format!("redis://:{}@127.0.0.1:{port}/0", Self::PASSWORD),
            port,
        };
        for _ in 0..200 {
            let ping = redis::Client::open(server.url.as_str())
                .and_then(|c| c.get_connection())
                .and_then(|mut c| redis::cmd("PING").query::<String>(&mut c));
            if ping.is_ok() {
                return server;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!("private redis-server on port {port} never answered");
    }

    pub fn kill(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for PrivateServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
