//! Fraud logs are for admins: listing and deleting.

use platform::testing::error_code;
use serde_json::json;

use crate::helpers::{spawn_app, spawn_app_with};

#[tokio::test]
async fn only_admins_see_fraud_logs() {
    let app = spawn_app().await;
    app.status("naruto", 60_000_000.0).await;
    let query = "{ getFraudLogs { logId } }";
    let as_user = app
        .graphql(Some(&app.user("naruto")), query, json!({}))
        .await;
    assert_eq!(error_code(&as_user), "FORBIDDEN");
    let anonymous = app.graphql(None, query, json!({})).await;
    assert_eq!(error_code(&anonymous), "UNAUTHENTICATED");
    let as_admin = app.graphql(Some(&app.admin()), query, json!({})).await;
    assert_eq!(
        as_admin["data"]["getFraudLogs"].as_array().map(Vec::len),
        Some(1)
    );
}

#[tokio::test]
async fn an_admin_deletes_a_log_which_disappears_from_the_list_but_still_counts() {
    let app = spawn_app_with(|c| c.rules.velocity_max_count = 2).await;
    app.status("naruto", 1_000.0).await;
    app.status("naruto", 1_000.0).await;
    let logs = app.logs("").await;
    let log_id = logs[0]["logId"].as_str().expect("a log id").to_owned();
    let delete = "mutation($l: String!) { deleteFraudLog(logId: $l) }";

    let by_user = app
        .graphql(Some(&app.user("naruto")), delete, json!({ "l": log_id }))
        .await;
    assert_eq!(error_code(&by_user), "FORBIDDEN");

    let deleted = app
        .graphql(Some(&app.admin()), delete, json!({ "l": log_id }))
        .await;
    assert_eq!(
        deleted["data"]["deleteFraudLog"],
        format!("Fraud log {log_id} deleted."),
        "{deleted}"
    );
    assert_eq!(app.logs("").await.as_array().map(Vec::len), Some(1));
    // Deleting does not reset the velocity count.
    let body = app.check("naruto", 1_000.0, None).await;
    assert_eq!(
        body["data"]["checkFraud"]["rule"], "VELOCITY_COUNT",
        "{body}"
    );

    let again = app
        .graphql(Some(&app.admin()), delete, json!({ "l": log_id }))
        .await;
    assert_eq!(error_code(&again), "NOT_FOUND");
}
