//! Audit suite `corrupted-supergraph-node-id`: a shared `node` root field whose
//! implementations' `id` is `@external` in one subgraph each. Each type's fields
//! go to the subgraph that resolves them; `Node.id` for any node cannot be
//! planned, and the router says so instead of returning wrong ids.

use serde_json::json;

use crate::fixture::{Fixture, subgraph};
use crate::scenarios::check;

pub fn fixture() -> Fixture {
    Fixture::new(vec![
        subgraph(
            "a",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external"])
            type Query { node(id: ID!): Node @shareable account(id: String!): Account }
            interface Node { id: ID! }
            type Account implements Node @key(fields: "id") { id: ID! username: String! }
            type Chat implements Node @key(fields: "id") { id: ID! @external account: Account! }
            "#,
            json!({
                "Query": {
                    "node(id:\"a1\")": { "__typename": "Account", "id": "a1", "username": "a1-username" },
                    "node(id:\"c1\")": { "__typename": "Chat", "id": "never", "account": { "id": "a1" } },
                    "account(id:\"a1\")": { "__typename": "Account", "id": "a1", "username": "a1-username" },
                },
                "entities": {
                    "Account": [{ "id": "a1", "username": "a1-username" }],
                    "Chat": [{ "id": "c1", "account": { "id": "a1", "username": "a1-username" } }],
                },
            }),
        ),
        subgraph(
            "b",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external"])
            type Query { node(id: ID!): Node @shareable chat(id: String!): Chat }
            interface Node { id: ID! }
            type Account implements Node @key(fields: "id") { id: ID! @external chats: [Chat!]! }
            type Chat implements Node @key(fields: "id") { id: ID! text: String! }
            "#,
            json!({
                "Query": {
                    "node(id:\"a1\")": { "__typename": "Account", "id": "never", "chats": [{ "id": "c1", "text": "c1-text" }] },
                    "node(id:\"c1\")": { "__typename": "Chat", "id": "c1", "text": "c1-text" },
                    "chat(id:\"c1\")": { "__typename": "Chat", "id": "c1", "text": "c1-text" },
                },
                "entities": {
                    "Account": [{ "id": "a1", "chats": [{ "id": "c1", "text": "c1-text" }] }],
                    "Chat": [{ "id": "c1", "text": "c1-text" }],
                },
            }),
        ),
    ])
}

#[tokio::test]
async fn each_type_of_a_shared_node_goes_to_the_subgraph_that_resolves_it() {
    let running = fixture().start().await;
    let cases = [
        (
            "audit_corrupted_node_id_2",
            r#"{ account: node(id: "a1") { __typename } chat: node(id: "c1") { __typename } }"#,
            json!({ "account": { "__typename": "Account" }, "chat": { "__typename": "Chat" } }),
        ),
        (
            "audit_corrupted_node_id_3",
            r#"{ account: node(id: "a1") { ... on Account { id username } } chat: node(id: "c1") { ... on Chat { id text } } }"#,
            json!({ "account": { "id": "a1", "username": "a1-username" }, "chat": { "id": "c1", "text": "c1-text" } }),
        ),
        (
            "audit_corrupted_node_id_4",
            r#"{ account: node(id: "a1") { ... on Chat { id } } chat: node(id: "c1") { ... on Account { id } } }"#,
            json!({ "account": {}, "chat": {} }),
        ),
        (
            "audit_corrupted_node_id_5",
            r#"{ account: node(id: "a1") { __typename ... on Chat { id } } chat: node(id: "c1") { __typename ... on Account { id } } }"#,
            json!({ "account": { "__typename": "Account" }, "chat": { "__typename": "Chat" } }),
        ),
        (
            "audit_corrupted_node_id_7",
            r#"{ chat(id: "c1") { id } }"#,
            json!({ "chat": { "id": "c1" } }),
        ),
        (
            "audit_corrupted_node_id_8",
            r#"{ account(id: "a1") { id } }"#,
            json!({ "account": { "id": "a1" } }),
        ),
        (
            "audit_corrupted_node_id_9",
            r#"{ chat(id: "c1") { id text account { id } } }"#,
            json!({ "chat": { "id": "c1", "text": "c1-text", "account": { "id": "a1" } } }),
        ),
        (
            "audit_corrupted_node_id_10",
            r#"{ account(id: "a1") { id username chats { id } } }"#,
            json!({ "account": { "id": "a1", "username": "a1-username", "chats": [{ "id": "c1" }] } }),
        ),
    ];
    for (name, query, data) in cases {
        check(&running, name, query, json!({}), json!({ "data": data })).await;
    }
}

#[tokio::test]
async fn an_interface_field_no_subgraph_resolves_for_every_type_is_an_error() {
    let running = fixture().start().await;
    for query in [
        r#"{ node(id: "a1") { id } }"#,
        r#"{ account: node(id: "a1") { id ... on Chat { id } } chat: node(id: "c1") { __typename ... on Account { id } } }"#,
    ] {
        let (response, _) = running.query(query, json!({})).await;
        assert!(
            response.get("data").is_none_or(serde_json::Value::is_null),
            "{response}"
        );
        assert!(
            response["errors"].as_array().is_some_and(|e| !e.is_empty()),
            "{response}"
        );
        assert_eq!(
            running.count("a") + running.count("b"),
            0,
            "nothing fetched"
        );
    }
}
