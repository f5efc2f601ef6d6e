//! From events to messages. Each event type is a [`Mapping`]: the topic it comes
//! on and a function from its payload to the messages it asks for ([`Intent`]s),
//! each naming a template. Adding an event type is a template (see `templates`)
//! and a line in [`MAPPINGS`]; the consumer, once-per-event and delivery are
//! shared.

use std::sync::Arc;

use chrono::{DateTime, FixedOffset, Utc};
use platform::Rupiah;
use platform::events::{Envelope, EventHandler, HandlerError};
use sea_orm::DatabaseTransaction;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::NotificationService;
use super::messages::Intent;
use super::templates::Channel;

/// How one event type becomes messages.
#[derive(Debug, Clone, Copy)]
pub struct Mapping {
    /// The consumer's name (its inbox and, on NATS, its durable consumer).
    pub consumer: &'static str,
    /// The topic it listens to.
    pub topic: &'static str,
    /// The messages an event asks for; `Err` for a payload of the wrong shape.
    pub intents: fn(&Envelope) -> Result<Vec<Intent>, String>,
}

/// Every event type the notification service turns into messages.
pub const MAPPINGS: &[Mapping] = &[
    Mapping {
        consumer: "notification-otp",
        topic: "auth.otp.requested",
        intents: otp_requested,
    },
    Mapping {
        consumer: "notification-payment",
        topic: "transaction.succeeded",
        intents: transaction_succeeded,
    },
];

/// Western Indonesian Time, which the messages speak in.
fn wib(at: DateTime<Utc>) -> String {
    let offset = FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset");
    format!("{} WIB", at.with_timezone(&offset).format("%d/%m/%Y %H:%M"))
}

fn variables(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// `auth.otp.requested`: the code, by email or SMS — a security message.
fn otp_requested(event: &Envelope) -> Result<Vec<Intent>, String> {
    #[derive(Deserialize)]
    struct Otp {
        user_id: String,
        /// `EMAIL` or `PHONE`.
        channel: String,
        destination: String,
        code: String,
        expires_at: DateTime<Utc>,
        #[serde(default)]
        fullname: Option<String>,
    }
    let otp: Otp = event.payload_as().map_err(|e| e.to_string())?;
    let channel = match otp.channel.as_str() {
        "EMAIL" => Channel::Email,
        "PHONE" => Channel::Sms,
        other => return Err(format!("unknown OTP channel {other}")),
    };
    Ok(vec![Intent {
        user_id: Some(otp.user_id),
        channel,
        destination: otp.destination,
        template: "OTP_VERIFICATION",
        variables: variables(json!({
            "code": otp.code,
            "expires_at": wib(otp.expires_at),
            "fullname": otp.fullname.unwrap_or_else(|| "Nasabah".into()),
        })),
        security: true,
    }])
}

/// `transaction.succeeded`: a payment's success, in-app for the payer.
fn transaction_succeeded(event: &Envelope) -> Result<Vec<Intent>, String> {
    #[derive(Deserialize)]
    struct Succeeded {
        transaction_id: String,
        user_id: String,
        amount: i64,
        #[serde(rename = "type")]
        kind: String,
    }
    let done: Succeeded = event.payload_as().map_err(|e| e.to_string())?;
    if done.kind != "PAYMENT" {
        return Ok(Vec::new());
    }
    Ok(vec![Intent {
        destination: done.user_id.clone(),
        user_id: Some(done.user_id),
        channel: Channel::InApp,
        template: "PAYMENT_SUCCESS",
        variables: variables(json!({
            "amount": Rupiah::new(done.amount).to_string(),
            "transaction_id": done.transaction_id,
        })),
        security: false,
    }])
}

/// The consumer of one mapping's events.
#[derive(Debug, Clone)]
pub struct MappedEvents {
    pub service: Arc<NotificationService>,
    pub mapping: Mapping,
}

impl EventHandler for MappedEvents {
    async fn handle(
        &self,
        event: &Envelope,
        txn: &DatabaseTransaction,
    ) -> Result<(), HandlerError> {
        let intents = (self.mapping.intents)(event)
            .map_err(|e| HandlerError::Discard(format!("malformed {} event: {e}", event.topic)))?;
        let made = self
            .service
            .make(txn, &event.id, &event.topic, intents)
            .await
            .map_err(|e| HandlerError::Retry(e.to_string()))?;
        if made > 0 {
            // Woken a moment before the consumer commits: the worker may not see
            // the message yet, and then its next poll (`NOTIFICATION_POLL_MS`) does.
            self.service.due.notify_one();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn envelope(topic: &str, payload: Value) -> Envelope {
        Envelope {
            id: "e-1".into(),
            topic: topic.into(),
            source: "test".into(),
            aggregate_id: "a-1".into(),
            occurred_at: Utc::now(),
            payload,
        }
    }

    #[test]
    fn an_otp_by_phone_is_an_sms_security_message_in_jakarta_time() {
        let intents = otp_requested(&envelope(
            "auth.otp.requested",
            json!({
                "otp_id": "o-1", "user_id": "u-1", "channel": "PHONE",
                "destination": "+6281234567890", "code": "042137",
                "expires_at": "2026-11-21T03:05:00Z", "fullname": "Naruto"
            }),
        ))
        .expect("maps");
        assert_eq!(intents.len(), 1);
        let sms = &intents[0];
        assert_eq!(sms.channel, Channel::Sms);
        assert!(sms.security);
        assert_eq!(sms.destination, "+6281234567890");
        assert_eq!(sms.variables["code"], "042137");
        assert_eq!(sms.variables["expires_at"], "21/11/2026 10:05 WIB");
    }

    #[test]
    fn a_payment_is_an_in_app_message_and_other_transactions_none() {
        let payment = envelope(
            "transaction.succeeded",
            json!({ "transaction_id": "t-1", "user_id": "u-1", "amount": 1250000, "type": "PAYMENT" }),
        );
        let intents = transaction_succeeded(&payment).expect("maps");
        assert_eq!(intents[0].channel, Channel::InApp);
        assert_eq!(intents[0].variables["amount"], "Rp 1.250.000");
        let deposit = envelope(
            "transaction.succeeded",
            json!({ "transaction_id": "t-2", "user_id": "u-1", "amount": 5, "type": "DEPOSIT" }),
        );
        assert_eq!(transaction_succeeded(&deposit), Ok(Vec::new()));
    }

    #[test]
    fn a_payload_of_the_wrong_shape_is_an_error() {
        let broken = envelope("auth.otp.requested", json!({ "user_id": 5 }));
        assert!(otp_requested(&broken).is_err());
    }
}
