//! Token verification: RS256 pinned, claims checked, keys from PEM or JWKS.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::routing::get;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use platform::ErrorCode;
use platform::auth::keys::{JwkSet, SigningKey, generate_pem_pair};
use platform::auth::{Caller, Claims, Role, TokenError, TokenType, TokenVerifier};
use platform::clock::ManualClock;
use platform::config::{CommonConfig, TokenConfig};
use platform::testing::{test_key_pems, test_signing_key, test_verification_key};

fn config() -> TokenConfig {
    CommonConfig::local().tokens
}

fn access_claims() -> Claims {
    let now = Utc::now().timestamp();
    let config = config();
    Claims {
        iss: config.issuer,
        sub: "user-1".into(),
        aud: config.audience,
        exp: now + 600,
        iat: now,
        nbf: Some(now),
        jti: "jti-1".into(),
        typ: TokenType::Access,
        role: Some(Role::Nasabah),
        username: Some("narto".into()),
        amr: vec!["pwd".into()],
        scope: None,
    }
}

fn sign_with(key: &SigningKey, claims: &Claims) -> String {
    key.sign(claims).expect("sign")
}

fn sign(claims: &Claims) -> String {
    sign_with(&test_signing_key(), claims)
}

fn verifier() -> TokenVerifier {
    TokenVerifier::with_keys(
        &config(),
        vec![test_verification_key()],
        Arc::new(ManualClock::starting_now()),
    )
}

#[tokio::test]
async fn a_valid_access_token_gives_the_user() {
    let caller = verifier().caller(Some(&sign(&access_claims()))).await;
    let Caller::User(user) = caller else {
        panic!("expected a user, got {caller:?}");
    };
    assert_eq!(user.user_id, "user-1");
    assert_eq!(user.role, Role::Nasabah);
    assert_eq!(user.amr, vec!["pwd"]);
}

#[tokio::test]
async fn alg_none_is_refused() {
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&access_claims()).expect("json"));
    let token = format!("{header}.{payload}.");
    assert_eq!(verifier().verify(&token).await, Err(TokenError::Algorithm));
}

#[tokio::test]
async fn hs256_signed_with_the_public_key_is_refused() {
    let (_, public_pem) = test_key_pems();
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(test_signing_key().kid);
    let token = jsonwebtoken::encode(
        &header,
        &access_claims(),
        &EncodingKey::from_secret(public_pem.as_bytes()),
    )
    .expect("sign");
    assert_eq!(verifier().verify(&token).await, Err(TokenError::Algorithm));
}

#[tokio::test]
async fn a_tampered_payload_is_refused() {
    let token = sign(&access_claims());
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let mut claims = access_claims();
    claims.role = Some(Role::Admin);
    parts[1] = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).expect("json"));
    assert_eq!(
        verifier().verify(&parts.join(".")).await,
        Err(TokenError::Signature)
    );
}

#[tokio::test]
async fn expiry_is_checked_with_at_most_the_configured_leeway() {
    let leeway = config().leeway_secs as i64;
    let mut claims = access_claims();
    claims.exp = Utc::now().timestamp() - leeway + 5;
    assert!(
        verifier().verify(&sign(&claims)).await.is_ok(),
        "within leeway"
    );
    claims.exp = Utc::now().timestamp() - leeway - 5;
    assert_eq!(
        verifier().verify(&sign(&claims)).await,
        Err(TokenError::Expired)
    );
}

#[tokio::test]
async fn a_verified_token_is_remembered_but_its_time_is_checked_at_every_use() {
    let clock = Arc::new(ManualClock::starting_now());
    let verifier =
        TokenVerifier::with_keys(&config(), vec![test_verification_key()], clock.clone());
    let token = sign(&access_claims());
    for _ in 0..3 {
        assert!(verifier.verify(&token).await.is_ok());
    }
    assert_eq!(
        verifier.remembered(),
        1,
        "one signature check for three uses"
    );

    // A changed signature is another token: checked, refused, not remembered.
    let mut forged: Vec<String> = token.split('.').map(str::to_owned).collect();
    forged[2] = URL_SAFE_NO_PAD.encode([7u8; 256]);
    assert_eq!(
        verifier.verify(&forged.join(".")).await,
        Err(TokenError::Signature)
    );
    assert_eq!(verifier.remembered(), 1);

    // Remembered or not, an expired token is refused.
    clock.advance(chrono::Duration::seconds(
        600 + config().leeway_secs as i64 + 5,
    ));
    assert_eq!(verifier.verify(&token).await, Err(TokenError::Expired));
}

#[tokio::test]
async fn a_token_not_valid_yet_is_refused() {
    let mut claims = access_claims();
    claims.nbf = Some(Utc::now().timestamp() + 3600);
    assert_eq!(
        verifier().verify(&sign(&claims)).await,
        Err(TokenError::NotYetValid)
    );
}

