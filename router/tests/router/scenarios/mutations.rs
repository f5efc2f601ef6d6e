//! Mutations: root fields run strictly in order, each with its entity fetches
//! before the next.

use serde_json::json;

use super::check;
use crate::fixture::{Fixture, subgraph};

pub fn fixture() -> Fixture {
    Fixture::new(vec![
        subgraph(
            "wallet",
            r#"
            type Query { account: Account }
            type Mutation { deposit(amount: Int!): Account }
            type Account @key(fields: "id") { id: ID! balance: Int }
            "#,
            json!({
                "Query": { "account": { "id": "acc" } },
                "Mutation": {
                    "deposit(amount:100)": { "id": "acc", "balance": 100 },
                    "deposit(amount:50)": { "id": "acc", "balance": 150 },
                },
                "entities": { "Account": [{ "id": "acc", "balance": 150 }] },
            }),
        ),
        subgraph(
            "notify",
            r#"
            type Mutation { notify(message: String!): String }
            type Account @key(fields: "id") { id: ID! history: [String] }
            "#,
            json!({
                "Mutation": { "notify(message:\"hi\")": "sent" },
                "entities": { "Account": [{ "id": "acc", "history": ["deposit"] }] },
            }),
        ),
    ])
}

#[tokio::test]
async fn mutation_root_fields_run_in_order_across_subgraphs() {
    let running = fixture().start().await;
    check(
        &running,
        "mutations_in_order",
        "mutation { first: deposit(amount: 100) { balance history } note: notify(message: \"hi\") second: deposit(amount: 50) { balance } }",
        json!({}),
        json!({ "data": {
            "first": { "balance": 100, "history": ["deposit"] },
            "note": "sent",
            "second": { "balance": 150 },
        }}),
    )
    .await;
    let order: Vec<String> = running.requests().into_iter().map(|(s, _)| s).collect();
    assert_eq!(order, ["wallet", "notify", "notify", "wallet"]);
}

#[tokio::test]
async fn a_mutation_with_variables_and_a_query_field_after_it() {
    let running = fixture().start().await;
    check(
        &running,
        "mutations_variables",
        "mutation($amount: Int!) { deposit(amount: $amount) { id balance } }",
        json!({ "amount": 50 }),
        json!({ "data": { "deposit": { "id": "acc", "balance": 150 } } }),
    )
    .await;
    assert_eq!(
        running.requests()[0].1["variables"],
        json!({ "amount": 50 })
    );
}
