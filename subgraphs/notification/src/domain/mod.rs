//! The notification rules, free of GraphQL: events become messages (`events`), by
//! template (`templates`), once per (event, channel, recipient) (`messages`); the
//! delivery worker sends them over their channel with retries (`delivery`,
//! `channels`).

pub mod channels;
mod delivery;
pub mod events;
mod messages;
mod preferences;
pub mod templates;

use std::sync::Arc;

use platform::SharedClock;
use sea_orm::DatabaseConnection;
use tokio::sync::Notify;

use crate::config::DeliveryConfig;
pub use channels::{Channels, Outgoing, SendError, Sender};
pub use delivery::{Delivered, REDACTED};
pub use messages::{Intent, MessagePage, state};
pub use templates::Channel;

/// The notification subgraph's business operations.
pub struct NotificationService {
    pub(crate) db: DatabaseConnection,
    pub(crate) clock: SharedClock,
    pub(crate) delivery: DeliveryConfig,
    pub(crate) channels: Channels,
    /// Wakes the delivery worker when messages are made or resent.
    pub(crate) due: Arc<Notify>,
}

impl std::fmt::Debug for NotificationService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NotificationService")
            .finish_non_exhaustive()
    }
}

impl NotificationService {
    pub fn new(
        db: DatabaseConnection,
        clock: SharedClock,
        delivery: DeliveryConfig,
        channels: Channels,
    ) -> Self {
        Self {
            db,
            clock,
            delivery,
            channels,
            due: Arc::new(Notify::new()),
        }
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }
}
