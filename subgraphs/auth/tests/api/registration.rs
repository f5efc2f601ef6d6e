//! Registration, login and profile over HTTP; duplicates; bad input.

use platform::auth::TokenVerifier;
use platform::clock::ManualClock;
use platform::events::outbox::entity as outbox_row;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::json;
use std::sync::Arc;

use crate::helpers::{PASSWORD, error_code, spawn_app};

#[tokio::test]
async fn the_seed_guide_flow_register_login_profile_works() {
    let app = spawn_app().await;
    // The seed's register mutation, as written.
    let registered = app
        .graphql(
            None,
            r#"mutation {
                registerUser(username: "narto", fullname: "Naruto Uzumaki", email: "naruto@gmail.com", password: "password123")
            }"#,
            json!({}),
        )
        .await;
    let user_id = registered["data"]["registerUser"]
        .as_str()
        .expect("a user id")
        .to_owned();

    // The seed's login mutation, as written.
    let login = app
        .graphql(
            None,
            r#"mutation {
                loginUser(email: "naruto@gmail.com", password: "password123") {
                    access_token
                    user { username role }
                }
            }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        login["data"]["loginUser"]["user"],
        json!({ "username": "narto", "role": "Nasabah" })
    );
    let token = login["data"]["loginUser"]["access_token"]
        .as_str()
        .expect("token");

    // myProfile by header and by argument.
    let by_header = app.profile(token).await;
    assert_eq!(
        by_header["data"]["myProfile"],
        json!({ "user_id": user_id, "username": "narto", "email": "naruto@gmail.com", "role": "Nasabah" })
    );
    let by_argument = app
        .graphql(
            None,
            "query($t: String) { myProfile(token: $t) { user_id fullname } }",
            json!({ "t": token }),
        )
        .await;
    assert_eq!(
        by_argument["data"]["myProfile"]["fullname"],
        "Naruto Uzumaki"
    );
}

#[tokio::test]
async fn the_access_token_verifies_against_the_published_jwks() {
    let app = spawn_app().await;
    let user = app.signed_in("jwks_user").await;
    let jwks: serde_json::Value = app
        .http
        .get(app.url("/.well-known/jwks.json"))
        .send()
        .await
        .expect("jwks answers")
        .json()
        .await
        .expect("json");
    let key = &jwks["keys"][0];
    assert_eq!(key["kty"], "RSA");
    assert_eq!(key["alg"], "RS256");
    assert_eq!(key["use"], "sig");

    let verifier = TokenVerifier::from_jwks(
        &app.config.common.tokens,
        &app.url("/.well-known/jwks.json"),
        platform::http_client::client(),
        Arc::new(ManualClock::starting_now()),
    );
    let claims = verifier
        .verify(&user.access_token)
        .await
        .expect("token verifies with the JWKS key");
    assert_eq!(claims.sub, user.user_id);
    let header = jsonwebtoken::decode_header(&user.access_token).expect("header");
    assert_eq!(header.kid.as_deref(), key["kid"].as_str());
}

