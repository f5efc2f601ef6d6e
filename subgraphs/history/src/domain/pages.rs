//! Cursor pagination of a user's history, newest first. A cursor is the position of
//! an entry (its time and id), so pages stay stable while new entries arrive.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, Condition, QueryFilter, QueryOrder, QuerySelect};

use super::HistoryService;
use crate::db::entities::history_entry;
use crate::error::HistoryError;

/// Where a page starts: after the entry at (`occurred_at`, `id`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub occurred_at: DateTime<Utc>,
    pub id: String,
}

impl Cursor {
    pub fn of(entry: &history_entry::Model) -> Self {
        Self {
            occurred_at: entry.occurred_at,
            id: entry.id.clone(),
        }
    }

    /// The opaque text form clients pass back as `after`.
    pub fn encode(&self) -> String {
        let raw = format!("{}|{}", self.occurred_at.timestamp_micros(), self.id);
        URL_SAFE_NO_PAD.encode(raw)
    }

    pub fn decode(text: &str) -> Result<Self, HistoryError> {
        let invalid = || HistoryError::bad_input("after", "`after` is not a cursor this API gave.");
        let raw = URL_SAFE_NO_PAD.decode(text).map_err(|_| invalid())?;
        let raw = String::from_utf8(raw).map_err(|_| invalid())?;
        let (micros, id) = raw.split_once('|').ok_or_else(invalid)?;
        let micros: i64 = micros.parse().map_err(|_| invalid())?;
        let occurred_at = DateTime::from_timestamp_micros(micros).ok_or_else(invalid)?;
        Ok(Self {
            occurred_at,
            id: id.to_owned(),
        })
    }
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
            query = query.filter(
                Condition::any()
                    .add(history_entry::Column::OccurredAt.lt(cursor.occurred_at))
                    .add(
                        Condition::all()
                            .add(history_entry::Column::OccurredAt.eq(cursor.occurred_at))
                            .add(history_entry::Column::Id.lt(cursor.id.as_str())),
                    ),
            );
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_round_trips_and_garbage_is_refused() {
        let cursor = Cursor {
            occurred_at: DateTime::from_timestamp_micros(1_790_000_000_123_456).expect("valid"),
            id: "0194-abc".into(),
        };
        assert_eq!(Cursor::decode(&cursor.encode()).expect("decodes"), cursor);
        for garbage in ["", "%%%", "bm9waXBl", &URL_SAFE_NO_PAD.encode("x|y")] {
            assert!(Cursor::decode(garbage).is_err(), "{garbage}");
        }
    }
}
