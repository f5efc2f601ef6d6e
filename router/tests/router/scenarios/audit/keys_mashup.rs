//! Audit suite `keys-mashup`: four keys per type, some not resolvable, and a
//! `@requires` whose input lives in the subgraph reached by the one resolvable key.

use serde_json::json;

use crate::fixture::{Fixture, subgraph};
use crate::scenarios::check;

pub fn fixture() -> Fixture {
    let a1 = json!({
        "id": "1", "pId": "a.1.pId", "name": "a.1",
        "compositeId": { "one": "a.1.compositeId.one", "two": "a.1.compositeId.two", "three": "a.1.compositeId.three" },
    });
    let a2 = json!({
        "id": "2", "pId": "a.2.pId", "name": "a.2",
        "compositeId": { "one": "a.2.compositeId.one", "two": "a.2.compositeId.two", "three": "a.2.compositeId.three" },
    });
    let in_b = |a: &serde_json::Value| {
        let mut a = a.clone();
        let object = a.as_object_mut().expect("an object");
        object.remove("name");
        object.insert("nameInB".into(), json!({ "$format": "b.a.nameInB {name}" }));
        a
    };
    Fixture::new(vec![
        subgraph(
            "a",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])
            type A
              @key(fields: "id", resolvable: true)
              @key(fields: "pId", resolvable: false)
              @key(fields: "compositeId { one two }", resolvable: false)
              @key(fields: "id compositeId { two three }", resolvable: false) {
              id: ID!
              pId: ID!
              compositeId: CompositeID!
              name: String!
            }
            type CompositeID { one: ID! two: ID! three: ID! }
            "#,
            json!({ "entities": { "A": [a1.clone(), a2.clone()] } }),
        ),
        subgraph(
            "b",
            r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", "@requires", "@external"])
            type Query { b: B }
            type B @key(fields: "id") { id: ID! a: [A!]! }
            type A
              @key(fields: "compositeId { one two }", resolvable: false)
              @key(fields: "id compositeId { two three }", resolvable: true)
              @key(fields: "pId", resolvable: false)
              @key(fields: "id", resolvable: false) {
              id: ID!
              pId: ID!
              compositeId: CompositeID!
              name: String! @external
              nameInB: String! @requires(fields: "name")
            }
            type CompositeID { one: ID! two: ID! three: ID! }
            "#,
            json!({
                "Query": { "b": { "id": "100", "a": [in_b(&a1)] } },
                "entities": {
                    "B": [{ "id": "100", "a": [in_b(&a1)] }, { "id": "200", "a": [in_b(&a1), in_b(&a2)] }],
                    "A": [in_b(&a1), in_b(&a2)],
                },
            }),
        ),
    ])
}

#[tokio::test]
async fn a_requirement_is_fetched_through_the_one_resolvable_key() {
    let running = fixture().start().await;
    check(
        &running,
        "audit_keys_mashup",
        "{ b { id a { id name nameInB } } }",
        json!({}),
        json!({ "data": { "b": { "id": "100", "a": [
            { "id": "1", "name": "a.1", "nameInB": "b.a.nameInB a.1" },
        ]}}}),
    )
    .await;
}
