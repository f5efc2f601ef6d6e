//! Audit suite `node`: a `Node` interface every subgraph declares, its objects
//! completed from the subgraph that has their fields.

use serde_json::json;

use crate::fixture::{Fixture, subgraph};
use crate::scenarios::check;

pub fn fixture() -> Fixture {
    let ids = json!({ "Product": [{ "id": "p-1" }], "Category": [{ "id": "c-1" }] });
    Fixture::new(vec![
        subgraph(
            "node",
            r#"
            type Query { productNode: Node categoryNode: Node }
            interface Node { id: ID! }
            type Product implements Node @key(fields: "id") { id: ID! }
            type Category implements Node @key(fields: "id") { id: ID! }
            "#,
            json!({
                "Query": {
                    "productNode": { "__typename": "Product", "id": "p-1" },
                    "categoryNode": { "__typename": "Category", "id": "c-1" },
                },
                "entities": ids.clone(),
            }),
        ),
        subgraph(
            "node-two",
            r#"
            interface Node { id: ID! }
            type Product implements Node @key(fields: "id") { id: ID! }
            type Category implements Node @key(fields: "id") { id: ID! }
            "#,
            json!({ "entities": ids }),
        ),
        subgraph(
            "types",
            r#"
            interface Node { id: ID! }
            type Product implements Node @key(fields: "id") @shareable { id: ID! name: String! price: Float! }
            type Category implements Node @key(fields: "id") { id: ID! name: String! }
            "#,
            json!({ "entities": {
                "Product": [{ "id": "p-1", "name": "Product 1", "price": 10 }],
                "Category": [{ "id": "c-1", "name": "Category 1" }],
            }}),
        ),
    ])
}

#[tokio::test]
async fn a_node_is_completed_from_the_subgraph_with_its_fields() {
    let running = fixture().start().await;
    check(
        &running,
        "audit_node_1",
        "{ productNode { ... on Product { id name __typename price } } }",
        json!({}),
        json!({ "data": { "productNode": { "id": "p-1", "name": "Product 1", "__typename": "Product", "price": 10 } } }),
    )
    .await;
    check(
        &running,
        "audit_node_2",
        "{ categoryNode { id ... on Category { name } } }",
        json!({}),
        json!({ "data": { "categoryNode": { "id": "c-1", "name": "Category 1" } } }),
    )
    .await;
}
