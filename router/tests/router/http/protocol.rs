//! GraphQL over HTTP: methods, media types, status codes, CSRF prevention, CORS,
//! GraphiQL and health.

use platform::config::Mode;
use serde_json::{Value, json};

use super::{code, send, serve};

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

fn content_type(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn a_post_is_answered_in_the_media_type_the_client_accepts() {
    let served = serve(None, |_| {}).await;
    let body = json!({ "query": "{ hello }" });
    for (accept, expected) in [
        (None, "application/json"),
        (Some("application/json"), "application/json"),
        (Some(GRAPHQL_RESPONSE), GRAPHQL_RESPONSE),
        (
            Some("application/json;q=0.5, application/graphql-response+json"),
            GRAPHQL_RESPONSE,
        ),
        (Some("*/*"), "application/json"),
    ] {
        let mut request = served.post(body.clone());
        if let Some(accept) = accept {
            request = request.header("accept", accept);
        }
        let response = request.send().await.expect("answers");
        assert_eq!(response.status(), 200, "{accept:?}");
        assert!(
            content_type(&response).starts_with(expected),
            "{accept:?} → {}",
            content_type(&response)
        );
        let body: Value = response.json().await.expect("json");
        assert_eq!(body, json!({ "data": { "hello": "world" } }));
    }
}

#[tokio::test]
async fn a_client_that_accepts_no_graphql_media_type_gets_406() {
    let served = serve(None, |_| {}).await;
    let response = served
        .post(json!({ "query": "{ hello }" }))
        .header("accept", "text/html, application/json;q=0")
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), 406);
    assert!(served.seen().is_empty());
}

/// Request errors (nothing executed): 400 for `application/graphql-response+json`,
/// 200 for `application/json`; never a `data` entry; the subgraph is not called.
#[tokio::test]
async fn request_errors_have_no_data_and_their_status_follows_the_media_type() {
    let served = serve(None, |_| {}).await;
    let cases = [
        ("{ hello", "GRAPHQL_PARSE_FAILED"),
        ("{ nope }", "GRAPHQL_VALIDATION_FAILED"),
        (
            "query A { hello } query B { hello }",
            "OPERATION_RESOLUTION_FAILURE",
        ),
        ("query ($n: Int!) { slow(ms: $n) }", "BAD_USER_INPUT"),
        ("subscription { hello }", "GRAPHQL_VALIDATION_FAILED"),
    ];
    for (query, expected) in cases {
        for (accept, status) in [(GRAPHQL_RESPONSE, 400), ("application/json", 200)] {
            let (got, body) = send(
                served
                    .post(json!({ "query": query }))
                    .header("accept", accept),
            )
            .await;
            assert_eq!(got, status, "{query} ({accept}): {body}");
            assert_eq!(code(&body), expected, "{query}: {body}");
            assert!(body.get("data").is_none(), "{query}: {body}");
            assert!(
                body["errors"][0]["message"]
                    .as_str()
                    .is_some_and(|m| !m.is_empty())
            );
        }
    }
    assert!(served.seen().is_empty(), "no subgraph was called");
}

#[tokio::test]
async fn bodies_that_are_not_a_graphql_request_are_400() {
    let served = serve(None, |_| {}).await;
    for body in [
        "not json",
        r#"[{"query":"{ hello }"}]"#,
        r#"{"variables":{}}"#,
        r#"{"query":"{ hello }","variables":[1]}"#,
        r#"{"query":"{ hello }","operationName":5}"#,
    ] {
        for accept in [GRAPHQL_RESPONSE, "application/json"] {
            let (status, response) = send(
                served
                    .http
                    .post(&served.url)
                    .header("content-type", "application/json")
                    .header("accept", accept)
                    .body(body),
            )
            .await;
            assert_eq!(status, 400, "{body}: {response}");
            assert_eq!(code(&response), "BAD_REQUEST", "{body}");
            assert!(response.get("data").is_none());
        }
    }
}

