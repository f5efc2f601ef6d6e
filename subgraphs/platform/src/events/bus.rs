//! The event bus: in-process or NATS JetStream, behind one type.

use std::time::Duration;

use tokio::sync::oneshot;

use super::Envelope;
use super::inproc::{InProcessBus, InProcessSubscription};
use super::nats::{NatsBus, NatsSubscription};
use crate::config::EventConfig;

#[derive(Debug, thiserror::Error)]
pub enum BusError {
    #[error("cannot connect to the event bus: {0}")]
    Connect(String),
    #[error("publish not accepted: {0}")]
    Publish(String),
    #[error("cannot subscribe: {0}")]
    Subscribe(String),
    #[error("cannot acknowledge: {0}")]
    Ack(String),
}

/// Where events are published and consumed.
#[derive(Clone, Debug)]
pub enum EventBus {
    InProcess(InProcessBus),
    Nats(Box<NatsBus>),
}

impl EventBus {
    /// The bus the configuration names: NATS for `nats://…`, else in-process.
    pub async fn from_config(config: &EventConfig) -> Result<Self, BusError> {
        match config.bus_url.as_deref() {
            None | Some("") | Some("inprocess") => Ok(Self::InProcess(InProcessBus::new())),
            Some(url) if url.starts_with("nats://") || url.starts_with("tls://") => Ok(Self::Nats(
                Box::new(NatsBus::connect(url, &config.stream, &config.subject_prefix).await?),
            )),
            Some(other) => Err(BusError::Connect(format!(
                "unsupported EVENT_BUS_URL `{other}` (expected nats://… or unset)"
            ))),
        }
    }

    /// Publishes `envelope`; `Ok` only once the bus has accepted it.
    pub async fn publish(&self, envelope: &Envelope) -> Result<(), BusError> {
        match self {
            Self::InProcess(bus) => bus.publish(envelope).await,
            Self::Nats(bus) => bus.publish(envelope).await,
        }
    }

    /// Subscribes the durable consumer `consumer` to topics matching `filter`
    /// (`*`/`>` wildcards). Subscribers sharing a consumer name share its deliveries.
    pub async fn subscribe(&self, consumer: &str, filter: &str) -> Result<Subscription, BusError> {
        Ok(match self {
            Self::InProcess(bus) => Subscription::InProcess(bus.subscribe(consumer, filter)),
            Self::Nats(bus) => Subscription::Nats(Box::new(bus.subscribe(consumer, filter).await?)),
        })
    }

    /// A short name for logs.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::InProcess(_) => "in-process",
            Self::Nats(_) => "nats-jetstream",
        }
    }
}

/// A stream of deliveries for one consumer.
pub enum Subscription {
    InProcess(InProcessSubscription),
    Nats(Box<NatsSubscription>),
}

impl std::fmt::Debug for Subscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::InProcess(_) => "Subscription::InProcess",
            Self::Nats(_) => "Subscription::Nats",
        })
    }
}

impl Subscription {
    /// The next delivery; `None` when the bus has closed.
    pub async fn next(&mut self) -> Option<Result<Delivery, BusError>> {
        match self {
            Self::InProcess(sub) => sub.next().await.map(Ok),
            Self::Nats(sub) => sub.next().await,
        }
    }
}

/// One event handed to a consumer, to be acknowledged or refused.
#[derive(Debug)]
pub struct Delivery {
    pub envelope: Envelope,
    pub(super) acker: Acker,
}

pub(super) enum Acker {
    InProcess(oneshot::Sender<Result<(), String>>),
    Nats(Box<async_nats::jetstream::Message>),
}

impl std::fmt::Debug for Acker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Acker")
    }
}

impl Delivery {
    /// The event was processed (or was a duplicate): do not deliver it again.
    pub async fn ack(self) -> Result<(), BusError> {
        match self.acker {
            Acker::InProcess(reply) => {
                // The publisher may have given up waiting; nothing to do then.
                let _ = reply.send(Ok(()));
                Ok(())
            }
            Acker::Nats(message) => message
                .ack()
                .await
                .map_err(|e| BusError::Ack(e.to_string())),
        }
    }

    /// The event could not be processed now: deliver it again after `delay`.
    pub async fn nak(self, reason: &str, delay: Duration) -> Result<(), BusError> {
        match self.acker {
            Acker::InProcess(reply) => {
                let _ = reply.send(Err(reason.to_owned()));
                Ok(())
            }
            Acker::Nats(message) => message
                .ack_with(async_nats::jetstream::AckKind::Nak(Some(delay)))
                .await
                .map_err(|e| BusError::Ack(e.to_string())),
        }
    }
}
