//! Planning and execution scenarios over fixture supergraphs: each checks the
//! response (data, nulls and errors) and snapshots the plan. A plan that fetches
//! more than it must shows up as a changed snapshot and fails.

mod abstract_types;
mod entities;
mod errors;
mod fed1;
mod inaccessible;
mod interface_object;
mod keys;
mod mutations;
mod overrides;
mod provides;
mod requires;
mod shapes;
mod shareable;

use serde_json::Value;

use crate::fixture::Running;

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
