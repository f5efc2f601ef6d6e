//! Cursor pagination of a user's history, newest first (see
//! [`platform::pagination`]).

use platform::pagination::Cursor;
use sea_orm::{QueryFilter, QueryOrder, QuerySelect};

use super::HistoryService;
use crate::db::entities::history_entry;
use crate::error::HistoryError;

/// The cursor of `entry`.
pub fn cursor_of(entry: &history_entry::Model) -> Cursor {
    Cursor::new(entry.occurred_at, entry.id.clone())
}

/// One page of entries.
#[derive(Debug, Clone)]
pub struct Page {
    pub entries: Vec<history_entry::Model>,
    pub has_next_page: bool,
}

impl HistoryService {
    /// Up to `first` of `user_id`'s visible entries after `after`, newest first.
    pub async fn page(
        &self,
        user_id: &str,
        first: u64,
        after: Option<&Cursor>,
    ) -> Result<Page, HistoryError> {
        let mut query = self.visible(user_id);
        if let Some(cursor) = after {
            query = query
                .filter(cursor.after(history_entry::Column::OccurredAt, history_entry::Column::Id));
        }
        let mut entries = query
            .order_by_desc(history_entry::Column::OccurredAt)
            .order_by_desc(history_entry::Column::Id)
            .limit(first + 1)
            .all(&self.db)
            .await?;
        let has_next_page = entries.len() as u64 > first;
        entries.truncate(usize::try_from(first).unwrap_or(usize::MAX));
        Ok(Page {
            entries,
            has_next_page,
        })
    }
}
