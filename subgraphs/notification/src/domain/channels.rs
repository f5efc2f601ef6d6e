//! Channels: where an email, SMS or WhatsApp message goes. Each is a [`Sender`];
//! the development default sends all three to the local [`Sink`], a folder a person
//! and the tests can read. In-app messages need no sender: they are stored, and
//! `myNotifications` shows them.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;

use super::templates::Channel;

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

/// The local sink: each message is a JSON file `<dir>/<channel>/<message id>.json`.
/// Writing the same message again replaces its file with the same content, so a
/// delivery retried after a crash never shows twice.
#[derive(Debug, Clone)]
pub struct Sink {
    dir: PathBuf,
}

impl Sink {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// Every message in the sink of `dir`, oldest file first (by message id, which
    /// is time-ordered).
    pub fn read_all(dir: &Path) -> std::io::Result<Vec<serde_json::Value>> {
        let mut files = Vec::new();
        for channel in ["email", "sms", "whatsapp"] {
            let folder = dir.join(channel);
            if !folder.exists() {
                continue;
            }
            for entry in std::fs::read_dir(folder)? {
                let path = entry?.path();
                if path.extension().is_some_and(|e| e == "json") {
                    files.push(path);
                }
            }
        }
        files.sort_by_key(|p| p.file_name().map(ToOwned::to_owned));
        files
            .into_iter()
            .map(|path| {
                let text = std::fs::read_to_string(path)?;
                serde_json::from_str(&text).map_err(std::io::Error::other)
            })
            .collect()
    }
}

impl Sender for Sink {
    fn send<'a>(
        &'a self,
        message: &'a Outgoing,
    ) -> Pin<Box<dyn Future<Output = Result<(), SendError>> + Send + 'a>> {
        Box::pin(async move {
            let folder = self.dir.join(message.channel.to_ascii_lowercase());
            let text =
                serde_json::to_vec_pretty(message).map_err(|e| SendError(format!("sink: {e}")))?;
            let path = folder.join(format!("{}.json", message.id));
            let partial = folder.join(format!(".{}.partial", message.id));
            let write = async {
                tokio::fs::create_dir_all(&folder).await?;
                tokio::fs::write(&partial, text).await?;
                tokio::fs::rename(&partial, &path).await
            };
            write
                .await
                .map_err(|e| SendError(format!("sink {}: {e}", folder.display())))
        })
    }
}
