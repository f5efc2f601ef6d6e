//! Audit suite `simple-requires-provides`: the classic accounts, products,
//! inventory and reviews subgraphs — `@requires` of two fields, `@provides` of a
//! username, entities that refer to each other. (Subgraph accounts is written
//! from the suite's queries.)

use serde_json::json;

use crate::fixture::{Fixture, subgraph};
use crate::scenarios::check;

pub fn fixture() -> Fixture {
    let review = |id: &str, upc: &str| json!({ "id": id, "body": format!("{id}-body"), "author": { "id": "u1", "username": "u-username-1" }, "product": { "upc": upc } });
    let product = |upc: &str, price: i64, weight: i64| json!({ "upc": upc, "name": format!("p-name-{}", &upc[1..]), "price": price, "weight": weight });
    let stock = |upc: &str, in_stock: bool, estimate: i64| json!({ "upc": upc, "inStock": in_stock, "shippingEstimate": estimate, "shippingEstimateTag": format!("#{upc}#{estimate}#") });
    Fixture::new(vec![
        subgraph(
            "accounts",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
            type Query { me: User }
            type User @key(fields: "id") { id: ID! name: String username: String @shareable }
            "#,
            json!({
                "Query": { "me": { "id": "u1", "name": "u-name-1", "username": "u-username-1" } },
                "entities": { "User": [{ "id": "u1", "name": "u-name-1", "username": "u-username-1" }] },
            }),
        ),
        subgraph(
            "inventory",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])
            type Product @key(fields: "upc") {
              upc: String!
              weight: Int @external
              price: Int @external
              inStock: Boolean
              shippingEstimate: Int @requires(fields: "price weight")
              shippingEstimateTag: String @requires(fields: "price weight")
            }
            "#,
            json!({ "entities": { "Product": [stock("p1", true, 110), stock("p2", false, 440)] } }),
        ),
        subgraph(
            "products",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
            type Query { products: [Product] }
            type Product @key(fields: "upc") { upc: String! name: String price: Int weight: Int }
            "#,
            json!({
                "Query": { "products": [product("p1", 11, 1), product("p2", 22, 2)] },
                "entities": { "Product": [product("p1", 11, 1), product("p2", 22, 2)] },
            }),
        ),
        subgraph(
            "reviews",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@provides"])
            type Review @key(fields: "id") {
              id: ID!
              body: String
              author: User @provides(fields: "username")
              product: Product
            }
            type User @key(fields: "id") { id: ID! username: String @external reviews: [Review] }
            type Product @key(fields: "upc") { upc: String! reviews: [Review] }
            "#,
            json!({ "entities": {
                "Review": [review("r1", "p1"), review("r2", "p2")],
                "User": [{ "id": "u1", "reviews": [review("r1", "p1"), review("r2", "p2")] }],
                "Product": [
                    { "upc": "p1", "reviews": [review("r1", "p1")] },
                    { "upc": "p2", "reviews": [review("r2", "p2")] },
                ],
            }}),
        ),
    ])
}

#[tokio::test]
async fn requirements_and_provided_fields_across_four_subgraphs() {
    let running = fixture().start().await;
    let author = json!({ "id": "u1", "username": "u-username-1" });
    let estimates = |tag: bool| {
        let one = |upc: &str, estimate: i64| {
            let mut product = json!({ "shippingEstimate": estimate });
            if tag {
                product["shippingEstimateTag"] = json!(format!("#{upc}#{estimate}#"));
            }
            json!({ "product": product })
        };
        json!({ "me": { "reviews": [one("p1", 110), one("p2", 440)] } })
    };
    let cases = [
        (
            "audit_simple_requires_provides_1",
            "{ me { id } }",
            json!({ "me": { "id": "u1" } }),
        ),
        (
            "audit_simple_requires_provides_2",
            "{ me { id reviews { id } } }",
            json!({ "me": { "id": "u1", "reviews": [{ "id": "r1" }, { "id": "r2" }] } }),
        ),
        (
            "audit_simple_requires_provides_3",
            "{ me { reviews { id author { id username } product { inStock } } } }",
            json!({ "me": { "reviews": [
                { "id": "r1", "author": author.clone(), "product": { "inStock": true } },
                { "id": "r2", "author": author, "product": { "inStock": false } },
            ]}}),
        ),
        (
            "audit_simple_requires_provides_4",
            "{ products { name } }",
            json!({ "products": [{ "name": "p-name-1" }, { "name": "p-name-2" }] }),
        ),
        (
            "audit_simple_requires_provides_5",
            "{ products { price } }",
            json!({ "products": [{ "price": 11 }, { "price": 22 }] }),
        ),
        (
            "audit_simple_requires_provides_6",
            "{ products { shippingEstimate } }",
            json!({ "products": [{ "shippingEstimate": 110 }, { "shippingEstimate": 440 }] }),
        ),
        (
            "audit_simple_requires_provides_7",
            "{ products { shippingEstimate weight price } }",
            json!({ "products": [
                { "shippingEstimate": 110, "weight": 1, "price": 11 },
                { "shippingEstimate": 440, "weight": 2, "price": 22 },
            ]}),
        ),
        (
            "audit_simple_requires_provides_8",
            "{ products { reviews { id author { username } product { name shippingEstimate } } } }",
            json!({ "products": [
                { "reviews": [{ "id": "r1", "author": { "username": "u-username-1" }, "product": { "name": "p-name-1", "shippingEstimate": 110 } }] },
                { "reviews": [{ "id": "r2", "author": { "username": "u-username-1" }, "product": { "name": "p-name-2", "shippingEstimate": 440 } }] },
            ]}),
        ),
        (
            "audit_simple_requires_provides_9",
            "{ me { reviews { product { reviews { id } } } } }",
            json!({ "me": { "reviews": [
                { "product": { "reviews": [{ "id": "r1" }] } },
                { "product": { "reviews": [{ "id": "r2" }] } },
            ]}}),
        ),
        (
            "audit_simple_requires_provides_10",
            "{ me { reviews { product { inStock } } } }",
            json!({ "me": { "reviews": [{ "product": { "inStock": true } }, { "product": { "inStock": false } }] } }),
        ),
        (
            "audit_simple_requires_provides_11",
            "{ me { reviews { product { shippingEstimate } } } }",
            estimates(false),
        ),
        (
            "audit_simple_requires_provides_12",
            "{ me { reviews { product { shippingEstimate shippingEstimateTag } } } }",
            estimates(true),
        ),
    ];
    for (name, query, data) in cases {
        check(&running, name, query, json!({}), json!({ "data": data })).await;
    }
}
