//! Opening, listing, reading and closing wallets: only ever the caller's own.

use platform::testing::error_code;
use serde_json::json;

use crate::helpers::{admin, spawn_app, user};

#[tokio::test]
async fn a_user_creates_a_wallet_and_sees_it_with_a_zero_balance() {
    let app = spawn_app().await;
    let naruto = user("naruto");
    let body = app
        .graphql(
            Some(&naruto),
            r#"mutation { createWallet(walletName: "Tabungan Utama") { walletId userId walletName balance status } }"#,
            json!({}),
        )
        .await;
    let created = &body["data"]["createWallet"];
    assert_eq!(created["userId"], "naruto", "{body}");
    assert_eq!(created["walletName"], "Tabungan Utama");
    assert_eq!(created["balance"], 0.0);
    assert_eq!(created["status"], "ACTIVE");

    let listed = app
        .graphql(
            Some(&naruto),
            "{ myWallets { walletId walletName balance status } }",
            json!({}),
        )
        .await;
    assert_eq!(
        listed["data"]["myWallets"].as_array().map(Vec::len),
        Some(1),
        "{listed}"
    );
    assert_eq!(
        listed["data"]["myWallets"][0]["walletId"],
        created["walletId"]
    );
}

#[tokio::test]
async fn wallets_need_a_signed_in_user() {
    let app = spawn_app().await;
    let body = app
        .graphql(
            None,
            r#"mutation { createWallet(walletName: "x") { walletId } }"#,
            json!({}),
        )
        .await;
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
    let body = app
        .graphql(None, "{ myWallets { walletId } }", json!({}))
        .await;
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
}

#[tokio::test]
async fn a_bad_wallet_name_is_refused_and_nothing_is_created() {
    let app = spawn_app().await;
    let naruto = user("naruto");
    for name in ["   ", &"x".repeat(51)] {
        let body = app
            .graphql(
                Some(&naruto),
                "mutation($n: String!) { createWallet(walletName: $n) { walletId } }",
                json!({ "n": name }),
            )
            .await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT");
        assert_eq!(body["errors"][0]["extensions"]["field"], "walletName");
    }
    let listed = app
        .graphql(Some(&naruto), "{ myWallets { walletId } }", json!({}))
        .await;
    assert_eq!(listed["data"]["myWallets"], json!([]));
}

#[tokio::test]
async fn a_user_may_open_at_most_the_configured_number_of_wallets() {
    let app = crate::helpers::spawn_app_with(|c| c.wallet.max_wallets_per_user = 2).await;
    let naruto = user("naruto");
    app.create_wallet(&naruto, "one").await;
    app.create_wallet(&naruto, "two").await;
    let body = app
        .graphql(
            Some(&naruto),
            r#"mutation { createWallet(walletName: "three") { walletId } }"#,
            json!({}),
        )
        .await;
    assert_eq!(error_code(&body), "LIMIT_EXCEEDED");
}

