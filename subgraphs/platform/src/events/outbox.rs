//! The transactional outbox and its relay.

use std::sync::Arc;
use std::time::Duration;

use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    ExprTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use super::{Envelope, EventBus, NewEvent};
use crate::clock::SharedClock;

/// The `outbox_events` table.
pub mod entity {
    use sea_orm::entity::prelude::*;

    #[sea_orm::model]
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "outbox_events")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub seq: i64,
        #[sea_orm(unique)]
        pub event_id: String,
        pub topic: String,
        pub source: String,
        pub aggregate_id: String,
        pub payload: Json,
        pub occurred_at: DateTimeUtc,
        pub published_at: Option<DateTimeUtc>,
        pub attempts: i32,
        pub next_attempt_at: Option<DateTimeUtc>,
        #[sea_orm(column_type = "Text", nullable)]
        pub last_error: Option<String>,
    }

    impl ActiveModelBehavior for ActiveModel {}
}

impl From<entity::Model> for Envelope {
    fn from(row: entity::Model) -> Self {
        Self {
            id: row.event_id,
            topic: row.topic,
            source: row.source,
            aggregate_id: row.aggregate_id,
            occurred_at: row.occurred_at,
            payload: row.payload,
        }
    }
}

/// Writes a subgraph's events into its outbox.
#[derive(Clone)]
pub struct Outbox {
    source: String,
    clock: SharedClock,
    wake: Arc<Notify>,
}

impl std::fmt::Debug for Outbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outbox")
            .field("source", &self.source)
            .finish()
    }
}

impl Outbox {
    pub fn new(source: impl Into<String>, clock: SharedClock) -> Self {
        Self {
            source: source.into(),
            clock,
            wake: Arc::new(Notify::new()),
        }
    }

    /// Writes `event` through `conn` — pass the transaction of the state change, so
    /// both commit or neither does. Call [`Outbox::wake`] after the commit.
    pub async fn enqueue<C: ConnectionTrait>(
        &self,
        conn: &C,
        event: NewEvent,
    ) -> Result<Envelope, DbErr> {
        let envelope = Envelope {
            id: uuid::Uuid::now_v7().to_string(),
            topic: event.topic,
            source: self.source.clone(),
            aggregate_id: event.aggregate_id,
            occurred_at: self.clock.now(),
            payload: event.payload,
        };
        entity::ActiveModel {
            event_id: Set(envelope.id.clone()),
            topic: Set(envelope.topic.clone()),
            source: Set(envelope.source.clone()),
            aggregate_id: Set(envelope.aggregate_id.clone()),
            payload: Set(envelope.payload.clone()),
            occurred_at: Set(envelope.occurred_at),
            published_at: Set(None),
            attempts: Set(0),
            next_attempt_at: Set(None),
            last_error: Set(None),
            ..Default::default()
        }
        .insert(conn)
        .await?;
        Ok(envelope)
    }

    /// Tells the relay there is something to publish (it also polls).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// A relay for this outbox.
    pub fn relay(&self, db: DatabaseConnection, bus: EventBus, poll: Duration) -> OutboxRelay {
        OutboxRelay {
            db,
            bus,
            clock: self.clock.clone(),
            wake: self.wake.clone(),
            poll,
            batch: 100,
        }
    }
}

/// What one relay pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RelayStats {
    pub published: usize,
    pub failed: usize,
}

/// Publishes unpublished outbox rows, oldest first, retrying failures with
/// exponential backoff. Several relays on one database may publish a row twice
/// (at-least-once); consumers deduplicate.
pub struct OutboxRelay {
    db: DatabaseConnection,
    bus: EventBus,
    clock: SharedClock,
    wake: Arc<Notify>,
    poll: Duration,
    batch: u64,
}

impl std::fmt::Debug for OutboxRelay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutboxRelay")
            .field("poll", &self.poll)
            .finish()
    }
}

