//! `@requires`: required fields fetched first and sent in representations — with
//! arguments (aliased when they clash with the client's), nested selections,
//! chains across subgraphs, and type-level cycles.

use serde_json::json;

use super::check;
use crate::fixture::{Fixture, subgraph};

pub fn fixture() -> Fixture {
    Fixture::new(vec![
        subgraph(
            "products",
            r#"
            type Query { products: [Product] }
            type Product @key(fields: "upc") {
              upc: String!
              weight: Int
              price(currency: String = "IDR"): Int
              dimensions: Dimensions
            }
            type Dimensions @shareable { size: Int unit: String }
            "#,
            json!({
                "Query": { "products": [{ "upc": "1" }, { "upc": "2" }] },
                "entities": { "Product": [
                    { "upc": "1", "weight": 100, "price(currency:\"IDR\")": 899000, "price(currency:\"USD\")": 60,
                      "dimensions": { "size": 3, "unit": "m" } },
                    { "upc": "2", "weight": 20, "price(currency:\"IDR\")": 15000, "price(currency:\"USD\")": 1,
                      "dimensions": { "size": 10, "unit": "cm" } },
                ]},
            }),
        ),
        subgraph(
            "inventory",
            r#"
            type Product @key(fields: "upc") {
              upc: String!
              weight: Int @external
              price(currency: String = "IDR"): Int @external
              dimensions: Dimensions @external
              inStock: Boolean
              shippingEstimate: String @requires(fields: "weight price(currency: \"USD\")")
              packaging: String @requires(fields: "dimensions { size unit }")
            }
            type Dimensions @shareable { size: Int unit: String }
            "#,
            json!({
                "entities": { "Product": [
                    { "upc": "1", "inStock": true, "shippingEstimate": { "$format": "w={weight} usd={price}" },
                      "packaging": { "$format": "box of {dimensions.size}{dimensions.unit}" } },
                    { "upc": "2", "inStock": false, "shippingEstimate": { "$format": "w={weight} usd={price}" },
                      "packaging": { "$format": "box of {dimensions.size}{dimensions.unit}" } },
                ]},
            }),
        ),
        subgraph(
            "shipping",
            r#"
            type Product @key(fields: "upc") {
              upc: String!
              shippingEstimate: String @external
              delivery: String @requires(fields: "shippingEstimate")
            }
            "#,
            json!({
                "entities": { "Product": [
                    { "upc": "1", "delivery": { "$format": "3 days ({shippingEstimate})" } },
                    { "upc": "2", "delivery": { "$format": "1 day ({shippingEstimate})" } },
                ]},
            }),
        ),
    ])
}

#[tokio::test]
async fn required_fields_are_fetched_first_and_sent_in_representations() {
    let running = fixture().start().await;
    check(
        &running,
        "requires_basic",
        "{ products { upc shippingEstimate } }",
        json!({}),
        json!({ "data": { "products": [
            { "upc": "1", "shippingEstimate": "w=100 usd=60" },
            { "upc": "2", "shippingEstimate": "w=20 usd=1" },
        ]}}),
    )
    .await;
}

#[tokio::test]
async fn a_required_field_with_other_arguments_than_the_clients_is_aliased() {
    let running = fixture().start().await;
    check(
        &running,
        "requires_argument_conflict",
        "{ products { price shippingEstimate usd: price(currency: \"USD\") } }",
        json!({}),
        json!({ "data": { "products": [
            { "price": 899000, "shippingEstimate": "w=100 usd=60", "usd": 60 },
            { "price": 15000, "shippingEstimate": "w=20 usd=1", "usd": 1 },
        ]}}),
    )
    .await;
}

#[tokio::test]
async fn a_requirement_with_a_nested_selection_is_sent_whole() {
    let running = fixture().start().await;
    check(
        &running,
        "requires_nested",
        "{ products { packaging } }",
        json!({}),
        json!({ "data": { "products": [
            { "packaging": "box of 3m" },
            { "packaging": "box of 10cm" },
        ]}}),
    )
    .await;
}

