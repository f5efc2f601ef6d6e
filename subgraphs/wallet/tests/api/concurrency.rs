//! Real concurrency: many requests at once over HTTP, against one database.

use futures::future::join_all;
use serde_json::{Value, json};

use crate::helpers::{spawn_app, transaction_service, user};

#[tokio::test]
async fn of_200_parallel_debits_against_a_balance_covering_100_exactly_100_succeed() {
    let app = spawn_app().await;
    let wallet = app.create_wallet(&user("naruto"), "A").await;
    app.topup(&wallet, 100_000.0, None).await;
    let token = transaction_service();
    let debits = (0..200).map(|i| {
        let (app, token, wallet) = (&app, &token, &wallet);
        async move {
            app.graphql(
                Some(token),
                "mutation($w: String!, $k: String!) {
                    deductWallet(walletId: $w, amount: 1000, idempotencyKey: $k) { balance }
                }",
                json!({ "w": wallet, "k": format!("pay-{i}") }),
            )
            .await
        }
    });
    let answers = join_all(debits).await;
    let succeeded = answers
        .iter()
        .filter(|b| b["data"]["deductWallet"].is_object())
        .count();
    let refused = answers
        .iter()
        .filter(|b| b["errors"][0]["extensions"]["code"] == "INSUFFICIENT_FUNDS")
        .count();
    assert_eq!(
        (succeeded, refused),
        (100, 100),
        "{:?}",
        answers.iter().find(
            |b| b["errors"][0]["extensions"]["code"] != "INSUFFICIENT_FUNDS"
                && b["errors"].is_array()
        )
    );
    assert_eq!(app.balance(&wallet).await, 0);
    assert_eq!(app.assert_ledger_consistent().await, 0);
}

#[tokio::test]
async fn parallel_transfers_both_ways_neither_deadlock_nor_lose_money() {
    let app = spawn_app().await;
    let a = app.create_wallet(&user("naruto"), "A").await;
    let b = app.create_wallet(&user("sasuke"), "B").await;
    app.topup(&a, 100_000.0, None).await;
    app.topup(&b, 100_000.0, None).await;
    let transfers = (0..100).flat_map(|i| {
        [
            (a.clone(), b.clone(), format!("ab-{i}")),
            (b.clone(), a.clone(), format!("ba-{i}")),
        ]
    });
    let answers: Vec<Value> = join_all(transfers.map(|(from, to, key)| {
        let app = &app;
        async move {
            app.post_movement(json!({
                "idempotencyKey": key, "category": "TRANSFER", "amount": 1_000.0,
                "debitWalletId": from, "creditWalletId": to
            }))
            .await
        }
    }))
    .await;
    let failed: Vec<&Value> = answers.iter().filter(|b| b["errors"].is_array()).collect();
    assert!(
        failed.is_empty(),
        "{} failed, e.g. {}",
        failed.len(),
        failed[0]
    );
    assert_eq!(app.balance(&a).await, 100_000);
    assert_eq!(app.balance(&b).await, 100_000);
    assert_eq!(
        app.assert_ledger_consistent().await,
        200_000,
        "money is conserved"
    );
}

#[tokio::test]
async fn fifty_concurrent_requests_with_one_key_move_money_once() {
    let app = spawn_app().await;
    let from = app.create_wallet(&user("naruto"), "A").await;
    let to = app.create_wallet(&user("sasuke"), "B").await;
    app.topup(&from, 100_000.0, None).await;
    let input = json!({
        "idempotencyKey": "same-key", "category": "TRANSFER", "amount": 25_000.0,
        "debitWalletId": from, "creditWalletId": to
    });
    let answers = join_all((0..50).map(|_| app.post_movement(input.clone()))).await;
    let movements: std::collections::HashSet<&str> = answers
        .iter()
        .map(|b| {
            b["data"]["postMovement"]["movementId"]
                .as_str()
                .unwrap_or_else(|| panic!("every duplicate gets the movement: {b}"))
        })
        .collect();
    assert_eq!(movements.len(), 1, "one movement for one key");
    let fresh = answers
        .iter()
        .filter(|b| b["data"]["postMovement"]["replayed"] == false)
        .count();
    assert_eq!(fresh, 1, "exactly one request posted it");
    assert_eq!(app.balance(&from).await, 75_000);
    assert_eq!(app.balance(&to).await, 25_000);
    assert_eq!(app.assert_ledger_consistent().await, 100_000);
}

#[tokio::test]
async fn customers_paying_a_merchant_while_it_refunds_them_neither_deadlock_nor_lose_money() {
    // Payments and refunds cross between the same wallets: both must lock them in
    // the one global order, whichever side is debited.
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
        designated["data"]["designateMerchantWallet"]["kind"],
        "MERCHANT"
    );
    app.topup(&shop, 100_000.0, None).await;
    let mut customers = Vec::new();
    for name in ["naruto", "sasuke", "sakura", "kakashi"] {
        let wallet = app.create_wallet(&user(name), "Tabungan").await;
        app.topup(&wallet, 100_000.0, None).await;
        customers.push(wallet);
    }
    let movements = (0..50).flat_map(|i| {
        let customer = customers[i % customers.len()].clone();
        [
            (customer.clone(), shop.clone(), format!("pay-{i}")),
            (shop.clone(), customer, format!("refund-{i}")),
        ]
    });
    let answers: Vec<Value> = join_all(movements.map(|(from, to, key)| {
        let app = &app;
        async move {
            app.post_movement(json!({
                "idempotencyKey": key, "category": "TRANSFER", "amount": 1_000.0,
                "debitWalletId": from, "creditWalletId": to
            }))
            .await
        }
    }))
    .await;
    let failed: Vec<&Value> = answers.iter().filter(|b| b["errors"].is_array()).collect();
    assert!(
        failed.is_empty(),
        "{} failed, e.g. {}",
        failed.len(),
        failed[0]
    );
    assert_eq!(app.balance(&shop).await, 100_000);
    for customer in &customers {
        assert_eq!(app.balance(customer).await, 100_000);
    }
    assert_eq!(
        app.assert_ledger_consistent().await,
        500_000,
        "money is conserved"
    );
}
