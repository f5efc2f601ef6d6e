//! Audit suite `null-keys`: the key needed for the last hop comes from a
//! subgraph that does not know one of the objects; that object's field is null
//! and the others are answered.

use serde_json::json;

use crate::fixture::{Fixture, subgraph};
use crate::scenarios::check;

pub fn fixture() -> Fixture {
    let author = |id: &str, name: &str| json!({ "id": id, "name": name });
    Fixture::new(vec![
        subgraph(
            "a",
            r#"
            type Query { bookContainers: [BookContainer] }
            type BookContainer { book: Book }
            type Book @key(fields: "upc") { upc: ID! }
            "#,
            json!({ "Query": { "bookContainers": [
                { "book": { "upc": "b1" } }, { "book": { "upc": "b2" } }, { "book": { "upc": "b3" } },
            ]}}),
        ),
        subgraph(
            "b",
            r#"
            type Book @key(fields: "id") @key(fields: "upc") { id: ID! upc: ID! }
            "#,
            // b3 is not known here.
            json!({ "entities": { "Book": [{ "id": "1", "upc": "b1" }, { "id": "2", "upc": "b2" }] } }),
        ),
        subgraph(
            "c",
            r#"
            type Book @key(fields: "id") { id: ID! author: Author }
            type Author { id: ID! name: String }
            "#,
            json!({ "entities": { "Book": [
                { "id": "1", "author": author("a1", "Alice") },
                { "id": "2", "author": author("a2", "Bob") },
                { "id": "3", "author": author("a3", "Jack") },
            ]}}),
        ),
    ])
}

#[tokio::test]
async fn an_object_without_the_next_key_gets_null_and_the_rest_are_answered() {
    let running = fixture().start().await;
    check(
        &running,
        "audit_null_keys_1",
        "{ bookContainers { book { upc author { name } } } }",
        json!({}),
        json!({ "data": { "bookContainers": [
            { "book": { "upc": "b1", "author": { "name": "Alice" } } },
            { "book": { "upc": "b2", "author": { "name": "Bob" } } },
            { "book": { "upc": "b3", "author": null } },
        ]}}),
    )
    .await;
}
