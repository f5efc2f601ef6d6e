//! Identity at the edge: bearer tokens verified (RS256, as the subgraphs verify
//! them) before any subgraph is called; `Authorization`, `x-request-id`,
//! `Idempotency-Key` and `X-Merchant-Key` passed on to the subgraphs.

use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use platform::auth::{Claims, Role, TokenVerifier};
use platform::clock::ManualClock;
use platform::config::CommonConfig;
use platform::testing::{
    test_access_token, test_key_pems, test_signing_key, test_verification_key,
};
use serde_json::json;

use super::{code, send, serve};

fn verifier() -> TokenVerifier {
    TokenVerifier::with_keys(
        &CommonConfig::local().tokens,
        vec![test_verification_key()],
        Arc::new(ManualClock::starting_now()),
    )
}

#[tokio::test]
async fn an_invalid_bearer_token_is_refused_before_any_subgraph_is_called() {
    let served = serve(Some(verifier()), |_| {}).await;
    let valid = test_access_token("user-1", Role::Nasabah);
    let mut parts = valid.split('.');
    let (header, payload) = (
        parts.next().expect("header"),
        parts.next().expect("payload"),
    );
    let claims: Claims =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64")).expect("claims");
    let signed = |change: &dyn Fn(&mut Claims)| {
        let mut claims = claims.clone();
        change(&mut claims);
        test_signing_key().sign(&claims).expect("signs")
    };
    let alg_none = format!(
        "{}.{payload}.",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#)
    );
    let hs256_with_the_public_key = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(test_key_pems().1.as_bytes()),
    )
    .expect("signs");
    for authorization in [
        "Bearer not-a-jwt".to_owned(),
        format!("Bearer {header}.{payload}.c2lnbmF0dXJl"),
        format!("Bearer {alg_none}"),
        format!("Bearer {hs256_with_the_public_key}"),
        format!("Bearer {}", signed(&|c| c.exp = c.iat - 60)),
        format!(
            "Bearer {}",
            signed(&|c| c.iss = "https://evil.example".into())
        ),
        format!("Bearer {}", signed(&|c| c.aud = "another-api".into())),
        format!("Bearer {valid}x"),
        "Bearer ".to_owned(),
        format!("Basic {valid}"),
    ] {
        for accept in ["application/json", "application/graphql-response+json"] {
            let (status, body) = send(
                served
                    .post(json!({ "query": "{ hello }" }))
                    .header("authorization", &authorization)
                    .header("accept", accept),
            )
            .await;
            assert_eq!(status, 401, "{authorization}: {body}");
            assert_eq!(code(&body), "UNAUTHENTICATED", "{authorization}");
            assert!(body.get("data").is_none());
        }
    }
    assert!(served.seen().is_empty(), "no subgraph was called");
}

#[tokio::test]
async fn anonymous_requests_pass_and_valid_tokens_reach_the_subgraph_unchanged() {
    let served = serve(Some(verifier()), |_| {}).await;
    let (status, body) = served.query("{ hello }").await;
    assert_eq!((status, &body["data"]["hello"]), (200, &json!("world")));

    let token = test_access_token("user-1", Role::Nasabah);
    let (status, body) = send(
        served
            .post(json!({ "query": "{ hello }" }))
            .bearer_auth(&token),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let seen = served.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].authorization, None, "anonymous stays anonymous");
    assert_eq!(
        seen[1].authorization.as_deref(),
        Some(format!("Bearer {token}").as_str())
    );
}

#[tokio::test]
async fn idempotency_and_merchant_keys_reach_the_subgraph() {
    let served = serve(None, |_| {}).await;
    let (status, body) = send(
        served
            .post(json!({ "query": "mutation { bump }" }))
            .header("idempotency-key", "pay-2026-11-21-0001")
            .header("x-merchant-key", "dsm_m1_secret"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = served.query("{ hello }").await;
    assert_eq!(status, 200, "{body}");
    let seen = served.seen();
    assert_eq!(
        seen[0].idempotency_key.as_deref(),
        Some("pay-2026-11-21-0001")
    );
    assert_eq!(seen[0].merchant_key.as_deref(), Some("dsm_m1_secret"));
    assert_eq!(seen[1].idempotency_key, None, "nothing is made up");
    assert_eq!(seen[1].merchant_key, None);
}

#[tokio::test]
async fn request_ids_are_passed_on_or_made() {
    let served = serve(None, |_| {}).await;
    let response = served
        .post(json!({ "query": "{ hello }" }))
        .header("x-request-id", "req-from-the-app-1")
        .send()
        .await
        .expect("answers");
    assert_eq!(
        response
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok()),
        Some("req-from-the-app-1")
    );
    let response = served
        .post(json!({ "query": "{ slow(ms: 1) }" }))
        .send()
        .await
        .expect("answers");
    let made = response
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .expect("a request id is made")
        .to_owned();
    let seen = served.seen();
    assert_eq!(seen[0].request_id.as_deref(), Some("req-from-the-app-1"));
    assert_eq!(
        seen[1].request_id.as_deref(),
        Some(made.as_str()),
        "the subgraph sees the id the client is told"
    );
    assert!(!made.is_empty());
}
