//! Events: outbox written with the state change, relayed at least once, consumed
//! exactly once — on the in-process bus and on NATS JetStream.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use platform::Clock;
use platform::clock::{ManualClock, SharedClock};
use platform::events::outbox::entity as outbox_row;
use platform::events::{
    Envelope, EventBus, EventHandler, HandlerError, InProcessBus, NewEvent, Outbox, Processed,
    process_delivery,
};
use platform::testing::{clean_up_bus, event_buses, event_database};
use sea_orm::sea_query::Expr;
use sea_orm::{
    DatabaseConnection, DatabaseTransaction, EntityTrait, PaginatorTrait, TransactionTrait,
};
use tokio_util::sync::CancellationToken;

/// Counts what it handles; fails the first `failures` deliveries.
#[derive(Default)]
struct Counting {
    handled: AtomicUsize,
    failures: AtomicUsize,
}

impl EventHandler for Counting {
    async fn handle(
        &self,
        _event: &Envelope,
        _txn: &DatabaseTransaction,
    ) -> Result<(), HandlerError> {
        if self
            .failures
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
        {
            return Err(HandlerError::Retry("not yet".into()));
        }
        self.handled.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

fn clock() -> SharedClock {
    Arc::new(ManualClock::starting_now())
}

async fn unpublished(db: &DatabaseConnection) -> u64 {
    outbox_row::Entity::find()
        .filter(sea_orm::ColumnTrait::is_null(
            &outbox_row::Column::PublishedAt,
        ))
        .count(db)
        .await
        .expect("count")
}

use sea_orm::QueryFilter;

/// Commits one event through `outbox` in a transaction of its own.
async fn commit_event(db: &DatabaseConnection, outbox: &Outbox, aggregate: &str) {
    let txn = db.begin().await.expect("begin");
    outbox
        .enqueue(
            &txn,
            NewEvent::new(
                "test.thing.happened",
                aggregate,
                serde_json::json!({ "of": aggregate }),
            ),
        )
        .await
        .expect("enqueue");
    txn.commit().await.expect("commit");
}

/// Subscribes a consumer with `handler` to `test.>`; it stops with `shutdown`.
async fn start_consumer(
    db: &DatabaseConnection,
    bus: &EventBus,
    name: &str,
    handler: Arc<Counting>,
    shutdown: &CancellationToken,
) {
    platform::events::run_consumer(
        db.clone(),
        bus.clone(),
        name.into(),
        "test.>".into(),
        handler,
        shutdown.clone(),
    )
    .await
    .expect("subscribe");
}

#[tokio::test]
async fn an_event_exists_only_if_its_transaction_commits() {
    let (_guard, db) = event_database().await;
    let outbox = Outbox::new("test", clock());
    let txn = db.begin().await.expect("begin");
    outbox
        .enqueue(
            &txn,
            NewEvent::new("test.thing.happened", "a-1", serde_json::json!({"n": 1})),
        )
        .await
        .expect("enqueue");
    txn.rollback().await.expect("rollback");
    assert_eq!(
        outbox_row::Entity::find().count(&db).await.expect("count"),
        0
    );

    let txn = db.begin().await.expect("begin");
    outbox
        .enqueue(
            &txn,
            NewEvent::new("test.thing.happened", "a-1", serde_json::json!({"n": 1})),
        )
        .await
        .expect("enqueue");
    txn.commit().await.expect("commit");
    assert_eq!(unpublished(&db).await, 1);
}

#[tokio::test]
async fn an_event_survives_a_crash_between_commit_and_publish_and_is_consumed_once() {
    for bus in event_buses().await {
        let (_producer_guard, producer_db) = event_database().await;
        let (_consumer_guard, consumer_db) = event_database().await;
        let handler = Arc::new(Counting::default());
        let shutdown = CancellationToken::new();
        start_consumer(
            &consumer_db,
            &bus,
            "test-consumer",
            handler.clone(),
            &shutdown,
        )
        .await;

        // The producer commits its change with the event, then "crashes": its relay
        // never runs.
        commit_event(&producer_db, &Outbox::new("test", clock()), "o-1").await;
        assert_eq!(
            unpublished(&producer_db).await,
            1,
            "[{}] nothing published yet",
            bus.kind()
        );

        // After the restart, the relay finds the event and publishes it.
        let outbox = Outbox::new("test", clock());
        let relay = outbox.relay(producer_db.clone(), bus.clone(), Duration::from_millis(50));
        assert_eq!(relay.publish_pending().await.expect("relay").published, 1);
        wait_for(|| handler.handled.load(Ordering::SeqCst) == 1, bus.kind()).await;
        assert_eq!(unpublished(&producer_db).await, 0);

        // A relay that crashed after publishing but before marking the row publishes
        // it again: the consumer recognises the event and does nothing.
        outbox_row::Entity::update_many()
            .col_expr(
                outbox_row::Column::PublishedAt,
                Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
            )
            .exec(&producer_db)
            .await
            .expect("reset");
        assert_eq!(relay.publish_pending().await.expect("relay").published, 1);
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(
            handler.handled.load(Ordering::SeqCst),
            1,
            "[{}] consumed once",
            bus.kind()
        );

        shutdown.cancel();
        clean_up_bus(&bus).await;
    }
}

#[tokio::test]
async fn a_failing_consumer_gets_the_event_again_until_it_succeeds() {
    for bus in event_buses().await {
        let (_producer_guard, producer_db) = event_database().await;
        let (_consumer_guard, consumer_db) = event_database().await;
        let handler = Arc::new(Counting {
            handled: AtomicUsize::new(0),
            failures: AtomicUsize::new(2),
        });
        let shutdown = CancellationToken::new();
        start_consumer(
            &consumer_db,
            &bus,
            "flaky-consumer",
            handler.clone(),
            &shutdown,
        )
        .await;
        let clock = Arc::new(ManualClock::starting_now());
        let outbox = Outbox::new("test", clock.clone());
        commit_event(&producer_db, &outbox, "x").await;
        let relay = outbox.relay(producer_db.clone(), bus.clone(), Duration::from_millis(50));

        // In-process: the relay sees each failure and retries after a backoff.
        // NATS: JetStream stored the event and redelivers it after each nak.
        for _ in 0..10 {
            let _ = relay.publish_pending().await.expect("relay pass");
            if handler.handled.load(Ordering::SeqCst) == 1 {
                break;
            }
            clock.advance(chrono::Duration::minutes(10));
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        wait_for(|| handler.handled.load(Ordering::SeqCst) == 1, bus.kind()).await;
        assert_eq!(handler.failures.load(Ordering::SeqCst), 0);
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(
            handler.handled.load(Ordering::SeqCst),
            1,
            "[{}] exactly once",
            bus.kind()
        );
        shutdown.cancel();
        clean_up_bus(&bus).await;
    }
}

#[tokio::test]
async fn a_failed_publish_is_retried_with_backoff() {
    let (_guard, db) = event_database().await;
    let bus = EventBus::InProcess(InProcessBus::new());
    // A subscriber that stopped: every delivery to it fails.
    let subscription = bus.subscribe("gone", "test.>").await.expect("subscribe");
    drop(subscription);
    let clock = Arc::new(ManualClock::starting_now());
    let outbox = Outbox::new("test", clock.clone());
    outbox
        .enqueue(
            &db,
            NewEvent::new("test.thing.happened", "x", serde_json::json!({})),
        )
        .await
        .expect("enqueue");
    let relay = outbox.relay(db.clone(), bus.clone(), Duration::from_millis(50));
    // The closed subscriber is pruned; with nobody subscribed the publish succeeds.
    assert_eq!(relay.publish_pending().await.expect("pass").published, 1);

    let live = Arc::new(Counting {
        handled: AtomicUsize::new(0),
        failures: AtomicUsize::new(1),
    });
    let mut subscription = bus.subscribe("live", "test.>").await.expect("subscribe");
    let (_consumer_guard, consumer_db) = event_database().await;
    let handler = live.clone();
    let worker = tokio::spawn(async move {
        while let Some(Ok(delivery)) = subscription.next().await {
            let _ = process_delivery(&consumer_db, "live", handler.as_ref(), delivery).await;
        }
    });
    outbox
        .enqueue(
            &db,
            NewEvent::new("test.thing.happened", "y", serde_json::json!({})),
        )
        .await
        .expect("enqueue");
    let first = relay.publish_pending().await.expect("pass");
    assert_eq!(first.failed, 1, "the consumer failed once");
    let row = outbox_row::Entity::find()
        .filter(sea_orm::ColumnTrait::is_null(
            &outbox_row::Column::PublishedAt,
        ))
        .one(&db)
        .await
        .expect("query")
        .expect("the failed event is still unpublished");
    assert_eq!(row.attempts, 1);
    assert!(row.next_attempt_at.expect("backoff set") > clock.now());
    assert_eq!(
        relay.publish_pending().await.expect("pass").published,
        0,
        "not due yet"
    );
    clock.advance(chrono::Duration::minutes(10));
    assert_eq!(relay.publish_pending().await.expect("pass").published, 1);
    assert_eq!(live.handled.load(Ordering::SeqCst), 1);
    worker.abort();
}

#[tokio::test]
async fn duplicate_deliveries_are_processed_once() {
    let (_guard, db) = event_database().await;
    let handler = Counting::default();
    let event = Envelope {
        id: uuid::Uuid::new_v4().to_string(),
        topic: "test.thing.happened".into(),
        source: "test".into(),
        aggregate_id: "z".into(),
        occurred_at: chrono::Utc::now(),
        payload: serde_json::json!({}),
    };
    let outcomes = futures::future::join_all(
        (0..8).map(|_| platform::events::process_envelope(&db, "dedup", &handler, &event)),
    )
    .await;
    let handled = outcomes
        .iter()
        .filter(|o| matches!(o, Ok(Processed::Handled)))
        .count();
    assert_eq!(handled, 1, "{outcomes:?}");
    assert_eq!(handler.handled.load(Ordering::SeqCst), 1);
    assert!(outcomes.iter().all(|o| o.is_ok()));
}

async fn wait_for(condition: impl Fn() -> bool, what: &str) {
    for _ in 0..100 {
        if condition() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("[{what}] condition not reached in 5 s");
}
