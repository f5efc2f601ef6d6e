//! Composition: our output against the reference supergraphs, and clear errors when
//! subgraphs do not compose.

use async_graphql::registry::SDLExportOptions;
use router::compose::{SubgraphInput, compose};

use crate::supergraph_compare::assert_same;

fn sdl<Q, M, S>(schema: &async_graphql::Schema<Q, M, S>) -> String
where
    Q: async_graphql::ObjectType + 'static,
    M: async_graphql::ObjectType + 'static,
    S: async_graphql::SubscriptionType + 'static,
{
    schema.sdl_with_options(SDLExportOptions::new().federation().compose_directive())
}

fn input(name: &str, url: &str, sdl: String) -> SubgraphInput {
    SubgraphInput {
        name: name.into(),
        url: url.into(),
        sdl,
    }
}

#[test]
fn the_benchmark_subgraphs_compose_to_the_benchmark_supergraph() {
    let url = |name: &str| format!("http://0.0.0.0:4200/{name}");
    let composed = compose(&[
        input(
            "accounts",
            &url("accounts"),
            sdl(&bench_subgraphs::accounts::schema()),
        ),
        input(
            "inventory",
            &url("inventory"),
            sdl(&bench_subgraphs::inventory::schema()),
        ),
        input(
            "products",
            &url("products"),
            sdl(&bench_subgraphs::products::schema()),
        ),
        input(
            "reviews",
            &url("reviews"),
            sdl(&bench_subgraphs::reviews::schema()),
        ),
    ])
    .unwrap_or_else(|errors| panic!("composes: {errors:#?}"));
    assert_same(
        &composed,
        include_str!("../../../bench/supergraph.graphql"),
        "benchmark",
    );
}

/// Apollo's composition of `inputs` (`router/tests/apollo`, installed with
/// `npm ci`), or `None` when it is not installed.
fn apollo(inputs: &[SubgraphInput]) -> Option<Result<String, Vec<String>>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/apollo");
    if !dir.join("node_modules/@apollo/composition").exists() {
        // CI installs it and sets this, so the comparison cannot silently vanish.
        assert!(
            std::env::var_os("ROUTER_TESTS_REQUIRE_APOLLO").is_none(),
            "ROUTER_TESTS_REQUIRE_APOLLO is set but {} has no node_modules: run `npm ci` there",
            dir.display()
        );
        eprintln!(
            "skipped: run `npm ci` in {} to compare with Apollo's composition",
            dir.display()
        );
        return None;
    }
    let payload: Vec<serde_json::Value> = inputs
        .iter()
        .map(|i| serde_json::json!({ "name": i.name, "url": i.url, "sdl": i.sdl }))
        .collect();
    let mut child = std::process::Command::new("node")
        .arg("compose.mjs")
        .current_dir(&dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("node runs");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(serde_json::to_string(&payload).expect("json").as_bytes())
        .expect("write");
    let output = child.wait_with_output().expect("node finishes");
    let result: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("JSON from compose.mjs");
    Some(match result.get("supergraph").and_then(|s| s.as_str()) {
        Some(sdl) => Ok(sdl.to_owned()),
        None => Err(result["errors"]
            .as_array()
            .map(|e| {
                e.iter()
                    .map(|e| format!("{}: {}", e["code"], e["message"]))
                    .collect()
            })
            .unwrap_or_default()),
    })
}

#[test]
fn every_fixture_composes_as_apollo_composes_it() {
    let mut checked = 0;
    for (name, fixture) in crate::scenarios::all_fixtures() {
        let inputs = fixture.inputs();
        let ours = compose(&inputs).unwrap_or_else(|e| panic!("{name}: ours failed: {e:#?}"));
        let Some(theirs) = apollo(&inputs) else {
            return;
        };
        let theirs = theirs.unwrap_or_else(|e| panic!("{name}: Apollo refused it: {e:#?}"));
        assert_same(&ours, &theirs, name);
        checked += 1;
    }
    assert!(checked >= 16, "all fixture sets compared");
}

#[test]
fn the_benchmark_subgraphs_compose_as_apollo_composes_them() {
    let url = |name: &str| format!("http://0.0.0.0:4200/{name}");
    let inputs = [
        input(
            "accounts",
            &url("accounts"),
            sdl(&bench_subgraphs::accounts::schema()),
        ),
        input(
            "inventory",
            &url("inventory"),
            sdl(&bench_subgraphs::inventory::schema()),
        ),
        input(
            "products",
            &url("products"),
            sdl(&bench_subgraphs::products::schema()),
        ),
        input(
            "reviews",
            &url("reviews"),
            sdl(&bench_subgraphs::reviews::schema()),
        ),
    ];
    let ours = compose(&inputs).expect("composes");
    if let Some(theirs) = apollo(&inputs) {
        assert_same(&ours, &theirs.expect("Apollo composes it"), "benchmark");
    }
}

