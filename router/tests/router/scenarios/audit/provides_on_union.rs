//! Audit suite `provides-on-union`: of two subgraphs sharing a union root field,
//! the one that `@provides` a member's field is used, and only the other
//! member's field is fetched elsewhere.

use serde_json::json;

use crate::fixture::{Fixture, subgraph};
use crate::scenarios::check;

pub fn fixture() -> Fixture {
    Fixture::new(vec![
        subgraph(
            "a",
            r#"
            type Query { media: [Media] @shareable }
            union Media = Book | Movie
            type Book @key(fields: "id") { id: ID! }
            type Movie @key(fields: "id") { id: ID! }
            "#,
            json!({ "Query": { "media": { "$error": "You should not be using the 'a' subgraph!" } } }),
        ),
        subgraph(
            "b",
            r#"
            type Query { media: [Media] @shareable @provides(fields: "... on Book { title }") }
            union Media = Book | Movie
            type Book @key(fields: "id") { id: ID! title: String @external }
            type Movie @key(fields: "id") { id: ID! }
            "#,
            json!({ "Query": { "media": [
                { "__typename": "Book", "id": "m1", "title": "Book 1" },
                { "__typename": "Movie", "id": "m2" },
            ]}}),
        ),
        subgraph(
            "c",
            r#"
            type Book @key(fields: "id") { id: ID! title: String @shareable }
            type Movie @key(fields: "id") { id: ID! title: String @shareable }
            "#,
            json!({ "entities": {
                "Book": [{ "id": "m1", "title": { "$error": "You should be using the 'b' subgraph!" } }],
                "Movie": [{ "id": "m2", "title": "Movie 1" }],
            }}),
        ),
    ])
}

#[tokio::test]
async fn the_subgraph_that_provides_a_members_field_answers_the_root() {
    let running = fixture().start().await;
    check(
        &running,
        "audit_provides_on_union_1",
        "{ media { ... on Book { id title } ... on Movie { id } } }",
        json!({}),
        json!({ "data": { "media": [{ "id": "m1", "title": "Book 1" }, { "id": "m2" }] } }),
    )
    .await;
    check(
        &running,
        "audit_provides_on_union_2",
        "{ media { ... on Book { id title } ... on Movie { id title } } }",
        json!({}),
        json!({ "data": { "media": [{ "id": "m1", "title": "Book 1" }, { "id": "m2", "title": "Movie 1" }] } }),
    )
    .await;
}
