//! History is filled from transaction events, once per event, on every bus.

use platform::testing::{clean_up_bus, event_buses};
use serde_json::json;

use crate::helpers::{payment, spawn_app, spawn_app_on, transaction_event, user};

#[tokio::test]
async fn a_transaction_event_becomes_an_entry_once_on_every_bus() {
    for bus in event_buses().await {
        let app = spawn_app_on(bus.clone()).await;
        let naruto = user("naruto");
        let event = payment("trx-1", "naruto", 20_000, "2026-11-21T08:00:00Z");
        app.publish(&event).await;
        // Delivered again (at least once): still one entry.
        app.publish(&event).await;
        let history = app.wait_for_history(&naruto, 1).await;
        assert_eq!(
            history[0],
            json!({
                "historyId": history[0]["historyId"], "transactionId": "trx-1", "userId": "naruto",
                "amount": 20000.0, "type": "PAYMENT", "direction": "DEBIT", "status": "SUCCESS",
                "vaNumber": "DS-8800123", "createdAt": "2026-11-21T08:00:00+00:00"
            }),
            "on {}",
            bus.kind()
        );
        clean_up_bus(&bus).await;
    }
}

#[tokio::test]
async fn a_successful_transfer_is_recorded_for_the_payer_and_the_recipient() {
    let app = spawn_app().await;
    app.publish(&transaction_event(
        "transaction.succeeded",
        json!({
            "transaction_id": "trx-2", "user_id": "naruto", "wallet_id": "wa",
            "to_wallet_id": "wb", "to_user_id": "sasuke", "amount": 75_000,
            "type": "TRANSFER", "status": "SUCCESS", "created_at": "2026-11-21T08:00:00Z"
        }),
    ))
    .await;
    let payer = app.wait_for_history(&user("naruto"), 1).await;
    let recipient = app.wait_for_history(&user("sasuke"), 1).await;
    assert_eq!(payer[0]["direction"], "DEBIT");
    assert_eq!(recipient[0]["direction"], "CREDIT");
    assert_eq!(recipient[0]["transactionId"], "trx-2");
}

#[tokio::test]
async fn failed_and_rejected_transactions_are_recorded_for_the_payer_only() {
    let app = spawn_app().await;
    for (id, topic, status) in [
        ("trx-3", "transaction.failed", "FAILED"),
        ("trx-4", "transaction.rejected", "REJECTED"),
    ] {
        app.publish(&transaction_event(
            topic,
            json!({
                "transaction_id": id, "user_id": "naruto", "wallet_id": "wa", "to_wallet_id": "wb",
                "to_user_id": "sasuke", "amount": 60_000_000, "type": "TRANSFER", "status": status,
                "reason": "no", "created_at": "2026-11-21T08:00:00Z"
            }),
        ))
        .await;
    }
    app.wait_for_history(&user("naruto"), 2).await;
    assert_eq!(app.my_history(&user("sasuke")).await, json!([]));
}

#[tokio::test]
async fn the_same_transaction_reported_twice_under_different_event_ids_is_one_entry() {
    let app = spawn_app().await;
    app.publish(&payment("trx-5", "naruto", 1_000, "2026-11-21T08:00:00Z"))
        .await;
    app.publish(&payment("trx-5", "naruto", 1_000, "2026-11-21T08:00:00Z"))
        .await;
    app.wait_for_history(&user("naruto"), 1).await;
}
