//! Audit suite `circular-reference-interface`: an interface field whose
//! implementation narrows its type (`samePriceProduct: Book`), nested in itself,
//! with `@provides` on the narrowed field.

use serde_json::json;

use crate::fixture::{Fixture, subgraph};
use crate::scenarios::check;

pub fn fixture() -> Fixture {
    let book = |id: &str, price: f64, same: &str| {
        json!({
            "__typename": "Book", "id": id, "price": price,
            "samePriceProduct": { "__typename": "Book", "id": same, "price": price },
        })
    };
    Fixture::new(vec![
        subgraph(
            "a",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@provides"])
            type Query { product: Product }
            interface Product { samePriceProduct: Product }
            type Book implements Product @key(fields: "id") {
              id: ID!
              samePriceProduct: Book @provides(fields: "price")
              price: Float @external
            }
            "#,
            json!({
                "Query": { "product": book("1", 10.99, "3") },
                "entities": { "Book": [book("1", 10.99, "3"), book("3", 10.99, "1")] },
            }),
        ),
        subgraph(
            "b",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
            type Book @key(fields: "id") { id: ID! price: Float @shareable }
            "#,
            json!({ "entities": { "Book": [
                { "id": "1", "price": 10.99 }, { "id": "2", "price": 5.99 }, { "id": "3", "price": 10.99 },
            ]}}),
        ),
    ])
}

#[tokio::test]
async fn a_field_that_refers_to_its_own_interface_narrowed_and_provided() {
    let running = fixture().start().await;
    check(
        &running,
        "audit_circular_reference_interface_1",
        "{ product { samePriceProduct { ... on Product { samePriceProduct { __typename } } } } }",
        json!({}),
        json!({ "data": { "product": { "samePriceProduct": { "samePriceProduct": { "__typename": "Book" } } } } }),
    )
    .await;
    check(
        &running,
        "audit_circular_reference_interface_2",
        "{ product {
             __typename
             samePriceProduct { __typename ... on Book { id } samePriceProduct { __typename ... on Book { id } } }
             ... on Book { __typename id price samePriceProduct { id price } }
           } }",
        json!({}),
        json!({ "data": { "product": {
            "__typename": "Book",
            "samePriceProduct": {
                "__typename": "Book",
                "id": "3",
                "samePriceProduct": { "__typename": "Book", "id": "1" },
                "price": 10.99,
            },
            "id": "1",
            "price": 10.99,
        }}}),
    )
    .await;
}