#[tokio::test]
async fn a_body_in_an_unsupported_media_type_is_415() {
    let served = serve(None, |_| {}).await;
    let (status, body) = send(
        served
            .http
            .post(&served.url)
            .header("content-type", "application/xml")
            .body("<query/>"),
    )
    .await;
    assert_eq!(status, 415);
    assert_eq!(code(&body), "BAD_REQUEST");
}

#[tokio::test]
async fn get_runs_queries_with_variables_and_operation_names() {
    let served = serve(None, |_| {}).await;
    let (status, body) = send(
        served
            .get(&[
                (
                    "query",
                    "query A { hello } query B($ms: Int) { slow(ms: $ms) }",
                ),
                ("operationName", "B"),
                ("variables", r#"{"ms": 1}"#),
            ])
            .header("apollo-require-preflight", "true"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, json!({ "data": { "slow": 1 } }));
}

#[tokio::test]
async fn get_refuses_mutations_with_405_and_calls_nothing() {
    let served = serve(None, |_| {}).await;
    let response = served
        .get(&[("query", "mutation { bump }")])
        .header("apollo-require-preflight", "true")
        .header("accept", GRAPHQL_RESPONSE)
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), 405);
    assert_eq!(
        response
            .headers()
            .get("allow")
            .and_then(|v| v.to_str().ok()),
        Some("POST")
    );
    let body: Value = response.json().await.expect("json");
    assert_eq!(code(&body), "METHOD_NOT_ALLOWED");
    assert!(served.seen().is_empty());
}

