//! Audit suite `requires-interface`: `@requires` of a field below an interface,
//! also through a type condition that the actual object does not meet. (Subgraph
//! b is written from the suite's expected plans.)

use serde_json::json;

use crate::fixture::{Fixture, subgraph};
use crate::scenarios::check;

pub fn fixture() -> Fixture {
    let address_of = |field: &str| json!({ "$row": { "type": "Address", "field": field, "where": { "id": { "$from": "address.id" } } } });
    Fixture::new(vec![
        subgraph(
            "a",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@requires", "@external", "@shareable"])
            type Query { a: User }
            interface Address { id: ID! }
            type HomeAddress implements Address @key(fields: "id") { id: ID! city: String @shareable }
            type WorkAddress implements Address @key(fields: "id") { id: ID! city: String @shareable }
            type User @key(fields: "id") {
              id: ID!
              name: String! @shareable
              address: Address @external
              city: String @requires(fields: "address { id }")
              country: String @requires(fields: "address { ... on WorkAddress { id } }")
            }
            "#,
            json!({
                "Query": { "a": { "id": "u1", "name": "u1-name" } },
                "entities": {
                    "User": [
                        { "id": "u1", "name": "u1-name", "city": address_of("city"), "country": address_of("country") },
                        { "id": "u2", "name": "u2-name", "city": address_of("city"), "country": address_of("country") },
                    ],
                    "HomeAddress": [{ "id": "a1", "city": "a1-city" }],
                    "WorkAddress": [{ "id": "a2", "city": "a2-city" }],
                    "Address": [
                        { "id": "a1", "city": "a1-city", "country": "a1-country" },
                        { "id": "a2", "city": "a2-city", "country": "a2-country" },
                    ],
                },
            }),
        ),
        subgraph(
            "b",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
            type Query { b: User }
            interface Address { id: ID! }
            type HomeAddress implements Address @key(fields: "id") { id: ID! }
            type WorkAddress implements Address @key(fields: "id") { id: ID! }
            type SecondAddress implements Address @key(fields: "id") { id: ID! }
            type User @key(fields: "id") { id: ID! name: String! @shareable address: Address }
            "#,
            json!({
                "Query": { "b": { "id": "u2", "name": "u2-name", "address": { "__typename": "WorkAddress", "id": "a2" } } },
                "entities": { "User": [
                    { "id": "u1", "name": "u1-name", "address": { "__typename": "HomeAddress", "id": "a1" } },
                    { "id": "u2", "name": "u2-name", "address": { "__typename": "WorkAddress", "id": "a2" } },
                ]},
            }),
        ),
    ])
}

#[tokio::test]
async fn a_requirement_below_an_interface_is_fetched_and_sent() {
    let running = fixture().start().await;
    let cases = [
        (
            "audit_requires_interface_1",
            "{ a { city } }",
            json!({ "a": { "city": "a1-city" } }),
        ),
        (
            "audit_requires_interface_2",
            "{ b { city } }",
            json!({ "b": { "city": "a2-city" } }),
        ),
        (
            "audit_requires_interface_3",
            "{ a { country } }",
            json!({ "a": { "country": null } }),
        ),
        (
            "audit_requires_interface_4",
            "{ a { address { __typename id } } }",
            json!({ "a": { "address": { "__typename": "HomeAddress", "id": "a1" } } }),
        ),
        (
            "audit_requires_interface_5",
            "{ b { address { __typename id } } }",
            json!({ "b": { "address": { "__typename": "WorkAddress", "id": "a2" } } }),
        ),
        (
            "audit_requires_interface_6",
            "{ b { country } }",
            json!({ "b": { "country": "a2-country" } }),
        ),
    ];
    for (name, query, data) in cases {
        check(&running, name, query, json!({}), json!({ "data": data })).await;
    }
}
