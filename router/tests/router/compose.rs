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
