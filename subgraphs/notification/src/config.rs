//! The notification subgraph's settings.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, ValueEnum};
use platform::config::CommonConfig;
use secrecy::SecretString;

use crate::domain::channels::SmtpSecurity;

pub const DEFAULT_PORT: u16 = 8009;

/// The notification subgraph.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "notification",
    version,
    about = "Dompet Sawit notification subgraph: messages from events, each once"
)]
pub struct Config {
    /// Port to listen on.
    #[arg(long, env = "PORT", default_value_t = DEFAULT_PORT)]
    pub port: u16,

    #[command(flatten)]
    pub delivery: DeliveryConfig,

    #[command(flatten)]
    pub channels: ChannelsConfig,

    #[command(flatten)]
    pub common: CommonConfig,
}

/// Where email goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EmailTransport {
    /// The development sink.
    Sink,
    Smtp,
}

/// Where SMS goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SmsTransport {
    Sink,
    /// A generic HTTP SMS gateway.
    Http,
}

/// Where WhatsApp messages go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WhatsAppTransport {
    Sink,
    /// The WhatsApp Business Cloud API.
    Cloud,
}

/// The providers of email, SMS and WhatsApp (the sink unless set).
#[derive(Debug, Clone, Args)]
pub struct ChannelsConfig {
    #[arg(long, env = "EMAIL_TRANSPORT", value_enum, default_value = "sink")]
    pub email_transport: EmailTransport,
    /// The SMTP server (with `EMAIL_TRANSPORT=smtp`).
    #[arg(long, env = "SMTP_HOST")]
    pub smtp_host: Option<String>,
    #[arg(long, env = "SMTP_PORT", default_value_t = 587)]
    pub smtp_port: u16,
    /// `starttls` (587), `tls` (465) or `none` (a local relay only).
    #[arg(long, env = "SMTP_SECURITY", value_enum, default_value = "starttls")]
    pub smtp_security: SmtpSecurity,
    #[arg(long, env = "SMTP_USERNAME")]
    pub smtp_username: Option<String>,
    #[arg(long, env = "SMTP_PASSWORD")]
    pub smtp_password: Option<SecretString>,
    /// The sender, e.g. `Dompet Sawit <no-reply@dompetsawit.id>`.
    #[arg(
        long,
        env = "SMTP_FROM",
        default_value = "Dompet Sawit <no-reply@dompetsawit.local>"
    )]
    pub smtp_from: String,
    #[arg(long, env = "SMTP_TIMEOUT_SECS", default_value_t = 15)]
    pub smtp_timeout_secs: u64,

    #[arg(long, env = "SMS_TRANSPORT", value_enum, default_value = "sink")]
    pub sms_transport: SmsTransport,
    /// The SMS gateway's send endpoint (with `SMS_TRANSPORT=http`).
    #[arg(long, env = "SMS_HTTP_URL")]
    pub sms_http_url: Option<String>,
    #[arg(long, env = "SMS_HTTP_TOKEN")]
    pub sms_http_token: Option<SecretString>,
    /// The sender name or number shown to the recipient.
    #[arg(long, env = "SMS_SENDER_ID")]
    pub sms_sender_id: Option<String>,

    #[arg(long, env = "WHATSAPP_TRANSPORT", value_enum, default_value = "sink")]
    pub whatsapp_transport: WhatsAppTransport,
    #[arg(
        long,
        env = "WHATSAPP_API_URL",
        default_value = "https://graph.facebook.com/v21.0"
    )]
    pub whatsapp_api_url: String,
    /// The business phone number's id (with `WHATSAPP_TRANSPORT=cloud`).
    #[arg(long, env = "WHATSAPP_PHONE_NUMBER_ID")]
    pub whatsapp_phone_number_id: Option<String>,
    #[arg(long, env = "WHATSAPP_TOKEN")]
    pub whatsapp_token: Option<SecretString>,
}

impl ChannelsConfig {
    pub fn local() -> Self {
        Self {
            email_transport: EmailTransport::Sink,
            smtp_host: None,
            smtp_port: 587,
            smtp_security: SmtpSecurity::Starttls,
            smtp_username: None,
            smtp_password: None,
            smtp_from: "Dompet Sawit <no-reply@dompetsawit.local>".into(),
            smtp_timeout_secs: 15,
            sms_transport: SmsTransport::Sink,
            sms_http_url: None,
            sms_http_token: None,
            sms_sender_id: None,
            whatsapp_transport: WhatsAppTransport::Sink,
            whatsapp_api_url: "https://graph.facebook.com/v21.0".into(),
            whatsapp_phone_number_id: None,
            whatsapp_token: None,
        }
    }
}

