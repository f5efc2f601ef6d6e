//! Audit suite `non-resolvable-interface-object`: an `@interfaceObject` whose key
//! is not resolvable answers its own fields only where it is the root; a field
//! reachable only through it is a planning error, not a wrong answer.
//! (The subgraphs are written from the suite's expected plans.)

use serde_json::json;

use crate::fixture::{Fixture, subgraph};
use crate::scenarios::check;

pub fn fixture() -> Fixture {
    Fixture::new(vec![
        subgraph(
            "a",
            r#"
            type Query { a: Node product: Product }
            interface Node @key(fields: "id") { id: ID! }
            type Product @key(fields: "id") @interfaceObject { id: ID! }
            "#,
            json!({ "Query": {
                "a": { "__typename": "NotANode", "id": "n1" },
                "product": { "id": "p1" },
            }}),
        ),
        subgraph(
            "b",
            r#"
            type Query { b: Node }
            type Node @key(fields: "id", resolvable: false) @interfaceObject { id: ID! field: String }
            interface Product @key(fields: "id") { id: ID! }
            type Bread implements Product @key(fields: "id") { id: ID! }
            "#,
            json!({
                "Query": { "b": { "id": "n1", "field": "foo" } },
                "entities": {
                    "Product": [{ "__typename": "Bread", "id": "p1" }],
                    "Bread": [{ "id": "p1" }],
                },
            }),
        ),
    ])
}

#[tokio::test]
async fn fields_of_a_non_resolvable_interface_object_only_at_its_own_roots() {
    let running = fixture().start().await;
    let cases = [
        (
            "audit_non_resolvable_io_1",
            "{ b { id field } }",
            json!({ "b": { "id": "n1", "field": "foo" } }),
        ),
        (
            "audit_non_resolvable_io_3",
            "{ b { id } }",
            json!({ "b": { "id": "n1" } }),
        ),
        (
            "audit_non_resolvable_io_5",
            "{ product { id } }",
            json!({ "product": { "id": "p1" } }),
        ),
        (
            "audit_non_resolvable_io_7",
            "{ product { ... on Bread { id } } }",
            json!({ "product": { "id": "p1" } }),
        ),
    ];
    for (name, query, data) in cases {
        check(&running, name, query, json!({}), json!({ "data": data })).await;
    }
}

#[tokio::test]
async fn what_cannot_be_reached_is_an_error() {
    let running = fixture().start().await;
    // No key leads from a's Node to b's `field`: nothing is fetched.
    let (response, _) = running.query("{ a { field } }", json!({})).await;
    assert!(
        response.get("data").is_none_or(serde_json::Value::is_null),
        "{response}"
    );
    assert!(response["errors"].as_array().is_some_and(|e| !e.is_empty()));
    assert_eq!(running.count("a") + running.count("b"), 0);
    // a has no object that is a Node: its answer is an error, `a` is null.
    let (response, _) = running.query("{ a { id } }", json!({})).await;
    assert_eq!(response["data"], json!({ "a": null }), "{response}");
    assert!(response["errors"].as_array().is_some_and(|e| !e.is_empty()));
}
