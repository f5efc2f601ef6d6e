//! Audit suite `interface-object-indirect-extension`: an interface reached
//! through an `@interfaceObject` in one subgraph, whose implementation another
//! subgraph extends.

use serde_json::json;

use crate::fixture::{Fixture, subgraph};
use crate::scenarios::check;

pub fn fixture() -> Fixture {
    let video =
        json!({ "__typename": "Video", "id": "1", "title": "title for 1", "duration": 100 });
    Fixture::new(vec![
        subgraph(
            "a",
            r#"
            type Query { media: Media }
            interface Media @key(fields: "id") { id: ID! title: String }
            type Video implements Media @key(fields: "id") { id: ID! title: String duration: Int }
            type Article implements Media @key(fields: "id") { id: ID! title: String wordCount: Int }
            "#,
            json!({
                "Query": { "media": video.clone() },
                "entities": { "Media": [video.clone()], "Video": [video] },
            }),
        ),
        subgraph(
            "b",
            r#"
            type Query { author: Author }
            type Author @key(fields: "id") { id: ID! name: String }
            extend type Video @key(fields: "id") { id: ID! authorName: String }
            "#,
            json!({
                "Query": { "author": { "id": "1", "name": "name for 1" } },
                "entities": { "Video": [{ "id": "1", "authorName": "John Doe" }] },
            }),
        ),
        subgraph(
            "c",
            r#"
            type Query { playlist: Playlist }
            type Playlist @key(fields: "id") { id: ID! name: String media: Media }
            type Media @key(fields: "id") @interfaceObject { id: ID! }
            "#,
            json!({ "Query": { "playlist": { "id": "1", "name": "name for 1", "media": { "id": "1" } } } }),
        ),
    ])
}

#[tokio::test]
async fn an_interface_object_leads_to_an_implementation_extended_elsewhere() {
    let running = fixture().start().await;
    check(
        &running,
        "audit_interface_object_indirect_extension_1",
        "{
           media { id title ... on Video { duration authorName } ... on Article { wordCount } }
           author { id name }
           playlist { id name media { id ... on Video { duration } } }
         }",
        json!({}),
        json!({ "data": {
            "media": { "id": "1", "title": "title for 1", "duration": 100, "authorName": "John Doe" },
            "author": { "id": "1", "name": "name for 1" },
            "playlist": { "id": "1", "name": "name for 1", "media": { "id": "1", "duration": 100 } },
        }}),
    )
    .await;
}
