//! SMS and WhatsApp through HTTP providers.
//!
//! - [`HttpSms`]: a generic SMS gateway. `POST <url>` with a bearer token and
//!   `{"to", "message", "reference"}`; any 2xx is accepted.
//! - [`WhatsAppCloud`]: Meta's WhatsApp Business Cloud API, `POST
//!   <base>/<phone number id>/messages` with `{"messaging_product": "whatsapp",
//!   "to", "type": "text", "text": {"body"}}` and the access token.
//!
//! Both send `Idempotency-Key: <message id>`, so a provider that honours it (and
//! the tests' provider doubles) takes a retried message once. A 4xx other than 408
//! and 429 is a refusal that retrying cannot fix, but it is retried like the others
//! until the message is DEAD, so an admin sees why.

use std::future::Future;
use std::pin::Pin;

use secrecy::{ExposeSecret, SecretString};
use serde_json::json;

use super::{Outgoing, SendError, Sender};

/// A generic HTTP SMS gateway.
#[derive(Clone)]
pub struct HttpSms {
    pub url: String,
    pub token: Option<SecretString>,
    pub sender_id: Option<String>,
    pub http: reqwest::Client,
}

/// The WhatsApp Business Cloud API.
#[derive(Clone)]
pub struct WhatsAppCloud {
    /// e.g. `https://graph.facebook.com/v21.0`
    pub base_url: String,
    pub phone_number_id: String,
    pub token: SecretString,
    pub http: reqwest::Client,
}

impl std::fmt::Debug for HttpSms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpSms")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for WhatsAppCloud {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WhatsAppCloud")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

/// Posts `body` and takes any 2xx as accepted.
async fn post(
    http: &reqwest::Client,
    url: &str,
    token: Option<&SecretString>,
    message: &Outgoing,
    body: serde_json::Value,
    provider: &str,
) -> Result<(), SendError> {
    let mut request = http
        .post(url)
        .header("Idempotency-Key", &message.id)
        .json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token.expose_secret());
    }
    let response = request
        .send()
        .await
        .map_err(|e| SendError(format!("{provider}: {e}")))?;
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    let text = response.text().await.unwrap_or_default();
    let excerpt: String = text.chars().take(200).collect();
    Err(SendError(format!(
        "{provider} answered {status}: {excerpt}"
    )))
}

impl Sender for HttpSms {
    fn send<'a>(
        &'a self,
        message: &'a Outgoing,
    ) -> Pin<Box<dyn Future<Output = Result<(), SendError>> + Send + 'a>> {
        Box::pin(async move {
            let mut body = json!({
                "to": message.destination,
                "message": message.body,
                "reference": message.id,
            });
            if let Some(sender) = &self.sender_id {
                body["from"] = json!(sender);
            }
            post(
                &self.http,
                &self.url,
                self.token.as_ref(),
                message,
                body,
                "the SMS provider",
            )
            .await
        })
    }
}

impl Sender for WhatsAppCloud {
    fn send<'a>(
        &'a self,
        message: &'a Outgoing,
    ) -> Pin<Box<dyn Future<Output = Result<(), SendError>> + Send + 'a>> {
        Box::pin(async move {
            let url = format!(
                "{}/{}/messages",
                self.base_url.trim_end_matches('/'),
                self.phone_number_id
            );
            // The Cloud API wants the number without `+`.
            let to = message.destination.trim_start_matches('+');
            let body = json!({
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": to,
                "type": "text",
                "text": { "preview_url": false, "body": message.body },
                "biz_opaque_callback_data": message.id,
            });
            post(
                &self.http,
                &url,
                Some(&self.token),
                message,
                body,
                "WhatsApp",
            )
            .await
        })
    }
}
