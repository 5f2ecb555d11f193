//! Building `unsupported` and `invalid_item` events: what arichat does not map, or
//! cannot read, is kept, never dropped.

use arichat_core::{Channel, ChannelAccountId, Event, EventKind, RawJson};
use chrono::{DateTime, Utc};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

use crate::key::KeyBuilder;
use crate::NormalizeOptions;

/// An unsupported event for one raw item. The idempotency key hashes the item's JSON
/// in canonical form ([`crate::canonical`]), so a redelivered unknown item is still
/// recognised; `occurred_at` is the time the
/// payload carries (an entry `time`, an item `timestamp`, a Telegram `date`), so a
/// redelivered body gives an identical event. Only a payload without any time falls
/// back to [`NormalizeOptions::received_at`].
pub(crate) fn event(
    channel: Channel,
    account: ChannelAccountId,
    vendor_kind: &str,
    raw: RawJson,
    occurred_at: Option<DateTime<Utc>>,
    options: &NormalizeOptions,
) -> Event {
    // The canonical text (what the item's `Value` writes), so that a key stays what it
    // was before items were kept as text. Text a `Value` cannot hold (a number past
    // `f64`) fails here, as it would fail `RawJson::checked`: then the item is kept as
    // a JSON string of its text, whose canonical text is itself.
    let mut raw = raw;
    let mut canonical = Vec::with_capacity(raw.get().len() + 2);
    if crate::canonical::write(raw.get(), &mut canonical).is_err() {
        raw = RawJson::of(raw.get());
        canonical = raw.get().as_bytes().to_vec();
    }
    keyed_unsupported(
        channel,
        account,
        vendor_kind,
        raw,
        &canonical,
        occurred_at,
        options,
    )
}

/// A piece of a body kept whole: an unsupported event with its text when it reads as
/// a `Value` would, else an `invalid_item` event with the reason (a number past
/// `f64`, nesting too deep). One pass: the canonical text that keys the event is the
/// check.
pub(crate) fn kept(
    channel: Channel,
    account: ChannelAccountId,
    vendor_kind: &str,
    raw: &RawValue,
    occurred_at: Option<DateTime<Utc>>,
    options: &NormalizeOptions,
) -> Event {
    let mut canonical = Vec::with_capacity(raw.get().len());
    match crate::canonical::write(raw.get(), &mut canonical) {
        Ok(()) => keyed_unsupported(
            channel,
            account,
            vendor_kind,
            RawJson::copy_of(raw),
            &canonical,
            occurred_at,
            options,
        ),
        Err(e) => {
            let reason = crate::json::reason(&e, raw.get());
            invalid(
                channel,
                account,
                vendor_kind,
                reason,
                raw.get(),
                occurred_at,
                options,
            )
        }
    }
}

/// The unsupported event of `raw`, keyed by the hash of its canonical text.
fn keyed_unsupported(
    channel: Channel,
    account: ChannelAccountId,
    vendor_kind: &str,
    raw: RawJson,
    canonical: &[u8],
    occurred_at: Option<DateTime<Utc>>,
    options: &NormalizeOptions,
) -> Event {
    let mut hasher = HashWriter::default();
    // Writing into memory cannot fail.
    let _ = std::io::Write::write_all(&mut hasher, canonical);
    let kind = EventKind::Unsupported {
        vendor_kind: vendor_kind.to_owned(),
        raw,
    };
    keyed(
        channel,
        account,
        "unsupported",
        hasher,
        kind,
        occurred_at,
        options,
    )
}

/// An `invalid_item` event for one item that did not read: its raw text and why.
/// The idempotency key hashes the text, so a redelivered item is still recognised;
/// `occurred_at` as for [`event`].
pub(crate) fn invalid(
    channel: Channel,
    account: ChannelAccountId,
    vendor_kind: &str,
    reason: String,
    raw: &str,
    occurred_at: Option<DateTime<Utc>>,
    options: &NormalizeOptions,
) -> Event {
    let mut hasher = HashWriter::default();
    std::io::Write::write_all(&mut hasher, raw.as_bytes()).unwrap_or_default();
    let kind = EventKind::InvalidItem {
        vendor_kind: vendor_kind.to_owned(),
        reason,
        raw: raw.to_owned(),
    };
    keyed(
        channel,
        account,
        "invalid",
        hasher,
        kind,
        occurred_at,
        options,
    )
}

/// The event, keyed `<channel>:<account>:<tag>:<hash>`.
fn keyed(
    channel: Channel,
    account: ChannelAccountId,
    tag: &str,
    hasher: HashWriter,
    kind: EventKind,
    occurred_at: Option<DateTime<Utc>>,
    options: &NormalizeOptions,
) -> Event {
    let digest = hasher.finish();
    // Written a byte at a time into room made once: `hex::encode` collects its `String`
    // from a `char` iterator, which cost as much as hashing a small item (callgrind).
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut hash = String::with_capacity(32);
    for b in &digest[..16] {
        hash.push(char::from(DIGITS[usize::from(b >> 4)]));
        hash.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    let key = KeyBuilder::new(channel, account.as_str(), tag.len() + hash.len() + 2)
        .part(tag)
        .part(&hash)
        .finish();
    let at = occurred_at.unwrap_or(options.received_at);
    Event::new(key, channel, account, None, at, kind)
}

/// Feeds serialized JSON into the hash without building the whole string.
///
/// `serde_json` writes a token at a time (a quote, a key, a colon); handing each piece
/// to SHA-256 on its own costs more than the hashing. Pieces are gathered in a small
/// buffer and hashed a buffer at a time: same bytes, same digest.
struct HashWriter {
    sha: Sha256,
    buf: [u8; 512],
    len: usize,
}

impl Default for HashWriter {
    fn default() -> Self {
        HashWriter {
            sha: Sha256::new(),
            buf: [0; 512],
            len: 0,
        }
    }
}

impl HashWriter {
    fn finish(mut self) -> sha2::digest::Output<Sha256> {
        self.sha.update(&self.buf[..self.len]);
        self.sha.finalize()
    }
}

impl std::io::Write for HashWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        if self.len + data.len() > self.buf.len() {
            self.sha.update(&self.buf[..self.len]);
            self.len = 0;
            if data.len() >= self.buf.len() {
                self.sha.update(data);
                return Ok(data.len());
            }
        }
        self.buf[self.len..self.len + data.len()].copy_from_slice(data);
        self.len += data.len();
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
