//! Audit suite `abstract-types`: interfaces and unions spread over seven
//! subgraphs — covariant fields, a union extended elsewhere, `@requires` on
//! implementations, `@inaccessible` interface fields, `@skip`/`@include` on type
//! conditions. (Subgraph users is written from the suite's queries.)

use serde_json::{Value, json};

use crate::fixture::{Fixture, subgraph};
use crate::scenarios::check;

struct Product {
    typename: &'static str,
    id: &'static str,
    title: &'static str,
    creator: &'static str,
    weight: f64,
    publisher: Value,
    hidden: bool,
}

fn catalogue() -> Vec<Product> {
    let own = json!({ "__typename": "Self", "email": "u1@example.com" });
    let agency = json!({ "__typename": "Agency", "id": "a1" });
    vec![
        Product {
            typename: "Book",
            id: "p1",
            title: "Book 1",
            creator: "u1",
            weight: 0.5,
            publisher: own.clone(),
            hidden: false,
        },
        Product {
            typename: "Book",
            id: "p3",
            title: "Book 2",
            creator: "u2",
            weight: 0.6,
            publisher: agency.clone(),
            hidden: false,
        },
        Product {
            typename: "Magazine",
            id: "p2",
            title: "Magazine 1",
            creator: "u1",
            weight: 0.2,
            publisher: agency,
            hidden: false,
        },
        Product {
            typename: "Magazine",
            id: "p4",
            title: "Magazine 2",
            creator: "u2",
            weight: 0.3,
            publisher: own,
            hidden: true,
        },
    ]
}

fn sku(id: &str) -> String {
    format!("sku-{}", &id[1..])
}

/// The product as the products subgraph returns it.
fn in_products(p: &Product) -> Value {
    let similar: Vec<Value> = catalogue()
        .iter()
        .filter(|o| o.typename == p.typename && o.id != p.id)
        .map(|o| json!({ "__typename": o.typename, "id": o.id, "sku": sku(o.id) }))
        .collect();
    json!({
        "__typename": p.typename,
        "id": p.id,
        "sku": sku(p.id),
        "dimensions": { "size": "small", "weight": p.weight },
        "createdBy": { "email": format!("{}@example.com", p.creator) },
        "hidden": p.hidden,
        "publisherType": p.publisher,
        "similar": similar,
    })
}

fn reviews_of(id: &str) -> Vec<Value> {
    let typename = catalogue()
        .into_iter()
        .find(|p| p.id == id)
        .map(|p| p.typename);
    [(1, "p1"), (2, "p1"), (3, "p2")]
        .iter()
        .filter(|(_, product)| *product == id)
        .map(|(review, _)| {
            json!({ "id": review, "body": format!("review {review}"), "product": { "__typename": typename, "id": id } })
        })
        .collect()
}

