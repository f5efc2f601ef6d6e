//! Audit suite `mysterious-external`: a Federation 2 subgraph that extends a type
//! (`extend type`) and marks its key `@external` still resolves the key.
//! (Subgraph product is written from the suite's expected plans.)

use serde_json::json;

use crate::fixture::{Fixture, subgraph};
use crate::scenarios::check;

pub fn fixture() -> Fixture {
    Fixture::new(vec![
        subgraph(
            "price",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external"])
            extend type Product @key(fields: "id") { id: ID! @external price: Float }
            type Query { cheapestProduct: Product }
            "#,
            json!({
                "Query": { "cheapestProduct": { "id": "1", "price": 100 } },
                "entities": { "Product": [{ "id": "1", "price": 100 }, { "id": "2", "price": 200 }] },
            }),
        ),
        subgraph(
            "product",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
            type Query { products: [Product] }
            type Product @key(fields: "id") { id: ID! name: String }
            "#,
            json!({
                "Query": { "products": [{ "id": "1", "name": "name-1" }, { "id": "2", "name": "name-2" }] },
                "entities": { "Product": [{ "id": "1", "name": "name-1" }, { "id": "2", "name": "name-2" }] },
            }),
        ),
    ])
}

#[tokio::test]
async fn an_extension_resolves_its_external_key() {
    let running = fixture().start().await;
    check(
        &running,
        "audit_mysterious_external_1",
        "{ cheapestProduct { id price name } }",
        json!({}),
        json!({ "data": { "cheapestProduct": { "id": "1", "price": 100, "name": "name-1" } } }),
    )
    .await;
    check(
        &running,
        "audit_mysterious_external_2",
        "{ products { name price id } }",
        json!({}),
        json!({ "data": { "products": [
            { "name": "name-1", "price": 100, "id": "1" },
            { "name": "name-2", "price": 200, "id": "2" },
        ]}}),
    )
    .await;
}
