//! The real `notification` binary killed mid-delivery and started again: the
//! message is delivered, under the same id, and the provider (which honours
//! `Idempotency-Key`) takes it once.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use notification::domain::state;
use platform::events::{EventBus, InProcessBus};
use platform::testing::{free_port, wait_until_serving};
use serde_json::json;

use crate::delivery::{Flaky, wait_for_status};
use crate::helpers::{Provider, TestApp, admin, otp, spawn_app_with};

fn spawn_binary(app: &TestApp, port: u16, gateway: SocketAddr, data: &std::path::Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_notification"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("PORT", port.to_string())
        .env("DATA_DIR", data)
        .env("DATABASE_URL", &app.database.url)
        .env("JWT_PUBLIC_KEY_PATH", app.keys.public_key_path())
        .env("SMS_TRANSPORT", "http")
        .env("SMS_HTTP_URL", format!("http://{gateway}/send"))
        .env("NOTIFICATION_ATTEMPT_TIMEOUT_SECS", "2")
        .env("NOTIFICATION_POLL_MS", "50")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the notification binary starts")
}

#[tokio::test]
async fn the_binary_killed_mid_delivery_and_restarted_delivers_once() {
    // A DEAD OTP SMS, made by the service in this process (its provider refused).
    let app = spawn_app_with(
        EventBus::InProcess(InProcessBus::new()),
        |dir| {
            let mut channels = notification::domain::Channels::sink(dir);
            channels.sms = Arc::new(Flaky::always_failing(dir));
            Some(channels)
        },
        |config| config.delivery.max_attempts = 1,
    )
    .await;
    app.publish(&otp("naruto", "PHONE", "+6281234567890", "042137"))
        .await;
    let dead = wait_for_status(&app, state::DEAD).await;
    app.stop();

    // The binary takes over; an admin resends; the gateway hangs on it.
    let gateway = Provider::start("/send", 0).await;
    gateway.hang.store(true, Ordering::SeqCst);
    let gateway_addr = gateway.addr;
    let data = tempfile::tempdir().expect("a data folder");
    let port = free_port();
    let mut first = spawn_binary(&app, port, gateway_addr, data.path());
    wait_until_serving(&app.http, port).await;
    let resent: serde_json::Value = app
        .http
        .post(format!("http://127.0.0.1:{port}/graphql"))
        .bearer_auth(admin())
        .json(&json!({
            "query": "mutation($id: String!) { resendNotification(messageId: $id) { status } }",
            "variables": { "id": dead.id }
        }))
        .send()
        .await
        .expect("the binary answers")
        .json()
        .await
        .expect("JSON");
    assert_eq!(
        resent["data"]["resendNotification"]["status"], "PENDING",
        "{resent}"
    );
    let started = Instant::now();
    while gateway.requests().is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the gateway was never called"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // Killed while the gateway holds the request.
    first.kill().expect("killed");
    first.wait().expect("reaped");
    assert_eq!(
        wait_for_status(&app, state::PENDING).await.attempts,
        1,
        "the attempt was claimed and never finished"
    );

    // Started again, with the gateway answering: the claim expires, the message is
    // sent again under the same id, and recorded SENT.
    gateway.hang.store(false, Ordering::SeqCst);
    let mut second = spawn_binary(&app, port, gateway_addr, data.path());
    let sent = wait_for_status(&app, state::SENT).await;
    second.kill().expect("killed");
    second.wait().expect("reaped");
    assert_eq!(sent.id, dead.id);
    assert_eq!(sent.attempts, 2);
    let keys: Vec<String> = gateway
        .requests()
        .iter()
        .map(|r| r.idempotency_key().to_owned())
        .collect();
    assert_eq!(keys.len(), 2, "the interrupted request, then the retry");
    assert_eq!(
        keys.iter().collect::<HashSet<_>>(),
        HashSet::from([&dead.id]),
        "both under the message's id: one SMS at a provider honouring the key"
    );
}
