//! Forged, altered and stale tokens are refused by the subgraph (`UNAUTHENTICATED`),
//! whether sent as the header or as `myProfile(token:)`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use platform::auth::keys::{SigningKey, generate_pem_pair};
use platform::auth::{Claims, Role, TokenType};
use platform::testing::{test_key_pems, test_signing_key};
use serde_json::{Value, json};

use crate::helpers::{TestApp, error_code, spawn_app};

fn claims_for(app: &TestApp, user_id: &str) -> Claims {
    let now = app.clock.now_timestamp();
    let tokens = &app.config.common.tokens;
    Claims {
        iss: tokens.issuer.clone(),
        sub: user_id.to_owned(),
        aud: tokens.audience.clone(),
        exp: now + 600,
        iat: now,
        nbf: Some(now),
        jti: uuid::Uuid::new_v4().to_string(),
        typ: TokenType::Access,
        role: Some(Role::Admin),
        username: Some("forged".into()),
        amr: vec!["pwd".into()],
        scope: None,
    }
}

fn rs256(key: &SigningKey, claims: &Claims) -> String {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(key.kid.clone());
    jsonwebtoken::encode(&header, claims, &key.encoding).expect("sign")
}

trait NowTimestamp {
    fn now_timestamp(&self) -> i64;
}

impl NowTimestamp for platform::clock::ManualClock {
    fn now_timestamp(&self) -> i64 {
        platform::Clock::now(self).timestamp()
    }
}

/// The token refused both ways it can be presented.
async fn assert_refused(app: &TestApp, token: &str, why: &str) {
    let by_header = app.profile(token).await;
    assert_eq!(
        error_code(&by_header),
        "UNAUTHENTICATED",
        "{why} (header): {by_header}"
    );
    let by_argument: Value = app
        .graphql(
            None,
            "query($t: String) { myProfile(token: $t) { user_id } }",
            json!({ "t": token }),
        )
        .await;
    assert_eq!(
        error_code(&by_argument),
        "UNAUTHENTICATED",
        "{why} (argument): {by_argument}"
    );
    assert_eq!(by_argument["data"]["myProfile"], Value::Null);
}

#[tokio::test]
async fn a_genuine_token_is_accepted() {
    let app = spawn_app().await;
    let user = app.signed_in("genuine").await;
    let genuine = rs256(&test_signing_key(), &claims_for(&app, &user.user_id));
    assert_eq!(
        app.profile(&genuine).await["data"]["myProfile"]["user_id"],
        user.user_id
    );
}

#[tokio::test]
async fn alg_none_is_refused() {
    let app = spawn_app().await;
    let user = app.signed_in("victim").await;
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
    let payload =
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims_for(&app, &user.user_id)).expect("json"));
    assert_refused(&app, &format!("{header}.{payload}."), "alg none").await;
}

#[tokio::test]
async fn hs256_signed_with_the_public_key_is_refused() {
    let app = spawn_app().await;
    let user = app.signed_in("victim").await;
    let (_, public_pem) = test_key_pems();
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(test_signing_key().kid);
    let token = jsonwebtoken::encode(
        &header,
        &claims_for(&app, &user.user_id),
        &EncodingKey::from_secret(public_pem.as_bytes()),
    )
    .expect("sign");
    assert_refused(&app, &token, "HS256 with the public key").await;
}

#[tokio::test]
async fn a_tampered_payload_is_refused() {
    let app = spawn_app().await;
    let user = app.signed_in("victim").await;
    let token = user.access_token.clone();
    let parts: Vec<&str> = token.split('.').collect();
    let mut payload: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).expect("b64")).expect("json");
    payload["role"] = json!("Admin");
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&payload).expect("json")),
        parts[2]
    );
    assert_refused(&app, &forged, "tampered payload").await;
}

#[tokio::test]
async fn an_expired_token_is_refused() {
    let app = spawn_app().await;
    let user = app.signed_in("victim").await;
    // The real token, once the clock is past its expiry plus the leeway.
    app.clock.advance(chrono::Duration::seconds(
        app.config.auth.access_token_ttl_secs as i64 + 61,
    ));
    assert_refused(&app, &user.access_token, "expired").await;
}

#[tokio::test]
async fn a_wrong_issuer_or_audience_is_refused() {
    let app = spawn_app().await;
    let user = app.signed_in("victim").await;
    let mut claims = claims_for(&app, &user.user_id);
    claims.iss = "https://evil.example".into();
    assert_refused(&app, &rs256(&test_signing_key(), &claims), "wrong iss").await;
    let mut claims = claims_for(&app, &user.user_id);
    claims.aud = "some-other-api".into();
    assert_refused(&app, &rs256(&test_signing_key(), &claims), "wrong aud").await;
}

#[tokio::test]
async fn a_token_from_an_unknown_key_is_refused() {
    let app = spawn_app().await;
    let user = app.signed_in("victim").await;
    let stranger = SigningKey::from_pem(
        &generate_pem_pair(2048).expect("key").private_pem,
        "stranger",
    )
    .expect("key");
    assert_refused(
        &app,
        &rs256(&stranger, &claims_for(&app, &user.user_id)),
        "unknown kid",
    )
    .await;
    // The attacker's key under the real kid: the signature does not verify.
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(test_signing_key().kid);
    let token = jsonwebtoken::encode(
        &header,
        &claims_for(&app, &user.user_id),
        &stranger.encoding,
    )
    .expect("sign");
    assert_refused(&app, &token, "kid of the real key, other key's signature").await;
}

#[tokio::test]
async fn a_refused_token_does_not_block_public_operations() {
    let app = spawn_app().await;
    let body = app
        .graphql(
            Some("garbage.token.here"),
            "mutation { registerUser(username: \"anon\", fullname: \"Anon\", email: \"anon@example.com\", password: \"password123\") }",
            json!({}),
        )
        .await;
    assert!(body["data"]["registerUser"].is_string(), "{body}");
}
