//! Consumers: each event id processed once per consumer, its effect and its inbox
//! row committed together.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use sea_orm::sea_query::OnConflict;
use sea_orm::{DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait, Set};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::bus::{BusError, Delivery, EventBus, Subscription};
use super::{Envelope, inbox};
use crate::db::begin_write;

/// How a consumer reacts to one event.
pub trait EventHandler: Send + Sync + 'static {
    /// Applies `event` through `txn`; the inbox row is in the same transaction, so the
    /// effect happens once however often the event is delivered.
    fn handle(
        &self,
        event: &Envelope,
        txn: &DatabaseTransaction,
    ) -> impl Future<Output = Result<(), HandlerError>> + Send;
}

/// Why a handler did not apply an event.
#[derive(Debug, thiserror::Error)]
pub enum HandlerError {
    /// Try again later (the event is redelivered).
    #[error("{0}")]
    Retry(String),
    /// The event can never be applied (e.g. a payload of the wrong shape): it is
    /// recorded as processed, logged, and not retried.
    #[error("{0}")]
    Discard(String),
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// What processing one delivery came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Processed {
    Handled,
    /// Already processed before: nothing done.
    Duplicate,
    Discarded,
}

/// Delay before an event that failed is delivered again.
const RETRY_DELAY: Duration = Duration::from_secs(2);

/// Processes one event for `consumer` (without acknowledging it).
pub async fn process_envelope<H: EventHandler>(
    db: &DatabaseConnection,
    consumer: &str,
    handler: &H,
    event: &Envelope,
) -> Result<Processed, HandlerError> {
    let txn = begin_write(db).await?;
    if !record(&txn, consumer, event).await? {
        txn.rollback().await?;
        return Ok(Processed::Duplicate);
    }
    match handler.handle(event, &txn).await {
        Ok(()) => {
            txn.commit().await?;
            Ok(Processed::Handled)
        }
        Err(HandlerError::Discard(reason)) => {
            txn.rollback().await?;
            tracing::error!(consumer, event.id = %event.id, topic = %event.topic, %reason, "event discarded");
            let txn = begin_write(db).await?;
            record(&txn, consumer, event).await?;
            txn.commit().await?;
            Ok(Processed::Discarded)
        }
        Err(err) => {
            txn.rollback().await?;
            Err(err)
        }
    }
}

/// Inserts the inbox row; `false` when the event was already there.
async fn record(
    txn: &DatabaseTransaction,
    consumer: &str,
    event: &Envelope,
) -> Result<bool, DbErr> {
    let row = inbox::ActiveModel {
        consumer: Set(consumer.to_owned()),
        event_id: Set(event.id.clone()),
        topic: Set(event.topic.clone()),
        processed_at: Set(chrono::Utc::now()),
    };
    let inserted = inbox::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([inbox::Column::Consumer, inbox::Column::EventId])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await;
    match inserted {
        Ok(rows) => Ok(rows > 0),
        Err(DbErr::RecordNotInserted) => Ok(false),
        Err(err) => Err(err),
    }
}

/// Processes a delivery and acknowledges it (or asks for redelivery on failure).
pub async fn process_delivery<H: EventHandler>(
    db: &DatabaseConnection,
    consumer: &str,
    handler: &H,
    delivery: Delivery,
) -> Result<Processed, HandlerError> {
    let outcome = process_envelope(db, consumer, handler, &delivery.envelope).await;
    let acked = match &outcome {
        Ok(_) => delivery.ack().await,
        Err(err) => {
            tracing::warn!(consumer, event.id = %delivery.envelope.id, error = %err, "event failed; redelivery requested");
            delivery.nak(&err.to_string(), RETRY_DELAY).await
        }
    };
    if let Err(err) = acked {
        tracing::warn!(consumer, error = %err, "acknowledgement failed; the event may be redelivered");
    }
    outcome
}

/// A consumer subscribed to its topics and ready to process them.
///
/// Subscribing is separate from running so a service can subscribe while it is built,
/// before any service in the process publishes: the in-process bus keeps no events
/// for consumers that are not yet subscribed.
pub struct Consumer<H> {
    db: DatabaseConnection,
    bus: EventBus,
    name: String,
    filter: String,
    handler: Arc<H>,
    subscription: Subscription,
}

impl<H> std::fmt::Debug for Consumer<H> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Consumer")
            .field("name", &self.name)
            .field("filter", &self.filter)
            .finish_non_exhaustive()
    }
}

impl<H: EventHandler> Consumer<H> {
    /// Subscribes `name` to topics matching `filter` now, so nothing published after
    /// this call is missed.
    pub async fn subscribe(
        db: DatabaseConnection,
        bus: EventBus,
        name: impl Into<String>,
        filter: impl Into<String>,
        handler: Arc<H>,
    ) -> Result<Self, BusError> {
        let name = name.into();
        let filter = filter.into();
        let subscription = bus.subscribe(&name, &filter).await?;
        Ok(Self {
            db,
            bus,
            name,
            filter,
            handler,
            subscription,
        })
    }

    /// Processes deliveries until `shutdown`.
    pub async fn run(self, shutdown: CancellationToken) {
        let Self {
            db,
            bus,
            name,
            filter,
            handler,
            mut subscription,
        } = self;
        let consumer = name.as_str();
        loop {
            let next = tokio::select! {
                () = shutdown.cancelled() => return,
                next = subscription.next() => next,
            };
            match next {
                Some(Ok(delivery)) => {
                    let _ = process_delivery(&db, consumer, handler.as_ref(), delivery).await;
                }
                Some(Err(err)) => {
                    tracing::warn!(consumer, error = %err, "event stream error");
                }
                None => {
                    tracing::warn!(consumer, "event stream closed; resubscribing");
                    tokio::select! {
                        () = shutdown.cancelled() => return,
                        () = tokio::time::sleep(RETRY_DELAY) => {}
                    }
                    match bus.subscribe(consumer, &filter).await {
                        Ok(fresh) => subscription = fresh,
                        Err(err) => tracing::warn!(consumer, error = %err, "resubscribe failed"),
                    }
                }
            }
        }
    }
}

/// Subscribes `consumer` to `filter` now (so nothing published after this call is
/// missed) and processes deliveries in a task until `shutdown`.
pub async fn run_consumer<H: EventHandler>(
    db: DatabaseConnection,
    bus: EventBus,
    consumer: String,
    filter: String,
    handler: Arc<H>,
    shutdown: CancellationToken,
) -> Result<JoinHandle<()>, BusError> {
    let consumer = Consumer::subscribe(db, bus, consumer, filter, handler).await?;
    Ok(tokio::spawn(consumer.run(shutdown)))
}
