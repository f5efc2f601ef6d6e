//! OTP verification of email and phone.

use platform::events::outbox::entity as outbox_row;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

use crate::helpers::{SignedIn, TestApp, error_code, spawn_app};

const REQUEST: &str = "mutation($c: OtpChannel!) { requestOtp(channel: $c) { channel destination expires_at resend_after_seconds } }";
const VERIFY: &str = "mutation($c: OtpChannel!, $code: String!) { verifyOtp(channel: $c, code: $code) { email_verified phone_verified } }";

/// The code of the newest OTP event for `user_id` (what the notification service
/// will deliver).
async fn latest_code(app: &TestApp, user_id: &str) -> String {
    let row = outbox_row::Entity::find()
        .filter(outbox_row::Column::Topic.eq("auth.otp.requested"))
        .filter(outbox_row::Column::AggregateId.eq(user_id))
        .order_by_desc(outbox_row::Column::Seq)
        .one(&app.db)
        .await
        .expect("query")
        .expect("an OTP event");
    row.payload["code"].as_str().expect("code").to_owned()
}

async fn verify(app: &TestApp, user: &SignedIn, channel: &str, code: &str) -> Value {
    app.graphql(
        Some(&user.access_token),
        VERIFY,
        json!({ "c": channel, "code": code }),
    )
    .await
}

fn wrong_code(code: &str) -> String {
    let digit = (code.as_bytes()[0] - b'0' + 1) % 10;
    format!("{digit}{}", &code[1..])
}

#[tokio::test]
async fn registration_sends_an_email_code_that_verifies_the_email() {
    let app = spawn_app().await;
    let user = app.signed_in("otp_user").await;
    let event = outbox_row::Entity::find()
        .filter(outbox_row::Column::Topic.eq("auth.otp.requested"))
        .one(&app.db)
        .await
        .expect("query")
        .expect("the registration OTP event");
    assert_eq!(event.payload["channel"], "EMAIL");
    assert_eq!(event.payload["destination"], user.email);
    assert_eq!(event.payload["locale"], "id");
    let code = event.payload["code"].as_str().expect("code").to_owned();
    assert_eq!(code.len(), 6);

    let wrong = verify(&app, &user, "EMAIL", &wrong_code(&code)).await;
    assert_eq!(error_code(&wrong), "BAD_USER_INPUT");
    assert!(
        wrong["errors"][0]["message"]
            .as_str()
            .expect("msg")
            .contains("4 attempt")
    );

    let right = verify(&app, &user, "EMAIL", &code).await;
    assert_eq!(
        right["data"]["verifyOtp"]["email_verified"], true,
        "{right}"
    );
    // Spent: the same code cannot be used again.
    let again = verify(&app, &user, "EMAIL", &code).await;
    assert_eq!(error_code(&again), "BAD_USER_INPUT");
    // And a verified email needs no new code.
    let request = app
        .graphql(Some(&user.access_token), REQUEST, json!({ "c": "EMAIL" }))
        .await;
    assert_eq!(error_code(&request), "CONFLICT");
}

#[tokio::test]
async fn codes_are_rate_limited_and_a_new_code_replaces_the_old() {
    let app = spawn_app().await;
    let user = app.signed_in("spammer").await;
    let first_code = latest_code(&app, &user.user_id).await;
    let too_soon = app
        .graphql(Some(&user.access_token), REQUEST, json!({ "c": "EMAIL" }))
        .await;
    assert_eq!(error_code(&too_soon), "RATE_LIMITED", "{too_soon}");
    assert!(
        too_soon["errors"][0]["extensions"]["retryAfterSeconds"]
            .as_i64()
            .expect("seconds")
            > 0
    );

    app.clock.advance(chrono::Duration::seconds(61));
    let sent = app
        .graphql(Some(&user.access_token), REQUEST, json!({ "c": "EMAIL" }))
        .await;
    assert_eq!(
        sent["data"]["requestOtp"]["destination"], "s******@example.com",
        "{sent}"
    );
    let second_code = latest_code(&app, &user.user_id).await;
    if first_code != second_code {
        assert_eq!(
            error_code(&verify(&app, &user, "EMAIL", &first_code).await),
            "BAD_USER_INPUT"
        );
    }
    assert_eq!(
        verify(&app, &user, "EMAIL", &second_code).await["data"]["verifyOtp"]["email_verified"],
        true
    );
}

