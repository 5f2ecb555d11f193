//! A Telegram reply bot by long polling: getUpdates → normalize → classify → reply.
//!
//! ```sh
//! ARICHAT_TOKEN=123456:ABC... cargo run -p arichat-channels --features client --example telegram_reply_bot
//! ```
//! `ARICHAT_API_BASE` points it at another Bot API server (a local one, or a test
//! double); `ARICHAT_MAX_UPDATES` stops it after that many updates.

use arichat_channels::client::{ChannelClient, PollOptions, TelegramClient, TelegramConfig};
use arichat_channels::outbound::{Outbound, ReplyButton, SendContext};
use arichat_channels::{normalize, NormalizeOptions};
use arichat_core::intent::{HybridClassifier, Intent, IntentClassifier};
use arichat_core::{
    ChannelAccountId, ContactId, Conversation, EventKind, MessageContent, TenantId,
};
use futures_util::StreamExt;

fn answer(intent: Intent) -> Outbound {
    match intent {
        Intent::PriceInquiry => Outbound::Buttons {
            body: "¡Con gusto! ¿Qué plan te interesa?".into(),
            buttons: vec![
                ReplyButton {
                    id: "plan_basico".into(),
                    title: "Básico".into(),
                },
                ReplyButton {
                    id: "plan_pro".into(),
                    title: "Pro".into(),
                },
            ],
        },
        Intent::OptOut => Outbound::text("Entendido, no te escribiremos más."),
        Intent::Support => Outbound::text("Lamentamos el problema. Un agente te atiende en breve."),
        _ => Outbound::text("¡Gracias por escribirnos! Un asesor te responde pronto."),
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut config = TelegramConfig::new(std::env::var("ARICHAT_TOKEN")?);
    if let Ok(base) = std::env::var("ARICHAT_API_BASE") {
        config.api_base = base;
    }
    let max: usize = std::env::var("ARICHAT_MAX_UPDATES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(usize::MAX);
    let bot = TelegramClient::new(config)?;
    let classifier = HybridClassifier::new();
    let mut updates = Box::pin(bot.updates(PollOptions::default()).take(max));
    while let Some(update) = updates.next().await {
        let update = match update {
            Ok(u) => u,
            Err(e) => {
                eprintln!("poll failed ({}): {e}", e.code());
                continue;
            }
        };
        let body = serde_json::to_vec(&update)?;
        let now = chrono::Utc::now();
        let events = normalize(
            arichat_core::Channel::Telegram,
            &body,
            &NormalizeOptions::new(now).with_account("bot"),
        )?;
        for event in events {
            let (EventKind::Message { content, .. }, Some(contact)) = (&event.kind, &event.contact)
            else {
                continue;
            };
            let (MessageContent::Text { body: text }
            | MessageContent::FormattedText { body: text, .. }) = content
            else {
                continue;
            };
            let chat = contact.identity.id();
            let c = classifier.classify(text);
            // Answer only what the classifier is sure of: a guess, or an opt-out that is
            // not explicit, gets the generic reply (an agent decides those).
            let intent = if c.uncertain || (c.primary == Intent::OptOut && !c.is_explicit_opt_out())
            {
                Intent::Other
            } else {
                c.primary
            };
            let mut conversation = Conversation::new(
                TenantId::new("demo"),
                event.channel,
                ChannelAccountId::new("bot"),
                ContactId::new(format!("telegram:{chat}")),
            );
            conversation.record_inbound(event.occurred_at);
            let ctx = SendContext::new(now);
            match bot.reply(&conversation, chat, &answer(intent), &ctx).await {
                Ok(receipt) => println!("{chat} → {intent}: sent {:?}", receipt.message_ids),
                Err(e) => eprintln!("{chat} → {intent}: {} ({e})", e.code()),
            }
        }
    }
    Ok(())
}
