//! Building `unsupported` events: what arichat does not map is kept, never dropped.

use arichat_core::{Channel, ChannelAccountId, Event, EventKind};
use sha2::{Digest, Sha256};

use crate::NormalizeOptions;

/// An unsupported event for one raw item. The idempotency key hashes the item's JSON,
/// so a redelivered unknown item is still recognised.
pub(crate) fn event(
    channel: Channel,
    account: ChannelAccountId,
    vendor_kind: &str,
    raw: serde_json::Value,
    options: &NormalizeOptions,
) -> Event {
    let mut hasher = HashWriter(Sha256::new());
    // Serializing a `Value` into memory cannot fail.
    let _ = serde_json::to_writer(&mut hasher, &raw);
    let digest = hasher.0.finalize();
    Event {
        idempotency_key: format!(
            "{channel}:{account}:unsupported:{}",
            hex::encode(&digest[..16])
        ),
        channel,
        channel_account_id: account,
        tenant_id: None,
        contact: None,
        occurred_at: options.received_at,
        kind: EventKind::Unsupported {
            vendor_kind: vendor_kind.to_owned(),
            raw,
        },
    }
}

/// Feeds serialized JSON straight into the hash, without building the string.
struct HashWriter(Sha256);

impl std::io::Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
