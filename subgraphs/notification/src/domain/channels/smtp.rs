//! Email over SMTP (lettre): implicit TLS (port 465), STARTTLS (587) or, for a
//! local relay or tests only, none. Each email carries `Message-ID:
//! <message id@domain>`, so a retry after a crash is recognisably the same email.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};

use super::{Outgoing, SendError, Sender};

/// How the connection to the SMTP server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SmtpSecurity {
    /// TLS from the first byte (usually port 465).
    Tls,
    /// Plain, upgraded with STARTTLS before anything is sent (usually port 587).
    Starttls,
    /// No encryption: a relay on the same host, or tests.
    None,
}

/// An SMTP server to send email through.
#[derive(Clone)]
pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    domain: String,
}

impl std::fmt::Debug for Smtp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Smtp")
            .field("from", &self.from)
            .finish_non_exhaustive()
    }
}

impl Smtp {
    /// A sender through `host:port`. `from` is the sender's address
    /// (`Dompet Sawit <no-reply@…>`); its domain names the `Message-ID`s.
    pub fn new(
        host: &str,
        port: u16,
        security: SmtpSecurity,
        credentials: Option<(String, SecretString)>,
        from: &str,
        timeout: Duration,
    ) -> anyhow::Result<Self> {
        let from: Mailbox = from
            .parse()
            .map_err(|e| anyhow::anyhow!("SMTP_FROM {from:?} is not an address: {e}"))?;
        let domain = from.email.domain().to_owned();
        let mut builder = match security {
            SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host)?,
            SmtpSecurity::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)?,
            SmtpSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
        }
        .port(port)
        .timeout(Some(timeout));
        if let Some((user, password)) = credentials {
            builder =
                builder.credentials(Credentials::new(user, password.expose_secret().to_owned()));
        }
        Ok(Self {
            transport: builder.build(),
            from,
            domain,
        })
    }

    fn email(&self, message: &Outgoing) -> Result<Message, SendError> {
        let to: Mailbox = message.destination.parse().map_err(|e| {
            SendError(format!(
                "{:?} is not an email address: {e}",
                message.destination
            ))
        })?;
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .message_id(Some(format!("<{}@{}>", message.id, self.domain)))
            .subject(message.subject.clone().unwrap_or_default())
            .header(ContentType::TEXT_PLAIN)
            .body(message.body.clone())
            .map_err(|e| SendError(format!("the email cannot be built: {e}")))
    }
}

impl Sender for Smtp {
    fn send<'a>(
        &'a self,
        message: &'a Outgoing,
    ) -> Pin<Box<dyn Future<Output = Result<(), SendError>> + Send + 'a>> {
        Box::pin(async move {
            let email = self.email(message)?;
            self.transport
                .send(email)
                .await
                .map(drop)
                .map_err(|e| SendError(format!("SMTP: {e}")))
        })
    }
}
