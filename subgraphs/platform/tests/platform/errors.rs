//! The client-facing error: stable codes, masked internal errors, unique violations
//! as `CONFLICT`.

use platform::events::outbox::entity as outbox_row;
use platform::testing::event_database;
use platform::{ApiError, ErrorCode};
use sea_orm::{ActiveModelTrait, Set};

fn extensions(error: &async_graphql::Error) -> serde_json::Value {
    serde_json::to_value(&error.extensions).expect("extensions serialise")
}

#[test]
fn client_errors_carry_their_code_message_and_details() {
    let error: async_graphql::Error =
        ApiError::bad_field("amount", "Amount must be a whole number of rupiah.").into();
    assert_eq!(error.message, "Amount must be a whole number of rupiah.");
    let ext = extensions(&error);
    assert_eq!(ext["code"], "BAD_USER_INPUT");
    assert_eq!(ext["field"], "amount");
}

#[test]
fn internal_errors_are_masked_with_a_reference() {
    let error: async_graphql::Error =
        ApiError::internal("connection to 10.0.0.5:5432 refused (password=hunter2)").into();
    assert!(!error.message.contains("hunter2"), "{}", error.message);
    assert!(!error.message.contains("10.0.0.5"), "{}", error.message);
    let ext = extensions(&error);
    assert_eq!(ext["code"], "INTERNAL_SERVER_ERROR");
    let reference = ext["reference"].as_str().expect("a reference");
    assert!(
        error.message.contains(reference),
        "the message names the reference for support"
    );
}

#[tokio::test]
async fn a_unique_violation_is_a_conflict_not_an_internal_error() {
    let (_guard, db) = event_database().await;
    let row = || outbox_row::ActiveModel {
        event_id: Set("same-id".into()),
        topic: Set("t".into()),
        source: Set("s".into()),
        aggregate_id: Set("a".into()),
        payload: Set(serde_json::json!({})),
        occurred_at: Set(chrono::Utc::now()),
        attempts: Set(0),
        ..Default::default()
    };
    row().insert(&db).await.expect("first insert");
    let duplicate = row().insert(&db).await.expect_err("the id is unique");
    assert_eq!(ApiError::from(duplicate).code(), ErrorCode::Conflict);
}

#[test]
fn every_code_parses_back_from_its_text() {
    for code in ErrorCode::ALL {
        assert_eq!(ErrorCode::parse(code.as_str()), Some(code));
    }
    assert_eq!(ErrorCode::parse("NO_SUCH_CODE"), None);
}
