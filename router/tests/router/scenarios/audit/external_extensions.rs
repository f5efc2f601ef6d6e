//! Audit suites `fed1-external-extends`, `fed1-external-extension`,
//! `fed2-external-extends`, `fed2-external-extension` and
//! `fed1-external-extends-resolvable`: a type extended with `@extends` or
//! `extend type`, in Federation 1 and 2, whose `@external` key fields are its
//! own, and whose provided field needs no other subgraph.

use serde_json::json;

use crate::fixture::{Fixture, subgraph};
use crate::scenarios::check;

const FED2: &str = r#"extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@extends", "@provides", "@shareable"])"#;

/// Subgraph a extends `User`; `form` is `@extends` or `extend type`.
pub fn fixture(fed2: bool, extends: bool) -> Fixture {
    let header = if fed2 { FED2 } else { "# fed1" };
    let user = if extends {
        r#"type User @key(fields: "id") @extends"#
    } else {
        r#"extend type User @key(fields: "id")"#
    };
    let u1 = json!({ "id": "u1", "rid": "u1-rid" });
    let owner = |n: u8| json!({ "id": format!("u{n}"), "name": format!("u{n}-name"), "nickname": format!("u{n}-nickname") });
    Fixture::new(vec![
        subgraph(
            "a",
            &format!(
                r#"
                {header}
                type Query {{ randomUser: User providedRandomUser: User @provides(fields: "name") }}
                {user} {{ id: ID! @external name: String! @external rid: ID }}
                "#
            ),
            json!({
                "Query": {
                    "randomUser": u1.clone(),
                    "providedRandomUser": { "id": "u1", "rid": "u1-rid", "name": "u1-name" },
                },
                "entities": { "User": [u1, { "id": "u2", "rid": "u2-rid" }] },
            }),
        ),
        subgraph(
            "b",
            &format!(
                r#"
                {}
                type Query {{ userById(id: ID): User }}
                type User @key(fields: "id") {{ id: ID! name: String! {} nickname: String }}
                "#,
                if fed2 { FED2 } else { "# fed1" },
                if fed2 { "@shareable" } else { "" },
            ),
            json!({
                "Query": { "userById(id:\"u2\")": owner(2) },
                "entities": { "User": [owner(1), owner(2)] },
            }),
        ),
    ])
}

async fn extension_resolves_its_key_and_provided_field(fed2: bool, extends: bool, name: &str) {
    let running = fixture(fed2, extends).start().await;
    check(
        &running,
        &format!("audit_{name}_1"),
        r#"{ randomUser { id name } userById(id: "u2") { id name nickname } }"#,
        json!({}),
        json!({ "data": {
            "randomUser": { "id": "u1", "name": "u1-name" },
            "userById": { "id": "u2", "name": "u2-name", "nickname": "u2-nickname" },
        }}),
    )
    .await;
    check(
        &running,
        &format!("audit_{name}_2"),
        "{ randomUser { id rid } }",
        json!({}),
        json!({ "data": { "randomUser": { "id": "u1", "rid": "u1-rid" } } }),
    )
    .await;
    running.clear();
    check(
        &running,
        &format!("audit_{name}_3"),
        "{ providedRandomUser { id name } }",
        json!({}),
        json!({ "data": { "providedRandomUser": { "id": "u1", "name": "u1-name" } } }),
    )
    .await;
    assert_eq!(running.count("b"), 0, "the name is provided");
    check(
        &running,
        &format!("audit_{name}_4"),
        "{ providedRandomUser { id name nickname } }",
        json!({}),
        json!({ "data": { "providedRandomUser": { "id": "u1", "name": "u1-name", "nickname": "u1-nickname" } } }),
    )
    .await;
}

#[tokio::test]
async fn fed1_extends() {
    extension_resolves_its_key_and_provided_field(false, true, "fed1_external_extends").await;
}

#[tokio::test]
async fn fed1_extension() {
    extension_resolves_its_key_and_provided_field(false, false, "fed1_external_extension").await;
}

#[tokio::test]
async fn fed2_extends() {
    extension_resolves_its_key_and_provided_field(true, true, "fed2_external_extends").await;
}

#[tokio::test]
async fn fed2_extension() {
    extension_resolves_its_key_and_provided_field(true, false, "fed2_external_extension").await;
}

/// `fed1-external-extends-resolvable`: external key fields of a second key are
/// the extension's own even when the other key is the one used to reach it.
pub fn resolvable() -> Fixture {
    Fixture::new(vec![
        subgraph(
            "a",
            r#"
            # fed1
            type Query { productInA: Product }
            type Product @key(fields: "id") { id: ID! pid: ID name: String }
            "#,
            json!({
                "Query": { "productInA": { "id": "p1", "pid": "p1-pid", "name": "p1-name" } },
                "entities": { "Product": [{ "id": "p1", "pid": "p1-pid", "name": "p1-name" }] },
            }),
        ),
        subgraph(
            "b",
            r#"
            # fed1
            type Query { productInB: Product }
            extend type Product @key(fields: "id name") @key(fields: "upc") {
              id: ID @external
              name: String @external
              upc: String @external
              price: Float!
            }
            "#,
            json!({ "entities": { "Product": [
                { "id": "p1", "name": "p1-name", "upc": "upc1", "price": 12.3 },
            ]}}),
        ),
    ])
}

#[tokio::test]
async fn fed1_extends_resolvable() {
    let running = resolvable().start().await;
    check(
        &running,
        "audit_fed1_external_extends_resolvable_1",
        "{ productInA { id pid price upc name } }",
        json!({}),
        json!({ "data": { "productInA": { "id": "p1", "pid": "p1-pid", "price": 12.3, "upc": "upc1", "name": "p1-name" } } }),
    )
    .await;
}
