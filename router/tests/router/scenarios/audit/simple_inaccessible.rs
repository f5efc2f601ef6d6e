//! Audit suite `simple-inaccessible`: an `@inaccessible` argument (its default
//! still applies in the subgraph) and an `@inaccessible` enum value returned by
//! a subgraph. (Subgraph age is written from the suite's queries.)

use serde_json::json;

use crate::fixture::{Fixture, subgraph};
use crate::scenarios::check;

pub fn fixture() -> Fixture {
    let user = |id: &str, friend: &str| json!({ "id": id, "friends(type:\"FAMILY\")": [{ "id": friend }], "type": "FAMILY" });
    Fixture::new(vec![
        subgraph(
            "age",
            r#"
            type Query { usersInAge: [User!]! }
            type User @key(fields: "id") { id: ID age: Int }
            "#,
            json!({ "Query": { "usersInAge": [{ "id": "u1", "age": 11 }, { "id": "u2", "age": 22 }] } }),
        ),
        subgraph(
            "friends",
            r#"
            type Query { usersInFriends: [User!]! }
            type User @key(fields: "id") {
              id: ID
              friends(type: FriendType = FAMILY @inaccessible): [User!]!
              type: FriendType
            }
            enum FriendType { FAMILY @inaccessible FRIEND }
            "#,
            json!({
                "Query": { "usersInFriends": [user("u1", "u2"), user("u2", "u1")] },
                "entities": { "User": [user("u1", "u2"), user("u2", "u1")] },
            }),
        ),
    ])
}

#[tokio::test]
async fn inaccessible_arguments_and_enum_values_stay_out_of_the_api() {
    let running = fixture().start().await;
    let friends = json!([
        { "id": "u1", "friends": [{ "id": "u2" }] },
        { "id": "u2", "friends": [{ "id": "u1" }] },
    ]);
    check(
        &running,
        "audit_simple_inaccessible_1",
        "{ usersInAge { id friends { id } } }",
        json!({}),
        json!({ "data": { "usersInAge": friends.clone() } }),
    )
    .await;
    check(
        &running,
        "audit_simple_inaccessible_2",
        "{ usersInFriends { id friends { id } } }",
        json!({}),
        json!({ "data": { "usersInFriends": friends } }),
    )
    .await;

    let (response, _) = running
        .query(
            "{ usersInFriends { id friends(type: FRIEND) { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        response["errors"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED",
        "{response}"
    );

    let (response, _) = running
        .query("{ usersInFriends { id friends { id type } } }", json!({}))
        .await;
    assert_eq!(
        response["data"],
        json!({ "usersInFriends": [
            { "id": "u1", "friends": [{ "id": "u2", "type": null }] },
            { "id": "u2", "friends": [{ "id": "u1", "type": null }] },
        ]}),
        "{response}"
    );
}
