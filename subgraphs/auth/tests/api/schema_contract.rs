//! `schema/auth.graphql` is the contract: the served SDL must equal it.

use platform::testing::{SERVICE_SDL, assert_served_contract};
use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn the_served_sdl_is_the_contract() {
    let app = spawn_app().await;
    let body = app.graphql(None, SERVICE_SDL, json!({})).await;
    assert_served_contract(&body, &auth::graphql::sdl(), "auth");
}

#[tokio::test]
async fn the_contract_is_federation_v2_with_user_as_an_entity() {
    let sdl = auth::graphql::sdl();
    assert!(
        sdl.contains("@link(\n\turl: \"https://specs.apollo.dev/federation/v2"),
        "{sdl}"
    );
    assert!(sdl.contains("type User @key(fields: \"user_id\")"));
    assert!(sdl.contains("internalUser(userId: String!): User @inaccessible"));
    for operation in [
        "registerUser(",
        "loginUser(email: String!, password: String!): LoginResponse\n",
        "myProfile(token: String): User\n",
    ] {
        assert!(sdl.contains(operation), "missing `{operation}` in\n{sdl}");
    }
}