/// How messages are delivered.
#[derive(Debug, Clone, Args)]
pub struct DeliveryConfig {
    /// Folder the development sink writes every outgoing email, SMS and WhatsApp
    /// message to, one file per message [default: `<DATA_DIR>/notification-sink`].
    #[arg(long = "notification-sink-dir", env = "NOTIFICATION_SINK_DIR")]
    pub sink_dir: Option<PathBuf>,

    /// Attempts at a message before it is DEAD (an admin can resend it).
    #[arg(
        long = "notification-max-attempts",
        env = "NOTIFICATION_MAX_ATTEMPTS",
        default_value_t = 5
    )]
    pub max_attempts: u32,

    /// Wait before the first retry; it doubles with each failure (with jitter).
    #[arg(
        long = "notification-retry-base-ms",
        env = "NOTIFICATION_RETRY_BASE_MS",
        default_value_t = 2_000
    )]
    pub retry_base_ms: u64,

    /// The longest wait between two attempts.
    #[arg(
        long = "notification-retry-max-secs",
        env = "NOTIFICATION_RETRY_MAX_SECS",
        default_value_t = 600
    )]
    pub retry_max_secs: u64,

    /// How often the delivery worker looks for messages due (it is also woken when
    /// messages are made).
    #[arg(
        long = "notification-poll-ms",
        env = "NOTIFICATION_POLL_MS",
        default_value_t = 250
    )]
    pub poll_ms: u64,

    /// How long a delivery attempt may take before another worker may try again.
    #[arg(
        long = "notification-attempt-timeout-secs",
        env = "NOTIFICATION_ATTEMPT_TIMEOUT_SECS",
        default_value_t = 30
    )]
    pub attempt_timeout_secs: u64,
}

impl DeliveryConfig {
    pub fn local() -> Self {
        Self {
            sink_dir: None,
            max_attempts: 5,
            retry_base_ms: 2_000,
            retry_max_secs: 600,
            poll_ms: 250,
            attempt_timeout_secs: 30,
        }
    }

    /// The sink folder, under `data_dir` unless set.
    pub fn sink_dir(&self, data_dir: &std::path::Path) -> PathBuf {
        self.sink_dir
            .clone()
            .unwrap_or_else(|| data_dir.join("notification-sink"))
    }

    pub fn retry_base(&self) -> Duration {
        Duration::from_millis(self.retry_base_ms)
    }

    pub fn retry_max(&self) -> Duration {
        Duration::from_secs(self.retry_max_secs)
    }

    pub fn poll(&self) -> Duration {
        Duration::from_millis(self.poll_ms)
    }

    pub fn attempt_timeout(&self) -> Duration {
        Duration::from_secs(self.attempt_timeout_secs)
    }
}

impl Config {
    /// Development defaults, without reading the environment (tests, launcher).
    pub fn local() -> Self {
        Self {
            port: DEFAULT_PORT,
            delivery: DeliveryConfig::local(),
            channels: ChannelsConfig::local(),
            common: CommonConfig::local(),
        }
    }

    /// Refuses settings that cannot work.
    pub fn validate(&self) -> anyhow::Result<()> {
        let d = &self.delivery;
        anyhow::ensure!(
            d.max_attempts >= 1,
            "NOTIFICATION_MAX_ATTEMPTS must be at least 1"
        );
        anyhow::ensure!(d.poll_ms >= 1, "NOTIFICATION_POLL_MS must be at least 1");
        anyhow::ensure!(
            d.attempt_timeout_secs >= 1,
            "NOTIFICATION_ATTEMPT_TIMEOUT_SECS must be at least 1"
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_defaults_are_the_documented_flag_defaults() {
        let parsed: Config = platform::config::flag_defaults();
        assert_eq!(format!("{parsed:?}"), format!("{:?}", Config::local()));
    }

    #[test]
    fn settings_that_cannot_work_are_refused() {
        let mut config = Config::local();
        config.delivery.max_attempts = 0;
        assert!(config.validate().is_err());
        assert!(Config::local().validate().is_ok());
    }
}
