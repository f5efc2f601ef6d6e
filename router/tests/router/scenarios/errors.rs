//! Errors and nulls: subgraph errors re-pathed into the client's response with
//! `serviceName`, nulls propagated to the nearest nullable parent, a failed or slow
//! subgraph nulling only its part.

use std::time::Duration;

use serde_json::json;

use super::check;
use crate::fixture::{Fixture, subgraph};

pub fn fixture(delay_ms: u64) -> Fixture {
    Fixture::new(vec![
        subgraph(
            "catalog",
            r#"
            type Query { products: [Product] strict: [Product!] }
            type Product @key(fields: "id") { id: ID! name: String! }
            "#,
            json!({
                "Query": {
                    "products": [{ "id": "p1" }, { "id": "p2" }],
                    "strict": [{ "id": "p1" }, { "id": "p2" }],
                },
                "entities": { "Product": [
                    { "id": "p1", "name": "Table" },
                    { "id": "p2", "name": { "$error": "name unavailable" } },
                ]},
            }),
        ),
        subgraph(
            "stock",
            r#"
            type Product @key(fields: "id") { id: ID! stock: Int! warehouse: String }
            "#,
            json!({
                "$delay_ms": delay_ms,
                "entities": { "Product": [
                    { "id": "p1", "stock": 5, "warehouse": "Pekanbaru" },
                    { "id": "p2", "stock": { "$error": "stock service down" }, "warehouse": "Medan" },
                ]},
            }),
        ),
    ])
}

#[tokio::test]
async fn an_entity_fetch_error_is_repathed_and_nulls_the_nearest_nullable_parent() {
    let running = fixture(0).start().await;
    check(
        &running,
        "errors_entity_error",
        "{ products { id stock } }",
        json!({}),
        json!({
            "errors": [{
                "message": "stock service down",
                "path": ["products", 1, "stock"],
                "extensions": { "serviceName": "stock" },
            }],
            "data": { "products": [{ "id": "p1", "stock": 5 }, null] },
        }),
    )
    .await;
}

#[tokio::test]
async fn a_null_in_a_non_null_field_bubbles_up() {
    let running = fixture(0).start().await;
    check(
        &running,
        "errors_root_error",
        "{ products { name } }",
        json!({}),
        json!({
            "errors": [{
                "message": "name unavailable",
                "path": ["products", 1, "name"],
                "extensions": { "serviceName": "catalog" },
            }],
            "data": { "products": [{ "name": "Table" }, null] },
        }),
    )
    .await;
}

#[tokio::test]
async fn a_non_null_list_item_that_fails_nulls_the_list() {
    let running = fixture(0).start().await;
    check(
        &running,
        "errors_list_item",
        "{ strict { name } }",
        json!({}),
        json!({
            "errors": [{
                "message": "name unavailable",
                "path": ["strict", 1, "name"],
                "extensions": { "serviceName": "catalog" },
            }],
            "data": { "strict": null },
        }),
    )
    .await;
}

#[tokio::test]
async fn a_subgraph_that_is_down_nulls_only_its_fields() {
    let running = fixture(0)
        .start_with(|config| {
            config.subgraphs.entry("stock".into()).or_default().url =
                Some("http://127.0.0.1:9/graphql".into());
        })
        .await;
    let (response, _) = running
        .query("{ products { id warehouse } }", json!({}))
        .await;
    assert_eq!(
        response["data"],
        json!({ "products": [{ "id": "p1", "warehouse": null }, { "id": "p2", "warehouse": null }] })
    );
    assert_eq!(
        response["errors"][0]["extensions"]["code"],
        "SUBREQUEST_HTTP_ERROR"
    );
    assert_eq!(response["errors"][0]["extensions"]["serviceName"], "stock");
}

#[tokio::test]
async fn a_slow_subgraph_times_out_and_the_rest_is_returned() {
    let running = fixture(2_000)
        .start_with(|config| {
            config.subgraphs.entry("stock".into()).or_default().timeout =
                Some(Duration::from_millis(200));
        })
        .await;
    let started = std::time::Instant::now();
    let (response, _) = running
        .query("{ products { id warehouse } }", json!({}))
        .await;
    assert!(
        started.elapsed() < Duration::from_millis(1_500),
        "answered before the subgraph"
    );
    assert_eq!(
        response["data"],
        json!({ "products": [{ "id": "p1", "warehouse": null }, { "id": "p2", "warehouse": null }] })
    );
    assert_eq!(
        response["errors"][0]["extensions"]["code"],
        "SUBREQUEST_TIMEOUT"
    );
}
