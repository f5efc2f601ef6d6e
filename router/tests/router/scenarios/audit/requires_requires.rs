//! Audit suite `requires-requires`: a `@requires` whose input is itself a
//! `@requires` field (two levels), fed by an `@inaccessible` field.

use serde_json::json;

use crate::fixture::{Fixture, subgraph};
use crate::scenarios::check;

pub fn fixture() -> Fixture {
    Fixture::new(vec![
        subgraph(
            "a",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@inaccessible"])
            type Product @key(fields: "id") { id: ID! price: Float! @inaccessible }
            "#,
            json!({ "entities": { "Product": [{ "id": "p1", "price": 699.99 }] } }),
        ),
        subgraph(
            "b",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
            type Query { product: Product }
            type Product @key(fields: "id") { id: ID! hasDiscount: Boolean! }
            "#,
            json!({
                "Query": { "product": { "id": "p1" } },
                "entities": { "Product": [{ "id": "p1", "hasDiscount": true }] },
            }),
        ),
        subgraph(
            "c",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])
            type Product @key(fields: "id") {
              id: ID!
              price: Float! @external
              isExpensive: Boolean! @requires(fields: "price")
              hasDiscount: Boolean! @external
              isExpensiveWithDiscount: Boolean! @requires(fields: "hasDiscount")
            }
            "#,
            json!({ "entities": { "Product": [
                { "id": "p1", "isExpensive": true, "isExpensiveWithDiscount": false },
            ]}}),
        ),
        subgraph(
            "d",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])
            type Product @key(fields: "id") {
              id: ID!
              isExpensive: Boolean! @external
              canAfford: Boolean! @requires(fields: "isExpensive")
              isExpensiveWithDiscount: Boolean! @external
              canAffordWithDiscount: Boolean! @requires(fields: "isExpensiveWithDiscount")
            }
            "#,
            json!({ "entities": { "Product": [
                { "id": "p1", "canAfford": false, "canAffordWithDiscount": true },
            ]}}),
        ),
    ])
}

#[tokio::test]
async fn a_requirement_that_is_itself_required_is_fetched_first() {
    let running = fixture().start().await;
    let cases = [
        (
            "audit_requires_requires_1",
            "{ product { canAfford } }",
            json!({ "canAfford": false }),
        ),
        (
            "audit_requires_requires_2",
            "{ product { isExpensive } }",
            json!({ "isExpensive": true }),
        ),
        (
            "audit_requires_requires_3",
            "{ product { isExpensive canAfford } }",
            json!({ "isExpensive": true, "canAfford": false }),
        ),
        (
            "audit_requires_requires_4",
            "{ product { canAffordWithDiscount } }",
            json!({ "canAffordWithDiscount": true }),
        ),
        (
            "audit_requires_requires_5",
            "{ product { canAfford canAffordWithDiscount } }",
            json!({ "canAfford": false, "canAffordWithDiscount": true }),
        ),
    ];
    for (name, query, product) in cases {
        check(
            &running,
            name,
            query,
            json!({}),
            json!({ "data": { "product": product } }),
        )
        .await;
    }
}

#[tokio::test]
async fn an_inaccessible_requirement_stays_out_of_the_api() {
    let running = fixture().start().await;
    let (response, _) = running.query("{ product { price } }", json!({})).await;
    assert_eq!(
        response["errors"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED",
        "{response}"
    );
}
