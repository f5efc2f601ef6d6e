//! Audit suite `mutations`: a mutation result completed by `@requires` in
//! another subgraph, and root mutation fields of three subgraphs run strictly in
//! the order written.

use serde_json::json;

use crate::fixture::{Fixture, subgraph};
use crate::scenarios::check;

pub fn fixture() -> Fixture {
    Fixture::new(vec![
        subgraph(
            "a",
            r#"
            type Mutation { addProduct(input: AddProductInput!): Product! multiply(by: Int!, requestId: String!): Int! }
            type Query { product(id: ID!): Product! products: [Product!]! }
            input AddProductInput { name: String! price: Float! }
            type Product @key(fields: "id") { id: ID! name: String! price: Float! }
            "#,
            json!({
                "Mutation": {
                    "addProduct(input:{\"name\":\"new\",\"price\":599.99})": { "id": "p3", "name": "new", "price": 599.99 },
                    "multiply(by:2,requestId:\"r1\")": 10,
                },
                "Query": { "product(id:\"p1\")": { "id": "p1", "name": "p1-name", "price": 9.99 } },
                "entities": { "Product": [
                    { "id": "p1", "name": "p1-name", "price": 9.99 },
                    { "id": "p3", "name": "new", "price": 599.99 },
                ]},
            }),
        ),
        subgraph(
            "b",
            r#"
            type Product @key(fields: "id") {
              id: ID!
              price: Float! @external
              isExpensive: Boolean! @requires(fields: "price")
              isAvailable: Boolean!
            }
            type Mutation { delete(requestId: String!): Int! }
            "#,
            json!({
                "Mutation": { "delete(requestId:\"r1\")": 12 },
                "entities": { "Product": [
                    { "id": "p1", "isExpensive": false, "isAvailable": true },
                    { "id": "p3", "isExpensive": true, "isAvailable": true },
                ]},
            }),
        ),
        subgraph(
            "c",
            r#"
            type Mutation { add(num: Int!, requestId: String!): Int! }
            "#,
            json!({ "Mutation": { "add(num:5,requestId:\"r1\")": 5, "add(num:2,requestId:\"r1\")": 12 } }),
        ),
    ])
}

#[tokio::test]
async fn mutations_complete_across_subgraphs_and_run_in_order() {
    let running = fixture().start().await;
    check(
        &running,
        "audit_mutations_1",
        r#"mutation { addProduct(input: { name: "new", price: 599.99 }) { name price isExpensive isAvailable } }"#,
        json!({}),
        json!({ "data": { "addProduct": { "name": "new", "price": 599.99, "isExpensive": true, "isAvailable": true } } }),
    )
    .await;
    check(
        &running,
        "audit_mutations_2",
        r#"{ product(id: "p1") { id name price isExpensive isAvailable } }"#,
        json!({}),
        json!({ "data": { "product": { "id": "p1", "name": "p1-name", "price": 9.99, "isExpensive": false, "isAvailable": true } } }),
    )
    .await;
    running.clear();
    check(
        &running,
        "audit_mutations_3",
        r#"mutation {
             five: add(num: 5, requestId: "r1")
             ten: multiply(by: 2, requestId: "r1")
             twelve: add(num: 2, requestId: "r1")
             final: delete(requestId: "r1")
           }"#,
        json!({}),
        json!({ "data": { "five": 5, "ten": 10, "twelve": 12, "final": 12 } }),
    )
    .await;
    let order: Vec<String> = running.requests().into_iter().map(|(s, _)| s).collect();
    assert_eq!(
        order,
        ["c", "a", "c", "b"],
        "one after the other, as written"
    );
}
