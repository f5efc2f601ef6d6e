//! Keys that are lists of objects, nested objects and several keys per type, each
//! subgraph knowing a different one: the router must carry every key a hop needs.

use serde_json::json;

use super::check;
use crate::fixture::{Fixture, subgraph};

pub fn fixture() -> Fixture {
    let category = |id: &str, tag: &str, main: &str| json!({ "id": id, "tag": tag, "mainProduct": { "id": main } });
    Fixture::new(vec![
        subgraph(
            "products",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.0", import: ["@key", "@external", "@extends", "@shareable"])
            type Query { topProducts: ProductList! }
            type ProductList @key(fields: "products { id }") { products: [Product!]! }
            type Product @extends @key(fields: "id") {
              id: String! @external
              category: Category @shareable
            }
            type Category @key(fields: "id") {
              mainProduct: Product! @shareable
              id: String!
              tag: String @shareable
            }
            "#,
            json!({
                "Query": { "topProducts": { "products": [
                    { "id": "1", "category": category("c1", "t1", "1") },
                    { "id": "2", "category": category("c2", "t2", "2") },
                ]}},
                "entities": {
                    "Product": [
                        { "id": "1", "category": category("c1", "t1", "1") },
                        { "id": "2", "category": category("c2", "t2", "2") },
                    ],
                    "Category": [category("c1", "t1", "1"), category("c2", "t2", "2")],
                },
            }),
        ),
        subgraph(
            "link",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.0", import: ["@key"])
            type Product @key(fields: "id") @key(fields: "id pid") {
              id: String!
              pid: String!
            }
            "#,
            json!({ "entities": { "Product": [
                { "id": "1", "pid": "p1" },
                { "id": "2", "pid": "p2" },
            ]}}),
        ),
        subgraph(
            "list",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.0", import: ["@key", "@shareable"])
            type ProductList @key(fields: "products { id pid }") {
              products: [Product!]!
              first: Product @shareable
              selected: Product @shareable
            }
            type Product @key(fields: "id pid") { id: String! pid: String }
            "#,
            json!({ "entities": {
                "ProductList": [{
                    "products": [{ "id": "1", "pid": "p1" }, { "id": "2", "pid": "p2" }],
                    "first": { "id": "1", "pid": "p1" },
                    "selected": { "id": "2", "pid": "p2" },
                }],
                "Product": [{ "id": "1", "pid": "p1" }, { "id": "2", "pid": "p2" }],
            }}),
        ),
        subgraph(
            "price",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.0", import: ["@key", "@shareable"])
            type ProductList @key(fields: "products { id pid category { id tag } } selected { id }") {
              products: [Product!]!
              first: Product @shareable
              selected: Product @shareable
            }
            type Product @key(fields: "id pid category { id tag }") {
              id: String!
              price: Price
              pid: String
              category: Category
            }
            type Category @key(fields: "id tag") { id: String! tag: String }
            type Price { price: Float! }
            "#,
            json!({ "entities": {
                "ProductList": [{
                    "products": [
                        { "id": "1", "pid": "p1", "category": { "id": "c1", "tag": "t1" }, "price": { "price": 100 } },
                        { "id": "2", "pid": "p2", "category": { "id": "c2", "tag": "t2" }, "price": { "price": 200 } },
                    ],
                    "selected": { "id": "2" },
                }],
                "Product": [
                    { "id": "1", "pid": "p1", "category": { "id": "c1", "tag": "t1" }, "price": { "price": 100 } },
                    { "id": "2", "pid": "p2", "category": { "id": "c2", "tag": "t2" }, "price": { "price": 200 } },
                ],
                "Category": [{ "id": "c1", "tag": "t1" }, { "id": "c2", "tag": "t2" }],
            }}),
        ),
    ])
}

#[tokio::test]
async fn list_nested_and_multiple_keys_are_carried_from_subgraph_to_subgraph() {
    let running = fixture().start().await;
    check(
        &running,
        "complex_keys",
        "{ topProducts {
             products { id pid price { price } category { mainProduct { id } id tag } }
             selected { id }
             first { id }
           } }",
        json!({}),
        json!({ "data": { "topProducts": {
            "products": [
                { "id": "1", "pid": "p1", "price": { "price": 100 },
                  "category": { "mainProduct": { "id": "1" }, "id": "c1", "tag": "t1" } },
                { "id": "2", "pid": "p2", "price": { "price": 200 },
                  "category": { "mainProduct": { "id": "2" }, "id": "c2", "tag": "t2" } },
            ],
            "selected": { "id": "2" },
            "first": { "id": "1" },
        }}}),
    )
    .await;
}
