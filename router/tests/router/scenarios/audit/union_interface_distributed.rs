//! Audit suite `union-interface-distributed`: a type implements an interface in
//! one subgraph only; fragments on the interface must still reach its objects
//! that come from the other. (Subgraph b is written from the suite's queries.)

use serde_json::json;

use crate::fixture::{Fixture, subgraph};
use crate::scenarios::check;

pub fn fixture() -> Fixture {
    let oven = |id: &str| json!({ "__typename": "Oven", "id": id });
    let toaster = |id: &str, warranty: i64| json!({ "__typename": "Toaster", "id": id, "warranty": warranty });
    Fixture::new(vec![
        subgraph(
            "a",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@shareable", "@key"])
            type Query { products: [Product] node(id: ID!): Node nodes: [Node] toasters: [Toaster] }
            union Product = Oven | Toaster
            interface Node { id: ID! }
            type Oven @key(fields: "id") { id: ID! }
            type Toaster implements Node @key(fields: "id") { id: ID! warranty: Int }
            "#,
            json!({
                "Query": {
                    "products": [oven("oven1"), oven("oven2"), toaster("toaster1", 3), toaster("toaster2", 4)],
                    "node(id:\"oven1\")": oven("oven1"),
                    "node(id:\"toaster1\")": toaster("toaster1", 3),
                    "nodes": [toaster("toaster1", 3), toaster("toaster2", 4)],
                    "toasters": [toaster("toaster1", 3), toaster("toaster2", 4)],
                },
                "entities": {
                    "Oven": [oven("oven1"), oven("oven2")],
                    "Toaster": [toaster("toaster1", 3), toaster("toaster2", 4)],
                },
            }),
        ),
        subgraph(
            "b",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@shareable", "@key"])
            interface Node { id: ID! }
            type Oven implements Node @key(fields: "id") { id: ID! warranty: Int }
            "#,
            json!({ "entities": { "Oven": [
                { "id": "oven1", "warranty": 1 },
                { "id": "oven2", "warranty": 2 },
            ]}}),
        ),
    ])
}

#[tokio::test]
async fn interface_fragments_reach_objects_that_implement_it_elsewhere() {
    let running = fixture().start().await;
    let cases = [
        (
            "audit_union_interface_distributed_1",
            "{ products { ... on Node { id } } }",
            json!({ "data": { "products": [
                { "id": "oven1" }, { "id": "oven2" }, { "id": "toaster1" }, { "id": "toaster2" },
            ]}}),
        ),
        (
            "audit_union_interface_distributed_2",
            "{ nodes { ... on Toaster { warranty } ... on Oven { id } } }",
            json!({ "data": { "nodes": [{ "warranty": 3 }, { "warranty": 4 }] } }),
        ),
        (
            "audit_union_interface_distributed_3",
            "{ nodes { id } }",
            json!({ "data": { "nodes": [{ "id": "toaster1" }, { "id": "toaster2" }] } }),
        ),
        (
            "audit_union_interface_distributed_4",
            "{ toasters { ...T ...N } } fragment T on Toaster { id } fragment N on Node { id __typename }",
            json!({ "data": { "toasters": [
                { "id": "toaster1", "__typename": "Toaster" },
                { "id": "toaster2", "__typename": "Toaster" },
            ]}}),
        ),
        (
            "audit_union_interface_distributed_7",
            r#"{ node(id: "toaster1") { ... on Toaster { warranty } } }"#,
            json!({ "data": { "node": { "warranty": 3 } } }),
        ),
    ];
    for (name, query, expected) in cases {
        check(&running, name, query, json!({}), expected).await;
    }
}

/// Subgraph a answers `node` with an object that is not a `Node` there: its
/// error comes through and `node` is null.
#[tokio::test]
async fn an_object_the_subgraph_cannot_return_there_is_its_error() {
    let running = fixture().start().await;
    for fragment in ["... on Oven { warranty }", "... on Toaster { warranty }"] {
        let (response, _) = running
            .query(
                &format!(r#"{{ node(id: "oven1") {{ {fragment} }} }}"#),
                json!({}),
            )
            .await;
        assert_eq!(response["data"], json!({ "node": null }), "{response}");
        assert!(response["errors"].as_array().is_some_and(|e| !e.is_empty()));
    }
}
