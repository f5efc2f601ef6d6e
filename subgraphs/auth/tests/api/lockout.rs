//! Wrong passwords and the 30-minute lockout.

use crate::helpers::{PASSWORD, error_code, spawn_app};
use chrono::Duration;

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_answer() {
    let app = spawn_app().await;
    app.register("narto", "naruto@gmail.com").await;
    let wrong = app.login("naruto@gmail.com", "password124").await;
    let unknown = app.login("nobody@gmail.com", PASSWORD).await;
    assert_eq!(error_code(&wrong), "UNAUTHENTICATED");
    assert_eq!(error_code(&unknown), "UNAUTHENTICATED");
    assert_eq!(
        wrong["errors"][0]["message"],
        unknown["errors"][0]["message"]
    );
    assert_eq!(wrong["data"]["loginUser"], serde_json::Value::Null);
}

#[tokio::test]
async fn the_fifth_wrong_password_locks_the_account_for_thirty_minutes() {
    let app = spawn_app().await;
    app.register("narto", "naruto@gmail.com").await;
    for attempt in 1..=4 {
        let body = app.login("naruto@gmail.com", "wrong-password").await;
        assert_eq!(error_code(&body), "UNAUTHENTICATED", "attempt {attempt}");
    }
    let fifth = app.login("naruto@gmail.com", "wrong-password").await;
    assert_eq!(error_code(&fifth), "ACCOUNT_LOCKED", "{fifth}");
    assert!(fifth["errors"][0]["extensions"]["lockedUntil"].is_string());

    // Locked: even the right password is refused.
    let right = app.login("naruto@gmail.com", PASSWORD).await;
    assert_eq!(error_code(&right), "ACCOUNT_LOCKED");

    app.clock.advance(Duration::minutes(29));
    assert_eq!(
        error_code(&app.login("naruto@gmail.com", PASSWORD).await),
        "ACCOUNT_LOCKED"
    );

    app.clock.advance(Duration::minutes(1));
    let unlocked = app.login("naruto@gmail.com", PASSWORD).await;
    assert!(
        unlocked["data"]["loginUser"]["access_token"].is_string(),
        "{unlocked}"
    );

    // The count starts afresh after the lock.
    for _ in 1..=4 {
        assert_eq!(
            error_code(&app.login("naruto@gmail.com", "wrong").await),
            "UNAUTHENTICATED"
        );
    }
}

#[tokio::test]
async fn a_successful_login_resets_the_count() {
    let app = spawn_app().await;
    app.register("narto", "naruto@gmail.com").await;
    for _ in 1..=4 {
        app.login("naruto@gmail.com", "wrong-password").await;
    }
    assert!(app.login("naruto@gmail.com", PASSWORD).await["data"]["loginUser"].is_object());
    for _ in 1..=4 {
        assert_eq!(
            error_code(&app.login("naruto@gmail.com", "wrong").await),
            "UNAUTHENTICATED"
        );
    }
    assert!(app.login("naruto@gmail.com", PASSWORD).await["data"]["loginUser"].is_object());
}

#[tokio::test]
async fn parallel_wrong_passwords_cannot_outrun_the_lock() {
    let app = spawn_app().await;
    app.register("narto", "naruto@gmail.com").await;
    let attempts = (0..12).map(|_| app.login("naruto@gmail.com", "wrong-password"));
    let bodies = futures::future::join_all(attempts).await;
    let locked = bodies
        .iter()
        .filter(|b| error_code(b) == "ACCOUNT_LOCKED")
        .count();
    let wrong = bodies
        .iter()
        .filter(|b| error_code(b) == "UNAUTHENTICATED")
        .count();
    assert_eq!(locked + wrong, 12);
    assert!(
        wrong <= 4,
        "at most four failures are counted before the lock: {wrong}"
    );
    assert_eq!(
        error_code(&app.login("naruto@gmail.com", PASSWORD).await),
        "ACCOUNT_LOCKED"
    );
}

#[tokio::test]
async fn the_configured_admin_is_seeded_and_can_sign_in() {
    let app = spawn_app().await;
    let body = app
        .login(
            &app.config.auth.admin_email,
            auth::config::DEV_ADMIN_PASSWORD,
        )
        .await;
    assert_eq!(body["data"]["loginUser"]["user"]["role"], "Admin", "{body}");
}
