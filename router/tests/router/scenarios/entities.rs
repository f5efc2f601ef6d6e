//! Entities across subgraphs: root fields, `_entities` hops, chains, arguments,
//! variables, aliases, fragments, `__typename`, `@skip`/`@include`, entity
//! deduplication, entities not found.

use serde_json::json;

use super::check;
use crate::fixture::{Fixture, subgraph};

pub fn fixture() -> Fixture {
    Fixture::new(vec![
        subgraph(
            "products",
            r#"
            type Query {
              products: [Product]
              product(upc: String!): Product
            }
            type Product @key(fields: "upc") {
              upc: String!
              name: String
              price: Int
            }
            "#,
            json!({
                "Query": {
                    "products": [{ "upc": "1" }, { "upc": "2" }, { "upc": "3" }],
                    "product(upc:\"1\")": { "upc": "1" },
                    "product(upc:\"2\")": { "upc": "2" },
                },
                "entities": { "Product": [
                    { "upc": "1", "name": "Table", "price": 899 },
                    { "upc": "2", "name": "Couch", "price": 1299 },
                    { "upc": "3", "name": "Glass", "price": 15 },
                ]},
            }),
        ),
        subgraph(
            "reviews",
            r#"
            type Product @key(fields: "upc") {
              upc: String!
              reviews: [Review]
            }
            type Review @key(fields: "id") {
              id: ID!
              body: String
              author: User
            }
            type User @key(fields: "id", resolvable: false) {
              id: ID!
            }
            "#,
            json!({
                "entities": {
                    "Product": [
                        { "upc": "1", "reviews": [{ "id": "r1" }, { "id": "r2" }] },
                        { "upc": "2", "reviews": [{ "id": "r3" }] },
                    ],
                    "Review": [
                        { "id": "r1", "body": "Sturdy", "author": { "id": "u1" } },
                        { "id": "r2", "body": "Wobbly", "author": { "id": "u2" } },
                        { "id": "r3", "body": "Comfy", "author": { "id": "u1" } },
                    ],
                },
            }),
        ),
        subgraph(
            "users",
            r#"
            type User @key(fields: "id") {
              id: ID!
              name: String
            }
            "#,
            json!({
                "entities": { "User": [
                    { "id": "u1", "name": "Ayu" },
                    { "id": "u2", "name": "Budi" },
                ]},
            }),
        ),
    ])
}

#[tokio::test]
async fn a_root_field_of_one_subgraph_is_one_fetch() {
    let running = fixture().start().await;
    check(
        &running,
        "entities_root_only",
        "{ products { upc name } }",
        json!({}),
        json!({ "data": { "products": [
            { "upc": "1", "name": "Table" },
            { "upc": "2", "name": "Couch" },
            { "upc": "3", "name": "Glass" },
        ]}}),
    )
    .await;
    assert_eq!(running.count("products"), 1);
    assert_eq!(running.count("reviews"), 0);
}

#[tokio::test]
async fn fields_of_another_subgraph_come_through_entities() {
    let running = fixture().start().await;
    check(
        &running,
        "entities_one_hop",
        "{ products { name reviews { body } } }",
        json!({}),
        json!({ "data": { "products": [
            { "name": "Table", "reviews": [{ "body": "Sturdy" }, { "body": "Wobbly" }] },
            { "name": "Couch", "reviews": [{ "body": "Comfy" }] },
            { "name": "Glass", "reviews": null },
        ]}}),
    )
    .await;
    assert_eq!(
        running.count("reviews"),
        1,
        "one _entities call for all products"
    );
}

#[tokio::test]
async fn entity_chains_follow_references_and_deduplicate_representations() {
    let running = fixture().start().await;
    check(
        &running,
        "entities_chain",
        "{ products { reviews { author { name } } } }",
        json!({}),
        json!({ "data": { "products": [
            { "reviews": [{ "author": { "name": "Ayu" } }, { "author": { "name": "Budi" } }] },
            { "reviews": [{ "author": { "name": "Ayu" } }] },
            { "reviews": null },
        ]}}),
    )
    .await;
    let users: Vec<_> = running
        .requests()
        .into_iter()
        .filter(|(s, _)| s == "users")
        .collect();
    assert_eq!(users.len(), 1);
    let reps = users[0].1["variables"]["representations"]
        .as_array()
        .expect("representations")
        .len();
    assert_eq!(reps, 2, "u1 appears twice but is sent once");
}

#[tokio::test]
async fn arguments_variables_and_aliases_pass_through() {
    let running = fixture().start().await;
    check(
        &running,
        "entities_arguments_aliases",
        "query($upc: String!) { first: product(upc: $upc) { title: name reviews { body } } second: product(upc: \"2\") { name } }",
        json!({ "upc": "1" }),
        json!({ "data": {
            "first": { "title": "Table", "reviews": [{ "body": "Sturdy" }, { "body": "Wobbly" }] },
            "second": { "name": "Couch" },
        }}),
    )
    .await;
    let products = running
        .requests()
        .into_iter()
        .find(|(s, _)| s == "products")
        .expect("a products fetch");
    assert_eq!(
        products.1["variables"],
        json!({ "upc": "1" }),
        "only the variables the fetch uses"
    );
}

