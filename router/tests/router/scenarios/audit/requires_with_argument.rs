//! Audit suite `requires-with-argument`: a `@requires` that passes arguments to the
//! fields it needs (`price(currency: "USD")`, `comments(limit: 3) { authorId }`),
//! also when the client asks for the same field with other arguments.

use serde_json::json;

use crate::fixture::{Fixture, subgraph};
use crate::scenarios::check;

pub fn fixture() -> Fixture {
    Fixture::new(vec![
        subgraph(
            "a",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])
            type Product @key(fields: "upc") {
              upc: String!
              weight: Int @external
              price(currency: String!): Int @external
              shippingEstimate: Int @requires(fields: "price(currency: \"USD\") weight")
            }
            "#,
            json!({ "entities": { "Product": [
                { "upc": "p1", "shippingEstimate": 110 },
                { "upc": "p2", "shippingEstimate": 440 },
            ]}}),
        ),
        subgraph(
            "b",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
            type Query { products: [Product] }
            type Product @key(fields: "upc") {
              upc: String!
              name: String
              price(currency: String!): Int
              weight: Int
            }
            "#,
            json!({
                "Query": { "products": [{ "upc": "p1" }, { "upc": "p2" }] },
                "entities": { "Product": [
                    { "upc": "p1", "name": "p-name-1", "price(currency:\"USD\")": 11, "price(currency:\"EUR\")": 10, "weight": 1 },
                    { "upc": "p2", "name": "p-name-2", "price(currency:\"USD\")": 22, "price(currency:\"EUR\")": 20, "weight": 2 },
                ]},
            }),
        ),
        subgraph(
            "c",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])
            type Query { feed: [Post] }
            type Post @key(fields: "id") { id: ID! }
            type Comment @key(fields: "id") { id: ID! authorId: ID body: String! }
            "#,
            json!({
                "Query": { "feed": [{ "id": "post-1" }, { "id": "post-2" }] },
                "entities": {
                    "Post": [{ "id": "post-1" }, { "id": "post-2" }],
                    "Comment": [
                        { "id": "c1", "authorId": "a1", "body": "Bagus" },
                        { "id": "c2", "authorId": "a2", "body": "Setuju" },
                        { "id": "c3", "authorId": "a3", "body": "Mantap" },
                        { "id": "c4", "authorId": "a1", "body": "Lanjut" },
                        { "id": "c5", "authorId": "a2", "body": "Oke" },
                        { "id": "c6", "authorId": "a1", "body": "Terima kasih" },
                    ],
                },
            }),
        ),
        subgraph(
            "d",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])
            type Post @key(fields: "id") {
              id: ID!
              author: Author @requires(fields: "comments(limit: 3) { authorId }")
              comments(limit: Int!): [Comment]
            }
            type Comment @key(fields: "id") { id: ID! date: String authorId: ID @external }
            type Author { id: ID! name: String }
            "#,
            json!({ "entities": {
                "Post": [
                    {
                        "id": "post-1",
                        "comments(limit:1)": [{ "id": "c1" }],
                        "comments(limit:3)": [{ "id": "c1" }, { "id": "c2" }, { "id": "c3" }],
                        "author": { "$row": { "type": "Author", "where": { "id": { "$from": "comments.2.authorId" } } } },
                    },
                    {
                        "id": "post-2",
                        "comments(limit:1)": [{ "id": "c4" }],
                        "comments(limit:3)": [{ "id": "c4" }, { "id": "c5" }, { "id": "c6" }],
                        "author": { "$row": { "type": "Author", "where": { "id": { "$from": "comments.2.authorId" } } } },
                    },
                ],
                "Comment": [
                    { "id": "c1", "date": "2026-01-01" }, { "id": "c2", "date": "2026-01-02" },
                    { "id": "c3", "date": "2026-01-03" }, { "id": "c4", "date": "2026-01-04" },
                    { "id": "c5", "date": "2026-01-05" }, { "id": "c6", "date": "2026-01-06" },
                ],
                "Author": [
                    { "id": "a1", "name": "Ayu" }, { "id": "a2", "name": "Budi" }, { "id": "a3", "name": "Citra" },
                ],
            }}),
        ),
    ])
}

#[tokio::test]
async fn a_required_field_with_an_argument_is_fetched_with_it() {
    let running = fixture().start().await;
    check(
        &running,
        "audit_requires_with_argument",
        "{ products { upc name shippingEstimate } }",
        json!({}),
        json!({ "data": { "products": [
            { "upc": "p1", "name": "p-name-1", "shippingEstimate": 110 },
            { "upc": "p2", "name": "p-name-2", "shippingEstimate": 440 },
        ]}}),
    )
    .await;
    let a = running
        .requests()
        .into_iter()
        .find(|(s, _)| s == "a")
        .expect("a is asked");
    assert_eq!(
        a.1["variables"]["representations"][0],
        json!({ "__typename": "Product", "upc": "p1", "price": 11, "weight": 1 }),
        "the USD price is sent"
    );
}

#[tokio::test]
async fn the_client_and_the_requirement_ask_for_the_same_field_with_other_arguments() {
    let running = fixture().start().await;
    check(
        &running,
        "audit_requires_with_argument_both",
        r#"{ products { upc price(currency: "EUR") shippingEstimate } }"#,
        json!({}),
        json!({ "data": { "products": [
            { "upc": "p1", "price": 10, "shippingEstimate": 110 },
            { "upc": "p2", "price": 20, "shippingEstimate": 440 },
        ]}}),
    )
    .await;
}

#[tokio::test]
async fn a_requirement_on_a_list_field_with_arguments_reaches_through_two_subgraphs() {
    let running = fixture().start().await;
    check(
        &running,
        "audit_requires_with_argument_list",
        "{ feed { id author { id name } } }",
        json!({}),
        json!({ "data": { "feed": [
            { "id": "post-1", "author": { "id": "a3", "name": "Citra" } },
            { "id": "post-2", "author": { "id": "a1", "name": "Ayu" } },
        ]}}),
    )
    .await;
}

#[tokio::test]
async fn the_client_asks_the_required_list_field_with_another_limit() {
    let running = fixture().start().await;
    check(
        &running,
        "audit_requires_with_argument_list_both",
        "{ feed { comments(limit: 1) { id body } author { name } } }",
        json!({}),
        json!({ "data": { "feed": [
            { "comments": [{ "id": "c1", "body": "Bagus" }], "author": { "name": "Citra" } },
            { "comments": [{ "id": "c4", "body": "Lanjut" }], "author": { "name": "Ayu" } },
        ]}}),
    )
    .await;
}
