//! Audit suite `union-intersection`: a union whose members differ between the
//! subgraphs that share its fields; fragments on members a subgraph lacks select
//! nothing there. (Subgraph a is written from the suite's queries.)

use serde_json::json;

use crate::fixture::{Fixture, subgraph};
use crate::scenarios::check;

pub fn fixture() -> Fixture {
    let book = json!({ "__typename": "Book", "title": "The Lord of the Rings" });
    Fixture::new(vec![
        subgraph(
            "a",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@shareable"])
            type Query { media: Media @shareable book: Media @shareable viewer: Viewer @shareable }
            union Media = Book | Song
            union ViewerMedia = Book | Song
            type Book { title: String! @shareable }
            type Song { title: String! @shareable }
            type Viewer { media: ViewerMedia @shareable book: ViewerMedia @shareable song: ViewerMedia }
            "#,
            json!({ "Query": {
                "media": book.clone(),
                "book": book.clone(),
                "viewer": {
                    "media": book.clone(),
                    "book": book.clone(),
                    "song": { "__typename": "Song", "title": "Song Title" },
                },
            }}),
        ),
        subgraph(
            "b",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@shareable"])
            type Query { media: Media @shareable book: Media @shareable viewer: Viewer @shareable }
            union Media = Book | Movie
            union ViewerMedia = Book | Movie
            type Movie { title: String! @shareable }
            type Book { title: String! @shareable }
            type Viewer { media: ViewerMedia @shareable book: ViewerMedia @shareable }
            "#,
            json!({ "Query": {
                "media": book.clone(),
                "book": book.clone(),
                "viewer": { "media": book.clone(), "book": book },
            }}),
        ),
    ])
}

#[tokio::test]
async fn fragments_on_members_only_some_subgraphs_have_are_answered() {
    let running = fixture().start().await;
    let title = json!({ "title": "The Lord of the Rings" });
    let all = "{ __typename ... on Song { title } ... on Movie { title } ... on Book { title } }";
    let cases = [
        (
            "audit_union_intersection_1",
            "{ media { ... on Movie { title } } }".to_owned(),
            json!({ "media": {} }),
        ),
        (
            "audit_union_intersection_2",
            "{ media { ... on Book { title } } }".to_owned(),
            json!({ "media": title }),
        ),
        (
            "audit_union_intersection_3",
            "{ media { ... on Book { title } ... on Movie { title } } }".to_owned(),
            json!({ "media": title }),
        ),
        (
            "audit_union_intersection_4",
            format!("{{ viewer {{ media {all} book {all} song {all} }} }}"),
            json!({ "viewer": {
                "media": { "__typename": "Book", "title": "The Lord of the Rings" },
                "book": { "__typename": "Book", "title": "The Lord of the Rings" },
                "song": { "__typename": "Song", "title": "Song Title" },
            }}),
        ),
        (
            "audit_union_intersection_5",
            "{ viewer { media { ... on Movie { title } } } }".to_owned(),
            json!({ "viewer": { "media": {} } }),
        ),
        (
            "audit_union_intersection_6",
            "{ viewer { media { ... on Book { title } } } }".to_owned(),
            json!({ "viewer": { "media": title } }),
        ),
        (
            "audit_union_intersection_7",
            "{ viewer { media { ... on Book { title } ... on Movie { title } } } }".to_owned(),
            json!({ "viewer": { "media": title } }),
        ),
    ];
    for (name, query, data) in cases {
        check(&running, name, &query, json!({}), json!({ "data": data })).await;
    }
}
