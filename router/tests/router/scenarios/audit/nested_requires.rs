//! Audit suite `nested-requires`: two fields require a list that is itself a
//! `@requires` field of a third subgraph.

use serde_json::json;

use crate::fixture::{Fixture, subgraph};
use crate::scenarios::check;

pub fn fixture() -> Fixture {
    Fixture::new(vec![
        subgraph(
            "service1",
            r#"
            type User @key(fields: "id") { id: ID! firstName: String! lastName: String! address: String }
            type Query { user: User }
            "#,
            json!({
                "Query": { "user": { "id": "1", "firstName": "Jake", "lastName": "Dawkins", "address": "everywhere" } },
                "entities": { "User": [{ "id": "1", "firstName": "Jake", "lastName": "Dawkins", "address": "everywhere" }] },
            }),
        ),
        subgraph(
            "service2",
            r#"
            type UserOrder @key(fields: "id", resolvable: false) { id: ID! }
            type User @key(fields: "id") {
              id: ID!
              userOrders: [UserOrder!] @external
              totalOrdersPrices: Int @requires(fields: "userOrders { id }")
              aggregatedOrdersByStatus: Int @requires(fields: "userOrders { id }")
            }
            "#,
            json!({ "entities": { "User": [{ "id": "1", "totalOrdersPrices": 0, "aggregatedOrdersByStatus": 1 }] } }),
        ),
        subgraph(
            "service3",
            r#"
            type UserOrder @key(fields: "id") { id: ID! }
            type User @key(fields: "id") {
              id: ID!
              lastName: String! @external
              userOrders: [UserOrder!] @requires(fields: "lastName")
            }
            "#,
            json!({ "entities": { "User": [{ "id": "1", "userOrders": [{ "id": { "$format": "{lastName}1" } }] }] } }),
        ),
    ])
}

#[tokio::test]
async fn two_fields_require_a_list_that_is_itself_required() {
    let running = fixture().start().await;
    check(
        &running,
        "audit_nested_requires_1",
        "{ user { aggregatedOrdersByStatus totalOrdersPrices } }",
        json!({}),
        json!({ "data": { "user": { "aggregatedOrdersByStatus": 1, "totalOrdersPrices": 0 } } }),
    )
    .await;
}
