//! `@interfaceObject`: a subgraph that sees an interface as one object type. Fields
//! it adds are fetched with the interface's name as `__typename`; the concrete type
//! (for `__typename` or fragments) comes from a subgraph that knows it.

use serde_json::json;

use super::check;
use crate::fixture::{Fixture, subgraph};

pub fn fixture() -> Fixture {
    Fixture::new(vec![
        subgraph(
            "media",
            r#"
            type Query { media: [Media] }
            interface Media @key(fields: "id") { id: ID! title: String }
            type Book implements Media @key(fields: "id") { id: ID! title: String author: String }
            type Movie implements Media @key(fields: "id") { id: ID! title: String director: String }
            "#,
            json!({
                "Query": { "media": [{ "__typename": "Book", "id": "b1" }, { "__typename": "Movie", "id": "m1" }] },
                "entities": {
                    "Media": [{ "__typename": "Book", "id": "b1" }, { "__typename": "Movie", "id": "m1" }],
                    "Book": [{ "id": "b1", "title": "Sawit 101", "author": "Ayu" }],
                    "Movie": [{ "id": "m1", "title": "Kebun", "director": "Budi" }],
                },
            }),
        ),
        subgraph(
            "ratings",
            r#"
            type Query { topMedia: [Media] }
            type Media @key(fields: "id") @interfaceObject {
              id: ID!
              reviews: [String]
              rating: Int
              title: String @external
              blurb: String @requires(fields: "title")
            }
            "#,
            json!({
                "Query": { "topMedia": [{ "id": "m1" }, { "id": "b1" }] },
                "entities": { "Media": [
                    { "id": "b1", "reviews": ["bagus"], "rating": 4, "blurb": { "$format": "Baca {title}!" } },
                    { "id": "m1", "reviews": [], "rating": 5, "blurb": { "$format": "Tonton {title}!" } },
                ]},
            }),
        ),
    ])
}

#[tokio::test]
async fn fields_an_interface_object_adds_are_fetched_through_the_interface() {
    let running = fixture().start().await;
    check(
        &running,
        "interface_object_added_field",
        "{ media { title reviews } }",
        json!({}),
        json!({ "data": { "media": [
            { "title": "Sawit 101", "reviews": ["bagus"] },
            { "title": "Kebun", "reviews": [] },
        ]}}),
    )
    .await;
    let ratings = running
        .requests()
        .into_iter()
        .find(|(s, _)| s == "ratings")
        .expect("ratings fetched");
    let typenames: Vec<&str> = ratings.1["variables"]["representations"]
        .as_array()
        .expect("representations")
        .iter()
        .filter_map(|r| r["__typename"].as_str())
        .collect();
    assert_eq!(
        typenames,
        ["Media", "Media"],
        "representations name the interface"
    );
}

#[tokio::test]
async fn an_interface_object_root_needs_no_other_subgraph_for_its_own_fields() {
    let running = fixture().start().await;
    check(
        &running,
        "interface_object_own_fields",
        "{ topMedia { id rating } }",
        json!({}),
        json!({ "data": { "topMedia": [{ "id": "m1", "rating": 5 }, { "id": "b1", "rating": 4 }] } }),
    )
    .await;
    assert_eq!(running.count("media"), 0);
}

#[tokio::test]
async fn the_concrete_typename_comes_from_the_subgraph_that_knows_it() {
    let running = fixture().start().await;
    check(
        &running,
        "interface_object_typename",
        "{ topMedia { __typename title } }",
        json!({}),
        json!({ "data": { "topMedia": [
            { "__typename": "Movie", "title": "Kebun" },
            { "__typename": "Book", "title": "Sawit 101" },
        ]}}),
    )
    .await;
}

#[tokio::test]
async fn fragments_on_concrete_types_are_resolved_by_the_subgraph_that_knows_them() {
    let running = fixture().start().await;
    check(
        &running,
        "interface_object_fragment",
        "{ topMedia { rating ... on Book { author } ... on Movie { director } } }",
        json!({}),
        json!({ "data": { "topMedia": [
            { "rating": 5, "director": "Budi" },
            { "rating": 4, "author": "Ayu" },
        ]}}),
    )
    .await;
}

#[tokio::test]
async fn a_requirement_of_an_interface_object_field_is_fetched_from_the_concrete_side() {
    let running = fixture().start().await;
    check(
        &running,
        "interface_object_requires",
        "{ media { blurb } }",
        json!({}),
        json!({ "data": { "media": [{ "blurb": "Baca Sawit 101!" }, { "blurb": "Tonton Kebun!" }] } }),
    )
    .await;
}

#[tokio::test]
async fn an_interface_object_root_with_a_requirement_goes_out_and_back() {
    let running = fixture().start().await;
    check(
        &running,
        "interface_object_requires_round_trip",
        "{ topMedia { blurb } }",
        json!({}),
        json!({ "data": { "topMedia": [{ "blurb": "Tonton Kebun!" }, { "blurb": "Baca Sawit 101!" }] } }),
    )
    .await;
    let order: Vec<String> = running.requests().into_iter().map(|(s, _)| s).collect();
    assert_eq!(order, ["ratings", "media", "ratings"]);
}
