//! `@override`: a field moved to another subgraph is resolved there — also when the
//! subgraph it was taken from no longer exists.

use serde_json::json;

use super::check;
use crate::fixture::{Fixture, subgraph};

pub fn fixture() -> Fixture {
    Fixture::new(vec![
        subgraph(
            "posts",
            r#"
            type Query { posts: [Post] }
            type Post @key(fields: "id") { id: ID! title: String body: String }
            "#,
            json!({
                "Query": { "posts": [{ "id": "1" }] },
                "entities": { "Post": [{ "id": "1", "title": "old title", "body": "Isi" }] },
            }),
        ),
        subgraph(
            "editorial",
            r#"
            type Post @key(fields: "id") { id: ID! title: String @override(from: "posts") likes: Int }
            "#,
            json!({ "entities": { "Post": [{ "id": "1", "title": "new title", "likes": 7 }] } }),
        ),
        subgraph(
            "tags",
            r#"
            type Post @key(fields: "id") { id: ID! tag: String @override(from: "legacy") }
            "#,
            json!({ "entities": { "Post": [{ "id": "1", "tag": "sawit" }] } }),
        ),
    ])
}

#[tokio::test]
async fn an_overridden_field_comes_from_its_new_subgraph() {
    let running = fixture().start().await;
    check(
        &running,
        "override_moved",
        "{ posts { title body } }",
        json!({}),
        json!({ "data": { "posts": [{ "title": "new title", "body": "Isi" }] } }),
    )
    .await;
}

#[tokio::test]
async fn an_override_from_a_missing_subgraph_is_just_the_field() {
    let running = fixture().start().await;
    check(
        &running,
        "override_missing_source",
        "{ posts { tag } }",
        json!({}),
        json!({ "data": { "posts": [{ "tag": "sawit" }] } }),
    )
    .await;
}
