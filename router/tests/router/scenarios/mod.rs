//! Planning and execution scenarios over fixture supergraphs: each checks the
//! response (data, nulls and errors) and snapshots the plan. A plan that fetches
//! more than it must shows up as a changed snapshot and fails.

pub mod abstract_types;
pub mod audit;
pub mod complex_keys;
pub mod entities;
pub mod errors;
pub mod fed1;
pub mod inaccessible;
pub mod interface_object;
pub mod keys;
pub mod mutations;
pub mod overrides;
pub mod provides;
pub mod requires;
pub mod shapes;
pub mod shareable;

use serde_json::Value;

use crate::fixture::{Fixture, Running};

/// Every fixture set, by name (composition is checked against Apollo's on each).
pub fn all_fixtures() -> Vec<(&'static str, Fixture)> {
    vec![
        ("entities", entities::fixture()),
        ("keys", keys::fixture()),
        ("keys-reference", keys::reference_only()),
        ("complex-keys", complex_keys::fixture()),
        ("requires", requires::fixture()),
        ("requires-circular", requires::circular()),
        ("requires-fragments", requires::with_fragments()),
        ("provides", provides::fixture()),
        ("shareable", shareable::fixture()),
        ("overrides", overrides::fixture()),
        ("abstract-types", abstract_types::fixture()),
        ("interface-object", interface_object::fixture()),
        ("mutations", mutations::fixture()),
        ("errors", errors::fixture(0)),
        ("fed1", fed1::fixture()),
        ("inaccessible", inaccessible::fixture()),
        ("shapes", shapes::fixture()),
    ]
    .into_iter()
    .chain(audit::fixtures())
    .collect()
}

/// Runs `query` and checks the response; snapshots the plan as `name`.
pub async fn check(
    running: &Running,
    name: &str,
    query: &str,
    variables: Value,
    expected: Value,
) -> String {
    let (response, plan) = running.query(query, variables).await;
    assert_eq!(
        response,
        expected,
        "{name}: unexpected response\n--- got:\n{}\n--- plan:\n{plan}\n--- requests:\n{:#?}",
        serde_json::to_string_pretty(&response).unwrap_or_default(),
        running.requests()
    );
    insta::assert_snapshot!(name, plan);
    plan
}
