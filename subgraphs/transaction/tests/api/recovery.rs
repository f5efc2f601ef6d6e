//! Crash recovery: the real `transaction` binary is made to abort between saga
//! steps (`SAGA_CRASH_AFTER`), then started again. Recovery settles the
//! transaction: completed when the money had moved, compensated when not — never
//! lost, never moved twice.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use platform::testing::{free_port, wait_until_serving};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use transaction::db::entities::{invoice, transaction as transaction_row};
use wallet::db::entities::movement;

use crate::helpers::{System, spawn_system};

/// The transaction binary on `port` over the system's database and peers.
fn spawn_binary(
    system: &System,
    port: u16,
    crash_after: Option<&str>,
    data: &std::path::Path,
) -> Child {
    let config = &system.transaction_config;
    let mut command = Command::new(env!("CARGO_BIN_EXE_transaction"));
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("PORT", port.to_string())
        .env("DATA_DIR", data)
        .env(
            "DATABASE_URL",
            config.common.database_url.clone().expect("a test database"),
        )
        .env("JWT_PUBLIC_KEY_PATH", system.keys.public_key_path())
        .env("AUTH_URL", &config.common.service.auth_url)
        .env("WALLET_URL", &config.transaction.wallet_url)
        .env("FRAUD_URL", &config.transaction.fraud_url)
        .env("SAGA_RECOVERY_AFTER_SECS", "0")
        .env("SAGA_RECOVERY_INTERVAL_SECS", "1")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Some(point) = crash_after {
        command.env("SAGA_CRASH_AFTER", point);
    }
    command.spawn().expect("the transaction binary starts")
}

async fn pay(
    http: &reqwest::Client,
    port: u16,
    token: &str,
    input: &Value,
) -> Result<Value, reqwest::Error> {
    http.post(format!("http://127.0.0.1:{port}/graphql"))
        .bearer_auth(token)
        .json(&json!({
            "query": "mutation($i: TransactionInput!) { createTransaction(input: $i) { transactionId status } }",
            "variables": { "i": input }
        }))
        .send()
        .await?
        .json()
        .await
}

struct Crashed {
    system: System,
    payer_wallet: String,
    settlement: String,
    va: String,
    token: String,
    input: Value,
    row: transaction_row::Model,
    port: u16,
    data: tempfile::TempDir,
}

