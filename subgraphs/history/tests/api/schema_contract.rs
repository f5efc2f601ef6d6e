//! `schema/history.graphql` is the contract: the served SDL must equal it.

use platform::testing::{SERVICE_SDL, assert_served_contract};
use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn the_served_sdl_is_the_contract() {
    let app = spawn_app().await;
    let body = app.graphql(None, SERVICE_SDL, json!({})).await;
    assert_served_contract(&body, &history::graphql::sdl(), "history");
}

#[tokio::test]
async fn the_contract_has_seed_001s_operations_and_hides_add_history() {
    let sdl = history::graphql::sdl();
    for line in [
        "type History @key(fields: \"historyId\")",
        "): [History]\n",
        "deleteHistory(historyId: String!): Boolean\n",
        "type User @key(fields: \"user_id\")",
    ] {
        assert!(sdl.contains(line), "missing `{line}` in\n{sdl}");
    }
    let add = sdl
        .lines()
        .find(|l| l.trim_start().starts_with("addHistory("))
        .expect("addHistory is declared");
    assert!(add.ends_with("@inaccessible"), "{add}");
}
