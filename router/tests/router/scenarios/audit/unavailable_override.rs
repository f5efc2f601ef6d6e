//! Audit suite `unavailable-override`: `@override(from:)` names a subgraph that
//! is not in the supergraph; the field stays shared by both subgraphs.
//! (Subgraph a is written from the suite's expected plans.)

use serde_json::json;

use crate::fixture::{Fixture, subgraph};
use crate::scenarios::check;

pub fn fixture() -> Fixture {
    let post = |id: &str| json!({ "id": id, "createdAt": format!("{id}-createdAt") });
    Fixture::new(vec![
        subgraph(
            "a",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
            type Post @key(fields: "id") { id: ID! createdAt: String! @shareable }
            type Query { feed: [Post] @shareable aFeed: [Post] }
            "#,
            json!({
                "Query": { "feed": [post("p1"), post("p2")], "aFeed": [post("p2")] },
                "entities": { "Post": [post("p1"), post("p2")] },
            }),
        ),
        subgraph(
            "b",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@override", "@shareable"])
            type Post @key(fields: "id") { id: ID! createdAt: String! @override(from: "non-existing") @shareable }
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
async fn an_override_from_a_missing_subgraph_keeps_the_field_shared() {
    let running = fixture().start().await;
    check(
        &running,
        "audit_unavailable_override_1",
        "{ feed { createdAt } }",
        json!({}),
        json!({ "data": { "feed": [{ "createdAt": "p1-createdAt" }, { "createdAt": "p2-createdAt" }] } }),
    )
    .await;
    check(
        &running,
        "audit_unavailable_override_2",
        "{ aFeed { createdAt } bFeed { createdAt } }",
        json!({}),
        json!({ "data": {
            "aFeed": [{ "createdAt": "p2-createdAt" }],
            "bFeed": [{ "createdAt": "p1-createdAt" }],
        }}),
    )
    .await;
}
