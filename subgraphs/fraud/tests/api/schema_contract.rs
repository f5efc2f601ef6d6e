//! `schema/fraud.graphql` is the contract: the served SDL must equal it.

use platform::testing::{SERVICE_SDL, assert_served_contract};
use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn the_served_sdl_is_the_contract() {
    let app = spawn_app().await;
    let body = app.graphql(None, SERVICE_SDL, json!({})).await;
    assert_served_contract(&body, &fraud::graphql::sdl(), "fraud");
}

#[tokio::test]
async fn the_contract_has_seed_001s_operations_and_hides_the_check() {
    let sdl = fraud::graphql::sdl();
    for line in [
        "getFraudLogs(",
        "): [FraudLog]\n",
        "deleteFraudLog(logId: String!): String\n",
        "is_fraud: Boolean!",
    ] {
        assert!(sdl.contains(line), "missing `{line}` in\n{sdl}");
    }
    let check = sdl
        .lines()
        .find(|l| l.trim_start().starts_with("checkFraud("))
        .expect("checkFraud is declared");
    assert!(check.ends_with("@inaccessible"), "{check}");
}