#[tokio::test]
async fn a_wrong_issuer_or_audience_is_refused() {
    let mut claims = access_claims();
    claims.iss = "someone-else".into();
    assert_eq!(
        verifier().verify(&sign(&claims)).await,
        Err(TokenError::Issuer)
    );
    let mut claims = access_claims();
    claims.aud = "another-api".into();
    assert_eq!(
        verifier().verify(&sign(&claims)).await,
        Err(TokenError::Audience)
    );
}

#[tokio::test]
async fn an_unknown_or_missing_kid_is_refused() {
    let other = SigningKey::from_pem(&generate_pem_pair(2048).expect("key").private_pem, "other")
        .expect("other key");
    assert_eq!(
        verifier()
            .verify(&sign_with(&other, &access_claims()))
            .await,
        Err(TokenError::UnknownKey)
    );
    let mut header = Header::new(Algorithm::RS256);
    header.kid = None;
    let token = jsonwebtoken::encode(&header, &access_claims(), &test_signing_key().encoding)
        .expect("sign");
    assert_eq!(verifier().verify(&token).await, Err(TokenError::UnknownKey));
}

#[tokio::test]
async fn a_user_token_cannot_pretend_to_be_a_service_token() {
    // Service type with the public audience (or a user subject) is inconsistent.
    let mut claims = access_claims();
    claims.typ = TokenType::Service;
    claims.scope = Some("wallet:write".into());
    assert_eq!(
        verifier().verify(&sign(&claims)).await,
        Err(TokenError::Type)
    );
    claims.aud = config().service_audience;
    assert_eq!(
        verifier().verify(&sign(&claims)).await,
        Err(TokenError::Type)
    );
    claims.sub = "svc:transaction".into();
    assert!(verifier().verify(&sign(&claims)).await.is_ok());
}

#[tokio::test]
async fn malformed_tokens_and_headers_are_refused() {
    assert_eq!(
        verifier().verify("not-a-jwt").await,
        Err(TokenError::Malformed)
    );
    assert_eq!(
        verifier().verify("a.b.c.d").await,
        Err(TokenError::Malformed)
    );
    let mut headers = http::HeaderMap::new();
    headers.insert("authorization", "Basic abc".parse().expect("header"));
    assert_eq!(
        verifier().caller_from_headers(&headers).await,
        Caller::Invalid(TokenError::Malformed)
    );
    headers.insert("authorization", "Bearer ".parse().expect("header"));
    assert!(matches!(
        verifier().caller_from_headers(&headers).await,
        Caller::Invalid(_)
    ));
    assert_eq!(
        verifier()
            .caller_from_headers(&http::HeaderMap::new())
            .await,
        Caller::Anonymous
    );
}

#[test]
fn guards_tell_users_services_and_strangers_apart() {
    let user = Caller::from_claims(access_claims());
    let mut service_claims = access_claims();
    service_claims.typ = TokenType::Service;
    service_claims.sub = "svc:transaction".into();
    service_claims.scope = Some("wallet:write fraud:check".into());
    service_claims.role = None;
    let service = Caller::from_claims(service_claims);

    assert!(user.user().is_ok());
    assert_eq!(user.admin().unwrap_err().code(), ErrorCode::Forbidden);
    assert_eq!(
        user.service("wallet:write").unwrap_err().code(),
        ErrorCode::Forbidden
    );
    assert_eq!(
        service
            .service("wallet:write")
            .expect("scope held")
            .client_id,
        "transaction"
    );
    assert_eq!(
        service.service("users:read").unwrap_err().code(),
        ErrorCode::Forbidden
    );
    assert_eq!(service.user().unwrap_err().code(), ErrorCode::Forbidden);
    assert_eq!(
        Caller::Anonymous.user().unwrap_err().code(),
        ErrorCode::Unauthenticated
    );
    assert_eq!(
        Caller::Invalid(TokenError::Expired)
            .service("x")
            .unwrap_err()
            .code(),
        ErrorCode::Unauthenticated
    );
}

/// A JWKS endpoint whose key set the test changes, counting fetches.
struct JwksServer {
    url: String,
    set: Arc<std::sync::RwLock<JwkSet>>,
    fetches: Arc<AtomicUsize>,
}