pub fn fixture() -> Fixture {
    let products = catalogue();
    let of = |typename: &str, f: &dyn Fn(&Product) -> Value| -> Vec<Value> {
        products
            .iter()
            .filter(|p| p.typename == typename)
            .map(f)
            .collect()
    };
    let delivery = |p: &Product| json!({ "id": p.id, "delivery(zip:\"1234\")": { "estimatedDelivery": "1 day", "fastestDelivery": "same day" } });
    let reviews = |p: &Product| {
        let list = reviews_of(p.id);
        json!({ "id": p.id, "reviewsCount": list.len(), "reviewsScore": 0.0, "reviews": list })
    };
    let titles = |p: &Product| json!({ "id": p.id, "title": p.title });
    let user = |n: u8, total: u8| json!({ "email": format!("u{n}@example.com"), "totalProductsCreated": total });
    Fixture::new(vec![
        subgraph(
            "agency",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
            type Agency @key(fields: "id") { id: ID! companyName: String email: Email }
            type Email { address: String }
            type Group @key(fields: "id") { id: ID! name: String email: String }
            extend union PublisherType = Agency | Group
            "#,
            json!({ "entities": { "Agency": [
                { "id": "a1", "companyName": "Agency 1", "email": { "address": "a1@example.com" } },
            ]}}),
        ),
        subgraph(
            "books",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external", "@requires"])
            type Book @key(fields: "id") { id: ID! title: String }
            type Query { books: [Book] }
            "#,
            json!({ "entities": { "Book": of("Book", &titles) } }),
        ),
        subgraph(
            "inventory",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external", "@requires"])
            interface Product { id: ID! dimensions: ProductDimension delivery(zip: String): DeliveryEstimates }
            type Book implements Product @key(fields: "id") {
              id: ID!
              dimensions: ProductDimension @external
              delivery(zip: String): DeliveryEstimates @requires(fields: "dimensions { size weight }")
            }
            type Magazine implements Product @key(fields: "id") {
              id: ID!
              dimensions: ProductDimension @external
              delivery(zip: String): DeliveryEstimates @requires(fields: "dimensions { size weight }")
            }
            type ProductDimension @shareable { size: String weight: Float }
            type DeliveryEstimates { estimatedDelivery: String fastestDelivery: String }
            "#,
            json!({ "entities": { "Book": of("Book", &delivery), "Magazine": of("Magazine", &delivery) } }),
        ),
        subgraph(
            "magazines",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
            type Magazine @key(fields: "id") { id: ID! title: String }
            type Query { magazines: [Magazine] }
            "#,
            json!({ "entities": { "Magazine": of("Magazine", &titles) } }),
        ),
        subgraph(
            "products",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@inaccessible", "@external"])
            type Query { products: [Product] similar(id: ID!): [Product] }
            interface Product {
              id: ID!
              sku: String
              dimensions: ProductDimension
              createdBy: User
              hidden: Boolean @inaccessible
            }
            interface Similar { similar: [Product] }
            type ProductDimension @shareable { size: String weight: Float }
            type Book implements Product & Similar @key(fields: "id") {
              id: ID! sku: String dimensions: ProductDimension @shareable createdBy: User
              similar: [Book] hidden: Boolean publisherType: PublisherType
            }
            type Magazine implements Product & Similar @key(fields: "id") {
              id: ID! sku: String dimensions: ProductDimension @shareable createdBy: User
              similar: [Magazine] hidden: Boolean publisherType: PublisherType
            }
            union PublisherType = Agency | Self
            type Agency { id: ID! @shareable }
            type Self { email: String }
            type User @key(fields: "email") { email: ID! totalProductsCreated: Int @shareable }
            "#,
            json!({
                "Query": {
                    "products": products.iter().map(in_products).collect::<Vec<_>>(),
                    "similar(id:\"p1\")": [in_products(&products[1])],
                    "similar(id:\"p2\")": [in_products(&products[3])],
                },
                "entities": {
                    "Book": of("Book", &in_products),
                    "Magazine": of("Magazine", &in_products),
                    "User": [user(1, 2), user(2, 2), user(3, 0)],
                },
            }),
        ),
        subgraph(
            "reviews",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@requires", "@external"])
            type Book implements Product & Similar @key(fields: "id") {
              id: ID! reviewsCount: Int! reviewsScore: Float! @shareable reviews: [Review!]!
              similar: [Book] @external reviewsOfSimilar: [Review!]! @requires(fields: "similar { id }")
            }
            type Magazine implements Product & Similar @key(fields: "id") {
              id: ID! reviewsCount: Int! reviewsScore: Float! @shareable reviews: [Review!]!
              similar: [Magazine] @external reviewsOfSimilar: [Review!]! @requires(fields: "similar { id }")
            }
            interface Product { id: ID! reviewsCount: Int! reviewsScore: Float! reviews: [Review!]! }
            interface Similar { similar: [Product] }
            type Query { review(id: Int!): Review }
            type Review { id: Int! body: String! product: Product }
            "#,
            json!({ "entities": { "Book": of("Book", &reviews), "Magazine": of("Magazine", &reviews) } }),
        ),
        subgraph(
            "users",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
            type User @key(fields: "email") { email: ID! name: String totalProductsCreated: Int @shareable }
            "#,
            json!({ "entities": { "User": [
                { "email": "u1@example.com", "name": "u1-name", "totalProductsCreated": 2 },
                { "email": "u2@example.com", "name": "u2-name", "totalProductsCreated": 2 },
            ]}}),
        ),
    ])
}

