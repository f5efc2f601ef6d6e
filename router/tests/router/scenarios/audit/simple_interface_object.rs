//! Audit suite `simple-interface-object`: entity interfaces that another
//! subgraph extends as `@interfaceObject` — its own fields straight from it,
//! `__typename` and type conditions through the subgraph that knows the objects.
//! (Subgraph b is written from the suite's expected plans.)

use serde_json::json;

use crate::fixture::{Fixture, subgraph};
use crate::scenarios::check;

pub fn fixture() -> Fixture {
    let user = |id: &str, age: i64| json!({ "__typename": "User", "id": id, "name": format!("{id}-name"), "age": age });
    let account = |typename: &str, id: &str, main: bool, active: bool| json!({ "__typename": typename, "id": id, "isMain": main, "isActive": active });
    Fixture::new(vec![
        subgraph(
            "a",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
            type Query { users: [NodeWithName!]! }
            interface NodeWithName @key(fields: "id") { id: ID! name: String }
            type User implements NodeWithName @key(fields: "id") { id: ID! name: String age: Int }
            interface Account @key(fields: "id") { id: ID! }
            type Admin implements Account @key(fields: "id") { id: ID! isMain: Boolean! isActive: Boolean! @shareable }
            type Regular implements Account @key(fields: "id") { id: ID! isMain: Boolean! }
            "#,
            json!({
                "Query": { "users": [user("u1", 11), user("u2", 22)] },
                "entities": {
                    "NodeWithName": [{ "__typename": "User", "id": "u1" }, { "__typename": "User", "id": "u2" }],
                    "User": [user("u1", 11), user("u2", 22)],
                    "Account": [
                        { "__typename": "Admin", "id": "u1" },
                        { "__typename": "Admin", "id": "u2" },
                        { "__typename": "Regular", "id": "u3" },
                    ],
                    "Admin": [account("Admin", "u1", true, true), account("Admin", "u2", false, true)],
                    "Regular": [account("Regular", "u3", true, false)],
                },
            }),
        ),
        subgraph(
            "b",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@interfaceObject"])
            type Query { anotherUsers: [NodeWithName] accounts: [Account] }
            type NodeWithName @key(fields: "id") @interfaceObject { id: ID! username: String }
            type Account @key(fields: "id") @interfaceObject { id: ID! name: String }
            "#,
            json!({
                "Query": {
                    "anotherUsers": [
                        { "id": "u1", "username": "u1-username" },
                        { "id": "u2", "username": "u2-username" },
                    ],
                    "accounts": [
                        { "id": "u1", "name": "Alice" },
                        { "id": "u2", "name": "Bob" },
                        { "id": "u3", "name": "Charlie" },
                    ],
                },
                "entities": {
                    "NodeWithName": [
                        { "id": "u1", "username": "u1-username" },
                        { "id": "u2", "username": "u2-username" },
                    ],
                    "Account": [
                        { "id": "u1", "name": "Alice" },
                        { "id": "u2", "name": "Bob" },
                        { "id": "u3", "name": "Charlie" },
                    ],
                },
            }),
        ),
        subgraph(
            "c",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@interfaceObject", "@shareable"])
            type Account @key(fields: "id") @interfaceObject { id: ID! isActive: Boolean! @shareable }
            "#,
            json!({ "entities": { "Account": [
                { "id": "u1", "isActive": false },
                { "id": "u2", "isActive": false },
                { "id": "u3", "isActive": false },
            ]}}),
        ),
    ])
}

#[tokio::test]
async fn interface_objects_answer_their_fields_and_ask_the_owner_for_types() {
    let running = fixture().start().await;
    let full = |id: &str, age: i64| json!({ "age": age, "id": id, "name": format!("{id}-name"), "username": format!("{id}-username") });
    let cases = [
        (
            "audit_simple_interface_object_1",
            "{ anotherUsers { id name username } }",
            json!({ "anotherUsers": [
                { "id": "u1", "name": "u1-name", "username": "u1-username" },
                { "id": "u2", "name": "u2-name", "username": "u2-username" },
            ]}),
        ),
        (
            "audit_simple_interface_object_2",
            "{ users { id name username } }",
            json!({ "users": [
                { "id": "u1", "name": "u1-name", "username": "u1-username" },
                { "id": "u2", "name": "u2-name", "username": "u2-username" },
            ]}),
        ),
        (
            "audit_simple_interface_object_3",
            "{ anotherUsers { ... on User { age } } }",
            json!({ "anotherUsers": [{ "age": 11 }, { "age": 22 }] }),
        ),
        (
            "audit_simple_interface_object_4",
            "{ users { ... on User { age } } }",
            json!({ "users": [{ "age": 11 }, { "age": 22 }] }),
        ),
        (
            "audit_simple_interface_object_5",
            "{ anotherUsers { ... on User { age id name username } id name } }",
            json!({ "anotherUsers": [full("u1", 11), full("u2", 22)] }),
        ),
        (
            "audit_simple_interface_object_6",
            "{ users { ... on User { age id name username } id name } }",
            json!({ "users": [full("u1", 11), full("u2", 22)] }),
        ),
        (
            "audit_simple_interface_object_8",
            "{ accounts { name } }",
            json!({ "accounts": [{ "name": "Alice" }, { "name": "Bob" }, { "name": "Charlie" }] }),
        ),
        (
            "audit_simple_interface_object_9",
            "{ accounts { ... on Admin { name } } }",
            json!({ "accounts": [{ "name": "Alice" }, { "name": "Bob" }, {}] }),
        ),
        (
            "audit_simple_interface_object_10",
            "{ accounts { name __typename } }",
            json!({ "accounts": [
                { "name": "Alice", "__typename": "Admin" },
                { "name": "Bob", "__typename": "Admin" },
                { "name": "Charlie", "__typename": "Regular" },
            ]}),
        ),
        (
            "audit_simple_interface_object_11",
            "{ accounts { ... on Admin { __typename } } }",
            json!({ "accounts": [{ "__typename": "Admin" }, { "__typename": "Admin" }, {}] }),
        ),
        (
            "audit_simple_interface_object_12",
            "{ accounts { id isActive } }",
            json!({ "accounts": [
                { "id": "u1", "isActive": false },
                { "id": "u2", "isActive": false },
                { "id": "u3", "isActive": false },
            ]}),
        ),
        (
            "audit_simple_interface_object_13",
            "{ accounts { id ... on Admin { isActive } } }",
            json!({ "accounts": [
                { "id": "u1", "isActive": true },
                { "id": "u2", "isActive": true },
                { "id": "u3" },
            ]}),
        ),
    ];
    for (name, query, data) in cases {
        check(&running, name, query, json!({}), json!({ "data": data })).await;
    }
}
