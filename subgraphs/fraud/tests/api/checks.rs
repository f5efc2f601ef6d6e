//! Seed 001's thresholds, the velocity rules, and who may ask.

use futures::future::join_all;
use platform::testing::error_code;
use serde_json::json;

use crate::helpers::{spawn_app, spawn_app_with};

#[tokio::test]
async fn amounts_are_safe_suspicious_above_ten_million_and_fraud_above_fifty_million() {
    let app = spawn_app().await;
    assert_eq!(app.status("u1", 10_000_000.0).await, "SAFE");
    assert_eq!(app.status("u2", 10_000_001.0).await, "SUSPICIOUS");
    assert_eq!(app.status("u3", 50_000_000.0).await, "SUSPICIOUS");
    let body = app.check("u4", 50_000_001.0, None).await;
    let result = &body["data"]["checkFraud"];
    assert_eq!(result["status"], "FRAUD", "{body}");
    assert_eq!(result["is_fraud"], true);
    assert_eq!(result["rule"], "AMOUNT_REJECT");
    assert!(
        result["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("Rp 50.000.000")
    );
}

#[tokio::test]
async fn every_check_is_logged() {
    let app = spawn_app().await;
    app.status("naruto", 20_000.0).await;
    app.status("naruto", 20_000_000.0).await;
    app.status("sasuke", 60_000_000.0).await;
    let logs = app.logs("").await;
    let statuses: Vec<&str> = logs
        .as_array()
        .expect("a list")
        .iter()
        .map(|l| l["status"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        statuses,
        ["FRAUD", "SUSPICIOUS", "SAFE"],
        "newest first: {logs}"
    );
    assert_eq!(logs[0]["checkedBy"], "transaction");
    assert_eq!(
        app.logs("(status: \"FRAUD\")")
            .await
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    assert_eq!(
        app.logs("(userId: \"naruto\")")
            .await
            .as_array()
            .map(Vec::len),
        Some(2)
    );
}

#[tokio::test]
async fn too_many_checks_in_the_window_are_fraud_until_the_window_passes() {
    let app = spawn_app_with(|c| c.rules.velocity_max_count = 3).await;
    for _ in 0..3 {
        assert_eq!(app.status("naruto", 1_000.0).await, "SAFE");
    }
    let body = app.check("naruto", 1_000.0, None).await;
    assert_eq!(
        body["data"]["checkFraud"]["rule"], "VELOCITY_COUNT",
        "{body}"
    );
    assert_eq!(app.status("sasuke", 1_000.0).await, "SAFE", "per user");
    app.clock.advance(chrono::Duration::seconds(61));
    assert_eq!(app.status("naruto", 1_000.0).await, "SAFE");
}

#[tokio::test]
async fn parallel_checks_cannot_slip_past_the_velocity_rule_together() {
    let app = spawn_app_with(|c| c.rules.velocity_max_count = 10).await;
    let answers = join_all((0..30).map(|_| app.status("naruto", 1_000.0))).await;
    let safe = answers.iter().filter(|s| *s == "SAFE").count();
    assert_eq!((safe, answers.len() - safe), (10, 20));
}

#[tokio::test]
async fn moving_too_much_in_a_day_is_fraud() {
    let app = spawn_app_with(|c| c.rules.daily_max_amount = 30_000_000).await;
    assert_eq!(app.status("naruto", 20_000_000.0).await, "SUSPICIOUS");
    let body = app.check("naruto", 10_000_001.0, None).await;
    assert_eq!(body["data"]["checkFraud"]["rule"], "DAILY_AMOUNT", "{body}");
    app.clock.advance(chrono::Duration::hours(25));
    assert_eq!(app.status("naruto", 10_000_001.0).await, "SUSPICIOUS");
}

#[tokio::test]
async fn a_transaction_is_checked_once() {
    let app = spawn_app().await;
    let first = app.check("naruto", 20_000_000.0, Some("trx-1")).await;
    let again = app.check("naruto", 20_000_000.0, Some("trx-1")).await;
    assert_eq!(first["data"], again["data"], "the first verdict");
    assert_eq!(app.logs("").await.as_array().map(Vec::len), Some(1));
    let forged = app.check("naruto", 1_000.0, Some("trx-1")).await;
    assert_eq!(error_code(&forged), "CONFLICT");
}

#[tokio::test]
async fn users_even_admins_cannot_forge_a_fraud_check() {
    let app = spawn_app().await;
    let query = r#"mutation { checkFraud(userId: "naruto", amount: 1000) { status } }"#;
    for (token, expected) in [
        (Some(app.user("naruto")), "FORBIDDEN"),
        (Some(app.admin()), "FORBIDDEN"),
        (None, "UNAUTHENTICATED"),
    ] {
        let body = app.graphql(token.as_deref(), query, json!({})).await;
        assert_eq!(error_code(&body), expected, "{body}");
    }
    assert_eq!(app.logs("").await, json!([]), "nothing logged");
}

#[tokio::test]
async fn amounts_that_are_not_positive_whole_rupiah_are_refused() {
    let app = spawn_app().await;
    for amount in [0.0, -1.0, 1.5] {
        let body = app.check("naruto", amount, None).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{amount}");
    }
    assert_eq!(app.logs("").await, json!([]));
}
