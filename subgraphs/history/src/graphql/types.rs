//! GraphQL types of the history subgraph, camelCase as in seed 001.

use std::sync::Arc;

use async_graphql::{ComplexObject, Context, InputObject, Result, SimpleObject};
use platform::auth::Caller;
use platform::pagination::page_size;
use platform::{ApiError, Rupiah};

use crate::db::entities::{hidden_entry, history_entry};
use crate::domain::{HistoryService, cursor_of};

/// One entry of the audit trail: a transaction as it concerned one party.
#[derive(SimpleObject)]
pub struct History {
    pub history_id: String,
    pub transaction_id: String,
    /// The party this entry is for.
    pub user_id: String,
    pub wallet_id: Option<String>,
    /// The other wallet of a transfer or merchant payment.
    pub counterparty_wallet_id: Option<String>,
    /// Whole rupiah.
    pub amount: f64,
    /// `DEPOSIT`, `PAYMENT` or `TRANSFER`.
    pub r#type: String,
    /// `DEBIT` (money left the wallet) or `CREDIT`.
    pub direction: String,
    /// `SUCCESS`, `FAILED` or `REJECTED`.
    pub status: String,
    pub va_number: Option<String>,
    /// Why a transaction failed or was rejected.
    pub reason: Option<String>,
    /// When the transaction was made (RFC 3339).
    pub created_at: String,
    /// When the owner hid it from their view (the admins' audit view only).
    pub hidden_at: Option<String>,
}

impl From<history_entry::Model> for History {
    fn from(entry: history_entry::Model) -> Self {
        Self {
            history_id: entry.id,
            transaction_id: entry.transaction_id,
            user_id: entry.user_id,
            wallet_id: entry.wallet_id,
            counterparty_wallet_id: entry.counterparty_wallet_id,
            amount: Rupiah::new(entry.amount).as_f64(),
            r#type: entry.r#type,
            direction: entry.direction,
            status: entry.status,
            va_number: entry.va_number,
            reason: entry.reason,
            created_at: entry.occurred_at.to_rfc3339(),
            hidden_at: None,
        }
    }
}

impl History {
    pub fn audited(entry: history_entry::Model, hidden: Option<hidden_entry::Model>) -> Self {
        Self {
            hidden_at: hidden.map(|h| h.hidden_at.to_rfc3339()),
            ..Self::from(entry)
        }
    }
}

/// A page of history entries, newest first.
#[derive(SimpleObject)]
pub struct HistoryConnection {
    pub edges: Vec<HistoryEdge>,
    pub page_info: PageInfo,
}

#[derive(SimpleObject)]
pub struct HistoryEdge {
    /// Pass as `after` to get the entries that follow this one.
    pub cursor: String,
    pub node: History,
}

#[derive(SimpleObject)]
pub struct PageInfo {
    pub has_next_page: bool,
    pub end_cursor: Option<String>,
}

impl HistoryConnection {
    pub fn from_page(page: crate::domain::Page) -> Self {
        let edges: Vec<HistoryEdge> = page
            .entries
            .into_iter()
            .map(|entry| HistoryEdge {
                cursor: cursor_of(&entry).encode(),
                node: entry.into(),
            })
            .collect();
        Self {
            page_info: PageInfo {
                has_next_page: page.has_next_page,
                end_cursor: edges.last().map(|e| e.cursor.clone()),
            },
            edges,
        }
    }
}

/// Internal: an entry to record (services only; the transaction service reports
/// through events).
#[derive(InputObject)]
#[graphql(inaccessible)]
pub struct HistoryInput {
    pub transaction_id: String,
    pub user_id: String,
    pub amount: f64,
    /// `DEPOSIT`, `PAYMENT` or `TRANSFER`.
    pub r#type: String,
    /// `SUCCESS`, `FAILED` or `REJECTED`.
    pub status: String,
    pub va_number: Option<String>,
    pub wallet_id: Option<String>,
    /// `DEBIT` or `CREDIT`; by default `CREDIT` for a deposit, else `DEBIT`.
    pub direction: Option<String>,
    pub reason: Option<String>,
    /// When the transaction was made (RFC 3339); default now.
    pub created_at: Option<String>,
}

/// The auth subgraph's user, extended with their history.
#[derive(SimpleObject)]
#[graphql(complex, rename_fields = "snake_case")]
pub struct User {
    pub user_id: String,
}

#[ComplexObject(rename_fields = "camelCase")]
impl User {
    /// The user's history, newest first (the user themselves only).
    async fn history(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, desc = "At most 500.")] limit: i32,
    ) -> Result<Option<Vec<History>>> {
        match Caller::of(ctx) {
            Caller::User(user) if user.user_id == self.user_id => {}
            _ => {
                return Err(
                    ApiError::forbidden("Only the user themselves may see their history.").into(),
                );
            }
        }
        let service = ctx.data::<Arc<HistoryService>>()?;
        let entries = service
            .entries_of(&self.user_id, page_size(limit, 0..=500))
            .await?;
        Ok(Some(entries.into_iter().map(History::from).collect()))
    }
}
