//! Moving money: internal operations only, for services with `wallet:write`; each
//! idempotent, each on the ledger.

use platform::testing::error_code;
use serde_json::json;

use crate::helpers::{admin, notification_service, spawn_app, transaction_service, user};

const TOPUP: &str =
    "mutation($w: String!, $a: Float!) { topupWallet(walletId: $w, amount: $a) { balance } }";
const DEDUCT: &str =
    "mutation($w: String!, $a: Float!) { deductWallet(walletId: $w, amount: $a) { balance } }";

#[tokio::test]
async fn users_even_admins_cannot_top_up_or_deduct_any_wallet() {
    let app = spawn_app().await;
    let naruto = user("naruto");
    let wallet = app.create_wallet(&naruto, "Tabungan").await;
    let vars = json!({ "w": wallet, "a": 1_000_000.0 });
    for (token, expected) in [
        (Some(naruto.as_str()), "FORBIDDEN"),
        (Some(admin().as_str()), "FORBIDDEN"),
        (Some(notification_service().as_str()), "FORBIDDEN"),
        (None, "UNAUTHENTICATED"),
    ] {
        for operation in [TOPUP, DEDUCT] {
            let body = app.graphql(token, operation, vars.clone()).await;
            assert_eq!(error_code(&body), expected, "{body}");
        }
    }
    assert_eq!(app.balance(&wallet).await, 0, "nobody minted money");
    assert_eq!(app.assert_ledger_consistent().await, 0);
}

#[tokio::test]
async fn amounts_that_are_not_positive_whole_rupiah_are_refused() {
    let app = spawn_app().await;
    let wallet = app.create_wallet(&user("naruto"), "Tabungan").await;
    for amount in [0.0, -5.0, 10.5, 0.01, 2e12] {
        let body = app
            .graphql(
                Some(&transaction_service()),
                TOPUP,
                json!({ "w": wallet, "a": amount }),
            )
            .await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{amount}: {body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], "amount");
    }
    assert_eq!(app.balance(&wallet).await, 0);
}

#[tokio::test]
async fn a_debit_beyond_the_balance_is_insufficient_funds_and_changes_nothing() {
    let app = spawn_app().await;
    let wallet = app.create_wallet(&user("naruto"), "Tabungan").await;
    app.topup(&wallet, 50_000.0, None).await;
    let body = app
        .graphql(
            Some(&transaction_service()),
            DEDUCT,
            json!({ "w": wallet, "a": 50_001.0 }),
        )
        .await;
    assert_eq!(error_code(&body), "INSUFFICIENT_FUNDS");
    assert_eq!(body["errors"][0]["extensions"]["balance"], 50_000);
    assert_eq!(app.balance(&wallet).await, 50_000);
    let ok = app
        .graphql(
            Some(&transaction_service()),
            DEDUCT,
            json!({ "w": wallet, "a": 50_000.0 }),
        )
        .await;
    assert_eq!(ok["data"]["deductWallet"]["balance"], 0.0, "{ok}");
    assert_eq!(app.assert_ledger_consistent().await, 0);
}

#[tokio::test]
async fn every_movement_is_on_the_ledger_with_the_balance_before_and_after() {
    let app = spawn_app().await;
    let naruto = user("naruto");
    let wallet = app.create_wallet(&naruto, "Tabungan").await;
    app.topup(&wallet, 100_000.0, None).await;
    app.graphql(
        Some(&transaction_service()),
        DEDUCT,
        json!({ "w": wallet, "a": 30_000.0 }),
    )
    .await;
    let body = app
        .graphql(
            Some(&naruto),
            "query($w: String!) { wallet(walletId: $w) { balance ledger { direction category amount balanceBefore balanceAfter } } }",
            json!({ "w": wallet }),
        )
        .await;
    assert_eq!(
        body["data"]["wallet"],
        json!({
            "balance": 70000.0,
            "ledger": [
                { "direction": "DEBIT", "category": "PAYMENT", "amount": 30000.0, "balanceBefore": 100000.0, "balanceAfter": 70000.0 },
                { "direction": "CREDIT", "category": "TOP_UP", "amount": 100000.0, "balanceBefore": 0.0, "balanceAfter": 100000.0 }
            ]
        }),
        "{body}"
    );
}

