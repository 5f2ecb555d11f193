//! # arichat-sales-bot
//!
//! A runnable example of issue 17: a Mattermost sales bot. A seller posts
//! `@monto 1500 @cliente Juan @tubos 5` with a photo of the receipt (or runs
//! `/venta monto=1500 cliente="Juan" tubos=5`); Mattermost posts the outgoing webhook
//! (or the slash command) to `POST /mattermost`, and the bot
//!
//! 1. reads the body, form or JSON (`arichat_channels::mattermost::Hook::parse`), and
//!    checks its token in constant time against the configured ones
//!    (`verify::MattermostTokens`, several during a rotation): a wrong token is `401`
//!    and nothing else happens;
//! 2. parses the deal with the core's grammar (`arichat_core::deal`); a message with
//!    problems is answered with the core's Spanish messages (`falta @cliente`,
//!    `monto ambiguo: ¿1.5 o 1500?`) and not recorded;
//! 3. downloads the first attached file (`MattermostClient::download_file`), reads it
//!    with Tesseract (`arichat_deals::Tesseract`) and checks the total against the
//!    declared amount at 5 % (`money::check_receipt`). **A mismatch or an unreadable
//!    total is not recorded**: the reply gives both amounts and asks for a new post with
//!    the right amount or photo — a sale is only in the books with a receipt that
//!    agrees, or with no receipt at all (the reply then says nothing about one);
//! 4. computes the commission (`commission::CommissionRules`, from
//!    `examples/sales/commissions.toml`);
//! 5. records the sale in PostgreSQL (`arichat_deals::PgDeals`) keyed by the event's
//!    idempotency key `mattermost:<team>:post:<post_id>`;
//! 6. answers in the post's thread (`reply_in_thread`, root = the post) and reacts ✅
//!    (`white_check_mark`). A slash command creates no post: its answer is the HTTP
//!    response (`in_channel` when recorded, `ephemeral` otherwise).
//!
//! **A redelivered hook** finds its post recorded and does nothing visible: no second
//! row, no second reply, no second reaction (the first delivery answered; if that
//! answer was lost, the sale is still recorded once). A refused hook (mismatch,
//! problems) recorded nothing, so a redelivery is answered again.
//!
//! Several hooks are handled at once over a few PostgreSQL connections; several bot
//! processes can share one database (the store's writes are idempotent under
//! concurrency).

mod answer;
mod bot;
mod config;
mod error;
mod http;
mod pool;

pub use answer::text as answer_text;
pub use bot::{Bot, Outcome, Refusal, Sale, RECORDED_EMOJI};
pub use config::{env, Config};
pub use error::BotError;
pub use http::{router, HOOK_PATH};

use std::future::Future;
use std::sync::Arc;

/// Serves `bot` on `listener` until `shutdown` completes.
///
/// # Errors
/// [`BotError::Io`] when the listener fails.
pub async fn serve(
    listener: tokio::net::TcpListener,
    bot: Bot,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), BotError> {
    axum::serve(listener, router(Arc::new(bot)))
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}