#[tokio::test]
async fn typename_and_fragments_are_resolved() {
    let running = fixture().start().await;
    check(
        &running,
        "entities_typename_fragments",
        "query { __typename products { __typename ...P ... on Product { reviews { __typename ...R } } } }
         fragment P on Product { upc }
         fragment R on Review { id }",
        json!({}),
        json!({ "data": {
            "__typename": "Query",
            "products": [
                { "__typename": "Product", "upc": "1", "reviews": [{ "__typename": "Review", "id": "r1" }, { "__typename": "Review", "id": "r2" }] },
                { "__typename": "Product", "upc": "2", "reviews": [{ "__typename": "Review", "id": "r3" }] },
                { "__typename": "Product", "upc": "3", "reviews": null },
            ],
        }}),
    )
    .await;
}

#[tokio::test]
async fn skip_and_include_decide_the_plan() {
    let running = fixture().start().await;
    let query = "query($withReviews: Boolean!, $skipName: Boolean!) {
        product(upc: \"1\") { name @skip(if: $skipName) reviews @include(if: $withReviews) { body } }
    }";
    check(
        &running,
        "entities_include_true",
        query,
        json!({ "withReviews": true, "skipName": false }),
        json!({ "data": { "product": { "name": "Table", "reviews": [{ "body": "Sturdy" }, { "body": "Wobbly" }] } } }),
    )
    .await;
    running.clear();
    check(
        &running,
        "entities_include_false",
        query,
        json!({ "withReviews": false, "skipName": true }),
        json!({ "data": { "product": {} } }),
    )
    .await;
    assert_eq!(
        running.count("reviews"),
        0,
        "no reviews fetch when not included"
    );
}

#[tokio::test]
async fn an_entity_a_subgraph_does_not_know_is_null() {
    let running = fixture().start().await;
    check(
        &running,
        "entities_unknown_entity",
        "{ product(upc: \"2\") { reviews { author { id name } } } }",
        json!({}),
        json!({ "data": { "product": { "reviews": [{ "author": { "id": "u1", "name": "Ayu" } }] } } }),
    )
    .await;
}

#[tokio::test]
async fn fragments_on_the_root_type_and_aliased_typename_work() {
    let running = fixture().start().await;
    check(
        &running,
        "entities_root_fragment",
        "{ ... on Query { products { kind: __typename upc } } ...Q } fragment Q on Query { product(upc: \"2\") { name } }",
        json!({}),
        json!({ "data": {
            "products": [
                { "kind": "Product", "upc": "1" },
                { "kind": "Product", "upc": "2" },
                { "kind": "Product", "upc": "3" },
            ],
            "product": { "name": "Couch" },
        }}),
    )
    .await;
}

#[tokio::test]
async fn the_same_field_selected_twice_merges_its_selections() {
    let running = fixture().start().await;
    check(
        &running,
        "entities_merged_selections",
        "{ product(upc: \"1\") { name } product(upc: \"1\") { reviews { body } } }",
        json!({}),
        json!({ "data": { "product": { "name": "Table", "reviews": [{ "body": "Sturdy" }, { "body": "Wobbly" }] } } }),
    )
    .await;
}

#[tokio::test]
async fn a_skipped_fragment_spread_fetches_nothing_for_it() {
    let running = fixture().start().await;
    check(
        &running,
        "entities_skipped_fragment",
        "query($s: Boolean!) { product(upc: \"1\") { name ...R @skip(if: $s) } } fragment R on Product { reviews { body } }",
        json!({ "s": true }),
        json!({ "data": { "product": { "name": "Table" } } }),
    )
    .await;
    assert_eq!(running.count("reviews"), 0);
}

#[tokio::test]
async fn the_named_operation_of_a_document_is_run() {
    let running = fixture().start().await;
    let response: serde_json::Value = platform::http_client::client()
        .post(&running.url)
        .json(&json!({
            "query": "query A { products { upc } } query B { product(upc: \"2\") { name } }",
            "operationName": "B",
        }))
        .send()
        .await
        .expect("answers")
        .json()
        .await
        .expect("json");
    assert_eq!(
        response,
        json!({ "data": { "product": { "name": "Couch" } } })
    );
    let query = running.requests()[0].1["query"]
        .as_str()
        .expect("query")
        .to_owned();
    assert!(
        query.starts_with("query B__products__1"),
        "subgraph operations are named after the client's: {query}"
    );
}

#[tokio::test]
async fn a_null_parent_needs_no_entity_fetch() {
    let running = fixture().start().await;
    check(
        &running,
        "entities_null_parent",
        "{ product(upc: \"9\") { name reviews { body } } }",
        json!({}),
        json!({ "data": { "product": null } }),
    )
    .await;
    assert_eq!(running.count("reviews"), 0, "no representations, no fetch");
}
