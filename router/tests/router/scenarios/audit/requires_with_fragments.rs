//! Audit suite `requires-with-fragments`: `@requires` selections with nested
//! type conditions on interfaces, one implementation `@inaccessible` (its
//! objects are not shown).

use serde_json::json;

use crate::fixture::{Fixture, subgraph};
use crate::scenarios::check;

pub fn fixture() -> Fixture {
    let hidden = json!({ "__typename": "Baz", "foo": "b1-foo", "bar": "b1-bar", "baz": "b1-baz" });
    let qux = json!({ "__typename": "Qux", "foo": "q1-foo", "bar": "q1-bar", "qux": "q1-qux" });
    let requirers = |id: &str| {
        json!({
            "id": id,
            "requirer": { "$format": "{data.foo}_requirer" },
            "requirer2": { "$format": "{data.foo}_requirer2" },
        })
    };
    let interfaces = r#"
        interface Foo { foo: String! }
        interface Bar implements Foo { foo: String! bar: String! }
    "#;
    Fixture::new(vec![
        subgraph(
            "a",
            &format!(
                r#"
                type Query @shareable {{ a: Entity }}
                type Entity @key(fields: "id") {{ id: ID! data: Foo }}
                {interfaces}
                type Baz implements Foo & Bar @shareable {{ foo: String! bar: String! baz: String! }}
                type Qux implements Foo & Bar @shareable {{ foo: String! bar: String! qux: String! }}
                "#
            ),
            json!({
                "Query": { "a": { "id": "e2", "data": qux.clone() } },
                "entities": { "Entity": [{ "id": "e1", "data": hidden }, { "id": "e2", "data": qux }] },
            }),
        ),
        subgraph(
            "b",
            &format!(
                r#"
                type Query @shareable {{ b: Entity bb: Entity }}
                type Entity @key(fields: "id") {{
                  id: ID!
                  data: Foo @external
                  requirer: String! @requires(fields: "data {{ foo ... on Bar {{ bar ... on Baz {{ baz }} ... on Qux {{ qux }} }} }}")
                  requirer2: String! @requires(fields: "data {{ ... on Foo {{ foo }} }}")
                }}
                {interfaces}
                type Baz implements Foo & Bar @shareable @inaccessible {{ foo: String! bar: String! baz: String! }}
                type Qux implements Foo & Bar @shareable {{ foo: String! bar: String! qux: String! }}
                "#
            ),
            json!({
                "Query": { "b": { "id": "e1" }, "bb": { "id": "e2" } },
                "entities": { "Entity": [requirers("e1"), requirers("e2")] },
            }),
        ),
    ])
}

#[tokio::test]
async fn requirements_with_nested_type_conditions_are_sent_whole() {
    let running = fixture().start().await;
    let qux = json!({ "__typename": "Qux" });
    let cases = [
        (
            "audit_requires_with_fragments_2",
            "{ a { requirer } }",
            json!({ "a": { "requirer": "q1-foo_requirer" } }),
        ),
        (
            "audit_requires_with_fragments_3",
            "{ a { data { __typename } requirer } }",
            json!({ "a": { "data": qux.clone(), "requirer": "q1-foo_requirer" } }),
        ),
        (
            "audit_requires_with_fragments_4",
            "{ bb { data { __typename } requirer } }",
            json!({ "bb": { "data": qux.clone(), "requirer": "q1-foo_requirer" } }),
        ),
        (
            "audit_requires_with_fragments_6",
            "{ bb { data { __typename } requirer2 } }",
            json!({ "bb": { "data": qux, "requirer2": "q1-foo_requirer2" } }),
        ),
    ];
    for (name, query, data) in cases {
        check(&running, name, query, json!({}), json!({ "data": data })).await;
    }
}

/// Entity e1's data is a Baz, a type hidden from the API: it shows as null.
#[tokio::test]
async fn an_object_of_an_inaccessible_type_is_not_shown() {
    let running = fixture().start().await;
    let (response, _) = running
        .query(
            "{ b { id data { __typename } } bb { id data { __typename } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        response["data"],
        json!({ "b": { "id": "e1", "data": null }, "bb": { "id": "e2", "data": { "__typename": "Qux" } } }),
        "{response}"
    );
    let (response, _) = running
        .query("{ b { data { __typename } requirer } }", json!({}))
        .await;
    assert_eq!(
        response["data"],
        json!({ "b": { "data": null, "requirer": "b1-foo_requirer" } }),
        "{response}"
    );
}