#[tokio::test]
async fn another_users_wallet_can_be_neither_read_nor_deleted() {
    let app = spawn_app().await;
    let naruto = user("naruto");
    let sasuke = user("sasuke");
    let wallet = app.create_wallet(&naruto, "Tabungan").await;

    let read = app
        .graphql(
            Some(&sasuke),
            "query($w: String!) { wallet(walletId: $w) { balance } }",
            json!({ "w": wallet }),
        )
        .await;
    assert_eq!(error_code(&read), "NOT_FOUND");
    let entity = app
        .graphql(
            Some(&sasuke),
            r#"query($r: [_Any!]!) { _entities(representations: $r) { ... on Wallet { balance } } }"#,
            json!({ "r": [{ "__typename": "Wallet", "walletId": wallet }] }),
        )
        .await;
    assert_eq!(error_code(&entity), "NOT_FOUND", "{entity}");
    let through_user = app
        .graphql(
            Some(&sasuke),
            r#"query($r: [_Any!]!) { _entities(representations: $r) { ... on User { wallets { walletId } } } }"#,
            json!({ "r": [{ "__typename": "User", "user_id": "naruto" }] }),
        )
        .await;
    assert_eq!(error_code(&through_user), "FORBIDDEN", "{through_user}");

    let deleted = app
        .graphql(
            Some(&sasuke),
            "mutation($w: String!) { deleteWallet(walletId: $w) { success } }",
            json!({ "w": wallet }),
        )
        .await;
    assert_eq!(error_code(&deleted), "NOT_FOUND");
    assert_eq!(app.balance(&wallet).await, 0);
    let still = app
        .graphql(Some(&naruto), "{ myWallets { walletId } }", json!({}))
        .await;
    assert_eq!(still["data"]["myWallets"][0]["walletId"], wallet.as_str());

    // An admin may read it.
    let by_admin = app
        .graphql(
            Some(&admin()),
            "query($w: String!) { wallet(walletId: $w) { userId } }",
            json!({ "w": wallet }),
        )
        .await;
    assert_eq!(by_admin["data"]["wallet"]["userId"], "naruto", "{by_admin}");
}

#[tokio::test]
async fn the_owner_deletes_an_empty_wallet_but_not_one_holding_money() {
    let app = spawn_app().await;
    let naruto = user("naruto");
    let wallet = app.create_wallet(&naruto, "Tabungan").await;
    app.topup(&wallet, 1_000.0, None).await;

    let refused = app
        .graphql(
            Some(&naruto),
            "mutation($w: String!) { deleteWallet(walletId: $w) { success message } }",
            json!({ "w": wallet }),
        )
        .await;
    assert_eq!(error_code(&refused), "CONFLICT");
    assert!(
        refused["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("Rp 1.000")
    );

    let empty = app.create_wallet(&naruto, "Kosong").await;
    let deleted = app
        .graphql(
            Some(&naruto),
            "mutation($w: String!) { deleteWallet(walletId: $w) { success message walletId } }",
            json!({ "w": empty }),
        )
        .await;
    assert_eq!(
        deleted["data"]["deleteWallet"]["success"], true,
        "{deleted}"
    );
    assert_eq!(deleted["data"]["deleteWallet"]["walletId"], empty.as_str());
    let listed = app
        .graphql(Some(&naruto), "{ myWallets { walletId } }", json!({}))
        .await;
    assert_eq!(listed["data"]["myWallets"], json!([{ "walletId": wallet }]));

    // A closed wallet takes no money.
    let credit = app.topup(&empty, 500.0, None).await;
    assert_eq!(error_code(&credit), "CONFLICT", "{credit}");
}

#[tokio::test]
async fn the_user_entity_lists_the_users_own_wallets_and_limits() {
    let app = spawn_app().await;
    let naruto = user("naruto");
    let wallet = app.create_wallet(&naruto, "Tabungan").await;
    app.topup(&wallet, 250_000.0, None).await;
    let body = app
        .graphql(
            Some(&naruto),
            r#"query($r: [_Any!]!) { _entities(representations: $r) { ... on User {
                wallets { walletId balance }
                walletLimits { kycLevel maxBalance monthlyIncomingLimit totalBalance incomingThisMonth }
            } } }"#,
            json!({ "r": [{ "__typename": "User", "user_id": "naruto" }] }),
        )
        .await;
    let user = &body["data"]["_entities"][0];
    assert_eq!(
        user["wallets"],
        json!([{ "walletId": wallet, "balance": 250000.0 }]),
        "{body}"
    );
    assert_eq!(
        user["walletLimits"],
        json!({
            "kycLevel": "UNVERIFIED",
            "maxBalance": 2000000.0,
            "monthlyIncomingLimit": 20000000.0,
            "totalBalance": 250000.0,
            "incomingThisMonth": 250000.0
        })
    );
}
