//! Keys: several keys per entity, compound keys with nested objects, routes that
//! take more than one hop, null keys.

use serde_json::json;

use super::check;
use crate::fixture::{Fixture, subgraph};

pub fn fixture() -> Fixture {
    Fixture::new(vec![
        subgraph(
            "ledger",
            r#"
            type Query { accounts: [Account] }
            type Account @key(fields: "id") { id: ID! label: String }
            "#,
            json!({
                "Query": { "accounts": [{ "id": "1" }, { "id": "2" }, { "id": "3" }] },
                "entities": { "Account": [
                    { "id": "1", "label": "Tabungan" },
                    { "id": "2", "label": "Giro" },
                    { "id": "3", "label": "Dormant" },
                ]},
            }),
        ),
        subgraph(
            "directory",
            r#"
            type Account @key(fields: "id") @key(fields: "number") {
              id: ID!
              number: String
              owner: Owner
            }
            type Owner @key(fields: "org { code } login") {
              org: Org!
              login: String!
            }
            type Org @shareable { code: String! }
            "#,
            json!({
                "entities": {
                    "Account": [
                        { "id": "1", "number": "880-1", "owner": { "org": { "code": "BRI" }, "login": "ayu" } },
                        { "id": "2", "number": "880-2", "owner": { "org": { "code": "BNI" }, "login": "ayu" } },
                        { "id": "3", "number": null, "owner": null },
                    ],
                },
            }),
        ),
        subgraph(
            "balances",
            r#"
            type Account @key(fields: "number") { number: String! balance: Int }
            "#,
            json!({
                "entities": { "Account": [
                    { "number": "880-1", "balance": 500000 },
                    { "number": "880-2", "balance": 0 },
                ]},
            }),
        ),
        subgraph(
            "people",
            r#"
            type Owner @key(fields: "org { code } login") {
              org: Org!
              login: String!
              displayName: String
            }
            type Org @shareable { code: String! }
            "#,
            json!({
                "entities": { "Owner": [
                    { "org": { "code": "BRI" }, "login": "ayu", "displayName": "Ayu (BRI)" },
                    { "org": { "code": "BNI" }, "login": "ayu", "displayName": "Ayu (BNI)" },
                ]},
            }),
        ),
    ])
}

#[tokio::test]
async fn a_field_two_hops_away_is_reached_through_the_subgraph_that_has_both_keys() {
    let running = fixture().start().await;
    check(
        &running,
        "keys_two_hops",
        "{ accounts { label balance } }",
        json!({}),
        json!({ "data": { "accounts": [
            { "label": "Tabungan", "balance": 500000 },
            { "label": "Giro", "balance": 0 },
            { "label": "Dormant", "balance": null },
        ]}}),
    )
    .await;
    let balances = running
        .requests()
        .into_iter()
        .find(|(s, _)| s == "balances")
        .expect("balances fetched");
    assert_eq!(
        balances.1["variables"]["representations"]
            .as_array()
            .map(Vec::len),
        Some(2),
        "the account with a null key is not sent"
    );
}

#[tokio::test]
async fn a_compound_key_with_a_nested_object_resolves_an_entity() {
    let running = fixture().start().await;
    check(
        &running,
        "keys_compound",
        "{ accounts { owner { login org { code } displayName } } }",
        json!({}),
        json!({ "data": { "accounts": [
            { "owner": { "login": "ayu", "org": { "code": "BRI" }, "displayName": "Ayu (BRI)" } },
            { "owner": { "login": "ayu", "org": { "code": "BNI" }, "displayName": "Ayu (BNI)" } },
            { "owner": null },
        ]}}),
    )
    .await;
}

#[tokio::test]
async fn the_key_the_current_subgraph_can_supply_is_used() {
    let running = fixture().start().await;
    check(
        &running,
        "keys_choose_suppliable",
        "{ accounts { number balance } }",
        json!({}),
        json!({ "data": { "accounts": [
            { "number": "880-1", "balance": 500000 },
            { "number": "880-2", "balance": 0 },
            { "number": null, "balance": null },
        ]}}),
    )
    .await;
    assert_eq!(running.count("directory"), 1);
    assert_eq!(running.count("balances"), 1);
}

pub fn reference_only() -> Fixture {
    Fixture::new(vec![
        subgraph(
            "orders",
            r#"
            type Query { orders: [Order] }
            type Order { id: ID! buyer: Buyer }
            type Buyer @key(fields: "id", resolvable: false) { id: ID! }
            "#,
            json!({ "Query": { "orders": [{ "id": "o1", "buyer": { "id": "u1" } }] } }),
        ),
        subgraph(
            "people",
            r#"
            type Buyer @key(fields: "id") { id: ID! name: String }
            "#,
            json!({ "entities": { "Buyer": [{ "id": "u1", "name": "Ayu" }] } }),
        ),
    ])
}

#[tokio::test]
async fn a_non_resolvable_key_is_a_reference_the_owner_resolves() {
    let running = reference_only().start().await;
    check(
        &running,
        "keys_reference_only",
        "{ orders { buyer { id name } } }",
        json!({}),
        json!({ "data": { "orders": [{ "buyer": { "id": "u1", "name": "Ayu" } }] } }),
    )
    .await;
    let orders_queries: Vec<String> = running
        .requests()
        .into_iter()
        .filter(|(s, _)| s == "orders")
        .filter_map(|(_, b)| b["query"].as_str().map(str::to_owned))
        .collect();
    assert!(
        orders_queries.iter().all(|q| !q.contains("_entities")),
        "never asked to resolve: {orders_queries:?}"
    );
}
