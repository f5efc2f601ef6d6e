//! Audit suite `parent-entity-call`: a field of a value type (no key) that only
//! another subgraph resolves is reached through the nearest entity above it.

use serde_json::json;

use crate::fixture::{Fixture, subgraph};
use crate::scenarios::check;

pub fn fixture() -> Fixture {
    let products = || {
        json!([
            { "id": "p1", "pid": "p1-pid", "category": { "id": "c1", "name": "c1-name", "details": { "products": 2 } } },
            { "id": "p2", "pid": "p2-pid", "category": { "id": "c2", "name": "c2-name", "details": { "products": 1 } } },
            { "id": "p3", "pid": "p3-pid", "category": { "id": "c1", "name": "c1-name", "details": { "products": 2 } } },
        ])
    };
    let without_details = || {
        let mut rows = products();
        for row in rows.as_array_mut().expect("rows") {
            row["category"]
                .as_object_mut()
                .expect("category")
                .remove("details");
        }
        rows
    };
    let only_details = || {
        let mut rows = products();
        for row in rows.as_array_mut().expect("rows") {
            let details = row["category"]["details"].clone();
            row["category"] = json!({ "details": details });
        }
        rows
    };
    let categories = json!([
        { "id": "c1", "name": "c1-name" },
        { "id": "c2", "name": "c2-name" },
    ]);
    Fixture::new(vec![
        subgraph(
            "a",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@shareable"])
            type Query { products: [Product!]! }
            type Product @key(fields: "id") @key(fields: "id pid") {
              id: ID!
              pid: ID!
              category: Category @shareable
            }
            type Category @key(fields: "id") { id: ID! name: String! @shareable }
            "#,
            json!({
                "Query": { "products": without_details() },
                "entities": { "Product": without_details(), "Category": categories.clone() },
            }),
        ),
        subgraph(
            "b",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
            type Product @key(fields: "id pid") { id: ID! pid: ID! category: Category @shareable }
            type Category @key(fields: "id") { id: ID! name: String! @shareable }
            "#,
            json!({ "entities": { "Product": without_details(), "Category": categories } }),
        ),
        subgraph(
            "c",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
            type Category { details: CategoryDetails }
            type Product @key(fields: "id pid") { id: ID! pid: ID! category: Category @shareable }
            type CategoryDetails { products: Int }
            "#,
            json!({ "entities": { "Product": only_details() } }),
        ),
    ])
}

#[tokio::test]
async fn a_value_type_field_of_another_subgraph_is_reached_through_its_parent_entity() {
    let running = fixture().start().await;
    check(
        &running,
        "audit_parent_entity_call",
        "{ products { id category { id details { products } } } }",
        json!({}),
        json!({ "data": { "products": [
            { "id": "p1", "category": { "id": "c1", "details": { "products": 2 } } },
            { "id": "p2", "category": { "id": "c2", "details": { "products": 1 } } },
            { "id": "p3", "category": { "id": "c1", "details": { "products": 2 } } },
        ]}}),
    )
    .await;
}