#[tokio::test]
async fn get_without_a_query_is_400() {
    let served = serve(None, |_| {}).await;
    let (status, body) = send(
        served
            .http
            .get(&served.url)
            .header("apollo-require-preflight", "true"),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(code(&body), "BAD_REQUEST");
}

#[tokio::test]
async fn other_methods_are_405() {
    let served = serve(None, |_| {}).await;
    for method in [
        reqwest::Method::PUT,
        reqwest::Method::DELETE,
        reqwest::Method::PATCH,
    ] {
        let response = served
            .http
            .request(method.clone(), &served.url)
            .header("content-type", "application/json")
            .body(r#"{"query":"{ hello }"}"#)
            .send()
            .await
            .expect("answers");
        assert_eq!(response.status(), 405, "{method}");
    }
    assert!(served.seen().is_empty());
}

#[tokio::test]
async fn subscriptions_are_refused_with_their_own_code() {
    let served = serve(None, |_| {}).await;
    let (status, body) = send(
        served
            .post(json!({ "query": "subscription { ticks }" }))
            .header("accept", GRAPHQL_RESPONSE),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(code(&body), "SUBSCRIPTIONS_UNSUPPORTED", "{body}");
    assert!(served.seen().is_empty());
}

/// Apollo Router's CSRF prevention: what a browser sends without a preflight is
/// refused unless it carries a header only a script can set.
#[tokio::test]
async fn simple_requests_without_a_preflight_header_are_refused_as_csrf() {
    let served = serve(None, |_| {}).await;
    let blocked = [
        served.get(&[("query", "{ hello }")]),
        served
            .http
            .post(&served.url)
            .header("content-type", "text/plain")
            .body(r#"{"query":"{ hello }"}"#),
        served
            .http
            .post(&served.url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("query=%7B%20hello%20%7D"),
        served
            .http
            .post(&served.url)
            .header("content-type", "multipart/form-data; boundary=x")
            .body("--x--"),
    ];
    for request in blocked {
        let (status, body) = send(request).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(code(&body), "CSRF_PREVENTION");
    }
    assert!(served.seen().is_empty());

    for header in ["apollo-require-preflight", "x-apollo-operation-name"] {
        let (status, body) =
            send(served.get(&[("query", "{ hello }")]).header(header, "yes")).await;
        assert_eq!(status, 200, "{header}: {body}");
        assert_eq!(body["data"]["hello"], "world");
    }
    let (status, _) = served.query("{ hello }").await;
    assert_eq!(status, 200, "application/json needs a preflight: allowed");
}

#[tokio::test]
async fn csrf_prevention_can_be_turned_off() {
    let served = serve(None, |c| c.csrf = false).await;
    let (status, body) = send(served.get(&[("query", "{ hello }")])).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn cors_answers_the_configured_origins_only() {
    let served = serve(None, |c| {
        c.cors_origins = vec!["https://app.dompetsawit.id".into()];
    })
    .await;
    let preflight = |origin: &str| {
        served
            .http
            .request(reqwest::Method::OPTIONS, &served.url)
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "content-type,authorization",
            )
            .send()
    };
    let allowed = preflight("https://app.dompetsawit.id")
        .await
        .expect("answers");
    assert!(allowed.status().is_success());
    let header = |r: &reqwest::Response, name: &str| {
        r.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    assert_eq!(
        header(&allowed, "access-control-allow-origin").as_deref(),
        Some("https://app.dompetsawit.id")
    );
    assert!(
        header(&allowed, "access-control-allow-headers")
            .is_some_and(|h| h.contains("authorization"))
    );
    let other = preflight("https://evil.example").await.expect("answers");
    assert_eq!(header(&other, "access-control-allow-origin"), None);

    let no_cors = serve(None, |_| {}).await;
    let response = no_cors
        .post(json!({ "query": "{ hello }" }))
        .header("origin", "https://app.dompetsawit.id")
        .send()
        .await
        .expect("answers");
    assert_eq!(header(&response, "access-control-allow-origin"), None);
}

#[tokio::test]
async fn a_browser_gets_graphiql_and_health_answers() {
    let served = serve(None, |_| {}).await;
    let page = served
        .http
        .get(&served.url)
        .header("accept", "text/html,application/xhtml+xml")
        .send()
        .await
        .expect("answers");
    assert_eq!(page.status(), 200);
    assert!(content_type(&page).starts_with("text/html"));
    assert!(page.text().await.expect("text").contains("graphiql"));

    let health = served
        .http
        .get(served.url.replace("/graphql", "/health"))
        .send()
        .await
        .expect("answers");
    assert_eq!(health.status(), 200);
    assert_eq!(
        health.json::<Value>().await.expect("json"),
        json!({ "status": "ok" })
    );
}

#[tokio::test]
async fn introspection_is_on_in_development_and_off_in_production() {
    let query = "{ __schema { queryType { name } } }";
    let development = serve(None, |_| {}).await;
    let (_, body) = development.query(query).await;
    assert_eq!(body["data"]["__schema"]["queryType"]["name"], "Query");

    let production = serve(None, |c| {
        c.mode = Mode::Production;
        c.introspection = false;
        c.expose_query_plan = false;
    })
    .await;
    for query in [
        query,
        "{ __type(name: \"Query\") { name } }",
        "{ hello __schema { description } }",
    ] {
        let (_, body) = production.query(query).await;
        assert_eq!(code(&body), "INTROSPECTION_DISABLED", "{query}: {body}");
        assert!(body.get("data").is_none());
    }
    let (_, body) = production.query("{ __typename hello }").await;
    assert_eq!(
        body,
        json!({ "data": { "__typename": "Query", "hello": "world" } }),
        "__typename is not introspection"
    );
    // Plans are not shown in production either.
    let (_, response) = send(
        production
            .post(json!({ "query": "{ hello }" }))
            .header("x-query-plan", "true"),
    )
    .await;
    assert!(response.get("extensions").is_none(), "{response}");
}

#[tokio::test]
async fn the_plan_is_shown_on_request_in_development() {
    let served = serve(None, |_| {}).await;
    let (_, response) = send(
        served
            .post(json!({ "query": "{ hello }" }))
            .header("x-query-plan", "true"),
    )
    .await;
    let plan = response["extensions"]["queryPlan"]
        .as_str()
        .expect("a plan");
    assert!(plan.contains("Fetch(service: \"probe\")"), "{plan}");
}