/// Sets up a merchant invoice, stops the in-process transaction service, and pays
/// the invoice through a binary that aborts after `point`.
async fn crash_after(point: &str) -> Crashed {
    let system = spawn_system().await;
    let (key, settlement, _) = system.merchant("tokoku", None).await;
    let (token, payer_wallet) = system.funded_user("naruto", 100_000).await;
    let va = system.va(&key, 40_000).await;
    system.stop_transaction();

    let data = tempfile::tempdir().expect("a data folder");
    let port = free_port();
    let mut crashing = spawn_binary(&system, port, Some(point), data.path());
    wait_until_serving(&system.http, port).await;
    let input = json!({
        "walletId": payer_wallet, "amount": 40000, "type": "PAYMENT", "vaNumber": va,
        "idempotencyKey": "checkout-1"
    });
    assert!(
        pay(&system.http, port, &token, &input).await.is_err(),
        "the process dies before it answers"
    );
    let exit = crashing.wait().expect("the binary exits");
    assert!(!exit.success(), "aborted: {exit:?}");
    let rows = system.transactions().await;
    let row = rows
        .into_iter()
        .find(|t| t.r#type == "PAYMENT")
        .expect("the payment was recorded before the crash");
    assert_eq!(row.status, "PENDING");
    Crashed {
        system,
        payer_wallet,
        settlement,
        va,
        token,
        input,
        row,
        port,
        data,
    }
}

/// The restarted process: killed and reaped when dropped, also when an assertion fails.
struct Restarted(Child);

impl Drop for Restarted {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the binary again and waits until recovery settled the payment.
async fn recover(crashed: &Crashed) -> (Restarted, transaction_row::Model) {
    let system = &crashed.system;
    let child = Restarted(spawn_binary(
        system,
        crashed.port,
        None,
        crashed.data.path(),
    ));
    wait_until_serving(&system.http, crashed.port).await;
    let started = Instant::now();
    loop {
        let row = transaction_row::Entity::find_by_id(crashed.row.id.clone())
            .one(&system.transaction_db)
            .await
            .expect("read")
            .expect("the row");
        if row.status != "PENDING" {
            return (child, row);
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "never recovered: {row:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn movement_state(system: &System, key: &str) -> Option<String> {
    use sea_orm::{ColumnTrait, QueryFilter};
    movement::Entity::find()
        .filter(movement::Column::IdempotencyKey.eq(key))
        .one(&system.wallet_db)
        .await
        .expect("read movements")
        .map(|m| m.state)
}

async fn assert_compensated(crashed: Crashed, step_at_crash: &str) {
    assert_eq!(crashed.row.step, step_at_crash);
    let (restarted, row) = recover(&crashed).await;
    let system = &crashed.system;
    assert_eq!(row.status, "FAILED", "{row:?}");
    assert_eq!(row.step, "COMPENSATED");
    assert_eq!(
        movement_state(system, &row.id).await.as_deref(),
        Some("VOIDED")
    );
    assert_eq!(
        system.balance(&crashed.payer_wallet).await,
        100_000,
        "nothing charged"
    );
    assert_eq!(system.balance(&crashed.settlement).await, 0);
    let claiming = transaction_row::Entity::find()
        .filter(transaction_row::Column::VaNumber.eq(crashed.va.as_str()))
        .filter(transaction_row::Column::Status.is_in(["PENDING", "SUCCESS"]))
        .count(&system.transaction_db)
        .await
        .expect("read");
    assert_eq!(claiming, 0, "the VA is released");

    // The retry gets the recorded failure; a new attempt pays the invoice.
    let retry = pay(&system.http, crashed.port, &crashed.token, &crashed.input)
        .await
        .expect("answers");
    assert_eq!(
        retry["errors"][0]["extensions"]["transactionId"],
        row.id.as_str(),
        "{retry}"
    );
    let mut fresh = crashed.input.clone();
    fresh["idempotencyKey"] = json!("checkout-2");
    let paid = pay(&system.http, crashed.port, &crashed.token, &fresh)
        .await
        .expect("answers");
    assert_eq!(
        paid["data"]["createTransaction"]["status"], "SUCCESS",
        "{paid}"
    );
    assert_eq!(system.balance(&crashed.payer_wallet).await, 60_000);
    drop(restarted);
}

#[tokio::test]
async fn a_crash_after_the_start_is_compensated() {
    assert_compensated(crash_after("started").await, "STARTED").await;
}

#[tokio::test]
async fn a_crash_after_the_fraud_check_is_compensated() {
    assert_compensated(crash_after("fraud-checked").await, "FRAUD_CHECKED").await;
}

#[tokio::test]
async fn a_crash_after_the_money_moved_is_completed_without_moving_it_twice() {
    let crashed = crash_after("money-moved").await;
    let system = &crashed.system;
    assert_eq!(
        system.balance(&crashed.payer_wallet).await,
        60_000,
        "the money moved"
    );
    let (restarted, row) = recover(&crashed).await;
    assert_eq!(row.status, "SUCCESS", "{row:?}");
    assert_eq!(row.step, "COMPLETED");
    assert_eq!(
        system.balance(&crashed.payer_wallet).await,
        60_000,
        "moved once"
    );
    assert_eq!(system.balance(&crashed.settlement).await, 40_000);
    let bill = invoice::Entity::find_by_id(crashed.va.clone())
        .one(&system.transaction_db)
        .await
        .expect("read")
        .expect("the invoice");
    assert_eq!(bill.status, "PAID");

    let retry = pay(&system.http, crashed.port, &crashed.token, &crashed.input)
        .await
        .expect("answers");
    assert_eq!(
        retry["data"]["createTransaction"]["status"], "SUCCESS",
        "{retry}"
    );
    assert_eq!(
        retry["data"]["createTransaction"]["transactionId"],
        row.id.as_str()
    );
    assert_eq!(system.balance(&crashed.payer_wallet).await, 60_000);
    drop(restarted);
}

/// Forwards to the fraud subgraph at `fraud` after `delay`: a slow risk check.
async fn slow_fraud(fraud: std::net::SocketAddr, delay: Duration) -> std::net::SocketAddr {
    use axum::http::{HeaderMap, header};
    let forward = move |headers: HeaderMap, body: axum::body::Bytes| async move {
        tokio::time::sleep(delay).await;
        let mut request = platform::http_client::client()
            .post(format!("http://{fraud}/graphql"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(body);
        if let Some(authorization) = headers.get(header::AUTHORIZATION) {
            request = request.header(header::AUTHORIZATION, authorization);
        }
        let answer = request.send().await.expect("fraud answers");
        (
            [(header::CONTENT_TYPE, "application/json")],
            answer.bytes().await.expect("a body"),
        )
    };
    let app = axum::Router::new().route("/graphql", axum::routing::post(forward));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("an address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

#[tokio::test]
async fn a_client_that_hangs_up_does_not_stop_its_payment() {
    let mut system = crate::helpers::spawn_system_with(crate::helpers::Options {
        start_transaction: false,
        ..Default::default()
    })
    .await;
    let slow = slow_fraud(system.fraud, Duration::from_millis(400)).await;
    system.transaction_config.transaction.fraud_url = format!("http://{slow}/graphql");
    system.start_transaction().await;
    let (token, wallet) = system.funded_user("naruto", 100_000).await;
    let (key, settlement, _) = system.merchant("tokoku", None).await;
    let va = system.va(&key, 30_000).await;

    // The client gives up while fraud is still thinking.
    let impatient = platform::http_client::builder()
        .timeout(Duration::from_millis(150))
        .build()
        .expect("a client");
    let sent = impatient
        .post(format!("http://{}/graphql", system.transaction))
        .bearer_auth(&token)
        .json(&json!({
            "query": "mutation($i: TransactionInput!) { createTransaction(input: $i) { status } }",
            "variables": { "i": { "walletId": wallet, "amount": 30_000, "type": "PAYMENT", "vaNumber": va } },
        }))
        .send()
        .await;
    assert!(sent.is_err(), "the client hung up: {sent:?}");

    // The payment goes on without it (recovery would take 30 s).
    let started = Instant::now();
    let row = loop {
        let rows = system.transactions().await;
        if let Some(row) = rows
            .into_iter()
            .find(|t| t.r#type == "PAYMENT" && t.status != "PENDING")
        {
            break row;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the payment stopped when its client left"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(row.status, "SUCCESS", "{row:?}");
    assert_eq!(system.balance(&wallet).await, 70_000);
    assert_eq!(system.balance(&settlement).await, 30_000);
}
