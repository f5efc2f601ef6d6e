//! Auth's events leave through the outbox: a crash between the commit and the
//! publish loses nothing, and a consumer handles each event once — on the in-process
//! bus and on NATS JetStream (with `TEST_NATS_URL`).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use platform::events::{Envelope, EventHandler, HandlerError, run_consumer};
use platform::testing::{clean_up_bus, event_buses, event_database};
use sea_orm::DatabaseTransaction;
use tokio_util::sync::CancellationToken;

use crate::helpers::spawn_app_with;

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

#[tokio::test]
async fn an_otp_event_survives_a_crash_before_publishing_and_is_consumed_once() {
    for bus in event_buses().await {
        // Auth commits the registration and its events, then dies before relaying.
        let first = spawn_app_with(|config| config.common.events.relay_enabled = false).await;
        let user_id = first.register("crashy", "crashy@example.com").await;
        let stopped = first.stop();

        // A consumer (as the notification service will be) listens on the bus.
        let (_consumer_guard, consumer_db) = event_database().await;
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
        clean_up_bus(&bus).await;
    }
}
