//! One trait to reply on any channel, window- and consent-aware.

use std::future::Future;
use std::pin::Pin;

use arichat_core::{Channel, Conversation};

use super::error::SendError;
use super::messenger::MessengerClient;
use super::telegram::TelegramClient;
use super::whatsapp::WhatsAppClient;
use crate::outbound::{preflight_thread, Delivery, Outbound, SendContext, Thread};

/// A boxed future, so [`ChannelClient`] works as `dyn ChannelClient`.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What any channel answers to a send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendReceipt {
    /// The channel.
    pub channel: Channel,
    /// The vendor's ids of the messages sent (WhatsApp `wamid`, Messenger `mid`,
    /// Telegram message id as text).
    pub message_ids: Vec<String>,
    /// How it went out.
    pub delivery: Delivery,
}

/// The one interface a host uses to answer a normalized conversation without knowing
/// the vendor. Implemented by [`WhatsAppClient`], [`MessengerClient`] (Messenger and
/// Instagram) and [`TelegramClient`].
///
/// ```no_run
/// # async fn run(conversation: arichat_core::Conversation, ledger: arichat_core::ConsentLedger) {
/// use arichat_channels::client::{ChannelClient, TelegramClient, TelegramConfig};
/// use arichat_channels::outbound::{Outbound, SendContext};
/// let client: Box<dyn ChannelClient> = Box::new(TelegramClient::new(TelegramConfig::new("123:abc")).unwrap());
/// let ctx = SendContext::new(chrono::Utc::now()).with_consent(&ledger);
/// match client.reply(&conversation, "42", &Outbound::text("¡Hola!"), &ctx).await {
///     Ok(receipt) => println!("sent {:?}", receipt.message_ids),
///     Err(e) => eprintln!("{}: {e}", e.code()),
/// }
/// # }
/// ```
pub trait ChannelClient: Send + Sync {
    /// The channel this client sends on.
    fn channel(&self) -> Channel;

    /// Sends `message` to `recipient` (wa_id, PSID/IGSID, chat id) as `delivery` says,
    /// with no checks. Prefer [`reply`](Self::reply).
    fn deliver<'a>(
        &'a self,
        recipient: &'a str,
        message: &'a Outbound,
        delivery: Delivery,
    ) -> BoxFuture<'a, Result<SendReceipt, SendError>>;

    /// Checks the send with [`preflight`](crate::outbound::preflight) (channel support, consent for marketing, the
    /// 24-hour window) and, when allowed, delivers it. A refused send fails fast with
    /// [`SendError::Policy`] before any request leaves.
    fn reply<'a>(
        &'a self,
        conversation: &'a Conversation,
        recipient: &'a str,
        message: &'a Outbound,
        ctx: &'a SendContext<'a>,
    ) -> BoxFuture<'a, Result<SendReceipt, SendError>> {
        self.reply_thread(Thread::of(conversation), recipient, message, ctx)
    }

    /// [`reply`](Self::reply) on a [`Thread`]: for a host that keeps no
    /// [`Conversation`], only the contact and when they last wrote.
    fn reply_thread<'a>(
        &'a self,
        thread: Thread<'a>,
        recipient: &'a str,
        message: &'a Outbound,
        ctx: &'a SendContext<'a>,
    ) -> BoxFuture<'a, Result<SendReceipt, SendError>> {
        Box::pin(async move {
            if thread.channel != self.channel() {
                return Err(SendError::InvalidRequest(format!(
                    "a {} conversation cannot be answered through the {} client",
                    thread.channel,
                    self.channel()
                )));
            }
            let delivery = preflight_thread(&thread, message, ctx)?;
            self.deliver(recipient, message, delivery).await
        })
    }
}

impl ChannelClient for WhatsAppClient {
    fn channel(&self) -> Channel {
        Channel::Whatsapp
    }

    fn deliver<'a>(
        &'a self,
        recipient: &'a str,
        message: &'a Outbound,
        delivery: Delivery,
    ) -> BoxFuture<'a, Result<SendReceipt, SendError>> {
        Box::pin(async move {
            let sent = self.send(recipient, message, None).await?;
            Ok(SendReceipt {
                channel: Channel::Whatsapp,
                message_ids: vec![sent.id],
                delivery,
            })
        })
    }
}

impl ChannelClient for MessengerClient {
    fn channel(&self) -> Channel {
        MessengerClient::channel(self)
    }

    fn deliver<'a>(
        &'a self,
        recipient: &'a str,
        message: &'a Outbound,
        delivery: Delivery,
    ) -> BoxFuture<'a, Result<SendReceipt, SendError>> {
        Box::pin(async move {
            let sent = self.send(recipient, message, delivery).await?;
            Ok(SendReceipt {
                channel: MessengerClient::channel(self),
                message_ids: sent.message_ids,
                delivery,
            })
        })
    }
}

impl ChannelClient for TelegramClient {
    fn channel(&self) -> Channel {
        Channel::Telegram
    }

    fn deliver<'a>(
        &'a self,
        recipient: &'a str,
        message: &'a Outbound,
        delivery: Delivery,
    ) -> BoxFuture<'a, Result<SendReceipt, SendError>> {
        Box::pin(async move {
            let sent = self.send(recipient, message, None).await?;
            Ok(SendReceipt {
                channel: Channel::Telegram,
                message_ids: vec![sent.message_id.to_string()],
                delivery,
            })
        })
    }
}
