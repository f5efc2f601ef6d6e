//! E-money limits by KYC level (PBI 23/6/PBI/2021): a credit that would cross the
//! owner's balance cap or monthly incoming cap is `LIMIT_EXCEEDED`.

use platform::events::{Envelope, NewEvent};
use platform::testing::error_code;
use serde_json::json;

use crate::helpers::{spawn_app, transaction_service, user};

#[tokio::test]
async fn an_unverified_owner_holds_at_most_two_million_over_all_wallets() {
    let app = spawn_app().await;
    let naruto = user("naruto");
    let first = app.create_wallet(&naruto, "A").await;
    let second = app.create_wallet(&naruto, "B").await;
    app.topup(&first, 1_500_000.0, None).await;
    let over = app.topup(&second, 500_001.0, None).await;
    assert_eq!(error_code(&over), "LIMIT_EXCEEDED", "{over}");
    assert_eq!(over["errors"][0]["extensions"]["limit"], 2_000_000);
    assert_eq!(app.balance(&second).await, 0);
    let exact = app.topup(&second, 500_000.0, None).await;
    assert_eq!(
        exact["data"]["topupWallet"]["balance"], 500_000.0,
        "{exact}"
    );
}

#[tokio::test]
async fn moving_money_between_ones_own_wallets_is_not_incoming() {
    let app = spawn_app().await;
    let naruto = user("naruto");
    let first = app.create_wallet(&naruto, "A").await;
    let second = app.create_wallet(&naruto, "B").await;
    app.topup(&first, 2_000_000.0, None).await;
    let body = app
        .post_movement(json!({
            "idempotencyKey": "own", "category": "TRANSFER", "amount": 2_000_000.0,
            "debitWalletId": first, "creditWalletId": second
        }))
        .await;
    assert_eq!(body["data"]["postMovement"]["state"], "APPLIED", "{body}");
}

#[tokio::test]
async fn the_monthly_incoming_limit_counts_what_was_received_and_resets_next_month() {
    let app = spawn_app_with_small_monthly_limit().await;
    let naruto = user("naruto");
    let wallet = app.create_wallet(&naruto, "A").await;
    let deduct =
        "mutation($w: String!, $a: Float!) { deductWallet(walletId: $w, amount: $a) { balance } }";
    app.topup(&wallet, 300_000.0, None).await;
    app.graphql(
        Some(&app.service_token()),
        deduct,
        json!({ "w": wallet, "a": 300_000.0 }),
    )
    .await;
    app.topup(&wallet, 200_000.0, None).await;
    // 500,000 received this month: the limit, though the balance is low.
    let over = app.topup(&wallet, 1.0, None).await;
    assert_eq!(error_code(&over), "LIMIT_EXCEEDED", "{over}");
    app.clock.advance(chrono::Duration::days(32));
    let next_month = app.topup(&wallet, 100_000.0, None).await;
    assert_eq!(
        next_month["data"]["topupWallet"]["balance"], 300_000.0,
        "{next_month}"
    );
}

async fn spawn_app_with_small_monthly_limit() -> crate::helpers::TestApp {
    crate::helpers::spawn_app_with(|c| c.wallet.unverified_monthly_incoming = 500_000).await
}

#[tokio::test]
async fn a_transfer_into_a_full_wallet_is_refused_and_the_sender_keeps_the_money() {
    let app = spawn_app().await;
    let from = app.create_wallet(&user("naruto"), "A").await;
    let to = app.create_wallet(&user("sasuke"), "B").await;
    app.topup(&from, 1_000_000.0, None).await;
    app.topup(&to, 1_900_000.0, None).await;
    let body = app
        .post_movement(json!({
            "idempotencyKey": "too-much", "category": "TRANSFER", "amount": 200_000.0,
            "debitWalletId": from, "creditWalletId": to
        }))
        .await;
    assert_eq!(error_code(&body), "LIMIT_EXCEEDED");
    assert_eq!(app.balance(&from).await, 1_000_000);
    assert_eq!(app.balance(&to).await, 1_900_000);
}

#[tokio::test]
async fn a_merchant_settlement_wallet_has_no_personal_limits() {
    let app = spawn_app().await;
    let shop = app.create_wallet(&user("tokoku"), "Settlement").await;
    let designated = app
        .graphql(
            Some(&transaction_service()),
            "mutation($w: String!) { designateMerchantWallet(walletId: $w) { kind } }",
            json!({ "w": shop }),
        )
        .await;
    assert_eq!(
        designated["data"]["designateMerchantWallet"]["kind"], "MERCHANT",
        "{designated}"
    );
    let body = app.topup(&shop, 30_000_000.0, None).await;
    assert_eq!(
        body["data"]["topupWallet"]["balance"], 30_000_000.0,
        "{body}"
    );
}

#[tokio::test]
async fn a_verified_kyc_event_raises_the_owners_limits() {
    let app = spawn_app().await;
    let naruto = user("naruto");
    let wallet = app.create_wallet(&naruto, "A").await;
    let refused = app.topup(&wallet, 5_000_000.0, None).await;
    assert_eq!(error_code(&refused), "LIMIT_EXCEEDED");

    let event = Envelope {
        id: uuid::Uuid::now_v7().to_string(),
        topic: wallet::domain::kyc::KYC_TOPIC.into(),
        source: "auth".into(),
        aggregate_id: "naruto".into(),
        occurred_at: chrono::Utc::now(),
        payload: NewEvent::new("", "", json!({ "user_id": "naruto", "level": "VERIFIED" })).payload,
    };
    app.bus
        .publish(&event)
        .await
        .expect("the wallet consumes it");
    // Published twice (at-least-once delivery): processed once, no harm.
    app.bus.publish(&event).await.expect("redelivery is fine");

    let body = app.topup(&wallet, 5_000_000.0, None).await;
    assert_eq!(
        body["data"]["topupWallet"]["balance"], 5_000_000.0,
        "{body}"
    );
    let limits = app
        .graphql(
            Some(&naruto),
            r#"query($r: [_Any!]!) { _entities(representations: $r) { ... on User { walletLimits { kycLevel maxBalance } } } }"#,
            json!({ "r": [{ "__typename": "User", "user_id": "naruto" }] }),
        )
        .await;
    assert_eq!(
        limits["data"]["_entities"][0]["walletLimits"],
        json!({ "kycLevel": "VERIFIED", "maxBalance": 20000000.0 })
    );
}
