//! Idempotency keys, in the input or the `Idempotency-Key` header: a retry returns
//! the first result, a different request with the key is refused, concurrent
//! duplicates move money once.

use futures::future::join_all;
use serde_json::{Value, json};

use crate::helpers::{outcome, spawn_system, user};

#[tokio::test]
async fn a_retry_with_the_key_returns_the_first_result_and_moves_nothing() {
    let system = spawn_system().await;
    let (naruto, from) = system.funded_user("naruto", 100_000).await;
    let to = system.open_wallet(&user("sasuke")).await;
    let input = json!({
        "walletId": from, "amount": 30000, "type": "TRANSFER", "toWalletId": to,
        "idempotencyKey": "pay-rent-2026-11"
    });
    let first = system.create(&naruto, input.clone()).await;
    let again = system.create(&naruto, input.clone()).await;
    assert_eq!(first["data"], again["data"], "{first} vs {again}");
    assert_eq!(system.balance(&from).await, 70_000);

    let mut changed = input;
    changed["amount"] = json!(30001);
    let conflict = system.create(&naruto, changed).await;
    assert_eq!(outcome(&conflict), "CONFLICT");
    assert_eq!(system.balance(&from).await, 70_000);

    // Keys are per user: another user's key of the same text is theirs.
    let (sasuke, own) = system.funded_user("sasuke-2", 0).await;
    let deposit = system
        .create(&sasuke, json!({ "walletId": own, "amount": 1000, "type": "DEPOSIT", "idempotencyKey": "pay-rent-2026-11" }))
        .await;
    assert_eq!(
        deposit["data"]["createTransaction"]["status"], "SUCCESS",
        "{deposit}"
    );
}

async fn create_with_header(
    system: &crate::helpers::System,
    token: &str,
    key: &str,
    input: Value,
) -> Value {
    system
        .http
        .post(format!("http://{}/graphql", system.transaction))
        .bearer_auth(token)
        .header("idempotency-key", key)
        .json(&json!({
            "query": "mutation($i: TransactionInput!) { createTransaction(input: $i) { transactionId status } }",
            "variables": { "i": input }
        }))
        .send()
        .await
        .expect("answers")
        .json()
        .await
        .expect("json")
}

#[tokio::test]
async fn the_idempotency_key_header_works_like_the_input_field() {
    let system = spawn_system().await;
    let (naruto, wallet) = system.funded_user("naruto", 0).await;
    let input = json!({ "walletId": wallet, "amount": 25000, "type": "DEPOSIT" });
    let first = create_with_header(&system, &naruto, "topup-1", input.clone()).await;
    let second = create_with_header(&system, &naruto, "topup-1", input.clone()).await;
    assert_eq!(first["data"], second["data"], "{first}");
    assert_eq!(system.balance(&wallet).await, 25_000);
    let mut with_field = input;
    with_field["idempotencyKey"] = json!("topup-1");
    let third = system.create(&naruto, with_field).await;
    assert_eq!(
        third["data"]["createTransaction"]["transactionId"],
        first["data"]["createTransaction"]["transactionId"]
    );
}

#[tokio::test]
async fn a_failed_first_attempt_is_what_a_retry_gets() {
    let system = spawn_system().await;
    let (naruto, from) = system.funded_user("naruto", 1_000).await;
    let to = system.open_wallet(&user("sasuke")).await;
    let input = json!({
        "walletId": from, "amount": 5000, "type": "TRANSFER", "toWalletId": to, "idempotencyKey": "k-1"
    });
    let first = system.create(&naruto, input.clone()).await;
    assert_eq!(outcome(&first), "INSUFFICIENT_FUNDS");
    system.deposit(&naruto, &from, 10_000).await;
    let retry = system.create(&naruto, input).await;
    assert_eq!(
        outcome(&retry),
        "INSUFFICIENT_FUNDS",
        "the first result: {retry}"
    );
    assert_eq!(
        retry["errors"][0]["extensions"]["transactionId"],
        first["errors"][0]["extensions"]["transactionId"]
    );
    assert_eq!(system.balance(&from).await, 11_000);
}

#[tokio::test]
async fn fifty_concurrent_requests_with_one_key_move_money_once() {
    let system = spawn_system().await;
    let (naruto, from) = system.funded_user("naruto", 100_000).await;
    let to = system.open_wallet(&user("sasuke")).await;
    let input = json!({
        "walletId": from, "amount": 40000, "type": "TRANSFER", "toWalletId": to,
        "idempotencyKey": "double-click"
    });
    let answers = join_all((0..50).map(|_| system.create(&naruto, input.clone()))).await;
    let ids: std::collections::HashSet<String> = answers
        .iter()
        .map(|b| {
            b["data"]["createTransaction"]["transactionId"]
                .as_str()
                .unwrap_or_else(|| panic!("every duplicate gets the transaction: {b}"))
                .to_owned()
        })
        .collect();
    assert_eq!(ids.len(), 1);
    assert!(
        answers
            .iter()
            .all(|b| b["data"]["createTransaction"]["status"] == "SUCCESS")
    );
    assert_eq!(system.balance(&from).await, 60_000);
    assert_eq!(system.balance(&to).await, 40_000);
    let transfers = system
        .transactions()
        .await
        .into_iter()
        .filter(|t| t.r#type == "TRANSFER")
        .count();
    assert_eq!(transfers, 1);
}
