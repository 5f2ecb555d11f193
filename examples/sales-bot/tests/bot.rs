//! The sales bot end to end: the bot on a free port, a wiremock Mattermost API, the
//! real PostgreSQL (scripts/postgres-server.sh) and the real Tesseract
//! (scripts/tesseract.sh). Without them the tests skip loudly, unless the run requires
//! them (`ARICHAT_REQUIRE_POSTGRES=1`, `ARICHAT_REQUIRE_TESSERACT=1`, `CI=true`, as
//! scripts/test sets), then they fail.
//!
//! The receipt is `crates/arichat-cli/tests/data/receipt-co.png` (`TOTAL $ 1.500,00`,
//! drawn by arichat-deals' receipt renderer); the bot's region is EC, which writes US
//! dollars like that, the currency of `examples/sales/commissions.toml`.

mod world;

use arichat_deals::Tesseract;
use serde_json::{json, Value};
use world::{hook, tesseract, world, Row, BOT_USER, HOOK_TOKEN, RECEIPT_ID};

fn row(amount: i64, commission: i64, units: i32, seller: &str) -> Row {
    (
        amount,
        "USD".to_owned(),
        commission,
        units,
        seller.to_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_with_its_receipt_is_recorded_answered_and_marked_once() {
    let Some(tesseract) = tesseract() else { return };
    let Some(w) = world("receipt", tesseract).await else {
        return;
    };
    let fields = hook(
        "p1",
        "beto",
        "@monto 1500 @cliente Juan @tubos 5",
        RECEIPT_ID,
    );
    let res = w.post_form(&fields, None).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), "{}");
    // The seed's rule: $10 × (5 − 3) = $20.
    let key = "mattermost:t1:post:p1".to_owned();
    assert_eq!(
        w.rows().await,
        [(key.clone(), row(150_000, 2_000, 5, "beto"))]
    );
    let replies = w.replies_to("p1").await;
    assert_eq!(replies.len(), 1, "{replies:?}");
    assert!(
        replies[0].contains("Venta registrada: 1500 USD a Juan, 5 tubos"),
        "{}",
        replies[0]
    );
    assert!(replies[0].contains("Comisión: 20 USD"), "{}", replies[0]);
    assert!(
        replies[0].contains("Comprobante: 1500 USD, coincide"),
        "{}",
        replies[0]
    );
    let reaction = json!({"user_id": BOT_USER, "post_id": "p1", "emoji_name": "white_check_mark"});
    assert_eq!(w.sent("reactions").await, std::slice::from_ref(&reaction));

    // Redelivered, in the other encoding: one row, one reply, one reaction.
    assert_eq!(w.post_json(&fields).await.status(), 200);
    assert_eq!(w.rows().await, [(key, row(150_000, 2_000, 5, "beto"))]);
    assert_eq!(w.replies_to("p1").await.len(), 1);
    assert_eq!(w.sent("reactions").await, [reaction]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receipt_far_from_the_declared_amount_is_refused_and_not_recorded() {
    let Some(tesseract) = tesseract() else { return };
    let Some(w) = world("mismatch", tesseract).await else {
        return;
    };
    let fields = hook(
        "p9",
        "beto",
        "@monto 3000 @cliente Juan @tubos 5",
        RECEIPT_ID,
    );
    assert_eq!(w.post_json(&fields).await.status(), 200);
    let replies = w.replies_to("p9").await;
    assert_eq!(replies.len(), 1, "{replies:?}");
    assert!(
        replies[0].starts_with("No registré la venta: el comprobante dice 1500 USD y declaraste 3000 USD (diferencia -1500 USD, más del 5 %)"),
        "{}",
        replies[0]
    );
    assert!(w.rows().await.is_empty());
    assert!(w.sent("reactions").await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_hooks_and_slash_commands_record_with_each_sellers_terms() {
    let Some(w) = world("slash", Tesseract::new()).await else {
        return;
    };
    // No receipt; `1.500` is 1500 in EC; Ana's own terms: 1.5 % of the amount.
    let fields = hook("p2", "ana", "@monto 1.500 @cliente Pedro @tubos 12", "");
    assert_eq!(w.post_json(&fields).await.status(), 200);
    let replies = w.replies_to("p2").await;
    assert!(replies[0].contains("Comisión: 22,5 USD"), "{replies:?}");
    assert!(!replies[0].contains("Comprobante"), "{replies:?}");

    let slash = json!({
        "token": HOOK_TOKEN, "team_id": "t1", "channel_id": "c1", "user_id": "u2",
        "user_name": "beto", "command": "/venta", "text": "monto=1500 cliente=\"Juan\" tubos=12",
        "trigger_id": "tr1", "response_url": "http://mm.invalid/hooks/commands/x",
    });
    let res = w
        .post_form(&slash, Some(&format!("Token {HOOK_TOKEN}")))
        .await;
    assert_eq!(res.status(), 200);
    let answer: Value = res.json().await.unwrap();
    assert_eq!(answer["response_type"], "in_channel");
    // 10 × (12 − 3) = 90, and the volume bonus from 10 tubes: 5.
    assert!(
        answer["text"]
            .as_str()
            .unwrap()
            .contains("Comisión: 95 USD"),
        "{answer}"
    );
    // A slash command has no post to answer or mark.
    assert_eq!(w.sent("posts").await.len(), 1);
    assert_eq!(w.sent("reactions").await.len(), 1);
    assert_eq!(
        w.rows().await,
        [
            (
                "mattermost:t1:command:tr1".to_owned(),
                row(150_000, 9_500, 12, "beto")
            ),
            (
                "mattermost:t1:post:p2".to_owned(),
                row(150_000, 2_250, 12, "ana")
            ),
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_tokens_are_refused_before_anything_happens() {
    let Some(w) = world("token", Tesseract::new()).await else {
        return;
    };
    let mut fields = hook(
        "p3",
        "beto",
        "@monto 1500 @cliente Juan @tubos 5",
        RECEIPT_ID,
    );
    fields["token"] = json!("hook-token-guess");
    let res = w.post_form(&fields, None).await;
    assert_eq!(res.status(), 401);
    assert!(!res.text().await.unwrap().contains("guess"));
    // A good body token does not excuse a foreign header.
    fields["token"] = json!(HOOK_TOKEN);
    let res = w.post_form(&fields, Some("Token hook-token-guess")).await;
    assert_eq!(res.status(), 401);
    fields.as_object_mut().unwrap().remove("token");
    assert_eq!(w.post_json(&fields).await.status(), 401);
    assert!(w.rows().await.is_empty());
    assert!(w.mm.received_requests().await.unwrap().is_empty());
    // The old token still works during a rotation.
    fields["token"] = json!("hook-token-old");
    fields["file_ids"] = json!("");
    assert_eq!(w.post_json(&fields).await.status(), 200);
    assert_eq!(w.rows().await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_a_seller_can_fix_is_answered_in_spanish_and_not_recorded() {
    let Some(w) = world("problems", Tesseract::new()).await else {
        return;
    };
    w.post_form(&hook("p4", "beto", "@monto 1500 @tubos 5", ""), None)
        .await;
    w.post_form(
        &hook("p5", "beto", "@monto R$ 1500 @cliente Juan", ""),
        None,
    )
    .await;
    let missing = w.replies_to("p4").await;
    assert!(
        missing[0]
            .starts_with("No registré la venta: falta @cliente. Escribe por ejemplo `@monto 1500"),
        "{missing:?}"
    );
    let currency = w.replies_to("p5").await;
    assert!(currency[0].contains("el monto está en BRL"), "{currency:?}");
    assert!(w.rows().await.is_empty());
    assert!(w.sent("reactions").await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_hooks_of_different_posts_lose_nothing_and_double_nothing() {
    let Some(w) = world("concurrent", Tesseract::new()).await else {
        return;
    };
    let w = std::sync::Arc::new(w);
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..24_i64 {
        // Every post delivered twice at once, in both encodings.
        for json in [false, true] {
            let w = w.clone();
            tasks.spawn(async move {
                let fields = hook(
                    &format!("c{n:02}"),
                    &format!("seller{}", n % 3),
                    &format!("@monto {} @cliente C{n} @tubos {}", 100 + n, n % 8),
                    "",
                );
                let res = if json {
                    w.post_json(&fields).await
                } else {
                    w.post_form(&fields, None).await
                };
                assert_eq!(res.status(), 200);
            });
        }
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
    let rows = w.rows().await;
    assert_eq!(rows.len(), 24);
    for (n, (key, sale)) in rows.iter().enumerate() {
        let n = n as i64;
        assert_eq!(key, &format!("mattermost:t1:post:c{n:02}"));
        let units = n % 8;
        let commission = (units - 3).max(0) * 1_000;
        let seller = format!("seller{}", n % 3);
        assert_eq!(
            sale,
            &row((100 + n) * 100, commission, units as i32, &seller)
        );
    }
    assert_eq!(w.sent("posts").await.len(), 24);
    assert_eq!(w.sent("reactions").await.len(), 24);
}
