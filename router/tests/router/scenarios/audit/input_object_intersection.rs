//! Audit suite `input-object-intersection`: an input field only one subgraph
//! declares is not part of the API, for either subgraph's arguments.
//! (Subgraph a is written from the suite's queries.)

use serde_json::json;

use crate::fixture::{Fixture, subgraph};
use crate::scenarios::check;

pub fn fixture() -> Fixture {
    let users = json!([{ "id": "u1", "name": "u1-name" }, { "id": "u2", "name": "u2-name" }]);
    Fixture::new(vec![
        subgraph(
            "a",
            r#"
            input UsersFilter { first: Int! }
            type User @key(fields: "id") { id: ID! name: String! @shareable }
            type Query { usersInA(filter: UsersFilter!): [User!] }
            "#,
            json!({ "Query": { "usersInA(filter:{\"first\":1})": users.clone() } }),
        ),
        subgraph(
            "b",
            r#"
            input UsersFilter { offset: Int first: Int! }
            type User @key(fields: "id") { id: ID! name: String! @shareable }
            type Query { usersInB(filter: UsersFilter!): [User!] }
            "#,
            json!({ "Query": { "usersInB(filter:{\"first\":1})": users } }),
        ),
    ])
}

#[tokio::test]
async fn only_input_fields_every_subgraph_declares_are_accepted() {
    let running = fixture().start().await;
    check(
        &running,
        "audit_input_object_intersection_1",
        "{ usersInA(filter: { first: 1 }) { id } }",
        json!({}),
        json!({ "data": { "usersInA": [{ "id": "u1" }, { "id": "u2" }] } }),
    )
    .await;
    for query in [
        "{ usersInA(filter: { first: 1, offset: 2 }) { id } }",
        "{ usersInB(filter: { first: 1, offset: 2 }) { id } }",
    ] {
        let (response, _) = running.query(query, json!({})).await;
        assert_eq!(
            response["errors"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED",
            "{response}"
        );
    }
    assert_eq!(running.count("a") + running.count("b"), 1);
}
