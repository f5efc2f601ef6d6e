//! Auth's events leave through the outbox: a crash between the commit and the
//! publish loses nothing, and a consumer handles each event once — on the in-process
//! bus and on NATS JetStream (with `TEST_NATS_URL`).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use platform::config::CommonConfig;
use platform::events::{
    Envelope, EventBus, EventHandler, HandlerError, InProcessBus, run_consumer,
};
use platform::testing::{TestDatabase, nats_url};
use sea_orm::DatabaseTransaction;
use sea_orm_migration::{MigrationTrait, MigratorTrait};
use tokio_util::sync::CancellationToken;

use crate::helpers::spawn_app_with;

struct InboxOnly;

impl MigratorTrait for InboxOnly {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![Box::new(platform::events::migration::Migration)]
    }
}

/// Records the topics it handled (what the notification service will do with them).
#[derive(Default)]
struct Recorder {
    topics: Mutex<Vec<String>>,
}

impl EventHandler for Recorder {
    async fn handle(
        &self,
        event: &Envelope,
        _txn: &DatabaseTransaction,
    ) -> Result<(), HandlerError> {
        self.topics.lock().expect("lock").push(event.topic.clone());
        Ok(())
    }
}

async fn bus_kinds() -> Vec<EventBus> {
    let mut buses = vec![EventBus::InProcess(InProcessBus::new())];
    if let Some(url) = nats_url() {
        let suffix = uuid::Uuid::new_v4().simple().to_string();
        let mut config = CommonConfig::local().events;
        config.bus_url = Some(url);
        config.stream = format!("TEST_{suffix}");
        config.subject_prefix = format!("t{suffix}");
        buses.push(
            EventBus::from_config(&config)
                .await
                .expect("NATS reachable"),
        );
    }
    buses
}

#[tokio::test]
async fn an_otp_event_survives_a_crash_before_publishing_and_is_consumed_once() {
    for bus in bus_kinds().await {
        // Auth commits the registration and its events, then dies before relaying.
        let first = spawn_app_with(|config| config.common.events.relay_enabled = false).await;
        let user_id = first.register("crashy", "crashy@example.com").await;
        let stopped = first.stop();

        // A consumer (as the notification service will be) listens on the bus.
        let consumer_db_guard = TestDatabase::new().await;
        let consumer_db = platform::db::connect_and_migrate::<InboxOnly>(&consumer_db_guard.url, 5)
            .await
            .expect("consumer database");
        let recorder = Arc::new(Recorder::default());
        let shutdown = CancellationToken::new();
        run_consumer(
            consumer_db,
            bus.clone(),
            "notification-test".into(),
            "auth.>".into(),
            recorder.clone(),
            shutdown.clone(),
        )
        .await
        .expect("subscribed");

        // Auth restarts: its relay publishes what the crash left behind.
        let restarted = stopped
            .restart(
                |config| config.common.events.relay_enabled = true,
                Some(bus.clone()),
            )
            .await;
        let mut topics = Vec::new();
        for _ in 0..100 {
            topics = recorder.topics.lock().expect("lock").clone();
            if topics.len() >= 2 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        // Give any duplicate a chance to show up.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let mut topics_after = recorder.topics.lock().expect("lock").clone();
        topics_after.sort();
        topics.sort();
        assert_eq!(
            topics,
            topics_after,
            "[{}] nothing handled twice",
            bus.kind()
        );
        assert_eq!(
            topics,
            vec![
                "auth.otp.requested".to_owned(),
                "auth.user.registered".to_owned()
            ],
            "[{}] user {user_id}",
            bus.kind()
        );
        shutdown.cancel();
        drop(restarted);
        if let EventBus::Nats(nats) = &bus {
            let _ = nats.delete_stream().await;
        }
    }
}
