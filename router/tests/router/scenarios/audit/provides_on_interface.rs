//! Audit suite `provides-on-interface`: `@provides` through an interface-typed
//! field whose implementations' fields are `@external`; what is not provided
//! (`Cat.age`) comes from the subgraph that owns the implementations.

use serde_json::json;

use crate::fixture::{Fixture, subgraph};
use crate::scenarios::check;

pub fn fixture() -> Fixture {
    let animals = json!([
        { "__typename": "Dog", "id": "a1", "name": "Fido" },
        { "__typename": "Cat", "id": "a2", "name": "Whiskers" },
    ]);
    Fixture::new(vec![
        subgraph(
            "b",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@provides", "@external"])
            type Query { media: Media @shareable @provides(fields: "animals { id name }") }
            interface Media { id: ID! animals: [Animal] }
            interface Animal { id: ID! name: String }
            type Book implements Media { id: ID! @shareable animals: [Animal] @external }
            type Dog implements Animal { id: ID! @external name: String @external }
            type Cat implements Animal { id: ID! @external name: String @external }
            "#,
            json!({ "Query": { "media": { "__typename": "Book", "id": "m1", "animals": animals.clone() } } }),
        ),
        subgraph(
            "c",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
            interface Media { id: ID! animals: [Animal] }
            interface Animal { id: ID! name: String }
            type Book implements Media @key(fields: "id") { id: ID! animals: [Animal] @shareable }
            type Dog implements Animal @key(fields: "id") { id: ID! name: String @shareable age: Int }
            type Cat implements Animal @key(fields: "id") { id: ID! name: String @shareable age: Int }
            "#,
            json!({ "entities": {
                "Book": [{ "id": "m1", "animals": animals }],
                "Dog": [{ "id": "a1", "name": "Fido", "age": 3 }],
                "Cat": [{ "id": "a2", "name": "Whiskers", "age": 6 }],
            }}),
        ),
    ])
}

#[tokio::test]
async fn provided_fields_of_interface_implementations_need_no_other_subgraph() {
    let running = fixture().start().await;
    check(
        &running,
        "audit_provides_on_interface",
        "{ media { id animals { id name } } }",
        json!({}),
        json!({ "data": { "media": { "id": "m1", "animals": [
            { "id": "a1", "name": "Fido" },
            { "id": "a2", "name": "Whiskers" },
        ]}}}),
    )
    .await;
    assert_eq!(running.count("c"), 0);
}

#[tokio::test]
async fn a_field_that_is_not_provided_comes_from_the_owner() {
    let running = fixture().start().await;
    check(
        &running,
        "audit_provides_on_interface_partial",
        "{ media { id animals { id name ... on Cat { age } } } }",
        json!({}),
        json!({ "data": { "media": { "id": "m1", "animals": [
            { "id": "a1", "name": "Fido" },
            { "id": "a2", "name": "Whiskers", "age": 6 },
        ]}}}),
    )
    .await;
}
