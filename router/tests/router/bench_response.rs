//! The benchmark query through the router returns exactly the response Hive
//! Router returned for it.

use std::sync::Arc;
use std::time::Duration;

use router::executor::{Endpoint, Executor, SubgraphClient};
use router::supergraph::Supergraph;

#[tokio::test]
async fn the_benchmark_query_returns_the_reference_response() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, bench_subgraphs::router()).await });

    let schema = Arc::new(
        Supergraph::parse(include_str!("../../../bench/supergraph.graphql")).expect("supergraph"),
    );
    let endpoints = schema
        .graphs
        .iter()
        .map(|g| Endpoint {
            name: g.name.clone(),
            url: format!("http://{addr}/{}", g.name),
            timeout: Duration::from_secs(10),
        })
        .collect();
    let executor = Executor::new(
        schema.clone(),
        SubgraphClient::new(platform::http_client::client(), endpoints, false),
    );
    let prepared =
        router::operation::prepare(&schema, include_str!("../../../bench/query.graphql"), None)
            .expect("valid");
    let operation = prepared.normalize(&schema, &serde_json::Map::new());
    let plan = router::planner::plan(&schema, &operation).expect("plans");
    let response = executor
        .execute(
            &operation,
            &plan,
            &serde_json::Map::new(),
            &http::HeaderMap::new(),
        )
        .await;
    let expected: serde_json::Value =
        serde_json::from_str(include_str!("../../../bench/expected-response.json")).expect("json");
    let actual = serde_json::to_value(&response).expect("serialises");
    assert_eq!(actual, expected);
    // Byte for byte, key order included.
    assert_eq!(
        serde_json::to_string(&response).expect("serialises"),
        serde_json::to_string(&expected).expect("serialises")
    );
}
