//! The in-process bus: the embedded default when every subgraph runs in one process.
//!
//! A publish hands the event to one subscriber of every consumer whose filter matches
//! and waits until each has processed it, so "published" means "consumed" and an
//! event is never marked published while a consumer still owes work on it. Events
//! published while no consumer is subscribed are not kept (the outbox row remains).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::future::join_all;
use tokio::sync::{mpsc, oneshot};

use super::bus::{Acker, BusError, Delivery};
use super::{Envelope, topic_matches};

/// How long a publish waits for a consumer to process an event.
const CONSUME_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Clone, Default)]
pub struct InProcessBus {
    subscribers: Arc<Mutex<Vec<Subscriber>>>,
}

impl std::fmt::Debug for InProcessBus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("InProcessBus")
    }
}

struct Subscriber {
    consumer: String,
    filter: String,
    sender: mpsc::Sender<Delivery>,
}

/// Deliveries for one in-process subscriber.
pub struct InProcessSubscription {
    receiver: mpsc::Receiver<Delivery>,
}

impl InProcessSubscription {
    pub(super) async fn next(&mut self) -> Option<Delivery> {
        self.receiver.recv().await
    }
}

impl InProcessBus {
    pub fn new() -> Self {
        Self::default()
    }

    pub(super) fn subscribe(&self, consumer: &str, filter: &str) -> InProcessSubscription {
        let (sender, receiver) = mpsc::channel(64);
        self.subscribers
            .lock()
            .expect("bus lock poisoned")
            .push(Subscriber {
                consumer: consumer.to_owned(),
                filter: filter.to_owned(),
                sender,
            });
        InProcessSubscription { receiver }
    }

    /// One live subscriber per consumer whose filter matches `topic`.
    fn targets(&self, topic: &str) -> Vec<(String, mpsc::Sender<Delivery>)> {
        let mut subscribers = self.subscribers.lock().expect("bus lock poisoned");
        subscribers.retain(|s| !s.sender.is_closed());
        let mut targets: Vec<(String, mpsc::Sender<Delivery>)> = Vec::new();
        for s in subscribers
            .iter()
            .filter(|s| topic_matches(&s.filter, topic))
        {
            if !targets.iter().any(|(consumer, _)| consumer == &s.consumer) {
                targets.push((s.consumer.clone(), s.sender.clone()));
            }
        }
        targets
    }

    pub(super) async fn publish(&self, envelope: &Envelope) -> Result<(), BusError> {
        let deliveries = self
            .targets(&envelope.topic)
            .into_iter()
            .map(|(consumer, sender)| deliver(consumer, sender, envelope.clone()));
        let failures: Vec<String> = join_all(deliveries)
            .await
            .into_iter()
            .filter_map(Result::err)
            .collect();
        if failures.is_empty() {
            Ok(())
        } else {
            Err(BusError::Publish(failures.join("; ")))
        }
    }
}

async fn deliver(
    consumer: String,
    sender: mpsc::Sender<Delivery>,
    envelope: Envelope,
) -> Result<(), String> {
    let (reply, processed) = oneshot::channel();
    let delivery = Delivery {
        envelope,
        acker: Acker::InProcess(reply),
    };
    sender
        .send(delivery)
        .await
        .map_err(|_| format!("consumer `{consumer}` has stopped"))?;
    match tokio::time::timeout(CONSUME_TIMEOUT, processed).await {
        Ok(Ok(Ok(()))) => Ok(()),
        Ok(Ok(Err(reason))) => Err(format!("consumer `{consumer}` failed: {reason}")),
        Ok(Err(_)) => Err(format!("consumer `{consumer}` dropped the event")),
        Err(_) => Err(format!("consumer `{consumer}` timed out")),
    }
}
