//! Audit suite `include-skip`: `@include`/`@skip` on fields whose `@requires`
//! chain spans two subgraphs; a field left out costs no fetch at all.
//! (Subgraphs a and b are written from the suite's expected plans.)

use serde_json::json;

use crate::fixture::{Fixture, subgraph};
use crate::scenarios::check;

pub fn fixture() -> Fixture {
    let never = |field: &str| json!({ "$error": format!("{field} should not be called") });
    Fixture::new(vec![
        subgraph(
            "a",
            r#"
            type Query { product: Product }
            type Product @key(fields: "id") { id: ID! price: Float! }
            "#,
            json!({
                "Query": { "product": { "id": "p1", "price": 699.99 } },
                "entities": { "Product": [{ "id": "p1", "price": 699.99 }] },
            }),
        ),
        subgraph(
            "b",
            r#"
            type Product @key(fields: "id") {
              id: ID!
              price: Float! @external
              isExpensive: Boolean! @requires(fields: "price")
            }
            "#,
            json!({ "entities": { "Product": [{ "id": "p1", "isExpensive": true }] } }),
        ),
        subgraph(
            "c",
            r#"
            type Product @key(fields: "id") {
              id: ID!
              isExpensive: Boolean! @external
              include: Boolean! @requires(fields: "isExpensive")
              skip: Boolean! @requires(fields: "isExpensive")
              neverCalledInclude: Boolean! @requires(fields: "isExpensive")
              neverCalledSkip: Boolean! @requires(fields: "isExpensive")
            }
            "#,
            json!({ "entities": { "Product": [{
                "id": "p1",
                "include": true,
                "skip": true,
                "neverCalledInclude": never("neverCalledInclude"),
                "neverCalledSkip": never("neverCalledSkip"),
            }]}}),
        ),
    ])
}

#[tokio::test]
async fn conditions_decide_whether_a_requirement_chain_runs() {
    let running = fixture().start().await;
    let cases = [
        (
            "audit_include_skip_1",
            "query ($bool: Boolean = false) { product { price neverCalledInclude @include(if: $bool) } }",
            json!({ "product": { "price": 699.99 } }),
            0,
        ),
        (
            "audit_include_skip_2",
            "query ($bool: Boolean = true) { product { price neverCalledSkip @skip(if: $bool) } }",
            json!({ "product": { "price": 699.99 } }),
            0,
        ),
        (
            "audit_include_skip_3",
            "query ($bool: Boolean = true) { product { price include @include(if: $bool) } }",
            json!({ "product": { "price": 699.99, "include": true } }),
            2,
        ),
        (
            "audit_include_skip_4",
            "query ($bool: Boolean = false) { product { price skip @skip(if: $bool) } }",
            json!({ "product": { "price": 699.99, "skip": true } }),
            2,
        ),
    ];
    for (name, query, data, calls) in cases {
        running.clear();
        check(&running, name, query, json!({}), json!({ "data": data })).await;
        assert_eq!(running.count("b") + running.count("c"), calls, "{name}");
    }
}
