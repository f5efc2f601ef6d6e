//! Events between subgraphs, delivered at least once and processed exactly once.
//!
//! - A producer writes its event to the **outbox** table in the same database
//!   transaction as the state change ([`Outbox::enqueue`]), so an event exists if and
//!   only if the change committed.
//! - The **relay** ([`OutboxRelay`]) publishes unpublished rows to the bus and marks
//!   them published only once the bus has accepted them. A crash between commit and
//!   publish leaves the row unpublished; the next relay publishes it.
//! - The **bus** ([`EventBus`]) is in-process by default and NATS JetStream when
//!   `EVENT_BUS_URL=nats://…`. "Accepted" means: JetStream stored it, or (in-process)
//!   every subscribed consumer processed it.
//! - A **consumer** ([`run_consumer`]) records each event id in its inbox table in the
//!   same transaction as its own effect, so a redelivered event changes nothing.

mod bus;
mod consumer;
pub mod inbox;
mod inproc;
pub mod migration;
mod nats;
pub mod outbox;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use bus::{BusError, Delivery, EventBus, Subscription};
pub use consumer::{
    Consumer, EventHandler, HandlerError, Processed, process_delivery, process_envelope,
    run_consumer,
};
pub use inproc::InProcessBus;
pub use nats::NatsBus;
pub use outbox::{Outbox, OutboxRelay, RelayStats};

/// An event as it travels on the bus.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    /// Unique id; consumers deduplicate on it.
    pub id: String,
    /// Dotted name, e.g. `auth.otp.requested`.
    pub topic: String,
    /// The subgraph that produced it.
    pub source: String,
    /// The entity the event is about (user id, wallet id, …).
    pub aggregate_id: String,
    pub occurred_at: DateTime<Utc>,
    pub payload: serde_json::Value,
}

impl Envelope {
    /// The payload as a typed value.
    pub fn payload_as<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_value(self.payload.clone())
    }
}

/// An event a producer is about to write.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub topic: String,
    pub aggregate_id: String,
    pub payload: serde_json::Value,
}

impl NewEvent {
    pub fn new(
        topic: impl Into<String>,
        aggregate_id: impl Into<String>,
        payload: impl Serialize,
    ) -> Self {
        Self {
            topic: topic.into(),
            aggregate_id: aggregate_id.into(),
            payload: serde_json::to_value(payload)
                .expect("event payloads are plain data that serialise to JSON"),
        }
    }
}

/// Whether `topic` matches `filter`, NATS style: tokens split on `.`, `*` matches one
/// token, a final `>` matches one or more.
pub fn topic_matches(filter: &str, topic: &str) -> bool {
    let mut filter_tokens = filter.split('.');
    let mut topic_tokens = topic.split('.');
    loop {
        match (filter_tokens.next(), topic_tokens.next()) {
            (Some(">"), Some(_)) => return filter_tokens.next().is_none(),
            (Some("*"), Some(_)) => {}
            (Some(f), Some(t)) if f == t => {}
            (None, None) => return true,
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::topic_matches;

    #[test]
    fn topics_match_nats_wildcards() {
        assert!(topic_matches("auth.otp.requested", "auth.otp.requested"));
        assert!(topic_matches("auth.*.requested", "auth.otp.requested"));
        assert!(topic_matches("auth.>", "auth.otp.requested"));
        assert!(topic_matches(">", "auth.otp"));
        assert!(!topic_matches("auth.>", "auth"));
        assert!(!topic_matches("auth.*", "auth.otp.requested"));
        assert!(!topic_matches("auth.otp", "auth.otp.requested"));
        assert!(!topic_matches("wallet.>", "auth.otp.requested"));
    }
}
