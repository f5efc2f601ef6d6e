//! Refresh-token rotation, reuse detection and logout.

use chrono::Duration;
use serde_json::{Value, json};

use crate::helpers::{TestApp, error_code, spawn_app};

async fn refresh(app: &TestApp, token: &str) -> Value {
    app.graphql(
        None,
        "mutation($t: String!) { refreshToken(refreshToken: $t) { access_token refresh_token user { user_id } } }",
        json!({ "t": token }),
    )
    .await
}

#[tokio::test]
async fn refresh_returns_a_new_pair_and_rotates() {
    let app = spawn_app().await;
    let user = app.signed_in("narto").await;
    let body = refresh(&app, &user.refresh_token).await;
    let pair = &body["data"]["refreshToken"];
    let new_refresh = pair["refresh_token"].as_str().expect("new refresh token");
    assert_ne!(new_refresh, user.refresh_token);
    assert_eq!(pair["user"]["user_id"], user.user_id);
    let access = pair["access_token"].as_str().expect("new access token");
    assert_eq!(
        app.profile(access).await["data"]["myProfile"]["user_id"],
        user.user_id
    );

    // The new token works once more.
    assert!(refresh(&app, new_refresh).await["data"]["refreshToken"].is_object());
}

#[tokio::test]
async fn reusing_a_rotated_token_revokes_the_whole_family() {
    let app = spawn_app().await;
    let user = app.signed_in("narto").await;
    let rotated = refresh(&app, &user.refresh_token).await;
    let current = rotated["data"]["refreshToken"]["refresh_token"]
        .as_str()
        .expect("token")
        .to_owned();

    let reuse = refresh(&app, &user.refresh_token).await;
    assert_eq!(error_code(&reuse), "UNAUTHENTICATED", "{reuse}");
    // The legitimate newest token of the family is revoked with it.
    assert_eq!(
        error_code(&refresh(&app, &current).await),
        "UNAUTHENTICATED"
    );

    // Another login (another family) is unaffected.
    let other = app.login(&user.email, crate::helpers::PASSWORD).await;
    let other_refresh = other["data"]["loginUser"]["refresh_token"]
        .as_str()
        .expect("token");
    assert!(refresh(&app, other_refresh).await["data"]["refreshToken"].is_object());
}

#[tokio::test]
async fn concurrent_refreshes_with_one_token_succeed_at_most_once() {
    let app = spawn_app().await;
    let user = app.signed_in("narto").await;
    let bodies =
        futures::future::join_all((0..6).map(|_| refresh(&app, &user.refresh_token))).await;
    let successes = bodies
        .iter()
        .filter(|b| b["data"]["refreshToken"].is_object())
        .count();
    assert_eq!(successes, 1, "{bodies:?}");
}

#[tokio::test]
async fn logout_ends_the_session_and_unknown_tokens_are_refused() {
    let app = spawn_app().await;
    let user = app.signed_in("narto").await;
    let body = app
        .graphql(
            None,
            "mutation($t: String!) { logout(refreshToken: $t) }",
            json!({ "t": user.refresh_token }),
        )
        .await;
    assert_eq!(body["data"]["logout"], true);
    assert_eq!(
        error_code(&refresh(&app, &user.refresh_token).await),
        "UNAUTHENTICATED"
    );
    assert_eq!(
        error_code(&refresh(&app, "not-a-token").await),
        "UNAUTHENTICATED"
    );
}

#[tokio::test]
async fn an_expired_refresh_token_is_refused() {
    let app = spawn_app().await;
    let user = app.signed_in("narto").await;
    app.clock.advance(Duration::days(31));
    assert_eq!(
        error_code(&refresh(&app, &user.refresh_token).await),
        "UNAUTHENTICATED"
    );
}
