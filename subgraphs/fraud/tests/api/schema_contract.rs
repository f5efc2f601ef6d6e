//! `schema/fraud.graphql` is the contract: the served SDL must equal it.

use std::path::Path;

use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn the_served_sdl_is_the_contract() {
    let app = spawn_app().await;
    let body = app.graphql(None, "{ _service { sdl } }", json!({})).await;
    let served = body["data"]["_service"]["sdl"].as_str().expect("an SDL");
    assert_eq!(
        served,
        fraud::graphql::sdl(),
        "served SDL is the exported one"
    );
    let contract = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema/fraud.graphql");
    platform::testing::assert_schema_contract(served, &contract);
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