/// `products { id reviews { product { … } } }` answered with `product` for p1 and
/// p2 (the only reviewed products).
fn reviewed(p1: Value, p2: Value) -> Value {
    json!({ "products": [
        { "id": "p1", "reviews": [{ "product": p1.clone() }, { "product": p1 }] },
        { "id": "p3", "reviews": [] },
        { "id": "p2", "reviews": [{ "product": p2 }] },
        { "id": "p4", "reviews": [] },
    ]})
}

#[tokio::test]
async fn interfaces_and_unions_across_seven_subgraphs() {
    let running = fixture().start().await;
    let dims = |id: &str, weight: f64| json!({ "id": id, "dimensions": { "size": "small", "weight": weight } });
    let fast = json!({ "fastestDelivery": "same day", "estimatedDelivery": "1 day" });
    let typed = |n: &str, t: &str| json!({ "sku": format!("sku-{n}"), "__typename": t, "type": t });
    let author = |n: u8| json!({ "email": format!("u{n}@example.com"), "totalProductsCreated": 2 });
    let cases = [
        (
            "audit_abstract_types_1",
            "{ products { id dimensions { size weight } } }",
            json!({ "products": [dims("p1", 0.5), dims("p3", 0.6), dims("p2", 0.2), dims("p4", 0.3)] }),
        ),
        (
            "audit_abstract_types_2",
            r#"{ similar(id: "p1") { id sku } }"#,
            json!({ "similar": [{ "id": "p3", "sku": "sku-3" }] }),
        ),
        (
            "audit_abstract_types_3",
            r#"{ book: similar(id: "p1") { id sku delivery(zip: "1234") { fastestDelivery estimatedDelivery } }
                 magazine: similar(id: "p2") { id sku delivery(zip: "1234") { fastestDelivery estimatedDelivery } } }"#,
            json!({
                "book": [{ "id": "p3", "sku": "sku-3", "delivery": fast.clone() }],
                "magazine": [{ "id": "p4", "sku": "sku-4", "delivery": fast }],
            }),
        ),
        (
            "audit_abstract_types_4",
            "{ products { sku ... on Product { sku } ... on Book { sku } ... on Magazine { sku } ... on Similar { __typename type: __typename } } }",
            json!({ "products": [typed("1", "Book"), typed("3", "Book"), typed("2", "Magazine"), typed("4", "Magazine")] }),
        ),
        (
            "audit_abstract_types_5",
            "{ products { author: createdBy { email totalProductsCreated } ... on Magazine { title } } }",
            json!({ "products": [
                { "author": author(1) },
                { "author": author(2) },
                { "author": author(1), "title": "Magazine 1" },
                { "author": author(2), "title": "Magazine 2" },
            ]}),
        ),
        (
            "audit_abstract_types_6",
            "{ products { id reviews { product { sku ... on Magazine { title } ... on Book { reviewsCount } } } } }",
            reviewed(
                json!({ "sku": "sku-1", "reviewsCount": 2 }),
                json!({ "sku": "sku-2", "title": "Magazine 1" }),
            ),
        ),
        (
            "audit_abstract_types_7",
            "{ products { id reviews { id } } }",
            json!({ "products": [
                { "id": "p1", "reviews": [{ "id": 1 }, { "id": 2 }] },
                { "id": "p3", "reviews": [] },
                { "id": "p2", "reviews": [{ "id": 3 }] },
                { "id": "p4", "reviews": [] },
            ]}),
        ),
    ];
    for (name, query, data) in cases {
        check(&running, name, query, json!({}), json!({ "data": data })).await;
    }
}