/// Subgraphs that do not compose: ours refuses them with the code Apollo gives,
/// naming the subgraph and the line.
#[test]
fn subgraphs_that_do_not_compose_are_refused_with_a_located_error() {
    let link = "extend schema @link(url: \"https://specs.apollo.dev/federation/v2.5\", import: [\"@key\", \"@external\", \"@requires\", \"@provides\", \"@shareable\"])";
    let cases = [
        (
            "INVALID_FIELD_SHARING",
            vec![
                format!(
                    "{link}\ntype Query {{ a: Int }}\ntype T @key(fields: \"id\") {{ id: ID! name: String }}"
                ),
                format!("{link}\ntype T @key(fields: \"id\") {{ id: ID! name: String }}"),
            ],
        ),
        (
            "FIELD_TYPE_MISMATCH",
            vec![
                format!(
                    "{link}\ntype Query {{ a: Int }}\ntype T @key(fields: \"id\") {{ id: ID! name: String @shareable }}"
                ),
                format!("{link}\ntype T @key(fields: \"id\") {{ id: ID! name: Int @shareable }}"),
            ],
        ),
        (
            "REQUIRES_FIELDS_MISSING_EXTERNAL",
            vec![
                format!(
                    "{link}\ntype Query {{ a: Int }}\ntype T @key(fields: \"id\") {{ id: ID! w: Int @shareable x: Int @requires(fields: \"w\") }}"
                ),
                format!("{link}\ntype T @key(fields: \"id\") {{ id: ID! w: Int @shareable }}"),
            ],
        ),
        (
            "EXTERNAL_MISSING_ON_BASE",
            vec![format!(
                "{link}\ntype Query {{ a: Int }}\ntype T @key(fields: \"id\") {{ id: ID! w: Int @external x: Int @requires(fields: \"w\") }}"
            )],
        ),
        (
            "EXTERNAL_UNUSED",
            vec![
                format!(
                    "{link}\ntype Query {{ a: Int }}\ntype T @key(fields: \"id\") {{ id: ID! w: Int @external }}"
                ),
                format!("{link}\ntype T @key(fields: \"id\") {{ id: ID! w: Int @shareable }}"),
            ],
        ),
        (
            "INVALID_FIELD_SHARING",
            vec![
                format!(
                    "{link}\ntype Query {{ r: R }}\ntype R {{ u: U @provides(fields: \"name\") }}\ntype U @key(fields: \"id\") {{ id: ID! name: String @external }}"
                ),
                format!("{link}\ntype U @key(fields: \"id\") {{ id: ID! name: String }}"),
            ],
        ),
        (
            "TYPE_KIND_MISMATCH",
            vec![
                format!("{link}\ntype Query {{ a: T }}\ntype T {{ id: ID! }}"),
                format!("{link}\ninterface T {{ id: ID! }}"),
            ],
        ),
    ];
    for (code, sdls) in cases {
        let inputs: Vec<SubgraphInput> = sdls
            .iter()
            .enumerate()
            .map(|(i, s)| input(&format!("s{i}"), "http://s/graphql", s.clone()))
            .collect();
        let errors = compose(&inputs).expect_err(code);
        let ours = errors
            .iter()
            .find(|e| e.code == code)
            .unwrap_or_else(|| panic!("{code} expected, got {errors:#?}"));
        assert!(
            ours.subgraph.is_some() && ours.line > 0,
            "{code} is located: {ours}"
        );
        if let Some(theirs) = apollo(&inputs) {
            let theirs = theirs.expect_err("Apollo refuses it too");
            assert!(
                theirs.iter().any(|e| e.contains(code)),
                "{code}: Apollo says {theirs:#?}"
            );
        }
    }
}

/// `schema/supergraph.graphql` is what `router compose` makes of
/// `schema/subgraphs.toml` today: a subgraph contract that changed without a new
/// composition fails here.
#[test]
fn the_committed_supergraph_is_the_composition_of_the_subgraph_contracts() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let inputs = router::compose::read_subgraphs(&root.join("schema/subgraphs.toml"))
        .expect("schema/subgraphs.toml reads");
    let composed = compose(&inputs).unwrap_or_else(|errors| panic!("composes: {errors:#?}"));
    let committed = std::fs::read_to_string(root.join("schema/supergraph.graphql"))
        .expect("schema/supergraph.graphql exists");
    assert!(
        composed == committed,
        "schema/supergraph.graphql is stale: run `cargo run -p router -- compose`"
    );
    if let Some(theirs) = apollo(&inputs) {
        assert_same(&composed, &theirs.expect("Apollo composes it"), "project");
    }
}
