//! NATS JetStream: the production bus. Events are stored in one stream
//! (`<prefix>.>` subjects); each consumer is a durable pull consumer with explicit
//! acks, so an event not acknowledged is delivered again. The event id is the
//! `Nats-Msg-Id`, which lets JetStream drop a republished duplicate within its window.

use std::time::Duration;

use async_nats::jetstream::{self, consumer, stream};
use futures::StreamExt;

use super::Envelope;
use super::bus::{Acker, BusError, Delivery};

/// How long JetStream keeps events.
const RETENTION: Duration = Duration::from_secs(7 * 24 * 3600);
/// Window in which a republished event id is dropped as a duplicate.
const DUPLICATE_WINDOW: Duration = Duration::from_secs(120);
/// How long a delivery may stay unacknowledged before it is redelivered.
const ACK_WAIT: Duration = Duration::from_secs(30);

#[derive(Clone)]
pub struct NatsBus {
    js: jetstream::Context,
    stream: String,
    prefix: String,
}

impl std::fmt::Debug for NatsBus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NatsBus")
            .field("stream", &self.stream)
            .field("prefix", &self.prefix)
            .finish()
    }
}

/// Deliveries of one durable pull consumer.
pub struct NatsSubscription {
    messages: consumer::pull::Stream,
}

impl NatsBus {
    /// Connects and makes sure the stream exists.
    pub async fn connect(url: &str, stream_name: &str, prefix: &str) -> Result<Self, BusError> {
        let client = async_nats::ConnectOptions::new()
            .name("dompet-sawit")
            .connection_timeout(Duration::from_secs(5))
            .connect(url)
            .await
            .map_err(|e| BusError::Connect(format!("{url}: {e}")))?;
        let js = jetstream::new(client);
        js.get_or_create_stream(stream::Config {
            name: stream_name.to_owned(),
            subjects: vec![format!("{prefix}.>")],
            max_age: RETENTION,
            duplicate_window: DUPLICATE_WINDOW,
            storage: stream::StorageType::File,
            ..Default::default()
        })
        .await
        .map_err(|e| BusError::Connect(format!("stream {stream_name}: {e}")))?;
        Ok(Self {
            js,
            stream: stream_name.to_owned(),
            prefix: prefix.to_owned(),
        })
    }

    fn subject(&self, topic: &str) -> String {
        format!("{}.{topic}", self.prefix)
    }

    pub(super) async fn publish(&self, envelope: &Envelope) -> Result<(), BusError> {
        let payload = serde_json::to_vec(envelope).map_err(|e| BusError::Publish(e.to_string()))?;
        let message = jetstream::message::PublishMessage::build()
            .payload(payload.into())
            .message_id(&envelope.id);
        let ack = self
            .js
            .send_publish(self.subject(&envelope.topic), message)
            .await
            .map_err(|e| BusError::Publish(e.to_string()))?;
        // The second await is JetStream's acknowledgement that the event is stored.
        ack.await.map_err(|e| BusError::Publish(e.to_string()))?;
        Ok(())
    }

    pub(super) async fn subscribe(
        &self,
        consumer_name: &str,
        filter: &str,
    ) -> Result<NatsSubscription, BusError> {
        let err = |e: &dyn std::fmt::Display| BusError::Subscribe(format!("{consumer_name}: {e}"));
        let stream = self
            .js
            .get_stream(&self.stream)
            .await
            .map_err(|e| err(&e))?;
        let consumer = stream
            .get_or_create_consumer(
                consumer_name,
                consumer::pull::Config {
                    durable_name: Some(consumer_name.to_owned()),
                    filter_subject: self.subject(filter),
                    ack_policy: consumer::AckPolicy::Explicit,
                    ack_wait: ACK_WAIT,
                    deliver_policy: consumer::DeliverPolicy::All,
                    ..Default::default()
                },
            )
            .await
            .map_err(|e| err(&e))?;
        let messages = consumer.messages().await.map_err(|e| err(&e))?;
        Ok(NatsSubscription { messages })
    }

    /// Deletes the stream (tests clean up after themselves).
    pub async fn delete_stream(&self) -> Result<(), BusError> {
        self.js
            .delete_stream(&self.stream)
            .await
            .map(|_| ())
            .map_err(|e| BusError::Connect(e.to_string()))
    }
}

impl NatsSubscription {
    pub(super) async fn next(&mut self) -> Option<Result<Delivery, BusError>> {
        loop {
            let message = match self.messages.next().await? {
                Ok(message) => message,
                Err(e) => return Some(Err(BusError::Subscribe(e.to_string()))),
            };
            match serde_json::from_slice::<Envelope>(&message.payload) {
                Ok(envelope) => {
                    return Some(Ok(Delivery {
                        envelope,
                        acker: Acker::Nats(Box::new(message)),
                    }));
                }
                Err(e) => {
                    // Not an event of ours: it will never decode, so stop its redelivery.
                    tracing::error!(subject = %message.subject, error = %e, "undecodable event terminated");
                    let _ = message.ack_with(jetstream::AckKind::Term).await;
                }
            }
        }
    }
}
