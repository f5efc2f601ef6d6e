//! Audit suite `override-with-requires`: a field taken over with `@override` is
//! what two other subgraphs `@require`; each root fetches it from its new owner
//! first. (The subgraphs are written from the suite's expected plans.)

use serde_json::json;

use crate::fixture::{Fixture, subgraph};
use crate::scenarios::check;

pub fn fixture() -> Fixture {
    let user = |id: &str| json!({ "id": id });
    let with_name = |id: &str| json!({ "id": id, "name": format!("{id}-name") });
    let derived = |prefix: &str, id: &str| json!({ "id": id, format!("{prefix}Name"): { "$format": format!("{prefix}__{{name}}") } });
    Fixture::new(vec![
        subgraph(
            "a",
            r#"
            type Query { userInA: User }
            type User @key(fields: "id") {
              id: ID!
              name: String! @external
              aName: String! @requires(fields: "name")
            }
            "#,
            json!({
                "Query": { "userInA": user("u1") },
                "entities": { "User": [derived("a", "u1"), derived("a", "u2"), derived("a", "u3")] },
            }),
        ),
        subgraph(
            "b",
            r#"
            type Query { userInB: User }
            type User @key(fields: "id") { id: ID! name: String! @override(from: "a") }
            "#,
            json!({
                "Query": { "userInB": with_name("u2") },
                "entities": { "User": [with_name("u1"), with_name("u2"), with_name("u3")] },
            }),
        ),
        subgraph(
            "c",
            r#"
            type Query { userInC: User }
            type User @key(fields: "id") {
              id: ID!
              name: String! @external
              cName: String! @requires(fields: "name")
            }
            "#,
            json!({
                "Query": { "userInC": user("u3") },
                "entities": { "User": [derived("c", "u1"), derived("c", "u2"), derived("c", "u3")] },
            }),
        ),
    ])
}

#[tokio::test]
async fn requirements_on_an_overridden_field_come_from_its_new_owner() {
    let running = fixture().start().await;
    let user = |id: &str| json!({ "id": id, "name": format!("{id}-name"), "aName": format!("a__{id}-name"), "cName": format!("c__{id}-name") });
    let fields = "{ id name aName cName }";
    check(
        &running,
        "audit_override_with_requires_1",
        &format!("{{ userInA {fields} userInB {fields} userInC {fields} }}"),
        json!({}),
        json!({ "data": { "userInA": user("u1"), "userInB": user("u2"), "userInC": user("u3") } }),
    )
    .await;
    for (name, query, data) in [
        (
            "audit_override_with_requires_2",
            "{ userInC { cName } }",
            json!({ "userInC": { "cName": "c__u3-name" } }),
        ),
        (
            "audit_override_with_requires_3",
            "{ userInA { cName } }",
            json!({ "userInA": { "cName": "c__u1-name" } }),
        ),
        (
            "audit_override_with_requires_4",
            "{ userInA { aName } }",
            json!({ "userInA": { "aName": "a__u1-name" } }),
        ),
    ] {
        check(&running, name, query, json!({}), json!({ "data": data })).await;
    }
}
