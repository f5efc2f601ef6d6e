//! Paying a marketplace (BlackDoctrine) VA: validated with `getOrderByVA`, the
//! marketplace told with `updatePaymentStatus(…, "PROCESSED")` until it acknowledges.

use std::time::Duration;

use serde_json::json;

use crate::helpers::{outcome, spawn_system};

#[tokio::test]
async fn a_marketplace_va_is_paid_with_its_total_and_the_marketplace_is_told() {
    let system = spawn_system().await;
    let (naruto, wallet) = system.funded_user("naruto", 500_000).await;
    let (va, total) = system.marketplace.order(2).await;
    assert_eq!(total, 115_000, "2 × 50,000 + 15,000 shipping");
    let body = system
        .create(
            &naruto,
            json!({ "walletId": wallet, "amount": total, "type": "PAYMENT", "vaNumber": va }),
        )
        .await;
    let created = &body["data"]["createTransaction"];
    assert_eq!(created["status"], "SUCCESS", "{body}");
    assert_eq!(created["vaNumber"], va.as_str());
    assert_eq!(system.balance(&wallet).await, 385_000);
    for _ in 0..100 {
        if system
            .marketplace
            .order_by_va(&va)
            .and_then(|o| o.payment_status)
            == Some("PAID".into())
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let order = system.marketplace.order_by_va(&va).expect("the order");
    assert_eq!(order.payment_status.as_deref(), Some("PAID"));
    assert_eq!(order.status, "PROCESSED");

    let again = system
        .create(
            &naruto,
            json!({ "walletId": wallet, "amount": total, "type": "PAYMENT", "vaNumber": va }),
        )
        .await;
    assert_eq!(outcome(&again), "CONFLICT", "{again}");
    assert_eq!(system.balance(&wallet).await, 385_000);
}

#[tokio::test]
async fn a_marketplace_va_with_another_amount_or_unknown_is_refused_and_nothing_moves() {
    let system = spawn_system().await;
    let (naruto, wallet) = system.funded_user("naruto", 500_000).await;
    let (va, total) = system.marketplace.order(1).await;
    let mismatch = system
        .create(
            &naruto,
            json!({ "walletId": wallet, "amount": total - 1, "type": "PAYMENT", "vaNumber": va }),
        )
        .await;
    assert_eq!(outcome(&mismatch), "BAD_USER_INPUT", "{mismatch}");
    assert_eq!(mismatch["errors"][0]["extensions"]["billed"], total);
    let unknown = system
        .create(
            &naruto,
            json!({ "walletId": wallet, "amount": 1000, "type": "PAYMENT", "vaNumber": "VA-NOPE" }),
        )
        .await;
    assert_eq!(outcome(&unknown), "NOT_FOUND");
    assert_eq!(system.balance(&wallet).await, 500_000);
    assert_eq!(system.marketplace.update_calls(), 0);
    // The refusals left the VA payable.
    let paid = system
        .create(
            &naruto,
            json!({ "walletId": wallet, "amount": total, "type": "PAYMENT", "vaNumber": va }),
        )
        .await;
    assert_eq!(
        paid["data"]["createTransaction"]["status"], "SUCCESS",
        "{paid}"
    );
}

#[tokio::test]
async fn the_marketplace_is_told_again_until_it_acknowledges() {
    let system = spawn_system().await;
    system.marketplace.refuse_next_updates(3);
    let (naruto, wallet) = system.funded_user("naruto", 500_000).await;
    let (va, total) = system.marketplace.order(1).await;
    let body = system
        .create(
            &naruto,
            json!({ "walletId": wallet, "amount": total, "type": "PAYMENT", "vaNumber": va }),
        )
        .await;
    assert_eq!(
        body["data"]["createTransaction"]["status"], "SUCCESS",
        "{body}"
    );
    for _ in 0..200 {
        if system
            .marketplace
            .order_by_va(&va)
            .and_then(|o| o.payment_status)
            == Some("PAID".into())
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(
        system
            .marketplace
            .order_by_va(&va)
            .and_then(|o| o.payment_status)
            .as_deref(),
        Some("PAID")
    );
    let query = "{ paymentCallbacks(pendingOnly: false) { kind attempts deliveredAt lastError } }";
    let mut callbacks = serde_json::Value::Null;
    for _ in 0..100 {
        callbacks = system
            .graphql(Some(&crate::helpers::admin()), query, json!({}))
            .await;
        if callbacks["data"]["paymentCallbacks"][0]["deliveredAt"].is_string() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let callback = &callbacks["data"]["paymentCallbacks"][0];
    assert_eq!(callback["kind"], "MARKETPLACE_GRAPHQL", "{callbacks}");
    assert_eq!(callback["attempts"], 4, "three refusals, then acknowledged");
    assert!(callback["deliveredAt"].is_string(), "{callbacks}");
    assert_eq!(system.marketplace.update_calls(), 4);
}
