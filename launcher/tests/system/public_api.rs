//! What the public API does not let a client do, even an admin: call the internal
//! operations (they are not in the supergraph's API), read or spend another user's
//! wallet. And the `Idempotency-Key` header reaches the transaction subgraph.

use serde_json::{Value, json};

use crate::helpers::{outcome, start};

#[tokio::test]
async fn internal_operations_are_not_in_the_public_api() {
    let system = start().await;
    let admin = system.admin().await;
    let customer = system.customer("kakashi").await;
    let wallet = system.open_wallet(&customer, "Utama").await;
    let internal = [
        format!(
            r#"mutation {{ topupWallet(walletId: "{wallet}", amount: 1000000, idempotencyKey: "mint-1", reference: "x") {{ movementId }} }}"#
        ),
        format!(
            r#"mutation {{ deductWallet(walletId: "{wallet}", amount: 1, idempotencyKey: "take-1", reference: "x") {{ movementId }} }}"#
        ),
        r#"mutation { checkFraud(userId: "u", amount: 1, transactionId: "t", transactionType: "PAYMENT") { status } }"#.to_owned(),
        r#"mutation { addHistory(input: { transactionId: "t", userId: "u", amount: 1, type: "DEPOSIT", direction: "CREDIT", status: "SUCCESS" }) { historyId } }"#.to_owned(),
        format!(r#"{{ internalWallet(walletId: "{wallet}") {{ balance }} }}"#),
    ];
    for query in &internal {
        for token in [&customer, &admin] {
            let body = system.graphql(Some(token), query, json!({})).await;
            assert_eq!(
                outcome(&body),
                "GRAPHQL_VALIDATION_FAILED",
                "{query}: {body}"
            );
            assert!(body.get("data").is_none(), "{body}");
        }
    }
    assert_eq!(
        system.balance(&customer, &wallet).await,
        0.0,
        "nothing minted"
    );

    let introspected = system
        .data(
            Some(&admin),
            "{ __schema { mutationType { fields { name } } queryType { fields { name } } } }",
            json!({}),
        )
        .await;
    let names = |kind: &str| -> Vec<String> {
        introspected["__schema"][kind]["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .map(|f| f["name"].as_str().expect("a name").to_owned())
            .collect()
    };
    let visible: Vec<String> = [names("mutationType"), names("queryType")].concat();
    for hidden in [
        "topupWallet",
        "deductWallet",
        "postMovement",
        "voidMovement",
        "designateMerchantWallet",
        "checkFraud",
        "addHistory",
        "internalWallet",
        "movement",
        "internalUser",
    ] {
        assert!(!visible.iter().any(|n| n == hidden), "{hidden} is public");
    }
    for public in [
        "createWallet",
        "deleteWallet",
        "createTransaction",
        "generateInvoiceVA",
        "registerMerchant",
        "deleteFraudLog",
        "deleteHistory",
        "myWallets",
        "myTransactions",
        "myHistory",
        "myHistoryPage",
        "getFraudLogs",
    ] {
        assert!(visible.iter().any(|n| n == public), "{public} is missing");
    }
    system.stop().await;
}

#[tokio::test]
async fn another_users_wallet_cannot_be_read_spent_or_deleted() {
    let system = start().await;
    let owner = system.customer("gaara").await;
    let wallet = system.open_wallet(&owner, "Pasir").await;
    let funded = system
        .create(
            &owner,
            json!({ "walletId": wallet, "amount": 80_000, "type": "DEPOSIT" }),
        )
        .await;
    assert_eq!(funded["data"]["createTransaction"]["status"], "SUCCESS");
    let thief = system.customer("orochimaru").await;
    let own = system.open_wallet(&thief, "Ular").await;

    let read = system
        .graphql(
            Some(&thief),
            "query($w: String!) { wallet(walletId: $w) { balance } }",
            json!({ "w": wallet }),
        )
        .await;
    assert_eq!(outcome(&read), "NOT_FOUND", "{read}");
    let spend = system
        .create(
            &thief,
            json!({ "walletId": wallet, "amount": 80_000, "type": "TRANSFER", "toWalletId": own }),
        )
        .await;
    assert_ne!(outcome(&spend), "OK", "{spend}");
    let deleted = system
        .graphql(
            Some(&thief),
            "mutation($w: String!) { deleteWallet(walletId: $w) { success } }",
            json!({ "w": wallet }),
        )
        .await;
    assert_eq!(outcome(&deleted), "NOT_FOUND", "{deleted}");
    assert_eq!(system.balance(&owner, &wallet).await, 80_000.0);
    assert_eq!(system.balance(&thief, &own).await, 0.0);
    system.stop().await;
}

#[tokio::test]
async fn the_idempotency_key_header_passes_through_the_router() {
    let system = start().await;
    let token = system.customer("shikamaru").await;
    let wallet = system.open_wallet(&token, "Utama").await;
    let deposit = |amount: i64| {
        let system = &system;
        let token = token.clone();
        let wallet = wallet.clone();
        async move {
            system
                .graphql_with(
                    Some(&token),
                    &[("idempotency-key", "topup-2026-11-21")],
                    "mutation($i: TransactionInput!) { createTransaction(input: $i) { transactionId amount } }",
                    json!({ "i": { "walletId": wallet, "amount": amount, "type": "DEPOSIT" } }),
                )
                .await
        }
    };
    let first = deposit(30_000).await;
    let retry = deposit(30_000).await;
    assert_eq!(
        first["data"], retry["data"],
        "the retry gets the first answer"
    );
    let other: Value = deposit(31_000).await;
    assert_eq!(outcome(&other), "CONFLICT", "{other}");
    assert_eq!(system.balance(&token, &wallet).await, 30_000.0);
    system.stop().await;
}