#[tokio::test]
async fn at_most_five_codes_an_hour() {
    let app = spawn_app().await;
    let user = app.signed_in("hourly").await;
    for _ in 0..4 {
        app.clock.advance(chrono::Duration::seconds(61));
        let sent = app
            .graphql(Some(&user.access_token), REQUEST, json!({ "c": "EMAIL" }))
            .await;
        assert!(sent["data"]["requestOtp"].is_object(), "{sent}");
    }
    app.clock.advance(chrono::Duration::seconds(61));
    let sixth = app
        .graphql(Some(&user.access_token), REQUEST, json!({ "c": "EMAIL" }))
        .await;
    assert_eq!(error_code(&sixth), "RATE_LIMITED", "{sixth}");
}

#[tokio::test]
async fn an_expired_or_exhausted_code_no_longer_verifies() {
    let app = spawn_app().await;
    let user = app.signed_in("late").await;
    let code = latest_code(&app, &user.user_id).await;
    app.clock.advance(chrono::Duration::minutes(6));
    let expired = verify(&app, &user, "EMAIL", &code).await;
    assert_eq!(error_code(&expired), "BAD_USER_INPUT");
    assert!(
        expired["errors"][0]["message"]
            .as_str()
            .expect("msg")
            .contains("expired")
    );

    app.graphql(Some(&user.access_token), REQUEST, json!({ "c": "EMAIL" }))
        .await;
    let code = latest_code(&app, &user.user_id).await;
    for _ in 0..5 {
        verify(&app, &user, "EMAIL", &wrong_code(&code)).await;
    }
    let exhausted = verify(&app, &user, "EMAIL", &code).await;
    assert_eq!(error_code(&exhausted), "BAD_USER_INPUT");
    assert!(
        exhausted["errors"][0]["message"]
            .as_str()
            .expect("msg")
            .contains("new code")
    );
}

#[tokio::test]
async fn the_phone_is_verified_by_its_own_code() {
    let app = spawn_app().await;
    let user = app.signed_in("no_phone").await;
    let no_phone = app
        .graphql(Some(&user.access_token), REQUEST, json!({ "c": "PHONE" }))
        .await;
    assert_eq!(error_code(&no_phone), "BAD_USER_INPUT");

    app.graphql(
        None,
        "mutation { registerUser(username: \"phone_user\", fullname: \"P\", email: \"p@example.com\", password: \"password123\", phone: \"081234567890\") }",
        json!({}),
    )
    .await;
    let login = app.login("p@example.com", crate::helpers::PASSWORD).await;
    let phone_user = SignedIn {
        user_id: login["data"]["loginUser"]["user"]["user_id"]
            .as_str()
            .expect("id")
            .to_owned(),
        email: "p@example.com".into(),
        access_token: login["data"]["loginUser"]["access_token"]
            .as_str()
            .expect("token")
            .to_owned(),
        refresh_token: String::new(),
    };
    let sent = app
        .graphql(
            Some(&phone_user.access_token),
            REQUEST,
            json!({ "c": "PHONE" }),
        )
        .await;
    assert_eq!(
        sent["data"]["requestOtp"]["destination"], "+62812******90",
        "{sent}"
    );
    let code = latest_code(&app, &phone_user.user_id).await;
    let verified = verify(&app, &phone_user, "PHONE", &code).await;
    assert_eq!(
        verified["data"]["verifyOtp"],
        json!({ "email_verified": false, "phone_verified": true })
    );
    assert_eq!(
        error_code(&verify(&app, &phone_user, "PHONE", "12ab56").await),
        "BAD_USER_INPUT"
    );
}

#[tokio::test]
async fn parallel_code_requests_send_one_code() {
    let app = spawn_app().await;
    let user = app.signed_in("eager").await;
    app.clock.advance(chrono::Duration::seconds(61));
    let requests =
        (0..6).map(|_| app.graphql(Some(&user.access_token), REQUEST, json!({ "c": "EMAIL" })));
    let bodies = futures::future::join_all(requests).await;
    let sent = bodies
        .iter()
        .filter(|b| b["data"]["requestOtp"].is_object())
        .count();
    assert_eq!(sent, 1, "{bodies:?}");
    for body in bodies
        .iter()
        .filter(|b| !b["data"]["requestOtp"].is_object())
    {
        assert_eq!(error_code(body), "RATE_LIMITED", "{body}");
    }
}
