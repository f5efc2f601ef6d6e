//! Recording entries (idempotently), reading and hiding them.

use platform::Rupiah;
use platform::db::begin_write;
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::HistoryService;
use crate::db::entities::{hidden_entry, history_entry};
use crate::error::HistoryError;

/// An entry to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    pub transaction_id: String,
    pub user_id: String,
    pub wallet_id: Option<String>,
    pub counterparty_wallet_id: Option<String>,
    pub amount: Rupiah,
    pub kind: String,
    pub direction: &'static str,
    pub status: String,
    pub va_number: Option<String>,
    pub reason: Option<String>,
    pub occurred_at: chrono::DateTime<chrono::Utc>,
    pub source: String,
}

/// Money left the party's wallet.
pub const DEBIT: &str = "DEBIT";
/// Money reached the party's wallet.
pub const CREDIT: &str = "CREDIT";

impl HistoryService {
    /// Records `entries` through `conn`; an entry already recorded for the same
    /// transaction, party and side is left as it is. Returns how many were new.
    pub async fn record<C: ConnectionTrait>(
        &self,
        conn: &C,
        entries: Vec<NewEntry>,
    ) -> Result<u64, HistoryError> {
        if entries.is_empty() {
            return Ok(0);
        }
        let now = self.clock.now();
        let rows = entries.into_iter().map(|entry| history_entry::ActiveModel {
            id: Set(uuid::Uuid::now_v7().to_string()),
            transaction_id: Set(entry.transaction_id),
            user_id: Set(entry.user_id),
            wallet_id: Set(entry.wallet_id),
            counterparty_wallet_id: Set(entry.counterparty_wallet_id),
            amount: Set(entry.amount.get()),
            r#type: Set(entry.kind),
            direction: Set(entry.direction.to_owned()),
            status: Set(entry.status),
            va_number: Set(entry.va_number),
            reason: Set(entry.reason),
            occurred_at: Set(entry.occurred_at),
            recorded_at: Set(now),
            source: Set(entry.source),
        });
        // One statement for all the entries of an event.
        let result = history_entry::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::columns([
                    history_entry::Column::TransactionId,
                    history_entry::Column::UserId,
                    history_entry::Column::Direction,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(conn)
            .await;
        match result {
            Ok(rows) => Ok(rows),
            Err(sea_orm::DbErr::RecordNotInserted) => Ok(0),
            Err(err) => Err(err.into()),
        }
    }

    /// `user_id`'s visible entries, newest first.
    pub async fn entries_of(
        &self,
        user_id: &str,
        limit: u64,
    ) -> Result<Vec<history_entry::Model>, HistoryError> {
        Ok(self
            .visible(user_id)
            .order_by_desc(history_entry::Column::OccurredAt)
            .order_by_desc(history_entry::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?)
    }

    /// Every entry of `user_id`, hidden ones too, with the hidden marks: the audit
    /// view for admins.
    pub async fn audit_trail(
        &self,
        user_id: &str,
        limit: u64,
    ) -> Result<Vec<(history_entry::Model, Option<hidden_entry::Model>)>, HistoryError> {
        let entries = history_entry::Entity::find()
            .filter(history_entry::Column::UserId.eq(user_id))
            .order_by_desc(history_entry::Column::OccurredAt)
            .order_by_desc(history_entry::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?;
        let mut hidden = hidden_entry::Entity::find()
            .filter(hidden_entry::Column::HistoryId.is_in(entries.iter().map(|e| e.id.as_str())))
            .all(&self.db)
            .await?;
        Ok(entries
            .into_iter()
            .map(|entry| {
                let mark = hidden
                    .iter()
                    .position(|h| h.history_id == entry.id)
                    .map(|i| hidden.swap_remove(i));
                (entry, mark)
            })
            .collect())
    }

    /// The entry `id` if it is `user_id`'s and not hidden.
    pub async fn visible_entry(
        &self,
        user_id: &str,
        id: &str,
    ) -> Result<history_entry::Model, HistoryError> {
        self.visible(user_id)
            .filter(history_entry::Column::Id.eq(id))
            .one(&self.db)
            .await?
            .ok_or(HistoryError::EntryNotFound)
    }

    /// The entry `id`, whoever's it is.
    pub async fn entry(&self, id: &str) -> Result<Option<history_entry::Model>, HistoryError> {
        Ok(history_entry::Entity::find_by_id(id.to_owned())
            .one(&self.db)
            .await?)
    }

    /// Hides `user_id`'s entry `id` from their own view; the entry stays.
    pub async fn hide(&self, user_id: &str, id: &str) -> Result<(), HistoryError> {
        let txn = begin_write(&self.db).await?;
        let entry = self
            .visible(user_id)
            .filter(history_entry::Column::Id.eq(id))
            .one(&txn)
            .await?
            .ok_or(HistoryError::EntryNotFound)?;
        hidden_entry::Entity::insert(hidden_entry::ActiveModel {
            history_id: Set(entry.id),
            user_id: Set(user_id.to_owned()),
            hidden_at: Set(self.clock.now()),
        })
        .exec_without_returning(&txn)
        .await?;
        txn.commit().await?;
        tracing::info!(
            history.id = id,
            user.id = user_id,
            "history entry hidden by its owner"
        );
        Ok(())
    }

    /// `user_id`'s entries that are not hidden.
    pub(crate) fn visible(&self, user_id: &str) -> sea_orm::Select<history_entry::Entity> {
        let hidden = Query::select()
            .column(hidden_entry::Column::HistoryId)
            .from(hidden_entry::Entity)
            .and_where(Expr::col(hidden_entry::Column::UserId).eq(user_id))
            .to_owned();
        history_entry::Entity::find()
            .filter(history_entry::Column::UserId.eq(user_id))
            .filter(history_entry::Column::Id.not_in_subquery(hidden))
    }
}
