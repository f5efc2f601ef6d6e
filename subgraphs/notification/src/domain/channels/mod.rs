//! Channels: where an email, SMS or WhatsApp message goes. Each is a [`Sender`]:
//! email over SMTP ([`Smtp`]), SMS through a generic HTTP provider ([`HttpSms`]),
//! WhatsApp through the WhatsApp Business Cloud API ([`WhatsAppCloud`]); the
//! development default sends all three to the local [`Sink`], a folder a person and
//! the tests can read. In-app messages need no sender: they are stored, and
//! `myNotifications` shows them.

mod http;
mod sink;
mod smtp;

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;

pub use http::{HttpSms, WhatsAppCloud};
pub use sink::Sink;
pub use smtp::{Smtp, SmtpSecurity};

use super::templates::Channel;
use crate::config::{ChannelsConfig, EmailTransport, SmsTransport, WhatsAppTransport};

/// A message as a channel sends it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Outgoing {
    /// The message id: a resend after a crash carries the same id, so the receiving
    /// side (and the sink) can tell it is the same message.
    pub id: String,
    pub channel: &'static str,
    pub destination: String,
    pub subject: Option<String>,
    pub body: String,
    pub template_code: String,
    pub event_id: String,
}

/// Why a channel did not take a message.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct SendError(pub String);

/// Sends messages of one channel.
pub trait Sender: Send + Sync + 'static {
    /// Sends `message`; `Ok` once the provider (or sink) took it.
    fn send<'a>(
        &'a self,
        message: &'a Outgoing,
    ) -> Pin<Box<dyn Future<Output = Result<(), SendError>> + Send + 'a>>;
}

/// The sender of each external channel.
#[derive(Clone)]
pub struct Channels {
    pub email: Arc<dyn Sender>,
    pub sms: Arc<dyn Sender>,
    pub whatsapp: Arc<dyn Sender>,
}

impl std::fmt::Debug for Channels {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Channels").finish_non_exhaustive()
    }
}

impl Channels {
    /// Every channel to the sink in `dir` (the development default).
    pub fn sink(dir: impl Into<PathBuf>) -> Self {
        let sink: Arc<dyn Sender> = Arc::new(Sink::new(dir));
        Self {
            email: sink.clone(),
            sms: sink.clone(),
            whatsapp: sink,
        }
    }

    /// The providers `config` names; the sink (in `sink_dir`) for each channel
    /// that has none.
    pub fn from_config(config: &ChannelsConfig, sink_dir: PathBuf) -> anyhow::Result<Self> {
        let sink: Arc<dyn Sender> = Arc::new(Sink::new(sink_dir));
        let http = platform::http_client::client();
        let email: Arc<dyn Sender> = match config.email_transport {
            EmailTransport::Sink => sink.clone(),
            EmailTransport::Smtp => {
                let host = config
                    .smtp_host
                    .as_deref()
                    .context("EMAIL_TRANSPORT=smtp needs SMTP_HOST")?;
                let credentials = match (&config.smtp_username, &config.smtp_password) {
                    (Some(user), Some(password)) => Some((user.clone(), password.clone())),
                    (None, None) => None,
                    _ => anyhow::bail!("SMTP_USERNAME and SMTP_PASSWORD go together"),
                };
                Arc::new(Smtp::new(
                    host,
                    config.smtp_port,
                    config.smtp_security,
                    credentials,
                    &config.smtp_from,
                    Duration::from_secs(config.smtp_timeout_secs),
                )?)
            }
        };
        let sms: Arc<dyn Sender> = match config.sms_transport {
            SmsTransport::Sink => sink.clone(),
            SmsTransport::Http => Arc::new(HttpSms {
                url: config
                    .sms_http_url
                    .clone()
                    .context("SMS_TRANSPORT=http needs SMS_HTTP_URL")?,
                token: config.sms_http_token.clone(),
                sender_id: config.sms_sender_id.clone(),
                http: http.clone(),
            }),
        };
        let whatsapp: Arc<dyn Sender> = match config.whatsapp_transport {
            WhatsAppTransport::Sink => sink,
            WhatsAppTransport::Cloud => Arc::new(WhatsAppCloud {
                base_url: config.whatsapp_api_url.clone(),
                phone_number_id: config
                    .whatsapp_phone_number_id
                    .clone()
                    .context("WHATSAPP_TRANSPORT=cloud needs WHATSAPP_PHONE_NUMBER_ID")?,
                token: config
                    .whatsapp_token
                    .clone()
                    .context("WHATSAPP_TRANSPORT=cloud needs WHATSAPP_TOKEN")?,
                http,
            }),
        };
        Ok(Self {
            email,
            sms,
            whatsapp,
        })
    }

    /// The sender of `channel`; `None` for in-app.
    pub fn of(&self, channel: Channel) -> Option<&Arc<dyn Sender>> {
        match channel {
            Channel::Email => Some(&self.email),
            Channel::Sms => Some(&self.sms),
            Channel::WhatsApp => Some(&self.whatsapp),
            Channel::InApp => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(configure: impl FnOnce(&mut ChannelsConfig)) -> String {
        let mut config = ChannelsConfig::local();
        configure(&mut config);
        match Channels::from_config(&config, PathBuf::from("sink")) {
            Ok(_) => panic!("accepted"),
            Err(err) => err.to_string(),
        }
    }

    #[test]
    fn a_provider_without_its_settings_is_refused_at_start() {
        assert!(refused(|c| c.email_transport = EmailTransport::Smtp).contains("SMTP_HOST"));
        assert!(
            refused(|c| {
                c.email_transport = EmailTransport::Smtp;
                c.smtp_host = Some("mail.example.com".into());
                c.smtp_username = Some("user".into());
            })
            .contains("go together")
        );
        assert!(
            refused(|c| {
                c.email_transport = EmailTransport::Smtp;
                c.smtp_host = Some("mail.example.com".into());
                c.smtp_from = "not an address".into();
            })
            .contains("SMTP_FROM")
        );
        assert!(refused(|c| c.sms_transport = SmsTransport::Http).contains("SMS_HTTP_URL"));
        assert!(
            refused(|c| c.whatsapp_transport = WhatsAppTransport::Cloud)
                .contains("WHATSAPP_PHONE_NUMBER_ID")
        );
        assert!(Channels::from_config(&ChannelsConfig::local(), PathBuf::from("sink")).is_ok());
    }
}
