//! The audit trail's rules, free of GraphQL: entries are recorded from events (or
//! the internal `addHistory`), once per party and side of a transaction; owners
//! read theirs newest first and may hide one from their own view.

mod entries;
pub mod events;
mod pages;

use platform::SharedClock;
use sea_orm::DatabaseConnection;

pub use entries::NewEntry;
pub use pages::{Page, cursor_of};

/// The history subgraph's business operations.
pub struct HistoryService {
    pub(crate) db: DatabaseConnection,
    pub(crate) clock: SharedClock,
}

impl std::fmt::Debug for HistoryService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HistoryService").finish_non_exhaustive()
    }
}

impl HistoryService {
    pub fn new(db: DatabaseConnection, clock: SharedClock) -> Self {
        Self { db, clock }
    }
}
