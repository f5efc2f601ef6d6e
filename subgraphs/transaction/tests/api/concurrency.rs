//! Real concurrency through the whole saga: hundreds of payments at once.

use futures::future::join_all;
use serde_json::{Value, json};

use crate::helpers::{outcome, spawn_system};

#[tokio::test]
async fn of_200_parallel_payments_against_a_balance_covering_100_exactly_100_succeed() {
    let system = spawn_system().await;
    let (key, settlement, _) = system.merchant("tokoku", None).await;
    let (naruto, wallet) = system.funded_user("naruto", 100_000).await;
    let mut vas = Vec::new();
    for _ in 0..200 {
        vas.push(system.va(&key, 1_000).await);
    }
    let answers: Vec<Value> = join_all(vas.iter().map(|va| {
        system.create(
            &naruto,
            json!({ "walletId": wallet, "amount": 1000, "type": "PAYMENT", "vaNumber": va }),
        )
    }))
    .await;
    let succeeded = answers.iter().filter(|b| outcome(b) == "OK").count();
    let refused = answers
        .iter()
        .filter(|b| outcome(b) == "INSUFFICIENT_FUNDS")
        .count();
    let other: Vec<&Value> = answers
        .iter()
        .filter(|b| !matches!(outcome(b), "OK" | "INSUFFICIENT_FUNDS"))
        .collect();
    assert!(other.is_empty(), "unexpected answers, e.g. {}", other[0]);
    assert_eq!((succeeded, refused), (100, 100));
    assert_eq!(system.balance(&wallet).await, 0);
    assert_eq!(system.balance(&settlement).await, 100_000);
    let rows = system.transactions().await;
    let paid = rows
        .iter()
        .filter(|t| t.r#type == "PAYMENT" && t.status == "SUCCESS")
        .count();
    let failed = rows
        .iter()
        .filter(|t| t.r#type == "PAYMENT" && t.status == "FAILED")
        .count();
    assert_eq!((paid, failed), (100, 100));
}

#[tokio::test]
async fn parallel_transfers_both_ways_neither_deadlock_nor_lose_money() {
    let system = spawn_system().await;
    let (naruto, a) = system.funded_user("naruto", 1_000_000).await;
    let (sasuke, b) = system.funded_user("sasuke", 1_000_000).await;
    let transfers = (0..50).flat_map(|_| {
        [
            (naruto.clone(), a.clone(), b.clone()),
            (sasuke.clone(), b.clone(), a.clone()),
        ]
    });
    let answers: Vec<Value> = join_all(transfers.map(|(token, from, to)| {
        let system = &system;
        async move {
            system
                .create(
                    &token,
                    json!({ "walletId": from, "amount": 10000, "type": "TRANSFER", "toWalletId": to }),
                )
                .await
        }
    }))
    .await;
    let failed: Vec<&Value> = answers.iter().filter(|b| outcome(b) != "OK").collect();
    assert!(
        failed.is_empty(),
        "{} failed, e.g. {}",
        failed.len(),
        failed[0]
    );
    assert_eq!(system.balance(&a).await, 1_000_000);
    assert_eq!(system.balance(&b).await, 1_000_000);
}

#[tokio::test]
async fn an_invoice_paid_by_twenty_requests_at_once_is_paid_once() {
    let system = spawn_system().await;
    let (key, settlement, _) = system.merchant("tokoku", None).await;
    let va = system.va(&key, 10_000).await;
    let mut payers = Vec::new();
    for name in ["naruto", "sasuke", "sakura", "kakashi"] {
        payers.push(system.funded_user(name, 100_000).await);
    }
    let answers: Vec<Value> = join_all((0..20).map(|i| {
        let (token, wallet) = &payers[i % payers.len()];
        system.create(
            token,
            json!({ "walletId": wallet, "amount": 10_000, "type": "PAYMENT", "vaNumber": va }),
        )
    }))
    .await;
    let paid = answers.iter().filter(|b| outcome(b) == "OK").count();
    let taken = answers.iter().filter(|b| outcome(b) == "CONFLICT").count();
    assert_eq!((paid, taken), (1, 19), "{answers:?}");
    assert_eq!(system.balance(&settlement).await, 10_000);
    let mut charged = 0;
    for (_, wallet) in &payers {
        charged += 100_000 - system.balance(wallet).await;
    }
    assert_eq!(charged, 10_000, "one payer was charged, once");
}