#[tokio::test]
async fn a_transfer_moves_money_between_wallets_once_per_key() {
    let app = spawn_app().await;
    let from = app.create_wallet(&user("naruto"), "A").await;
    let to = app.create_wallet(&user("sasuke"), "B").await;
    app.topup(&from, 100_000.0, None).await;
    let input = json!({
        "idempotencyKey": "trx-1", "category": "TRANSFER", "amount": 40_000.0,
        "debitWalletId": from, "debitOwnerId": "naruto", "creditWalletId": to, "reference": "trx-1"
    });
    let first = app.post_movement(input.clone()).await;
    let posted = &first["data"]["postMovement"];
    assert_eq!(posted["state"], "APPLIED", "{first}");
    assert_eq!(posted["replayed"], false);
    assert_eq!(posted["debitBalance"], 60_000.0);
    assert_eq!(posted["creditBalance"], 40_000.0);

    let again = app.post_movement(input.clone()).await;
    assert_eq!(again["data"]["postMovement"]["replayed"], true, "{again}");
    assert_eq!(
        again["data"]["postMovement"]["movementId"],
        posted["movementId"]
    );
    assert_eq!(app.balance(&from).await, 60_000);
    assert_eq!(app.balance(&to).await, 40_000);

    let mut different = input;
    different["amount"] = json!(41_000.0);
    let conflict = app.post_movement(different).await;
    assert_eq!(error_code(&conflict), "CONFLICT");
    assert_eq!(app.balance(&from).await, 60_000);
    assert_eq!(
        app.assert_ledger_consistent().await,
        100_000,
        "a transfer conserves money"
    );
}

#[tokio::test]
async fn a_debit_for_a_user_who_does_not_own_the_wallet_is_refused() {
    let app = spawn_app().await;
    let victim = app.create_wallet(&user("naruto"), "A").await;
    let thief = app.create_wallet(&user("orochimaru"), "B").await;
    app.topup(&victim, 100_000.0, None).await;
    let body = app
        .post_movement(json!({
            "idempotencyKey": "steal", "category": "TRANSFER", "amount": 100_000.0,
            "debitWalletId": victim, "debitOwnerId": "orochimaru", "creditWalletId": thief
        }))
        .await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    assert_eq!(app.balance(&victim).await, 100_000);
    assert_eq!(app.balance(&thief).await, 0);
}

#[tokio::test]
async fn a_voided_key_can_never_be_posted_and_a_posted_key_is_not_voided() {
    let app = spawn_app().await;
    let wallet = app.create_wallet(&user("naruto"), "A").await;
    app.topup(&wallet, 10_000.0, Some("seed")).await;
    let void = "mutation($k: String!) { voidMovement(idempotencyKey: $k) { state amount } }";

    let voided = app
        .graphql(Some(&transaction_service()), void, json!({ "k": "lost" }))
        .await;
    assert_eq!(
        voided["data"]["voidMovement"]["state"], "VOIDED",
        "{voided}"
    );
    let late = app
        .post_movement(json!({
            "idempotencyKey": "lost", "category": "PAYMENT", "amount": 5_000.0, "debitWalletId": wallet
        }))
        .await;
    assert_eq!(error_code(&late), "CONFLICT");
    assert_eq!(app.balance(&wallet).await, 10_000);

    let kept = app
        .graphql(Some(&transaction_service()), void, json!({ "k": "seed" }))
        .await;
    assert_eq!(
        kept["data"]["voidMovement"],
        json!({ "state": "APPLIED", "amount": 10000.0 })
    );
    assert_eq!(app.balance(&wallet).await, 10_000);

    let found = app
        .graphql(
            Some(&transaction_service()),
            "query($k: String!) { movement(idempotencyKey: $k) { state } }",
            json!({ "k": "lost" }),
        )
        .await;
    assert_eq!(found["data"]["movement"]["state"], "VOIDED");
}

#[tokio::test]
async fn a_repeated_top_up_with_its_key_credits_once() {
    let app = spawn_app().await;
    let wallet = app.create_wallet(&user("naruto"), "A").await;
    for _ in 0..3 {
        let body = app.topup(&wallet, 10_000.0, Some("deposit-7")).await;
        assert_eq!(body["data"]["topupWallet"]["balance"], 10_000.0, "{body}");
    }
    assert_eq!(app.balance(&wallet).await, 10_000);
}

#[tokio::test]
async fn a_movement_into_a_deleted_wallet_is_refused_and_nothing_moves() {
    let app = spawn_app().await;
    let sasuke = user("sasuke");
    let from = app.create_wallet(&user("naruto"), "A").await;
    let gone = app.create_wallet(&sasuke, "B").await;
    app.topup(&from, 100_000.0, None).await;
    let deleted = app
        .graphql(
            Some(&sasuke),
            "mutation($w: String!) { deleteWallet(walletId: $w) { success } }",
            json!({ "w": gone }),
        )
        .await;
    assert_eq!(
        deleted["data"]["deleteWallet"]["success"], true,
        "{deleted}"
    );

    let body = app
        .post_movement(json!({
            "idempotencyKey": "to-a-closed-wallet", "category": "TRANSFER", "amount": 40_000.0,
            "debitWalletId": from, "creditWalletId": gone
        }))
        .await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");
    assert_eq!(app.balance(&from).await, 100_000, "the debit was undone");
    assert_eq!(app.balance(&gone).await, 0);
    let found = app
        .graphql(
            Some(&transaction_service()),
            "query($k: String!) { movement(idempotencyKey: $k) { state } }",
            json!({ "k": "to-a-closed-wallet" }),
        )
        .await;
    assert_eq!(
        found["data"]["movement"],
        json!(null),
        "the key was not used up: {found}"
    );
    assert_eq!(app.assert_ledger_consistent().await, 100_000);
}
