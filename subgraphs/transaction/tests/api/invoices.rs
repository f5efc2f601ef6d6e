//! Merchants and their `DS-8800…` invoices: registered by an admin, paid once and
//! exactly, into the merchant's wallet, with a signed webhook.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use serde_json::{Value, json};

use crate::helpers::{admin, outcome, spawn_system, user};

#[tokio::test]
async fn only_an_admin_registers_a_merchant_and_only_a_merchant_issues_invoices() {
    let system = spawn_system().await;
    let wallet = system.open_wallet(&user("tokoku")).await;
    let register = "mutation($i: MerchantInput!) { registerMerchant(input: $i) { apiKey } }";
    let input = json!({ "i": { "name": "Toko", "settlementWalletId": wallet } });
    let by_user = system
        .graphql(Some(&user("tokoku")), register, input.clone())
        .await;
    assert_eq!(outcome(&by_user), "FORBIDDEN");

    let missing_wallet = system
        .graphql(
            Some(&admin()),
            register,
            json!({ "i": { "name": "Toko", "settlementWalletId": "nope" } }),
        )
        .await;
    assert_eq!(outcome(&missing_wallet), "BAD_USER_INPUT");

    for key in [None, Some("dsm_forged_key"), Some("nonsense")] {
        let body = system.invoice(key, 10_000.0).await;
        assert_eq!(outcome(&body), "UNAUTHENTICATED", "{key:?}: {body}");
    }
    let (key, _, _) = system.merchant("tokoku", None).await;
    let va = system.va(&key, 75_000).await;
    assert!(va.starts_with("DS-8800"), "{va}");
    let bad = system.invoice(Some(&key), 10.5).await;
    assert_eq!(outcome(&bad), "BAD_USER_INPUT");
}

#[tokio::test]
async fn an_invoice_is_paid_once_with_exactly_its_amount_into_the_merchants_wallet() {
    let system = spawn_system().await;
    let (key, settlement, _) = system.merchant("tokoku", None).await;
    let (naruto, wallet) = system.funded_user("naruto", 200_000).await;
    let va = system.va(&key, 75_000).await;
    let pay = |amount: i64| json!({ "walletId": wallet, "amount": amount, "type": "PAYMENT", "vaNumber": va });

    let wrong = system.create(&naruto, pay(70_000)).await;
    assert_eq!(outcome(&wrong), "BAD_USER_INPUT", "{wrong}");
    assert_eq!(wrong["errors"][0]["extensions"]["billed"], 75_000);
    assert_eq!(system.balance(&wallet).await, 200_000);

    let paid = system.create(&naruto, pay(75_000)).await;
    assert_eq!(
        paid["data"]["createTransaction"]["status"], "SUCCESS",
        "{paid}"
    );
    assert_eq!(paid["data"]["createTransaction"]["vaNumber"], va.as_str());
    assert_eq!(system.balance(&wallet).await, 125_000);
    assert_eq!(system.balance(&settlement).await, 75_000);

    let again = system.create(&naruto, pay(75_000)).await;
    assert_eq!(
        outcome(&again),
        "CONFLICT",
        "a VA is never paid twice: {again}"
    );
    assert_eq!(system.balance(&wallet).await, 125_000);

    let invoice = reqwest_invoice(&system, &key, &va).await;
    assert_eq!(invoice["status"], "PAID", "{invoice}");
    assert_eq!(
        invoice["transactionId"],
        paid["data"]["createTransaction"]["transactionId"]
    );

    let unknown = system
        .create(&naruto, json!({ "walletId": wallet, "amount": 1000, "type": "PAYMENT", "vaNumber": "DS-8800999999999999" }))
        .await;
    assert_eq!(outcome(&unknown), "NOT_FOUND");
}

async fn reqwest_invoice(system: &crate::helpers::System, key: &str, va: &str) -> Value {
    let body: Value = system
        .http
        .post(format!("http://{}/graphql", system.transaction))
        .header("x-merchant-key", key)
        .json(&json!({
            "query": "query($v: String!) { invoice(vaNumber: $v) { status amount transactionId paidAt } }",
            "variables": { "v": va }
        }))
        .send()
        .await
        .expect("answers")
        .json()
        .await
        .expect("json");
    body["data"]["invoice"].clone()
}

/// A webhook receiver that refuses its first `refusals` deliveries.
struct Receiver {
    url: String,
    received: Arc<Mutex<Vec<(HeaderMap, String)>>>,
}

async fn receiver(refusals: usize) -> Receiver {
    let received: Arc<Mutex<Vec<(HeaderMap, String)>>> = Arc::default();
    let log = received.clone();
    let app = Router::new().route(
        "/hook",
        post(move |headers: HeaderMap, body: String| {
            let log = log.clone();
            async move {
                let mut log = log.lock().expect("log");
                log.push((headers, body));
                if log.len() <= refusals {
                    StatusCode::INTERNAL_SERVER_ERROR
                } else {
                    StatusCode::OK
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    Receiver { url, received }
}

#[tokio::test]
async fn the_merchant_gets_a_signed_webhook_retried_until_acknowledged() {
    let system = spawn_system().await;
    let hook = receiver(2).await;
    let (key, _, secret) = system.merchant("tokoku", Some(&hook.url)).await;
    let (naruto, wallet) = system.funded_user("naruto", 200_000).await;
    let va = system.va(&key, 50_000).await;
    let paid = system
        .create(
            &naruto,
            json!({ "walletId": wallet, "amount": 50000, "type": "PAYMENT", "vaNumber": va }),
        )
        .await;
    assert_eq!(
        paid["data"]["createTransaction"]["status"], "SUCCESS",
        "{paid}"
    );

    for _ in 0..100 {
        if hook.received.lock().expect("log").len() >= 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let received = hook.received.lock().expect("log").clone();
    assert_eq!(
        received.len(),
        3,
        "two refusals, then acknowledged, then silence"
    );
    let (headers, body) = &received[2];
    let payload: Value = serde_json::from_str(body).expect("a JSON body");
    assert_eq!(payload["event"], "payment.succeeded");
    assert_eq!(payload["va_number"], va.as_str());
    assert_eq!(payload["amount"], 50_000);
    let signature = headers["x-dompet-signature"].to_str().expect("ascii");
    let timestamp: i64 = signature
        .strip_prefix("t=")
        .and_then(|s| s.split(',').next())
        .and_then(|t| t.parse().ok())
        .expect("a timestamp");
    assert_eq!(
        signature,
        transaction::domain::callbacks::signature(secret.as_bytes(), timestamp, body.as_bytes()),
        "signed with the merchant's secret"
    );
    assert_eq!(
        headers["x-dompet-delivery"], received[0].0["x-dompet-delivery"],
        "one delivery id for every retry"
    );
}
