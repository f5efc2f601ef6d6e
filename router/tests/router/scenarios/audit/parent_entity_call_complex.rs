//! Audit suite `parent-entity-call-complex`: one object whose fields come from
//! three places — a value-type field through its parent entity in one subgraph,
//! the key of the object from another, and a field of the object by that key from
//! a third. (Subgraphs b and d are written from the suite's expected plan.)

use serde_json::json;

use crate::fixture::{Fixture, subgraph};
use crate::scenarios::check;

pub fn fixture() -> Fixture {
    Fixture::new(vec![
        subgraph(
            "a",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@shareable"])
            type Product @key(fields: "id") { id: ID @external category: Category @shareable }
            type Category { details: String }
            "#,
            json!({ "entities": { "Product": [
                { "id": "1", "category": { "details": "Details for Product#1" } },
            ]}}),
        ),
        subgraph(
            "b",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
            type Product @key(fields: "id") { id: ID category: Category @shareable }
            type Category @key(fields: "id", resolvable: false) { id: ID }
            "#,
            json!({ "entities": { "Product": [{ "id": "1", "category": { "id": "3" } }] } }),
        ),
        subgraph(
            "c",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
            type Category @key(fields: "id") { id: ID name: String }
            "#,
            json!({ "entities": { "Category": [{ "id": "3", "name": "Category#3" }] } }),
        ),
        subgraph(
            "d",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
            type Query { productFromD(id: ID!): Product }
            type Product @key(fields: "id") { id: ID name: String }
            "#,
            json!({
                "Query": { "productFromD(id:\"1\")": { "id": "1", "name": "Product#1" } },
                "entities": { "Product": [{ "id": "1", "name": "Product#1" }] },
            }),
        ),
    ])
}

#[tokio::test]
async fn an_object_assembled_from_its_parent_entity_its_key_and_an_entity_call() {
    let running = fixture().start().await;
    check(
        &running,
        "audit_parent_entity_call_complex",
        r#"{ productFromD(id: "1") { id name category { id name details } } }"#,
        json!({}),
        json!({ "data": { "productFromD": {
            "id": "1",
            "name": "Product#1",
            "category": { "id": "3", "name": "Category#3", "details": "Details for Product#1" },
        }}}),
    )
    .await;
}
