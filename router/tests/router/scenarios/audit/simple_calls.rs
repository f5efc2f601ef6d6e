//! Audit suites `simple-entity-call` and `simple-override`. (Subgraphs nickname
//! and a are written from the suites' queries and expected plans.)

use serde_json::json;

use crate::fixture::{Fixture, subgraph};
use crate::scenarios::check;

pub fn entity_call() -> Fixture {
    Fixture::new(vec![
        subgraph(
            "email",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.0", import: ["@key", "@shareable"])
            type Query { user: User }
            type User @key(fields: "id") { id: ID! email: String! @shareable }
            "#,
            json!({ "Query": { "user": { "id": "u1", "email": "u1@example.com" } } }),
        ),
        subgraph(
            "nickname",
            r#"
            type User @key(fields: "email") { email: String! nickname: String! }
            "#,
            json!({ "entities": { "User": [{ "email": "u1@example.com", "nickname": "u1-nickname" }] } }),
        ),
    ])
}

pub fn overrides() -> Fixture {
    let post = |id: &str| json!({ "id": id, "createdAt": format!("{id}-createdAt") });
    Fixture::new(vec![
        subgraph(
            "a",
            r#"
            type Post @key(fields: "id") { id: ID! createdAt: String! @shareable }
            type Query { feed: [Post] @shareable aFeed: [Post] }
            "#,
            json!({
                "Query": { "feed": [post("p1"), post("p2")], "aFeed": [{ "id": "p2", "createdAt": { "$error": "overridden" } }] },
                "entities": { "Post": [post("p1"), post("p2")] },
            }),
        ),
        subgraph(
            "b",
            r#"
            type Post @key(fields: "id") { id: ID! createdAt: String! @override(from: "a") @shareable }
            type Query { feed: [Post] @shareable bFeed: [Post] }
            "#,
            json!({
                "Query": { "feed": [post("p1"), post("p2")], "bFeed": [post("p1")] },
                "entities": { "Post": [post("p1"), post("p2")] },
            }),
        ),
    ])
}

#[tokio::test]
async fn an_entity_is_reached_by_a_key_of_another_field() {
    let running = entity_call().start().await;
    check(
        &running,
        "audit_simple_entity_call_1",
        "{ user { id nickname } }",
        json!({}),
        json!({ "data": { "user": { "id": "u1", "nickname": "u1-nickname" } } }),
    )
    .await;
}

#[tokio::test]
async fn an_overridden_field_comes_from_its_new_owner_even_where_the_old_one_is() {
    let running = overrides().start().await;
    check(
        &running,
        "audit_simple_override_1",
        "{ feed { createdAt } }",
        json!({}),
        json!({ "data": { "feed": [{ "createdAt": "p1-createdAt" }, { "createdAt": "p2-createdAt" }] } }),
    )
    .await;
    check(
        &running,
        "audit_simple_override_2",
        "{ aFeed { createdAt } bFeed { createdAt } }",
        json!({}),
        json!({ "data": { "aFeed": [{ "createdAt": "p2-createdAt" }], "bFeed": [{ "createdAt": "p1-createdAt" }] } }),
    )
    .await;
}
