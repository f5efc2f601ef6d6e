//! Interfaces and unions whose members live in different subgraphs, partial unions,
//! interface fields resolved per implementation, `__typename`.

use serde_json::json;

use super::check;
use crate::fixture::{Fixture, subgraph};

pub fn fixture() -> Fixture {
    Fixture::new(vec![
        subgraph(
            "catalog",
            r#"
            type Query { node(id: ID!): Node search: [Result] animals: [Animal] }
            interface Node { id: ID! }
            union Result = Book | Movie
            type Book implements Node @key(fields: "id") { id: ID! title: String }
            type Movie implements Node @key(fields: "id") { id: ID! title: String }
            interface Animal { name: String }
            type Dog implements Animal @key(fields: "id") { id: ID! name: String }
            type Cat implements Animal @key(fields: "id") { id: ID! name: String }
            "#,
            json!({
                "Query": {
                    "node(id:\"b1\")": { "__typename": "Book", "id": "b1" },
                    "search": [{ "__typename": "Book", "id": "b1" }, { "__typename": "Movie", "id": "m1" }],
                    "animals": [{ "__typename": "Dog", "id": "d1" }, { "__typename": "Cat", "id": "c1" }],
                },
                "entities": {
                    "Book": [{ "id": "b1", "title": "Sawit 101" }],
                    "Movie": [{ "id": "m1", "title": "Kebun" }],
                    "Dog": [{ "id": "d1", "name": "Belang" }],
                    "Cat": [{ "id": "c1", "name": "Oyen" }],
                },
            }),
        ),
        subgraph(
            "details",
            r#"
            type Query { picks: [Result] }
            union Result = Book
            type Book @key(fields: "id") { id: ID! pages: Int }
            type Movie @key(fields: "id") { id: ID! minutes: Int }
            interface Animal { sound: String }
            type Dog implements Animal @key(fields: "id") { id: ID! sound: String }
            type Cat implements Animal @key(fields: "id") { id: ID! sound: String }
            "#,
            json!({
                "Query": { "picks": [{ "__typename": "Book", "id": "b1" }] },
                "entities": {
                    "Book": [{ "id": "b1", "pages": 200 }],
                    "Movie": [{ "id": "m1", "minutes": 90 }],
                    "Dog": [{ "id": "d1", "sound": "guk" }],
                    "Cat": [{ "id": "c1", "sound": "meong" }],
                },
            }),
        ),
    ])
}

#[tokio::test]
async fn an_interface_field_stays_in_the_subgraph_that_resolves_it() {
    let running = fixture().start().await;
    check(
        &running,
        "abstract_interface_field",
        "{ node(id: \"b1\") { __typename id } }",
        json!({}),
        json!({ "data": { "node": { "__typename": "Book", "id": "b1" } } }),
    )
    .await;
    assert_eq!(running.count("details"), 0);
}

#[tokio::test]
async fn fragment_fields_of_another_subgraph_are_fetched_for_that_type() {
    let running = fixture().start().await;
    check(
        &running,
        "abstract_interface_fragment",
        "{ node(id: \"b1\") { ... on Book { title pages } ... on Movie { minutes } } }",
        json!({}),
        json!({ "data": { "node": { "title": "Sawit 101", "pages": 200 } } }),
    )
    .await;
}

#[tokio::test]
async fn union_members_get_their_fields_from_other_subgraphs_in_one_fetch() {
    let running = fixture().start().await;
    check(
        &running,
        "abstract_union_members",
        "{ search { __typename ... on Book { title pages } ... on Movie { title minutes } } }",
        json!({}),
        json!({ "data": { "search": [
            { "__typename": "Book", "title": "Sawit 101", "pages": 200 },
            { "__typename": "Movie", "title": "Kebun", "minutes": 90 },
        ]}}),
    )
    .await;
    assert_eq!(running.count("details"), 1);
}

#[tokio::test]
async fn a_partial_union_only_asks_for_the_members_that_subgraph_has() {
    let running = fixture().start().await;
    check(
        &running,
        "abstract_partial_union",
        "{ picks { ... on Book { pages } ... on Movie { minutes } } }",
        json!({}),
        json!({ "data": { "picks": [{ "pages": 200 }] } }),
    )
    .await;
}

#[tokio::test]
async fn an_interface_field_of_another_subgraph_is_resolved_per_implementation() {
    let running = fixture().start().await;
    check(
        &running,
        "abstract_interface_per_type",
        "{ animals { name sound } }",
        json!({}),
        json!({ "data": { "animals": [{ "name": "Belang", "sound": "guk" }, { "name": "Oyen", "sound": "meong" }] } }),
    )
    .await;
    assert_eq!(running.count("details"), 1);
}

#[tokio::test]
async fn typename_alone_needs_no_hop() {
    let running = fixture().start().await;
    check(
        &running,
        "abstract_typename_only",
        "{ search { __typename } }",
        json!({}),
        json!({ "data": { "search": [{ "__typename": "Book" }, { "__typename": "Movie" }] } }),
    )
    .await;
}

#[tokio::test]
async fn an_interface_fragment_inside_a_union_applies_to_its_implementations() {
    let running = fixture().start().await;
    check(
        &running,
        "abstract_interface_in_union",
        "{ search { ... on Node { id } ... on Book { pages } } }",
        json!({}),
        json!({ "data": { "search": [{ "id": "b1", "pages": 200 }, { "id": "m1" }] } }),
    )
    .await;
}

#[tokio::test]
async fn independent_root_fields_of_different_subgraphs_run_in_parallel() {
    let running = fixture().start().await;
    let plan = check(
        &running,
        "abstract_parallel_roots",
        "{ search { __typename } picks { __typename } }",
        json!({}),
        json!({ "data": {
            "search": [{ "__typename": "Book" }, { "__typename": "Movie" }],
            "picks": [{ "__typename": "Book" }],
        }}),
    )
    .await;
    assert!(plan.contains("Parallel {"), "{plan}");
    assert_eq!((running.count("catalog"), running.count("details")), (1, 1));
}
