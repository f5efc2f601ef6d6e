//! Audit suite `enum-intersection`: an enum whose value one subgraph hides with
//! `@inaccessible`: as an argument it is refused, as a subgraph's answer it
//! becomes null with an error. (The subgraphs are written from the suite's
//! queries and answers.)

use serde_json::json;

use crate::fixture::{Fixture, subgraph};
use crate::scenarios::check;

pub fn fixture() -> Fixture {
    Fixture::new(vec![
        subgraph(
            "a",
            r#"
            type Query { users: [User] usersByType(type: UserType!): [User] }
            type User @key(fields: "id") { id: ID! type: UserType @shareable }
            enum UserType { ANONYMOUS @inaccessible REGULAR }
            "#,
            json!({
                "Query": {
                    "users": [{ "id": "u1", "type": "REGULAR" }, { "id": "u2", "type": "ANONYMOUS" }],
                    "usersByType(type:\"REGULAR\")": [{ "id": "u1", "type": "REGULAR" }],
                },
                "entities": { "User": [{ "id": "u1", "type": "REGULAR" }, { "id": "u2", "type": "ANONYMOUS" }] },
            }),
        ),
        subgraph(
            "b",
            r#"
            type Query { usersB: [User] }
            type User @key(fields: "id") { id: ID! type: UserType @shareable }
            enum UserType { ANONYMOUS @inaccessible REGULAR }
            "#,
            json!({
                "Query": { "usersB": [{ "id": "u1", "type": "REGULAR" }, { "id": "u2", "type": null }] },
                "entities": { "User": [{ "id": "u1", "type": "REGULAR" }, { "id": "u2", "type": null }] },
            }),
        ),
    ])
}

#[tokio::test]
async fn accessible_values_pass_and_hidden_ones_are_refused_or_nulled() {
    let running = fixture().start().await;
    check(
        &running,
        "audit_enum_intersection_1",
        "{ users { id } }",
        json!({}),
        json!({ "data": { "users": [{ "id": "u1" }, { "id": "u2" }] } }),
    )
    .await;
    check(
        &running,
        "audit_enum_intersection_3",
        "{ usersB { id type } }",
        json!({}),
        json!({ "data": { "usersB": [{ "id": "u1", "type": "REGULAR" }, { "id": "u2", "type": null }] } }),
    )
    .await;
    check(
        &running,
        "audit_enum_intersection_4",
        "{ usersByType(type: REGULAR) { id type } }",
        json!({}),
        json!({ "data": { "usersByType": [{ "id": "u1", "type": "REGULAR" }] } }),
    )
    .await;

    let (response, _) = running.query("{ users { id type } }", json!({})).await;
    assert_eq!(
        response["data"],
        json!({ "users": [{ "id": "u1", "type": "REGULAR" }, { "id": "u2", "type": null }] }),
        "{response}"
    );
    assert_eq!(
        response["errors"][0]["path"],
        json!(["users", 1, "type"]),
        "{response}"
    );

    let (response, _) = running
        .query("{ usersByType(type: ANONYMOUS) { id type } }", json!({}))
        .await;
    assert_eq!(
        response["errors"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED",
        "{response}"
    );
    assert!(response.get("data").is_none());
}