#[tokio::test]
async fn skip_and_include_on_type_conditions_across_subgraphs() {
    let running = fixture().start().await;
    let magazine = json!({ "id": "p2", "sku": "sku-2" });
    let conditional = |directive: &str, inner: &str| {
        format!(
            "query ($title: Boolean = VALUE) {{ products {{ id reviews {{ product {{ id ... on Book {directive} {{ title {inner} }} ... on Magazine {{ sku }} }} }} }} }}"
        )
    };
    let cases = [
        ("audit_abstract_types_8", conditional("@include(if: $title)", "").replace("VALUE", "true"), json!({ "id": "p1", "title": "Book 1" })),
        ("audit_abstract_types_9", conditional("@include(if: $title)", "").replace("VALUE", "false"), json!({ "id": "p1" })),
        ("audit_abstract_types_10", conditional("@skip(if: $title)", "").replace("VALUE", "false"), json!({ "id": "p1", "title": "Book 1" })),
        ("audit_abstract_types_11", conditional("@skip(if: $title)", "").replace("VALUE", "true"), json!({ "id": "p1" })),
        (
            "audit_abstract_types_12",
            "query ($title: Boolean = true) { products { id reviews { product { id ... on Book @skip(if: $title) { title } ... on Book { sku } ... on Magazine { sku } } } } }".to_owned(),
            json!({ "id": "p1", "sku": "sku-1" }),
        ),
        (
            "audit_abstract_types_13",
            "query ($title: Boolean = false) { products { id reviews { product { id ... on Book @skip(if: $title) { title } ... on Book { sku } ... on Magazine { sku } } } } }".to_owned(),
            json!({ "id": "p1", "title": "Book 1", "sku": "sku-1" }),
        ),
        (
            "audit_abstract_types_14",
            conditional("@include(if: $title)", "... on Book { sku }").replace("VALUE", "true"),
            json!({ "id": "p1", "title": "Book 1", "sku": "sku-1" }),
        ),
        (
            "audit_abstract_types_15",
            conditional("@include(if: $title)", "... on Book @skip(if: $title) { sku }").replace("VALUE", "true"),
            json!({ "id": "p1", "title": "Book 1" }),
        ),
    ];
    for (name, query, book) in cases {
        check(
            &running,
            name,
            &query,
            json!({}),
            json!({ "data": reviewed(book, magazine.clone()) }),
        )
        .await;
    }
}

#[tokio::test]
async fn a_union_extended_in_another_subgraph_is_answered_per_member() {
    let running = fixture().start().await;
    let query = |publisher: &str| {
        format!(
            "{{ products {{ id reviews {{ product {{ id ... on Magazine {{ publisherType {{ ...Publisher }} }} ... on Book {{ publisherType {{ ...Publisher }} }} }} }} }} }} fragment Publisher on PublisherType {{ {publisher} }}"
        )
    };
    check(
        &running,
        "audit_abstract_types_16",
        &query("... on Agency { id companyName } ... on Self { email } ... on Group { name }"),
        json!({}),
        json!({ "data": reviewed(
            json!({ "id": "p1", "publisherType": { "email": "u1@example.com" } }),
            json!({ "id": "p2", "publisherType": { "id": "a1", "companyName": "Agency 1" } }),
        )}),
    )
    .await;
    check(
        &running,
        "audit_abstract_types_17",
        &query("... on Agency { emailObj: email { address } } ... on Self { emailStr: email } ... on Group { emailStr: email }"),
        json!({}),
        json!({ "data": reviewed(
            json!({ "id": "p1", "publisherType": { "emailStr": "u1@example.com" } }),
            json!({ "id": "p2", "publisherType": { "emailObj": { "address": "a1@example.com" } } }),
        )}),
    )
    .await;
}
