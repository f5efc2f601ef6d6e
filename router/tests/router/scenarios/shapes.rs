//! Response shapes: variables used by entity fetches, lists of lists, the same
//! entity reached through two paths.

use serde_json::json;

use super::check;
use crate::fixture::{Fixture, subgraph};

pub fn fixture() -> Fixture {
    Fixture::new(vec![
        subgraph(
            "grid",
            r#"
            type Query { product: Product matrix: [[Product]] products: [Product] }
            type Product @key(fields: "id") { id: ID! name: String }
            "#,
            json!({
                "Query": {
                    "product": { "id": "p1" },
                    "products": [{ "id": "p1" }, { "id": "p2" }],
                    "matrix": [[{ "id": "p1" }, { "id": "p2" }], [{ "id": "p2" }]],
                },
                "entities": { "Product": [{ "id": "p1", "name": "Table" }, { "id": "p2", "name": "Couch" }] },
            }),
        ),
        subgraph(
            "reviews",
            r#"
            type Product @key(fields: "id") { id: ID! reviews(first: Int = 10): [String] score: Int }
            "#,
            json!({
                "entities": { "Product": [
                    { "id": "p1", "reviews(first:1)": ["bagus"], "reviews(first:10)": ["bagus", "kokoh"], "score": 5 },
                    { "id": "p2", "reviews(first:1)": ["empuk"], "reviews(first:10)": ["empuk"], "score": 4 },
                ]},
            }),
        ),
    ])
}

#[tokio::test]
async fn a_variable_used_by_an_entity_fetch_is_sent_to_it() {
    let running = fixture().start().await;
    check(
        &running,
        "shapes_entity_variable",
        "query($n: Int) { products { name reviews(first: $n) } }",
        json!({ "n": 1 }),
        json!({ "data": { "products": [
            { "name": "Table", "reviews": ["bagus"] },
            { "name": "Couch", "reviews": ["empuk"] },
        ]}}),
    )
    .await;
    let reviews = running
        .requests()
        .into_iter()
        .find(|(s, _)| s == "reviews")
        .expect("reviews");
    assert_eq!(reviews.1["variables"]["n"], 1);
    assert!(
        reviews.1["query"]
            .as_str()
            .expect("query")
            .contains("$n: Int")
    );
}

#[tokio::test]
async fn lists_of_lists_are_flattened_at_every_level() {
    let running = fixture().start().await;
    check(
        &running,
        "shapes_list_of_lists",
        "{ matrix { name score } }",
        json!({}),
        json!({ "data": { "matrix": [
            [{ "name": "Table", "score": 5 }, { "name": "Couch", "score": 4 }],
            [{ "name": "Couch", "score": 4 }],
        ]}}),
    )
    .await;
    assert_eq!(running.count("reviews"), 1);
}

#[tokio::test]
async fn the_same_entity_through_two_paths_is_fetched_once_per_path_group() {
    let running = fixture().start().await;
    check(
        &running,
        "shapes_two_paths",
        "{ product { name score } products { score } }",
        json!({}),
        json!({ "data": {
            "product": { "name": "Table", "score": 5 },
            "products": [{ "score": 5 }, { "score": 4 }],
        }}),
    )
    .await;
}
