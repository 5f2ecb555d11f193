//! The HTTP side: one route for outgoing webhooks and slash commands.

use std::sync::Arc;

use arichat_channels::mattermost::{Hook, HookKind, HookReply, ResponseType};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use crate::answer;
use crate::bot::{Bot, Outcome, RECORDED_EMOJI};

/// Where Mattermost posts: the outgoing webhook's and the slash command's URL.
pub const HOOK_PATH: &str = "/mattermost";

/// The routes: `POST /mattermost` (hooks), `GET /healthz`.
pub fn router(bot: Arc<Bot>) -> Router {
    Router::new()
        .route(HOOK_PATH, post(hook))
        .route("/healthz", get(|| async { "ok" }))
        .with_state(bot)
}

fn json(status: StatusCode, body: String) -> Response {
    (status, [(CONTENT_TYPE, "application/json")], body).into_response()
}

/// An outgoing webhook is answered through the API (a thread reply, a ✅ reaction when
/// recorded) and its HTTP response is `{}` (Mattermost then posts nothing more); a
/// slash command creates no post, so its answer is the HTTP response.
async fn hook(State(bot): State<Arc<Bot>>, headers: HeaderMap, body: Bytes) -> Response {
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let hook = match Hook::parse(&body, header(CONTENT_TYPE)) {
        Ok(hook) => hook,
        Err(e) => return (StatusCode::BAD_REQUEST, e.code()).into_response(),
    };
    if let Err(e) = bot.verify(&hook, header(AUTHORIZATION)) {
        return (StatusCode::UNAUTHORIZED, e.code()).into_response();
    }
    let outcome = bot.handle(&hook).await;
    let key = Bot::sale_key(&hook);
    let status = match &outcome {
        Outcome::Failed(e) => {
            eprintln!("sales-bot: {key}: failed: {e}");
            StatusCode::INTERNAL_SERVER_ERROR
        }
        Outcome::Recorded(_) => {
            eprintln!("sales-bot: {key}: recorded");
            StatusCode::OK
        }
        Outcome::Duplicate => {
            eprintln!("sales-bot: {key}: already recorded");
            StatusCode::OK
        }
        Outcome::Refused(_) => StatusCode::OK,
    };
    let text = answer::text(&outcome, bot.region());
    match hook.kind {
        HookKind::OutgoingWebhook => {
            if let Some(text) = text {
                answer_in_thread(&bot, &hook, &text, matches!(outcome, Outcome::Recorded(_))).await;
            }
            json(status, "{}".to_owned())
        }
        HookKind::SlashCommand => {
            let (text, shown) = match (&outcome, text) {
                (Outcome::Recorded(_), Some(text)) => (text, ResponseType::InChannel),
                (_, Some(text)) => (text, ResponseType::Ephemeral),
                (_, None) => (
                    "Esta venta ya estaba registrada.".to_owned(),
                    ResponseType::Ephemeral,
                ),
            };
            // Mattermost shows a non-2xx answer as a bare error: the failure is in the text.
            json(StatusCode::OK, HookReply::new(text, shown).to_json())
        }
    }
}

/// The reply in the post's thread, and the ✅ when the sale was recorded. Failures are
/// logged (secret-free): the sale stays recorded either way.
async fn answer_in_thread(bot: &Bot, hook: &Hook, text: &str, recorded: bool) {
    let post = &hook.post_id;
    if let Err(e) = bot
        .mattermost
        .reply_in_thread(&hook.channel_id, post, text)
        .await
    {
        eprintln!("sales-bot: post {post}: reply failed: {e}");
    }
    if recorded {
        if let Err(e) = bot.mattermost.add_reaction(post, RECORDED_EMOJI).await {
            eprintln!("sales-bot: post {post}: reaction failed: {e}");
        }
    }
}
