//! Reading, paging and hiding one's history; nobody forges it.

use platform::testing::error_code;
use serde_json::{Value, json};

use crate::helpers::{admin, history_writer, payment, spawn_app, user};

async fn with_five_payments() -> crate::helpers::TestApp {
    let app = spawn_app().await;
    for i in 1..=5 {
        app.publish(&payment(
            &format!("trx-{i}"),
            "naruto",
            i * 1_000,
            &format!("2026-11-2{i}T08:00:00Z"),
        ))
        .await;
    }
    app.wait_for_history(&user("naruto"), 5).await;
    app
}

fn transaction_ids(entries: &Value) -> Vec<&str> {
    entries
        .as_array()
        .expect("a list")
        .iter()
        .map(|e| {
            e["transactionId"]
                .as_str()
                .or(e["node"]["transactionId"].as_str())
                .unwrap_or_default()
        })
        .collect()
}

#[tokio::test]
async fn my_history_is_newest_first_and_only_mine() {
    let app = with_five_payments().await;
    let history = app.my_history(&user("naruto")).await;
    assert_eq!(
        transaction_ids(&history),
        ["trx-5", "trx-4", "trx-3", "trx-2", "trx-1"]
    );
    assert_eq!(app.my_history(&user("sasuke")).await, json!([]));
    let anonymous = app
        .graphql(None, "{ myHistory { historyId } }", json!({}))
        .await;
    assert_eq!(error_code(&anonymous), "UNAUTHENTICATED");
}

#[tokio::test]
async fn the_history_pages_with_cursors() {
    let app = with_five_payments().await;
    let naruto = user("naruto");
    let query = "query($a: String) { myHistoryPage(first: 2, after: $a) {
        edges { cursor node { transactionId } } pageInfo { hasNextPage endCursor } } }";
    let mut after = Value::Null;
    let mut seen = Vec::new();
    loop {
        let body = app
            .graphql(Some(&naruto), query, json!({ "a": after }))
            .await;
        let page = &body["data"]["myHistoryPage"];
        seen.extend(
            transaction_ids(&page["edges"])
                .into_iter()
                .map(str::to_owned),
        );
        if page["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(seen, ["trx-5", "trx-4", "trx-3", "trx-2", "trx-1"]);
    let garbage = app
        .graphql(Some(&naruto), query, json!({ "a": "not-a-cursor" }))
        .await;
    assert_eq!(error_code(&garbage), "BAD_USER_INPUT");
}

#[tokio::test]
async fn deleting_hides_an_entry_from_its_owner_while_the_audit_record_stays() {
    let app = with_five_payments().await;
    let naruto = user("naruto");
    let history = app.my_history(&naruto).await;
    let id = history[0]["historyId"].as_str().expect("an id").to_owned();
    let delete = "mutation($h: String!) { deleteHistory(historyId: $h) }";

    let by_other = app
        .graphql(Some(&user("sasuke")), delete, json!({ "h": id }))
        .await;
    assert_eq!(error_code(&by_other), "NOT_FOUND");

    let deleted = app.graphql(Some(&naruto), delete, json!({ "h": id })).await;
    assert_eq!(deleted["data"]["deleteHistory"], true, "{deleted}");
    assert_eq!(
        app.my_history(&naruto).await.as_array().map(Vec::len),
        Some(4)
    );
    let again = app.graphql(Some(&naruto), delete, json!({ "h": id })).await;
    assert_eq!(error_code(&again), "NOT_FOUND");

    let audit = app
        .graphql(
            Some(&admin()),
            r#"{ auditHistory(userId: "naruto") { historyId hiddenAt } }"#,
            json!({}),
        )
        .await;
    let trail = audit["data"]["auditHistory"].as_array().expect("a list");
    assert_eq!(trail.len(), 5, "the record stays: {audit}");
    assert!(trail[0]["hiddenAt"].is_string());
    assert!(trail[1]["hiddenAt"].is_null());
    let by_user = app
        .graphql(
            Some(&naruto),
            r#"{ auditHistory(userId: "naruto") { historyId } }"#,
            json!({}),
        )
        .await;
    assert_eq!(error_code(&by_user), "FORBIDDEN");
}

#[tokio::test]
async fn users_even_admins_cannot_forge_history() {
    let app = spawn_app().await;
    let forged = r#"mutation { addHistory(input: {
        transactionId: "fake", userId: "naruto", amount: 1000000, type: "DEPOSIT", status: "SUCCESS"
    }) }"#;
    for (token, expected) in [
        (Some(user("naruto")), "FORBIDDEN"),
        (Some(admin()), "FORBIDDEN"),
        (None, "UNAUTHENTICATED"),
    ] {
        let body = app.graphql(token.as_deref(), forged, json!({})).await;
        assert_eq!(error_code(&body), expected, "{body}");
    }
    assert_eq!(app.my_history(&user("naruto")).await, json!([]));
}

#[tokio::test]
async fn a_service_records_an_entry_once() {
    let app = spawn_app().await;
    let add = r#"mutation { addHistory(input: {
        transactionId: "trx-9", userId: "naruto", amount: 5000, type: "DEPOSIT", status: "SUCCESS"
    }) }"#;
    let first = app.graphql(Some(&history_writer()), add, json!({})).await;
    assert_eq!(first["data"]["addHistory"], true, "{first}");
    let second = app.graphql(Some(&history_writer()), add, json!({})).await;
    assert_eq!(second["data"]["addHistory"], false);
    let history = app.my_history(&user("naruto")).await;
    assert_eq!(history[0]["direction"], "CREDIT");
    let bad = app
        .graphql(
            Some(&history_writer()),
            r#"mutation { addHistory(input: { transactionId: "t", userId: "u", amount: 1.5, type: "DEPOSIT", status: "SUCCESS" }) }"#,
            json!({}),
        )
        .await;
    assert_eq!(error_code(&bad), "BAD_USER_INPUT");
}

#[tokio::test]
async fn the_user_entity_shows_the_users_own_history_only() {
    let app = with_five_payments().await;
    let query = r#"query($r: [_Any!]!) { _entities(representations: $r) { ... on User { history(limit: 2) { transactionId } } } }"#;
    let vars = json!({ "r": [{ "__typename": "User", "user_id": "naruto" }] });
    let mine = app
        .graphql(Some(&user("naruto")), query, vars.clone())
        .await;
    assert_eq!(
        transaction_ids(&mine["data"]["_entities"][0]["history"]),
        ["trx-5", "trx-4"]
    );
    let other = app.graphql(Some(&user("sasuke")), query, vars).await;
    assert_eq!(error_code(&other), "FORBIDDEN");
}
