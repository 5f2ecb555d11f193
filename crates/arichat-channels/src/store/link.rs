//! One connection to Redis, shared by every store here: opening it with timeouts,
//! running a command (reconnecting and retrying once after a dropped connection), and
//! turning Redis's failures into [`CoreError::StoreUnavailable`] without the URL or
//! the password.

use std::time::Duration;

use arichat_core::CoreError;
use redis::{Client, Connection, ConnectionAddr, RedisError};
use secrecy::ExposeSecret;

use super::redis_config::RedisConfig;

/// A Redis client and its connection, opened on demand.
pub(crate) struct RedisLink {
    client: Client,
    conn: Option<Connection>,
    /// `host:port` (or the socket path): what error messages and `Debug` name.
    endpoint: String,
    connect_timeout: Duration,
    io_timeout: Duration,
}

impl RedisLink {
    /// Checks the URL and the timeouts of `config` and connects, so that a worker
    /// started without a reachable Redis fails at once. `what` names the store in
    /// configuration errors.
    ///
    /// # Errors
    /// [`CoreError::InvalidConfig`] for a URL Redis cannot read or a zero timeout;
    /// [`CoreError::StoreUnavailable`] when Redis cannot be reached or refuses the
    /// credentials.
    pub(crate) fn connect(config: &RedisConfig, what: &'static str) -> Result<Self, CoreError> {
        let url = config.url.expose_secret();
        let client = Client::open(url).map_err(|e| CoreError::InvalidConfig {
            what: "redis url",
            reason: redact(&e.to_string(), url, None),
        })?;
        let zero = |name: &'static str| CoreError::InvalidConfig {
            what,
            reason: format!("{name} must be greater than zero"),
        };
        if config.connect_timeout.is_zero() {
            return Err(zero("connect_timeout"));
        }
        if config.io_timeout.is_zero() {
            return Err(zero("io_timeout"));
        }
        let endpoint = match client.get_connection_info().addr() {
            ConnectionAddr::Tcp(host, port) => format!("{host}:{port}"),
            ConnectionAddr::TcpTls { host, port, .. } => format!("{host}:{port}"),
            ConnectionAddr::Unix(path) => path.display().to_string(),
            _ => "redis".to_owned(),
        };
        let mut link = RedisLink {
            client,
            conn: None,
            endpoint,
            connect_timeout: config.connect_timeout,
            io_timeout: config.io_timeout,
        };
        link.conn = Some(link.open()?);
        Ok(link)
    }

    /// `host:port` or the socket path.
    pub(crate) fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The database number of the URL.
    pub(crate) fn db(&self) -> i64 {
        self.client.get_connection_info().redis_settings().db()
    }

    /// The connection timeouts, for `Debug`.
    pub(crate) fn timeouts(&self) -> (Duration, Duration) {
        (self.connect_timeout, self.io_timeout)
    }

    /// Whether a connection is open (the last command did not fail).
    pub(crate) fn is_connected(&self) -> bool {
        self.conn.is_some()
    }

    fn open(&self) -> Result<Connection, CoreError> {
        // A connect interrupted by a signal (the host's SIGCHLD) is tried again, up to
        // three times; a refusal or a timeout is not.
        let mut attempt = 0;
        let conn = loop {
            attempt += 1;
            match self
                .client
                .get_connection_with_timeout(self.connect_timeout)
            {
                Ok(conn) => break conn,
                Err(e)
                    if attempt < 3
                        && e.is_io_error()
                        && !e.is_timeout()
                        && !e.is_connection_refusal() => {}
                Err(e) => return Err(self.unavailable("connect", &e)),
            }
        };
        conn.set_read_timeout(Some(self.io_timeout))
            .and_then(|()| conn.set_write_timeout(Some(self.io_timeout)))
            .map_err(|e| self.unavailable("connect", &e))?;
        Ok(conn)
    }

    /// Runs one command (or pipeline) on the connection, opening it first if an
    /// earlier failure dropped it. Any failure drops the connection: after a timeout
    /// its reply may still be in flight.
    ///
    /// An I/O failure other than a timeout (a connection reset, a read interrupted by
    /// a signal: Node and Python hosts receive `SIGCHLD`, and a socket read with a
    /// timeout is not restarted after a signal) is retried once on a new connection,
    /// so every command run here must be safe to run twice. A timeout is not retried,
    /// so a call never waits more than about twice the I/O timeout.
    pub(crate) fn run<T>(
        &mut self,
        command: &'static str,
        mut f: impl FnMut(&mut Connection) -> Result<T, RedisError>,
    ) -> Result<T, CoreError> {
        let mut conn = match self.conn.take() {
            Some(conn) => conn,
            None => self.open()?,
        };
        let mut result = f(&mut conn);
        if let Err(e) = &result {
            if e.is_io_error() && !e.is_timeout() {
                conn = self.open()?;
                result = f(&mut conn);
            }
        }
        match result {
            Ok(value) => {
                self.conn = Some(conn);
                Ok(value)
            }
            Err(e) => Err(self.unavailable(command, &e)),
        }
    }

    fn unavailable(&self, command: &str, err: &RedisError) -> CoreError {
        let info = self.client.get_connection_info().redis_settings();
        let detail = redact(&err.to_string(), "", info.password());
        CoreError::StoreUnavailable(format!("redis at {} ({command}): {detail}", self.endpoint))
    }
}

/// Removes the URL and the password from a message, should a library ever quote them.
fn redact(message: &str, url: &str, password: Option<&str>) -> String {
    let mut out = message.to_owned();
    if !url.is_empty() {
        out = out.replace(url, "<redis url>");
    }
    if let Some(password) = password.filter(|p| !p.is_empty()) {
        out = out.replace(password, "<redacted>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_hides_url_and_password() {
        let url = "redis://:pw123@h:1/0";
        let msg = format!("could not use {url} with pw123");
        let out = redact(&msg, url, Some("pw123"));
        assert!(!out.contains("pw123"), "{out}");
        assert_eq!(out, "could not use <redis url> with <redacted>");
    }
}
