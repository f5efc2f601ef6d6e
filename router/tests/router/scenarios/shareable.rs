//! `@shareable`: a field several subgraphs resolve is taken from the one that saves
//! a hop; a shared root field goes to the subgraph that needs fewest fetches.

use serde_json::json;

use super::check;
use crate::fixture::{Fixture, subgraph};

pub fn fixture() -> Fixture {
    Fixture::new(vec![
        subgraph(
            "a",
            r#"
            type Query { product: Product @shareable products: [Product] }
            type Product @key(fields: "id") { id: ID! name: String @shareable priceA: Int }
            "#,
            json!({
                "Query": { "product": { "id": "p1" }, "products": [{ "id": "p1" }] },
                "entities": { "Product": [{ "id": "p1", "name": "Table", "priceA": 100 }] },
            }),
        ),
        subgraph(
            "b",
            r#"
            type Query { product: Product @shareable }
            type Product @key(fields: "id") { id: ID! name: String @shareable priceB: Int }
            "#,
            json!({
                "Query": { "product": { "id": "p1" } },
                "entities": { "Product": [{ "id": "p1", "name": "Table", "priceB": 200 }] },
            }),
        ),
    ])
}

#[tokio::test]
async fn a_shared_root_field_goes_where_the_rest_of_the_selection_is() {
    let running = fixture().start().await;
    check(
        &running,
        "shareable_root_b",
        "{ product { name priceB } }",
        json!({}),
        json!({ "data": { "product": { "name": "Table", "priceB": 200 } } }),
    )
    .await;
    assert_eq!((running.count("a"), running.count("b")), (0, 1));
    running.clear();
    check(
        &running,
        "shareable_root_a",
        "{ product { name priceA } }",
        json!({}),
        json!({ "data": { "product": { "name": "Table", "priceA": 100 } } }),
    )
    .await;
    assert_eq!((running.count("a"), running.count("b")), (1, 0));
}

#[tokio::test]
async fn fields_of_both_subgraphs_take_one_root_fetch_and_one_hop() {
    let running = fixture().start().await;
    check(
        &running,
        "shareable_both",
        "{ product { priceA priceB } }",
        json!({}),
        json!({ "data": { "product": { "priceA": 100, "priceB": 200 } } }),
    )
    .await;
    assert_eq!(running.requests().len(), 2);
}

#[tokio::test]
async fn a_shareable_field_is_resolved_where_the_object_is() {
    let running = fixture().start().await;
    check(
        &running,
        "shareable_no_hop",
        "{ products { name } }",
        json!({}),
        json!({ "data": { "products": [{ "name": "Table" }] } }),
    )
    .await;
    assert_eq!(running.requests().len(), 1);
}

#[tokio::test]
async fn aliases_of_a_shared_field_stay_apart() {
    let running = fixture().start().await;
    check(
        &running,
        "shareable_aliases",
        "{ p: product { n: name price: priceB } q: product { name } }",
        json!({}),
        json!({ "data": { "p": { "n": "Table", "price": 200 }, "q": { "name": "Table" } } }),
    )
    .await;
}
