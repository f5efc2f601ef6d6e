//! Operation limits: each refused with its own code, before any subgraph is called;
//! an operation right at the limit passes.

use serde_json::json;

use super::{code, send, serve};

fn nested(depth: usize) -> String {
    // `node` is depth 1, each `child` one more, `level` the last.
    let mut query = String::from("{ node { ");
    for _ in 1..depth - 1 {
        query.push_str("child { ");
    }
    query.push_str("level");
    for _ in 0..depth - 1 {
        query.push_str(" }");
    }
    query.push_str(" }");
    query
}

#[tokio::test]
async fn depth_aliases_root_fields_and_tokens_each_have_a_limit_and_a_code() {
    let served = serve(None, |c| {
        c.limits.max_depth = 5;
        c.limits.max_aliases = 3;
        c.limits.max_root_fields = 3;
        c.limits.max_tokens = 40;
    })
    .await;
    let at_limit = [
        nested(5),
        "{ a: hello b: hello c: hello }".to_owned(),
        "{ hello node { level } slow(ms: 1) }".to_owned(),
    ];
    for query in &at_limit {
        let (status, body) = served.query(query).await;
        assert_eq!(status, 200, "{query}: {body}");
        assert!(body.get("errors").is_none(), "{query}: {body}");
    }
    let seen = served.seen().len();

    let over = [
        (nested(6), "MAX_DEPTH_LIMIT"),
        // Fragments count where they are spread.
        (
            "{ node { ...F } } fragment F on Node { child { child { child { child { level } } } } }"
                .to_owned(),
            "MAX_DEPTH_LIMIT",
        ),
        ("{ a: hello b: hello c: hello d: hello }".to_owned(), "MAX_ALIASES_LIMIT"),
        ("{ hello node { level } slow(ms: 1) __typename }".to_owned(), "MAX_ROOT_FIELDS_LIMIT"),
        (format!("{{ hello {} }}", "__typename ".repeat(40)), "MAX_TOKENS_LIMIT"),
    ];
    for (query, expected) in &over {
        for (accept, status) in [
            ("application/graphql-response+json", 400),
            ("application/json", 200),
        ] {
            let (got, body) = send(
                served
                    .post(json!({ "query": query }))
                    .header("accept", accept),
            )
            .await;
            assert_eq!(got, status, "{query}: {body}");
            assert_eq!(code(&body), *expected, "{query}: {body}");
            assert!(body.get("data").is_none());
        }
    }
    assert_eq!(served.seen().len(), seen, "no subgraph call over a limit");
}

#[tokio::test]
async fn a_body_over_the_size_limit_is_413() {
    let served = serve(None, |c| c.limits.max_body_bytes = 1024).await;
    let padding = " ".repeat(2000);
    let (status, body) =
        send(served.post(json!({ "query": format!("{{ hello }}{padding}") }))).await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(code(&body), "PAYLOAD_TOO_LARGE");
    let (status, _) = served.query("{ hello }").await;
    assert_eq!(status, 200);
    assert_eq!(served.seen().len(), 1);
}

#[tokio::test]
async fn the_defaults_hold_a_hostile_operation() {
    let served = serve(None, |_| {}).await;
    let aliases: String = (0..31).map(|i| format!("a{i}: hello ")).collect();
    let (_, body) = served.query(&format!("{{ {aliases} }}")).await;
    assert_eq!(code(&body), "MAX_ALIASES_LIMIT");
    let (_, body) = served.query(&nested(16)).await;
    assert_eq!(code(&body), "MAX_DEPTH_LIMIT");
    let (_, body) = served.query(&nested(15)).await;
    assert!(body.get("errors").is_none(), "{body}");
}
