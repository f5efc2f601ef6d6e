//! Audit suite `nested-provides`: a root field `@provides` two levels of
//! `@external` fields; no other subgraph may be asked.

use serde_json::json;

use crate::fixture::{Fixture, subgraph};
use crate::scenarios::check;

fn category(id: &str, sub: &[&str]) -> serde_json::Value {
    let name = |id: &str| format!("Category {}", &id[1..]);
    json!({
        "id": id,
        "name": name(id),
        "subCategories": sub.iter().map(|s| json!({ "id": s, "name": name(s) })).collect::<Vec<_>>(),
    })
}

pub fn fixture() -> Fixture {
    let c1 = category("c1", &["c2"]);
    let c2 = category("c2", &["c3"]);
    let c3 = category("c3", &["c1"]);
    let refuse = json!({ "$error": "You should be using the category subgraph!" });
    Fixture::new(vec![
        subgraph(
            "all-products",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
            type Product @key(fields: "id") { id: ID! }
            "#,
            json!({}),
        ),
        subgraph(
            "category",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external", "@provides"])
            type Query {
              products: [Product] @shareable @provides(fields: "categories { id name subCategories { id name } }")
            }
            type Product @key(fields: "id") { id: ID! categories: [Category] @external }
            type Category @key(fields: "id") { id: ID! name: String subCategories: [Category] @external }
            "#,
            json!({ "Query": { "products": [
                { "id": "p1", "categories": [c1.clone(), c2.clone()] },
                { "id": "p2", "categories": [c3, c2] },
            ]}}),
        ),
        subgraph(
            "subcategories",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
            type Product @key(fields: "id") { id: ID! categories: [Category] @shareable }
            type Category @key(fields: "id") { id: ID! subCategories: [Category] @shareable }
            "#,
            json!({ "entities": {
                "Product": [{ "id": "p1", "categories": refuse.clone() }, { "id": "p2", "categories": refuse }],
            }}),
        ),
    ])
}

#[tokio::test]
async fn provided_fields_two_levels_down_need_no_other_subgraph() {
    let running = fixture().start().await;
    let named = |id: &str| json!({ "id": id, "name": format!("Category {}", &id[1..]) });
    check(
        &running,
        "audit_nested_provides_1",
        "{ products { id categories { id name } } }",
        json!({}),
        json!({ "data": { "products": [
            { "id": "p1", "categories": [named("c1"), named("c2")] },
            { "id": "p2", "categories": [named("c3"), named("c2")] },
        ]}}),
    )
    .await;
    let with_sub = |id: &str, sub: &str| {
        let mut category = named(id);
        category["subCategories"] = json!([named(sub)]);
        category
    };
    check(
        &running,
        "audit_nested_provides_2",
        "{ products { id categories { id name subCategories { id name } } } }",
        json!({}),
        json!({ "data": { "products": [
            { "id": "p1", "categories": [with_sub("c1", "c2"), with_sub("c2", "c3")] },
            { "id": "p2", "categories": [with_sub("c3", "c1"), with_sub("c2", "c3")] },
        ]}}),
    )
    .await;
    assert_eq!(
        running.count("all-products") + running.count("subcategories"),
        0
    );
}
