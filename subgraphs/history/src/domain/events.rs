//! Entries from the transaction service's events: `transaction.succeeded`,
//! `transaction.failed` and `transaction.rejected`. Each is recorded for the payer,
//! and a successful transfer or merchant payment also for the recipient.

use std::sync::Arc;

use platform::Rupiah;
use platform::events::{Envelope, EventHandler, HandlerError};
use sea_orm::DatabaseTransaction;
use serde::Deserialize;

use super::HistoryService;
use super::entries::{CREDIT, DEBIT, NewEntry};

/// The topics the history records.
pub const TOPICS: &str = "transaction.>";

/// The consumer name of the history's event handler.
pub const CONSUMER: &str = "history";

/// What the history reads from a transaction event's payload.
#[derive(Debug, Deserialize)]
pub struct TransactionReport {
    pub transaction_id: String,
    pub user_id: String,
    pub wallet_id: Option<String>,
    #[serde(default)]
    pub to_wallet_id: Option<String>,
    /// The recipient's user id (a transfer, or a merchant's settlement wallet).
    #[serde(default)]
    pub to_user_id: Option<String>,
    pub amount: i64,
    /// `DEPOSIT`, `PAYMENT` or `TRANSFER`.
    #[serde(rename = "type")]
    pub kind: String,
    pub status: String,
    #[serde(default)]
    pub va_number: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl TransactionReport {
    /// The entries this report makes.
    pub fn entries(self, source: &str) -> Vec<NewEntry> {
        let amount = Rupiah::new(self.amount);
        let payer_direction = if self.kind == "DEPOSIT" {
            CREDIT
        } else {
            DEBIT
        };
        let mut entries = vec![NewEntry {
            transaction_id: self.transaction_id.clone(),
            user_id: self.user_id,
            wallet_id: self.wallet_id.clone(),
            counterparty_wallet_id: self.to_wallet_id.clone(),
            amount,
            kind: self.kind.clone(),
            direction: payer_direction,
            status: self.status.clone(),
            va_number: self.va_number.clone(),
            reason: self.reason,
            occurred_at: self.created_at,
            source: source.to_owned(),
        }];
        if let Some(recipient) = self.to_user_id.filter(|_| self.status == "SUCCESS") {
            entries.push(NewEntry {
                transaction_id: self.transaction_id,
                user_id: recipient,
                wallet_id: self.to_wallet_id,
                counterparty_wallet_id: self.wallet_id,
                amount,
                kind: self.kind,
                direction: CREDIT,
                status: self.status,
                va_number: self.va_number,
                reason: None,
                occurred_at: self.created_at,
                source: source.to_owned(),
            });
        }
        entries
    }
}

/// Records transaction events.
#[derive(Debug, Clone)]
pub struct TransactionEvents(pub Arc<HistoryService>);

impl EventHandler for TransactionEvents {
    async fn handle(
        &self,
        event: &Envelope,
        txn: &DatabaseTransaction,
    ) -> Result<(), HandlerError> {
        let report: TransactionReport = event
            .payload_as()
            .map_err(|e| HandlerError::Discard(format!("malformed transaction event: {e}")))?;
        let entries = report.entries(&event.id);
        self.0
            .record(txn, entries)
            .await
            .map_err(|e| HandlerError::Retry(e.to_string()))?;
        Ok(())
    }
}
