//! Audit suite `interface-object-with-requires`: an `@interfaceObject` field that
//! `@requires` a field only the interface's owner resolves. (Subgraph a is
//! written after the suite `simple-interface-object`'s.)

use serde_json::json;

use crate::fixture::{Fixture, subgraph};
use crate::scenarios::check;

pub fn fixture() -> Fixture {
    let user = |id: &str, age: i64| json!({ "__typename": "User", "id": id, "name": format!("{id}-name"), "age": age });
    let node = |id: &str| json!({ "id": id, "username": format!("{id}-username") });
    Fixture::new(vec![
        subgraph(
            "a",
            r#"
            type Query { users: [NodeWithName!]! }
            interface NodeWithName @key(fields: "id") { id: ID! name: String }
            type User implements NodeWithName @key(fields: "id") { id: ID! name: String age: Int }
            "#,
            json!({
                "Query": { "users": [user("u1", 11), user("u2", 22)] },
                "entities": {
                    "NodeWithName": [{ "__typename": "User", "id": "u1" }, { "__typename": "User", "id": "u2" }],
                    "User": [user("u1", 11), user("u2", 22)],
                },
            }),
        ),
        subgraph(
            "b",
            r#"
            type Query { anotherUsers: [NodeWithName] }
            type NodeWithName @key(fields: "id") @interfaceObject {
              id: ID!
              name: String @external
              username: String @requires(fields: "name")
            }
            "#,
            json!({
                "Query": { "anotherUsers": [{ "id": "u1" }, { "id": "u2" }] },
                "entities": { "NodeWithName": [node("u1"), node("u2")] },
            }),
        ),
    ])
}

#[tokio::test]
async fn an_interface_object_requirement_comes_from_the_interface_owner() {
    let running = fixture().start().await;
    let plain = |id: &str| json!({ "id": id, "name": format!("{id}-name"), "username": format!("{id}-username") });
    let full = |id: &str, age: i64| json!({ "age": age, "id": id, "name": format!("{id}-name"), "username": format!("{id}-username") });
    let cases = [
        (
            "audit_interface_object_requires_1",
            "{ anotherUsers { id name username } }",
            json!({ "anotherUsers": [plain("u1"), plain("u2")] }),
        ),
        (
            "audit_interface_object_requires_2",
            "{ users { id name username } }",
            json!({ "users": [plain("u1"), plain("u2")] }),
        ),
        (
            "audit_interface_object_requires_3",
            "{ anotherUsers { ... on User { age } } }",
            json!({ "anotherUsers": [{ "age": 11 }, { "age": 22 }] }),
        ),
        (
            "audit_interface_object_requires_4",
            "{ users { ... on User { age } } }",
            json!({ "users": [{ "age": 11 }, { "age": 22 }] }),
        ),
        (
            "audit_interface_object_requires_5",
            "{ anotherUsers { ... on User { age id name username } id name } }",
            json!({ "anotherUsers": [full("u1", 11), full("u2", 22)] }),
        ),
        (
            "audit_interface_object_requires_6",
            "{ users { ... on User { age id name username } id name } }",
            json!({ "users": [full("u1", 11), full("u2", 22)] }),
        ),
    ];
    for (name, query, data) in cases {
        check(&running, name, query, json!({}), json!({ "data": data })).await;
    }
}
