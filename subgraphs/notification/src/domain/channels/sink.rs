//! The development sink.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;

use super::{Outgoing, SendError, Sender};

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
