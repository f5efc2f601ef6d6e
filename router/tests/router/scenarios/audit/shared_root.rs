//! Audit suite `shared-root`: a value type (no key) returned by a root field all
//! three subgraphs share, each resolving other fields of it: the root field is
//! asked of each, in parallel.

use serde_json::json;

use crate::fixture::{Fixture, subgraph};
use crate::scenarios::check;

fn part(
    name: &'static str,
    field: &str,
    value: serde_json::Value,
) -> crate::fixture::FixtureSubgraph {
    let product = json!({ "id": "1", field: value });
    subgraph(
        name,
        &format!(
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
            type Query {{ product: Product! @shareable products: [Product!]! @shareable }}
            type Product {{ id: ID! @shareable {field}: {ty}! }}
            "#,
            ty = if value.is_number() { "Int" } else { "String" }
        ),
        json!({ "Query": { "product": product.clone(), "products": [product] } }),
    )
}

pub fn fixture() -> Fixture {
    Fixture::new(vec![
        part("category", "category", json!("Category 1")),
        part("name", "name", json!("Product 1")),
        part("price", "price", json!(100)),
    ])
}

#[tokio::test]
async fn a_shared_root_field_is_asked_of_every_subgraph_that_adds_to_it() {
    let running = fixture().start().await;
    let product = json!({ "id": "1", "name": "Product 1", "category": "Category 1", "price": 100 });
    check(
        &running,
        "audit_shared_root_1",
        "{ product { id name category price } }",
        json!({}),
        json!({ "data": { "product": product.clone() } }),
    )
    .await;
    check(
        &running,
        "audit_shared_root_2",
        "{ products { id name category price } }",
        json!({}),
        json!({ "data": { "products": [product] } }),
    )
    .await;
}