#[tokio::test]
async fn requirements_chain_across_subgraphs() {
    let running = fixture().start().await;
    check(
        &running,
        "requires_chain",
        "{ products { delivery } }",
        json!({}),
        json!({ "data": { "products": [
            { "delivery": "3 days (w=100 usd=60)" },
            { "delivery": "1 day (w=20 usd=1)" },
        ]}}),
    )
    .await;
    let order: Vec<String> = running.requests().into_iter().map(|(s, _)| s).collect();
    assert_eq!(order, ["products", "inventory", "shipping"]);
}

#[tokio::test]
async fn nothing_is_required_when_no_requiring_field_is_asked() {
    let running = fixture().start().await;
    check(
        &running,
        "requires_not_needed",
        "{ products { inStock } }",
        json!({}),
        json!({ "data": { "products": [{ "inStock": true }, { "inStock": false }] } }),
    )
    .await;
}

pub fn circular() -> Fixture {
    Fixture::new(vec![
        subgraph(
            "x",
            r#"
            type Query { thing: Thing }
            type Thing @key(fields: "id") {
              id: ID!
              a: Int
              b: Int @external
              c: String @requires(fields: "b")
            }
            "#,
            json!({
                "Query": { "thing": { "id": "t" } },
                "entities": { "Thing": [{ "id": "t", "a": 2, "c": { "$format": "c from b={b}" } }] },
            }),
        ),
        subgraph(
            "y",
            r#"
            type Thing @key(fields: "id") {
              id: ID!
              a: Int @external
              b: Int @requires(fields: "a")
            }
            "#,
            json!({
                "entities": { "Thing": [{ "id": "t", "b": { "$format": "{a}0" } }] },
            }),
        ),
    ])
}

#[tokio::test]
async fn requirements_that_go_back_and_forth_between_subgraphs_terminate() {
    let running = circular().start().await;
    check(
        &running,
        "requires_circular",
        "{ thing { c } }",
        json!({}),
        json!({ "data": { "thing": { "c": "c from b=20" } } }),
    )
    .await;
    let order: Vec<String> = running.requests().into_iter().map(|(s, _)| s).collect();
    assert_eq!(order, ["x", "y", "x"]);
}

pub fn with_fragments() -> Fixture {
    Fixture::new(vec![
        subgraph(
            "store",
            r#"
            type Query { orders: [Order] }
            type Order @key(fields: "id") { id: ID! item: Item }
            union Item = Book | Movie
            type Book @shareable { pages: Int }
            type Movie @shareable { minutes: Int }
            "#,
            json!({
                "Query": { "orders": [{ "id": "o1" }, { "id": "o2" }] },
                "entities": { "Order": [
                    { "id": "o1", "item": { "__typename": "Book", "pages": 200 } },
                    { "id": "o2", "item": { "__typename": "Movie", "minutes": 90 } },
                ]},
            }),
        ),
        subgraph(
            "billing",
            r#"
            type Order @key(fields: "id") {
              id: ID!
              item: Item @external
              cost: String @requires(fields: "item { ... on Book { pages } ... on Movie { minutes } }")
            }
            union Item = Book | Movie
            type Book @shareable { pages: Int }
            type Movie @shareable { minutes: Int }
            "#,
            json!({
                "entities": { "Order": [
                    { "id": "o1", "cost": { "$format": "pages={item.pages} minutes={item.minutes}" } },
                    { "id": "o2", "cost": { "$format": "pages={item.pages} minutes={item.minutes}" } },
                ]},
            }),
        ),
    ])
}

#[tokio::test]
async fn a_requirement_with_fragments_sends_each_members_fields() {
    let running = with_fragments().start().await;
    check(
        &running,
        "requires_fragments",
        "{ orders { cost } }",
        json!({}),
        json!({ "data": { "orders": [
            { "cost": "pages=200 minutes=null" },
            { "cost": "pages=null minutes=90" },
        ]}}),
    )
    .await;
}