/// How long a woken relay waits for more events before its pass: under load a
/// pass publishes many events with two statements instead of two per event.
const WAKE_BATCH_WINDOW: Duration = Duration::from_millis(5);

/// Longest wait between two attempts at one event.
const MAX_BACKOFF: Duration = Duration::from_secs(300);

impl OutboxRelay {
    /// Runs until `shutdown`.
    pub async fn run(self, shutdown: CancellationToken) {
        loop {
            match self.publish_pending().await {
                // A full batch: there may be more right away.
                Ok(stats) if stats.published as u64 >= self.batch => continue,
                Ok(_) => {}
                Err(err) => tracing::warn!(error = %err, "outbox relay pass failed"),
            }
            tokio::select! {
                () = shutdown.cancelled() => return,
                () = self.wake.notified() => {
                    // Events committed meanwhile go out in the same pass.
                    tokio::time::sleep(WAKE_BATCH_WINDOW).await;
                }
                () = tokio::time::sleep(self.poll) => {}
            }
        }
    }

    /// One pass: publishes what is due.
    pub async fn publish_pending(&self) -> Result<RelayStats, DbErr> {
        let now = self.clock.now();
        let due = entity::Entity::find()
            .filter(entity::Column::PublishedAt.is_null())
            .filter(
                entity::Column::NextAttemptAt
                    .is_null()
                    .or(entity::Column::NextAttemptAt.lte(now)),
            )
            .order_by_asc(entity::Column::Seq)
            .limit(self.batch)
            .all(&self.db)
            .await?;
        let mut stats = RelayStats::default();
        let mut published = Vec::new();
        for row in due {
            let attempts = row.attempts;
            let seq = row.seq;
            let envelope = Envelope::from(row);
            match self.bus.publish(&envelope).await {
                Ok(()) => published.push(seq),
                Err(err) => {
                    tracing::warn!(event.id = %envelope.id, topic = %envelope.topic, error = %err, "publish failed; will retry");
                    self.mark_failed(seq, attempts + 1, &err.to_string())
                        .await?;
                    stats.failed += 1;
                }
            }
        }
        // One statement for the pass; if it fails, the rows are published again
        // (at-least-once) and consumers drop the duplicates.
        self.mark_published(&published).await?;
        stats.published = published.len();
        Ok(stats)
    }

    async fn mark_published(&self, seqs: &[i64]) -> Result<(), DbErr> {
        if seqs.is_empty() {
            return Ok(());
        }
        entity::Entity::update_many()
            .col_expr(
                entity::Column::PublishedAt,
                sea_orm::sea_query::Expr::value(Some(self.clock.now())),
            )
            .col_expr(
                entity::Column::LastError,
                sea_orm::sea_query::Expr::value(Option::<String>::None),
            )
            .filter(entity::Column::Seq.is_in(seqs.iter().copied()))
            .exec(&self.db)
            .await
            .map(|_| ())
    }

    async fn mark_failed(&self, seq: i64, attempts: i32, error: &str) -> Result<(), DbErr> {
        let retry_at = self.clock.now() + backoff(attempts);
        entity::ActiveModel {
            seq: Set(seq),
            attempts: Set(attempts),
            next_attempt_at: Set(Some(retry_at)),
            last_error: Set(Some(error.chars().take(1000).collect())),
            ..Default::default()
        }
        .update(&self.db)
        .await
        .map(|_| ())
    }
}

/// 0.5 s × 2^(attempts-1), at most five minutes, with ±20 % jitter.
fn backoff(attempts: i32) -> chrono::Duration {
    let exponent = attempts.clamp(1, 17) as u32 - 1;
    let base = std::cmp::min(
        Duration::from_millis(500).saturating_mul(1u32 << exponent),
        MAX_BACKOFF,
    );
    let jitter = rand::thread_rng().gen_range(0.8..1.2);
    chrono::Duration::from_std(base.mul_f64(jitter)).unwrap_or(chrono::Duration::seconds(300))
}
