//! Federation 1 subgraphs (`extend type` with `@external` keys), composed into a
//! join v0.3 supergraph.

use serde_json::json;

use super::check;
use crate::fixture::{Fixture, subgraph};

pub fn fixture() -> Fixture {
    Fixture::new(vec![
        subgraph(
            "products",
            r#"
            # fed1
            type Query { topProducts: [Product] }
            type Product @key(fields: "upc") { upc: String! name: String }
            "#,
            json!({
                "Query": { "topProducts": [{ "upc": "1" }, { "upc": "2" }] },
                "entities": { "Product": [{ "upc": "1", "name": "Table" }, { "upc": "2", "name": "Couch" }] },
            }),
        ),
        subgraph(
            "inventory",
            r#"
            # fed1
            extend type Product @key(fields: "upc") {
              upc: String! @external
              inStock: Boolean
              notes: [Note]
            }
            type Note { body: String }
            "#,
            json!({
                "entities": { "Product": [
                    { "upc": "1", "inStock": true, "notes": [{ "body": "kayu jati" }] },
                    { "upc": "2", "inStock": false, "notes": [] },
                ]},
            }),
        ),
    ])
}

#[tokio::test]
async fn an_extended_type_resolves_through_its_external_key() {
    let running = fixture().start().await;
    check(
        &running,
        "fed1_extend_type",
        "{ topProducts { upc name inStock notes { body } } }",
        json!({}),
        json!({ "data": { "topProducts": [
            { "upc": "1", "name": "Table", "inStock": true, "notes": [{ "body": "kayu jati" }] },
            { "upc": "2", "name": "Couch", "inStock": false, "notes": [] },
        ]}}),
    )
    .await;
}
