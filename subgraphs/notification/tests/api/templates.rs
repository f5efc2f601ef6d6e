//! The default templates are seeded once and never overwrite an admin's text.

use notification::db::Migrator;
use notification::db::entities::template;
use notification::domain::templates::{DEFAULTS, render, seed_defaults};
use platform::testing::TestDatabase;
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, PaginatorTrait, Set};
use serde_json::json;

#[tokio::test]
async fn defaults_are_seeded_once_and_an_admins_edit_stays() {
    let database = TestDatabase::new().await;
    let db = platform::db::connect_and_migrate::<Migrator>(&database.url, 2)
        .await
        .expect("a migrated notification database");
    let now = chrono::Utc::now();

    seed_defaults(&db, now).await.expect("seeded");
    assert_eq!(
        template::Entity::find().count(&db).await.expect("count"),
        DEFAULTS.len() as u64
    );

    let stored = template::Entity::find_by_id(("OTP_VERIFICATION".to_owned(), "SMS".to_owned()))
        .one(&db)
        .await
        .expect("read")
        .expect("the OTP SMS is seeded");
    let mut edited = stored.into_active_model();
    edited.body = Set("Kode OTP Dompet Sawit: {{code}}".to_owned());
    edited.updated_by = Set(Some("admin-1".to_owned()));
    edited.update(&db).await.expect("edited");

    // A restart seeds again: the edit stays, nothing is doubled.
    seed_defaults(&db, now).await.expect("seeded again");
    assert_eq!(
        template::Entity::find().count(&db).await.expect("count"),
        DEFAULTS.len() as u64
    );
    let kept = template::Entity::find_by_id(("OTP_VERIFICATION".to_owned(), "SMS".to_owned()))
        .one(&db)
        .await
        .expect("read")
        .expect("still there");
    assert_eq!(kept.updated_by.as_deref(), Some("admin-1"));
    let vars = json!({ "code": "042137" });
    let rendered = render(&kept, vars.as_object().expect("object")).expect("renders");
    assert_eq!(rendered.body, "Kode OTP Dompet Sawit: 042137");
    assert_eq!(rendered.subject, None);
    drop(db);
    drop(database);
}

#[tokio::test]
async fn an_event_makes_one_message_per_channel_and_recipient_however_often_it_comes() {
    use notification::config::DeliveryConfig;
    use notification::domain::{Channel, Channels, Intent, NotificationService};

    let database = TestDatabase::new().await;
    let db = platform::db::connect_and_migrate::<Migrator>(&database.url, 2)
        .await
        .expect("a migrated notification database");
    seed_defaults(&db, chrono::Utc::now())
        .await
        .expect("seeded");
    let sink = tempfile::tempdir().expect("a sink folder");
    let service = NotificationService::new(
        db.clone(),
        std::sync::Arc::new(platform::SystemClock),
        DeliveryConfig::local(),
        Channels::sink(sink.path()),
    );
    let intent = |user: &str| Intent {
        user_id: Some(user.to_owned()),
        channel: Channel::InApp,
        destination: user.to_owned(),
        template: "PAYMENT_SUCCESS",
        variables: json!({ "amount": "Rp 1.000", "transaction_id": "t-1" })
            .as_object()
            .expect("object")
            .clone(),
        security: false,
    };
    for _ in 0..3 {
        service
            .make(
                &db,
                "event-1",
                "transaction.succeeded",
                vec![intent("naruto"), intent("sasuke")],
            )
            .await
            .expect("made");
    }
    let made = notification::db::entities::message::Entity::find()
        .all(&db)
        .await
        .expect("read");
    let mut recipients: Vec<&str> = made.iter().map(|m| m.destination.as_str()).collect();
    recipients.sort_unstable();
    assert_eq!(recipients, ["naruto", "sasuke"]);
}