async fn jwks_server(initial: JwkSet) -> JwksServer {
    let set = Arc::new(std::sync::RwLock::new(initial));
    let fetches = Arc::new(AtomicUsize::new(0));
    let (s, f) = (set.clone(), fetches.clone());
    let app = Router::new().route(
        "/jwks",
        get(move || {
            let (s, f) = (s.clone(), f.clone());
            async move {
                f.fetch_add(1, Ordering::SeqCst);
                axum::Json(s.read().expect("lock").clone())
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/jwks", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    JwksServer { url, set, fetches }
}

#[tokio::test]
async fn jwks_keys_are_fetched_on_demand_and_refetched_for_a_new_kid() {
    let first = test_signing_key();
    let server = jwks_server(JwkSet {
        keys: vec![first.public.jwk.clone()],
    })
    .await;
    let mut config = config();
    config.jwks_min_refresh_secs = 0;
    let clock = Arc::new(ManualClock::starting_now());
    let verifier =
        TokenVerifier::from_jwks(&config, &server.url, platform::http_client::client(), clock);

    assert!(
        verifier
            .verify(&sign_with(&first, &access_claims()))
            .await
            .is_ok()
    );
    assert!(
        verifier
            .verify(&sign_with(&first, &access_claims()))
            .await
            .is_ok()
    );
    assert_eq!(
        server.fetches.load(Ordering::SeqCst),
        1,
        "cached after the first fetch"
    );

    // Key rotation: a new key is published; its first token triggers a refetch.
    let second = SigningKey::from_pem(&generate_pem_pair(2048).expect("key").private_pem, "second")
        .expect("second key");
    server
        .set
        .write()
        .expect("lock")
        .keys
        .push(second.public.jwk.clone());
    assert!(
        verifier
            .verify(&sign_with(&second, &access_claims()))
            .await
            .is_ok()
    );
    assert_eq!(server.fetches.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn unknown_kids_cannot_make_the_verifier_hammer_the_jwks() {
    let known = test_signing_key();
    let server = jwks_server(JwkSet {
        keys: vec![known.public.jwk.clone()],
    })
    .await;
    let mut config = config();
    config.jwks_min_refresh_secs = 3600;
    let verifier = TokenVerifier::from_jwks(
        &config,
        &server.url,
        platform::http_client::client(),
        Arc::new(ManualClock::starting_now()),
    );
    assert!(
        verifier
            .verify(&sign_with(&known, &access_claims()))
            .await
            .is_ok()
    );
    let stranger = SigningKey::from_pem(
        &generate_pem_pair(2048).expect("key").private_pem,
        "stranger",
    )
    .expect("stranger key");
    for _ in 0..20 {
        assert_eq!(
            verifier
                .verify(&sign_with(&stranger, &access_claims()))
                .await,
            Err(TokenError::UnknownKey)
        );
    }
    assert_eq!(
        server.fetches.load(Ordering::SeqCst),
        1,
        "no refetch inside the interval"
    );
}

#[tokio::test]
async fn an_unreachable_jwks_is_reported_and_retried() {
    let verifier = TokenVerifier::from_jwks(
        &config(),
        "http://127.0.0.1:9/jwks",
        platform::http_client::client(),
        Arc::new(ManualClock::starting_now()),
    );
    for _ in 0..2 {
        assert_eq!(
            verifier.verify(&sign(&access_claims())).await,
            Err(TokenError::KeysUnavailable),
            "each request retries while no key was ever fetched"
        );
    }
}

#[tokio::test]
async fn the_key_source_follows_the_configuration() {
    let clock: platform::SharedClock = Arc::new(ManualClock::starting_now());
    let dir = tempfile::tempdir().expect("dir");
    let public = dir.path().join("public.pem");
    let (_, public_pem) = test_key_pems();
    std::fs::write(&public, public_pem).expect("write");
    let token = sign(&access_claims());

    // PEM file present: verified offline, whatever the fallback URL.
    let mut pem_config = config();
    pem_config.public_key_paths = vec![public.clone()];
    let from_pem = TokenVerifier::from_config(
        &pem_config,
        "http://127.0.0.1:9/jwks",
        platform::http_client::client(),
        clock.clone(),
    )
    .expect("pem source");
    assert!(from_pem.verify(&token).await.is_ok());

    // PEM file missing: auth's JWKS at the fallback URL.
    let server = jwks_server(JwkSet {
        keys: vec![test_signing_key().public.jwk],
    })
    .await;
    let mut missing = config();
    missing.public_key_paths = vec![dir.path().join("absent.pem")];
    let fallback = TokenVerifier::from_config(
        &missing,
        &server.url,
        platform::http_client::client(),
        clock.clone(),
    )
    .expect("jwks fallback");
    assert!(fallback.verify(&token).await.is_ok());
    assert_eq!(server.fetches.load(Ordering::SeqCst), 1);

    // JWKS_URL set: it wins over an existing PEM file.
    let mut jwks_config = pem_config;
    jwks_config.jwks_url = Some(server.url.clone());
    let from_jwks = TokenVerifier::from_config(
        &jwks_config,
        "http://127.0.0.1:9/unused",
        platform::http_client::client(),
        clock,
    )
    .expect("jwks source");
    assert!(from_jwks.verify(&token).await.is_ok());
    assert_eq!(server.fetches.load(Ordering::SeqCst), 2);
}
