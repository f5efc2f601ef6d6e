//! Sharing identical work in flight: identical client queries (one execution),
//! identical subgraph requests (one fetch). Each can be turned off; mutations and
//! different callers are never shared.

use futures::future::join_all;
use serde_json::{Value, json};

use super::{Served, send, serve};

/// Sends `count` copies of `query` at once (with `token` as bearer when given).
async fn together(served: &Served, query: &str, count: usize, token: Option<&str>) -> Vec<Value> {
    join_all((0..count).map(|_| {
        let mut request = served.post(json!({ "query": query }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        async move {
            let (status, body) = send(request).await;
            assert_eq!(status, 200, "{body}");
            body
        }
    }))
    .await
}

#[tokio::test]
async fn identical_queries_in_flight_share_one_execution() {
    let served = serve(None, |c| {
        c.dedupe_requests = true;
        c.dedupe_subgraph_requests = false;
    })
    .await;
    let answers = together(&served, "{ slow }", 12, None).await;
    assert_eq!(
        served.seen().len(),
        1,
        "one subgraph call for twelve queries"
    );
    assert!(
        answers
            .iter()
            .all(|a| *a == json!({ "data": { "slow": 1 } }))
    );
    // Once done, the same query runs again.
    let (_, body) = served.query("{ slow }").await;
    assert_eq!(body, json!({ "data": { "slow": 2 } }));
}

#[tokio::test]
async fn identical_subgraph_requests_in_flight_share_one_fetch() {
    let served = serve(None, |c| {
        c.dedupe_requests = false;
        c.dedupe_subgraph_requests = true;
    })
    .await;
    // Different client documents, the same subgraph request.
    let queries = [
        "{ slow }",
        "query { slow }",
        "{ ... on Query { slow } }",
        "{ ...F } fragment F on Query { slow }",
    ];
    let answers = join_all(queries.iter().map(|q| served.query(q))).await;
    assert!(answers.iter().all(|(status, _)| *status == 200));
    assert_eq!(served.seen().len(), 1, "one fetch for four queries");
    assert!(
        answers
            .iter()
            .all(|(_, body)| *body == json!({ "data": { "slow": 1 } }))
    );
}

#[tokio::test]
async fn with_both_kinds_off_every_query_runs() {
    let served = serve(None, |c| {
        c.dedupe_requests = false;
        c.dedupe_subgraph_requests = false;
    })
    .await;
    let answers = together(&served, "{ slow }", 6, None).await;
    assert_eq!(served.seen().len(), 6);
    let mut counts: Vec<i64> = answers
        .iter()
        .map(|a| a["data"]["slow"].as_i64().expect("a count"))
        .collect();
    counts.sort_unstable();
    assert_eq!(counts, vec![1, 2, 3, 4, 5, 6]);
}

#[tokio::test]
async fn mutations_are_never_shared() {
    let served = serve(None, |c| {
        c.dedupe_requests = true;
        c.dedupe_subgraph_requests = true;
    })
    .await;
    let answers = together(&served, "mutation { bump }", 8, None).await;
    let mut counts: Vec<i64> = answers
        .iter()
        .map(|a| a["data"]["bump"].as_i64().expect("a count"))
        .collect();
    counts.sort_unstable();
    assert_eq!(counts, (1..=8).collect::<Vec<_>>(), "each mutation ran");
}

#[tokio::test]
async fn different_callers_do_not_share() {
    let served = serve(None, |c| {
        c.dedupe_requests = true;
        c.dedupe_subgraph_requests = true;
    })
    .await;
    let (first, second, anonymous) = tokio::join!(
        together(&served, "{ slow }", 4, Some("token-of-siti")),
        together(&served, "{ slow }", 4, Some("token-of-budi")),
        together(&served, "{ slow }", 4, None),
    );
    assert_eq!(served.seen().len(), 3, "one call per caller");
    for group in [&first, &second, &anonymous] {
        assert!(group.iter().all(|a| *a == group[0]), "{group:?}");
    }
    let mut authorizations: Vec<Option<String>> =
        served.seen().into_iter().map(|s| s.authorization).collect();
    authorizations.sort();
    assert_eq!(
        authorizations,
        vec![
            None,
            Some("Bearer token-of-budi".to_owned()),
            Some("Bearer token-of-siti".to_owned())
        ]
    );
}

#[tokio::test]
async fn different_merchants_do_not_share() {
    let served = serve(None, |c| {
        c.dedupe_requests = true;
        c.dedupe_subgraph_requests = true;
    })
    .await;
    let merchant = |key: &'static str| {
        let served = &served;
        async move {
            join_all((0..3).map(|_| {
                send(
                    served
                        .post(json!({ "query": "{ slow }" }))
                        .header("x-merchant-key", key),
                )
            }))
            .await
        }
    };
    let (first, second) = tokio::join!(merchant("dsm_a_1"), merchant("dsm_b_2"));
    assert_eq!(served.seen().len(), 2, "one call per merchant");
    for group in [&first, &second] {
        assert!(group.iter().all(|a| *a == group[0]), "{group:?}");
    }
    let mut keys: Vec<Option<String>> = served.seen().into_iter().map(|s| s.merchant_key).collect();
    keys.sort();
    assert_eq!(
        keys,
        vec![Some("dsm_a_1".to_owned()), Some("dsm_b_2".to_owned())]
    );
}

#[tokio::test]
async fn documents_that_normalise_alike_share_one_plan() {
    let served = serve(None, |_| {}).await;
    for query in [
        "{ hello node { level } }",
        "query { hello, node { level } }",
        "{ ...F } fragment F on Query { hello node { ... on Node { level } } }",
        "query ($no: Boolean = false) { hello node { level child @include(if: $no) { level } } }",
    ] {
        let (status, body) = served.query(query).await;
        assert_eq!(status, 200, "{body}");
    }
    // The last one normalises alike, but declares a variable the plan forwards.
    assert_eq!(served.state.caches.plans_built(), 2);
    served.query("{ hello node { child { level } } }").await;
    assert_eq!(
        served.state.caches.plans_built(),
        3,
        "a different operation"
    );
    served.query("{ hello node { level } }").await;
    assert_eq!(served.state.caches.plans_built(), 3, "planned before");
}
