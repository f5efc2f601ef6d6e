//! Audit suite `override-type-interface`: an overridden field of an object that
//! implements different interfaces in each subgraph; the old owner is never
//! asked for it.

use serde_json::json;

use crate::fixture::{Fixture, subgraph};
use crate::scenarios::check;

pub fn fixture() -> Fixture {
    let image = |id: &str| json!({ "__typename": "ImagePost", "id": id, "createdAt": format!("{id}-createdAt") });
    let text = |id: &str| json!({ "__typename": "TextPost", "id": id, "createdAt": format!("{id}-createdAt"), "body": format!("{id}-body") });
    Fixture::new(vec![
        subgraph(
            "a",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
            interface Post { id: ID! createdAt: String! }
            type ImagePost implements Post @key(fields: "id") { id: ID! createdAt: String! }
            type Query { feed: [Post] }
            "#,
            json!({
                "Query": { "feed": [
                    { "__typename": "ImagePost", "id": "i1", "createdAt": { "$error": "NEVER" } },
                    { "__typename": "ImagePost", "id": "i2", "createdAt": { "$error": "NEVER" } },
                ]},
                "entities": { "ImagePost": [
                    { "id": "i1", "createdAt": { "$error": "NEVER" } },
                    { "id": "i2", "createdAt": { "$error": "NEVER" } },
                ]},
            }),
        ),
        subgraph(
            "b",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@override"])
            interface Post { id: ID! createdAt: String! }
            type TextPost implements Post @key(fields: "id") { id: ID! createdAt: String! body: String! }
            interface AnotherPost { id: ID! createdAt: String! }
            type ImagePost implements AnotherPost @key(fields: "id") { id: ID! createdAt: String! @override(from: "a") }
            type Query { anotherFeed: [AnotherPost] }
            "#,
            json!({
                "Query": { "anotherFeed": [image("i1"), image("i2")] },
                "entities": { "TextPost": [text("t1"), text("t2")], "ImagePost": [image("i1"), image("i2")] },
            }),
        ),
    ])
}

#[tokio::test]
async fn an_overridden_field_is_asked_of_its_new_owner_only() {
    let running = fixture().start().await;
    let cases = [
        (
            "audit_override_type_interface_1",
            "{ feed { id createdAt } }",
            json!({ "feed": [{ "id": "i1", "createdAt": "i1-createdAt" }, { "id": "i2", "createdAt": "i2-createdAt" }] }),
        ),
        (
            "audit_override_type_interface_2",
            "{ feed { ... on TextPost { id body } } }",
            json!({ "feed": [{}, {}] }),
        ),
        (
            "audit_override_type_interface_3",
            "{ anotherFeed { createdAt } }",
            json!({ "anotherFeed": [{ "createdAt": "i1-createdAt" }, { "createdAt": "i2-createdAt" }] }),
        ),
        (
            "audit_override_type_interface_4",
            "{ anotherFeed { createdAt id ... on ImagePost { createdAt id } } }",
            json!({ "anotherFeed": [
                { "createdAt": "i1-createdAt", "id": "i1" },
                { "createdAt": "i2-createdAt", "id": "i2" },
            ]}),
        ),
    ];
    for (name, query, data) in cases {
        check(&running, name, query, json!({}), json!({ "data": data })).await;
    }
}
