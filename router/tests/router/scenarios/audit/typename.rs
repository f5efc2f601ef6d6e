//! Audit suite `typename`: `__typename` under aliases, inside fragments, on
//! unions, interfaces and an `@interfaceObject` (whose concrete type only another
//! subgraph knows). (The subgraphs are written from the suite's queries.)

use serde_json::json;

use crate::fixture::{Fixture, subgraph};
use crate::scenarios::check;

pub fn fixture() -> Fixture {
    Fixture::new(vec![
        subgraph(
            "a",
            r#"
            type Query { union: Product interface: Node users: [User] }
            union Product = Oven | Toaster
            interface Node { id: ID! }
            type Oven implements Node @key(fields: "id") { id: ID! }
            type Toaster implements Node @key(fields: "id") { id: ID! }
            type User @key(fields: "id") @interfaceObject { id: ID! }
            "#,
            json!({ "Query": {
                "union": { "__typename": "Oven", "id": "1" },
                "interface": { "__typename": "Toaster", "id": "2" },
                "users": [{ "id": "u1" }, { "id": "u2" }],
            }}),
        ),
        subgraph(
            "b",
            r#"
            interface User @key(fields: "id") { id: ID! }
            type Admin implements User @key(fields: "id") { id: ID! }
            "#,
            json!({ "entities": {
                "User": [
                    { "__typename": "Admin", "id": "u1" },
                    { "__typename": "Admin", "id": "u2" },
                ],
                "Admin": [{ "id": "u1" }, { "id": "u2" }],
            }}),
        ),
    ])
}

#[tokio::test]
async fn typename_is_answered_under_every_alias_and_fragment() {
    let running = fixture().start().await;
    let cases = [
        (
            "audit_typename_1",
            "{ union { __typename typename: __typename } }",
            json!({ "union": { "__typename": "Oven", "typename": "Oven" } }),
        ),
        (
            "audit_typename_2",
            "{ interface { id __typename typename: __typename t: __typename } }",
            json!({ "interface": { "id": "2", "__typename": "Toaster", "typename": "Toaster", "t": "Toaster" } }),
        ),
        (
            "audit_typename_3",
            "{ union { __typename ... on Oven { typename: __typename } ... on Toaster { typename: __typename } } }",
            json!({ "union": { "__typename": "Oven", "typename": "Oven" } }),
        ),
        (
            "audit_typename_4",
            "{ interface { __typename ... on Oven { typename: __typename } ... on Toaster { typename: __typename } } }",
            json!({ "interface": { "__typename": "Toaster", "typename": "Toaster" } }),
        ),
        (
            "audit_typename_5",
            "{ users { id } }",
            json!({ "users": [{ "id": "u1" }, { "id": "u2" }] }),
        ),
        (
            "audit_typename_6",
            "{ users { __typename } }",
            json!({ "users": [{ "__typename": "Admin" }, { "__typename": "Admin" }] }),
        ),
    ];
    for (name, query, data) in cases {
        check(&running, name, query, json!({}), json!({ "data": data })).await;
    }
}
