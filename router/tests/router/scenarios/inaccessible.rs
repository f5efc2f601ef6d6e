//! `@inaccessible`: hidden from clients (validation, introspection) but still usable
//! by the router, e.g. as a key.

use serde_json::json;

use super::check;
use crate::fixture::{Fixture, subgraph};

pub fn fixture() -> Fixture {
    Fixture::new(vec![
        subgraph(
            "users",
            r#"
            type Query { users: [User] }
            type User @key(fields: "id") @key(fields: "internalId") {
              id: ID!
              name: String
              internalId: ID! @inaccessible
              secret: String @inaccessible
            }
            "#,
            json!({
                "Query": { "users": [{ "id": "u1" }] },
                "entities": { "User": [{ "id": "u1", "internalId": "x-1", "name": "Ayu", "secret": "s" }] },
            }),
        ),
        subgraph(
            "scores",
            r#"
            type User @key(fields: "internalId") { internalId: ID! @inaccessible score: Int }
            "#,
            json!({ "entities": { "User": [{ "internalId": "x-1", "score": 42 }] } }),
        ),
    ])
}

#[tokio::test]
async fn an_inaccessible_field_cannot_be_queried() {
    let running = fixture().start().await;
    let (response, _) = running.query("{ users { secret } }", json!({})).await;
    assert_eq!(
        response["errors"][0]["message"],
        "Cannot query field \"secret\" on type \"User\"."
    );
    assert_eq!(
        response["errors"][0]["extensions"]["code"],
        "GRAPHQL_VALIDATION_FAILED"
    );
    assert!(response.get("data").is_none(), "no execution: {response}");
    assert!(running.requests().is_empty());
}

#[tokio::test]
async fn an_inaccessible_key_still_links_subgraphs() {
    let running = fixture().start().await;
    check(
        &running,
        "inaccessible_key",
        "{ users { name score } }",
        json!({}),
        json!({ "data": { "users": [{ "name": "Ayu", "score": 42 }] } }),
    )
    .await;
}

#[tokio::test]
async fn introspection_shows_the_api_schema_only() {
    let running = fixture().start().await;
    check(
        &running,
        "introspection_type",
        "{ __type(name: \"User\") { kind name fields { name type { kind ofType { name } } } } __typename }",
        json!({}),
        json!({ "data": {
            "__type": { "kind": "OBJECT", "name": "User", "fields": [
                { "name": "id", "type": { "kind": "NON_NULL", "ofType": { "name": "ID" } } },
                { "name": "name", "type": { "kind": "SCALAR", "ofType": null } },
                { "name": "score", "type": { "kind": "SCALAR", "ofType": null } },
            ]},
            "__typename": "Query",
        }}),
    )
    .await;
    let (schema, _) = running
        .query(
            "{ __schema { queryType { name } mutationType { name } types { name } } }",
            json!({}),
        )
        .await;
    let names: Vec<&str> = schema["data"]["__schema"]["types"]
        .as_array()
        .expect("types")
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect();
    for present in ["Query", "User", "String", "ID", "__Schema", "__Type"] {
        assert!(names.contains(&present), "{present} missing from {names:?}");
    }
    for absent in ["join__Graph", "link__Purpose", "join__FieldSet"] {
        assert!(!names.contains(&absent), "{absent} leaked");
    }
    assert_eq!(schema["data"]["__schema"]["queryType"]["name"], "Query");
    assert_eq!(
        schema["data"]["__schema"]["mutationType"],
        serde_json::Value::Null
    );
    assert!(
        running.requests().is_empty(),
        "introspection needs no subgraph"
    );
}

#[tokio::test]
async fn introspection_and_data_mix_in_one_operation() {
    let running = fixture().start().await;
    check(
        &running,
        "introspection_mixed",
        "{ users { name } __type(name: \"Query\") { fields { name } } }",
        json!({}),
        json!({ "data": {
            "users": [{ "name": "Ayu" }],
            "__type": { "fields": [{ "name": "users" }] },
        }}),
    )
    .await;
}
