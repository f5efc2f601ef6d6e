//! Service credentials: the client-credentials grant, and internal operations that
//! only a service token with the right scope may call.

use std::sync::Arc;

use platform::auth::service::{
    InternalClient, ServiceCallError, ServiceCredentials, ServiceTokens,
};
use platform::config::{Mode, ServiceClientConfig};
use secrecy::SecretString;
use serde_json::{Value, json};

use crate::helpers::{TestApp, error_code, spawn_app};

const INTERNAL_USER: &str = "query($id: String!) { internalUser(userId: $id) { user_id email } }";

async fn service_token(app: &TestApp, form: &[(&str, &str)]) -> reqwest::Response {
    app.http
        .post(app.url("/oauth/token"))
        .form(form)
        .send()
        .await
        .expect("token endpoint answers")
}

async fn token_for(app: &TestApp, client: &str, scope: Option<&str>) -> String {
    let secret = platform::auth::service::dev_secret(client);
    let mut form = vec![
        ("grant_type", "client_credentials"),
        ("client_id", client),
        ("client_secret", secret.as_str()),
    ];
    if let Some(scope) = scope {
        form.push(("scope", scope));
    }
    let response = service_token(app, &form).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["token_type"], "Bearer");
    body["access_token"].as_str().expect("a token").to_owned()
}

#[tokio::test]
async fn a_service_token_with_the_scope_reaches_the_internal_operation() {
    let app = spawn_app().await;
    let user = app.signed_in("target").await;
    let token = token_for(&app, "notification", None).await;
    let body = app
        .graphql(Some(&token), INTERNAL_USER, json!({ "id": user.user_id }))
        .await;
    assert_eq!(
        body["data"]["internalUser"],
        json!({ "user_id": user.user_id, "email": user.email }),
        "{body}"
    );
}

#[tokio::test]
async fn a_user_token_is_refused_where_a_service_credential_is_required() {
    let app = spawn_app().await;
    let user = app.signed_in("target").await;
    let as_user = app
        .graphql(
            Some(&user.access_token),
            INTERNAL_USER,
            json!({ "id": user.user_id }),
        )
        .await;
    assert_eq!(error_code(&as_user), "FORBIDDEN", "{as_user}");

    let admin = app
        .login(
            &app.config.auth.admin_email,
            auth::config::DEV_ADMIN_PASSWORD,
        )
        .await;
    let admin_token = admin["data"]["loginUser"]["access_token"]
        .as_str()
        .expect("admin token");
    let as_admin = app
        .graphql(
            Some(admin_token),
            INTERNAL_USER,
            json!({ "id": user.user_id }),
        )
        .await;
    assert_eq!(
        error_code(&as_admin),
        "FORBIDDEN",
        "even an admin is not a service"
    );

    let anonymous = app
        .graphql(None, INTERNAL_USER, json!({ "id": user.user_id }))
        .await;
    assert_eq!(error_code(&anonymous), "UNAUTHENTICATED");
}

#[tokio::test]
async fn a_service_token_without_the_scope_is_forbidden() {
    let app = spawn_app().await;
    let user = app.signed_in("target").await;
    let token = token_for(&app, "transaction", Some("wallet:write")).await;
    let body = app
        .graphql(Some(&token), INTERNAL_USER, json!({ "id": user.user_id }))
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    // A service is not a user either.
    assert_eq!(error_code(&app.profile(&token).await), "FORBIDDEN");
}

#[tokio::test]
async fn the_token_endpoint_follows_rfc6749_errors() {
    let app = spawn_app().await;
    let wrong_secret = service_token(
        &app,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "wallet"),
            ("client_secret", "nope"),
        ],
    )
    .await;
    assert_eq!(wrong_secret.status(), 401);
    assert_eq!(
        wrong_secret.json::<Value>().await.expect("json")["error"],
        "invalid_client"
    );

    let wrong_grant =
        service_token(&app, &[("grant_type", "password"), ("client_id", "wallet")]).await;
    assert_eq!(wrong_grant.status(), 400);
    assert_eq!(
        wrong_grant.json::<Value>().await.expect("json")["error"],
        "unsupported_grant_type"
    );

    let secret = platform::auth::service::dev_secret("wallet");
    let bad_scope = service_token(
        &app,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "wallet"),
            ("client_secret", secret.as_str()),
            ("scope", "wallet:write"),
        ],
    )
    .await;
    assert_eq!(bad_scope.status(), 400);
    assert_eq!(
        bad_scope.json::<Value>().await.expect("json")["error"],
        "invalid_scope"
    );

    // HTTP Basic client authentication.
    let basic = app
        .http
        .post(app.url("/oauth/token"))
        .basic_auth("wallet", Some(secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("answers");
    assert_eq!(basic.status(), 200);
    assert_eq!(
        basic.json::<Value>().await.expect("json")["scope"],
        "users:read"
    );
}

#[tokio::test]
async fn the_platform_internal_client_calls_another_subgraph_with_its_credentials() {
    let app = spawn_app().await;
    let user = app.signed_in("target").await;
    let credentials = ServiceCredentials::from_config(
        "notification",
        &ServiceClientConfig {
            auth_url: app.url(""),
            client_id: None,
            client_secret: None,
        },
        Mode::Development,
    )
    .expect("development credentials");
    let http = platform::http_client::client();
    let client = InternalClient::new(
        Arc::new(ServiceTokens::new(credentials, http.clone())),
        http.clone(),
    );
    let data: Value = client
        .graphql(
            &app.url("/graphql"),
            INTERNAL_USER,
            json!({ "id": user.user_id }),
        )
        .await
        .expect("internal call succeeds");
    assert_eq!(data["internalUser"]["email"], user.email);

    // A wrong secret is refused at the token endpoint.
    let wrong = ServiceCredentials {
        client_id: "notification".into(),
        client_secret: SecretString::from("wrong"),
        token_url: app.url("/oauth/token"),
    };
    let client = InternalClient::new(Arc::new(ServiceTokens::new(wrong, http.clone())), http);
    let refused = client
        .graphql::<Value>(
            &app.url("/graphql"),
            INTERNAL_USER,
            json!({ "id": user.user_id }),
        )
        .await;
    assert!(
        matches!(refused, Err(ServiceCallError::Credential(_))),
        "{refused:?}"
    );
}

#[test]
fn production_requires_a_configured_secret() {
    let config = ServiceClientConfig {
        auth_url: "http://auth:8001".into(),
        client_id: None,
        client_secret: None,
    };
    assert!(ServiceCredentials::from_config("wallet", &config, Mode::Production).is_err());
    assert!(ServiceCredentials::from_config("wallet", &config, Mode::Development).is_ok());
}
