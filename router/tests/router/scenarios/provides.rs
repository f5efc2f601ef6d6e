//! `@provides`: fields a subgraph can return on a path are never fetched again —
//! also nested, and through union members and interface implementations.

use serde_json::json;

use super::check;
use crate::fixture::{Fixture, subgraph};

pub fn fixture() -> Fixture {
    Fixture::new(vec![
        subgraph(
            "reviews",
            r#"
            type Query {
              reviews: [Review]
              spotlight: [Media] @provides(fields: "... on Book { title } ... on Movie { title }")
            }
            interface Media { id: ID! }
            type Review {
              id: ID!
              author: User @provides(fields: "username profile { bio }")
              item: Item @provides(fields: "... on Book { title }")
            }
            type User @key(fields: "id") {
              id: ID!
              username: String @external
              profile: Profile @external
            }
            type Profile @shareable { bio: String }
            union Item = Book | Movie
            type Book implements Media @key(fields: "id") { id: ID! title: String @external }
            type Movie implements Media @key(fields: "id") { id: ID! title: String @external }
            "#,
            json!({
                "Query": { "reviews": [
                    { "id": "r1", "author": { "id": "u1", "username": "ayu", "profile": { "bio": "Petani sawit" } },
                      "item": { "__typename": "Book", "id": "b1", "title": "Sawit 101" } },
                    { "id": "r2", "author": { "id": "u2", "username": "budi", "profile": { "bio": "Pedagang" } },
                      "item": { "__typename": "Movie", "id": "m1" } },
                ],
                "spotlight": [
                    { "__typename": "Book", "id": "b1", "title": "Sawit 101" },
                    { "__typename": "Movie", "id": "m1", "title": "Kebun" },
                ]},
            }),
        ),
        subgraph(
            "accounts",
            r#"
            type User @key(fields: "id") {
              id: ID!
              username: String @shareable
              name: String
              profile: Profile @shareable
            }
            type Profile @shareable { bio: String avatar: String }
            "#,
            json!({
                "entities": { "User": [
                    { "id": "u1", "username": "ayu", "name": "Ayu Lestari", "profile": { "bio": "Petani sawit", "avatar": "a.png" } },
                    { "id": "u2", "username": "budi", "name": "Budi Santoso", "profile": { "bio": "Pedagang", "avatar": "b.png" } },
                ]},
            }),
        ),
        subgraph(
            "catalog",
            r#"
            type Book @key(fields: "id") { id: ID! title: String @shareable pages: Int }
            type Movie @key(fields: "id") { id: ID! title: String @shareable minutes: Int }
            "#,
            json!({
                "entities": {
                    "Book": [{ "id": "b1", "title": "Sawit 101", "pages": 200 }],
                    "Movie": [{ "id": "m1", "title": "Kebun", "minutes": 90 }],
                },
            }),
        ),
    ])
}

#[tokio::test]
async fn a_provided_field_is_not_fetched_again() {
    let running = fixture().start().await;
    check(
        &running,
        "provides_used",
        "{ reviews { author { username } } }",
        json!({}),
        json!({ "data": { "reviews": [{ "author": { "username": "ayu" } }, { "author": { "username": "budi" } }] } }),
    )
    .await;
    assert_eq!(running.count("accounts"), 0);
}

#[tokio::test]
async fn only_what_is_not_provided_is_fetched() {
    let running = fixture().start().await;
    check(
        &running,
        "provides_partial",
        "{ reviews { author { username name } } }",
        json!({}),
        json!({ "data": { "reviews": [
            { "author": { "username": "ayu", "name": "Ayu Lestari" } },
            { "author": { "username": "budi", "name": "Budi Santoso" } },
        ]}}),
    )
    .await;
    let accounts = running
        .requests()
        .into_iter()
        .find(|(s, _)| s == "accounts")
        .expect("accounts fetched");
    let query = accounts.1["query"].as_str().expect("query");
    assert!(!query.contains("username"), "username is provided: {query}");
}

#[tokio::test]
async fn nested_provided_fields_stay_in_the_providing_subgraph() {
    let running = fixture().start().await;
    check(
        &running,
        "provides_nested",
        "{ reviews { author { profile { bio } } } }",
        json!({}),
        json!({ "data": { "reviews": [
            { "author": { "profile": { "bio": "Petani sawit" } } },
            { "author": { "profile": { "bio": "Pedagang" } } },
        ]}}),
    )
    .await;
    assert_eq!(running.count("accounts"), 0);
}

#[tokio::test]
async fn provides_on_a_union_member_applies_to_that_member_only() {
    let running = fixture().start().await;
    check(
        &running,
        "provides_union",
        "{ reviews { item { __typename ... on Book { title } ... on Movie { title } } } }",
        json!({}),
        json!({ "data": { "reviews": [
            { "item": { "__typename": "Book", "title": "Sawit 101" } },
            { "item": { "__typename": "Movie", "title": "Kebun" } },
        ]}}),
    )
    .await;
    let catalog = running
        .requests()
        .into_iter()
        .find(|(s, _)| s == "catalog")
        .expect("catalog fetched for the movie");
    assert!(
        !catalog.1["query"].as_str().expect("query").contains("Book"),
        "the book title is provided"
    );
}

#[tokio::test]
async fn provided_fields_of_interface_implementations_are_not_fetched_again() {
    let running = fixture().start().await;
    check(
        &running,
        "provides_interface",
        "{ spotlight { id ... on Book { title } ... on Movie { title } } }",
        json!({}),
        json!({ "data": { "spotlight": [
            { "id": "b1", "title": "Sawit 101" },
            { "id": "m1", "title": "Kebun" },
        ]}}),
    )
    .await;
    assert_eq!(running.count("catalog"), 0, "both titles are provided");
}

#[tokio::test]
async fn through_an_interface_only_what_is_not_provided_is_fetched() {
    let running = fixture().start().await;
    check(
        &running,
        "provides_interface_partial",
        "{ spotlight { ... on Movie { title minutes } } }",
        json!({}),
        json!({ "data": { "spotlight": [
            {},
            { "title": "Kebun", "minutes": 90 },
        ]}}),
    )
    .await;
    let catalog = running
        .requests()
        .into_iter()
        .find(|(s, _)| s == "catalog")
        .expect("catalog fetched for the minutes");
    let query = catalog.1["query"].as_str().expect("query");
    assert!(!query.contains("title"), "the title is provided: {query}");
}