#[tokio::test]
async fn a_duplicate_registration_is_a_conflict_and_changes_nothing() {
    let app = spawn_app().await;
    app.register("narto", "naruto@gmail.com").await;
    let users_before = auth::db::entities::user::Entity::find()
        .count(&app.db)
        .await
        .expect("count");

    for (username, email, field) in [
        ("sasuke", "NARUTO@gmail.com", "email"),
        ("NARTO", "other@gmail.com", "username"),
    ] {
        let body = app
            .graphql(
                None,
                "mutation($u: String!, $e: String!) { registerUser(username: $u, fullname: \"X\", email: $e, password: \"password123\") }",
                json!({ "u": username, "e": email }),
            )
            .await;
        assert_eq!(error_code(&body), "CONFLICT", "{body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], field);
        assert_eq!(body["data"]["registerUser"], serde_json::Value::Null);
    }
    let users_after = auth::db::entities::user::Entity::find()
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(users_before, users_after);
}

#[tokio::test]
async fn concurrent_registrations_of_one_email_create_one_account() {
    let app = spawn_app().await;
    let attempts = (0..8).map(|i| {
        app.graphql(
            None,
            "mutation($u: String!) { registerUser(username: $u, fullname: \"Race\", email: \"race@example.com\", password: \"password123\") }",
            json!({ "u": format!("racer{i}") }),
        )
    });
    let bodies = futures::future::join_all(attempts).await;
    let created = bodies
        .iter()
        .filter(|b| b["data"]["registerUser"].is_string())
        .count();
    assert_eq!(created, 1, "{bodies:?}");
    for body in bodies
        .iter()
        .filter(|b| !b["data"]["registerUser"].is_string())
    {
        assert_eq!(error_code(body), "CONFLICT", "{body}");
    }
}

#[tokio::test]
async fn invalid_registration_input_is_refused_with_the_field_named() {
    let app = spawn_app().await;
    for (username, email, password, phone, field) in [
        ("ok_name", "not-an-email", PASSWORD, None, "email"),
        ("x", "a@example.com", PASSWORD, None, "username"),
        ("ok_name", "a@example.com", "short", None, "password"),
        ("ok_name", "a@example.com", PASSWORD, Some("12345"), "phone"),
    ] {
        let body = app
            .graphql(
                None,
                "mutation($u: String!, $e: String!, $p: String!, $ph: String) {
                    registerUser(username: $u, fullname: \"Name\", email: $e, password: $p, phone: $ph)
                }",
                json!({ "u": username, "e": email, "p": password, "ph": phone }),
            )
            .await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], field, "{body}");
    }
    // Only the seeded admin exists.
    assert_eq!(
        auth::db::entities::user::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        1
    );
}

#[tokio::test]
async fn registration_with_a_phone_normalises_it_and_queues_the_events() {
    let app = spawn_app().await;
    let body = app
        .graphql(
            None,
            "mutation { registerUser(username: \"phoney\", fullname: \"Phone User\", email: \"phone@example.com\", password: \"password123\", phone: \"0812-3456-7890\") }",
            json!({}),
        )
        .await;
    let user_id = body["data"]["registerUser"].as_str().expect("registered");
    let user = auth::db::entities::user::Entity::find_by_id(user_id.to_owned())
        .one(&app.db)
        .await
        .expect("query")
        .expect("stored");
    assert_eq!(user.phone.as_deref(), Some("+6281234567890"));
    assert!(user.password_hash.starts_with("$argon2id$"));

    let topics: Vec<String> = outbox_row::Entity::find()
        .all(&app.db)
        .await
        .expect("outbox")
        .into_iter()
        .map(|row| row.topic)
        .collect();
    assert!(
        topics.contains(&"auth.user.registered".to_owned()),
        "{topics:?}"
    );
    assert!(
        topics.contains(&"auth.otp.requested".to_owned()),
        "{topics:?}"
    );

    let same_phone = app
        .graphql(
            None,
            "mutation { registerUser(username: \"phoney2\", fullname: \"Phone User\", email: \"phone2@example.com\", password: \"password123\", phone: \"+62 812 3456 7890\") }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&same_phone), "CONFLICT");
    assert_eq!(same_phone["errors"][0]["extensions"]["field"], "phone");
}

#[tokio::test]
async fn other_users_do_not_see_each_others_contacts() {
    let app = spawn_app().await;
    let alice = app.signed_in("alice").await;
    let bob = app.signed_in("bob").await;
    let query = "query($r: [_Any!]!) { _entities(representations: $r) { ... on User { user_id username email } } }";
    let representations = json!({ "r": [{ "__typename": "User", "user_id": alice.user_id }] });

    let as_bob = app
        .graphql(Some(&bob.access_token), query, representations.clone())
        .await;
    assert_eq!(as_bob["data"]["_entities"][0]["username"], "alice");
    assert_eq!(
        as_bob["data"]["_entities"][0]["email"],
        serde_json::Value::Null
    );

    let as_alice = app
        .graphql(Some(&alice.access_token), query, representations)
        .await;
    assert_eq!(as_alice["data"]["_entities"][0]["email"], alice.email);
}
