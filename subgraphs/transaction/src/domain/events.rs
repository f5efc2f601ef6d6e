//! The events the transaction service publishes when a transaction ends. The
//! history subgraph records them; notifications will announce them.

use platform::events::NewEvent;
use serde::Serialize;

use super::values::status;
use crate::db::entities::transaction;

/// A transaction succeeded (the money moved).
pub const SUCCEEDED: &str = "transaction.succeeded";
/// A transaction failed (nothing moved): insufficient funds, limits, a service down.
pub const FAILED: &str = "transaction.failed";
/// Fraud rejected a transaction (nothing moved).
pub const REJECTED: &str = "transaction.rejected";

/// The payload of every transaction event.
#[derive(Debug, Clone, Serialize)]
pub struct TransactionEnded<'a> {
    pub transaction_id: &'a str,
    pub user_id: &'a str,
    pub wallet_id: &'a str,
    pub to_wallet_id: Option<&'a str>,
    /// The recipient: a transfer's, or the owner of a merchant's settlement wallet.
    pub to_user_id: Option<&'a str>,
    pub merchant_id: Option<&'a str>,
    /// Whole rupiah.
    pub amount: i64,
    #[serde(rename = "type")]
    pub kind: &'a str,
    pub status: &'a str,
    pub va_number: Option<&'a str>,
    pub failure_code: Option<&'a str>,
    pub reason: Option<&'a str>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub completed_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// The event announcing how `row` ended.
pub fn ended(row: &transaction::Model) -> NewEvent {
    let topic = match row.status.as_str() {
        status::SUCCESS => SUCCEEDED,
        status::REJECTED => REJECTED,
        _ => FAILED,
    };
    NewEvent::new(
        topic,
        &row.id,
        TransactionEnded {
            transaction_id: &row.id,
            user_id: &row.user_id,
            wallet_id: &row.wallet_id,
            to_wallet_id: row.to_wallet_id.as_deref(),
            to_user_id: row.to_user_id.as_deref(),
            merchant_id: row.merchant_id.as_deref(),
            amount: row.amount,
            kind: &row.r#type,
            status: &row.status,
            va_number: row.va_number.as_deref(),
            failure_code: row.failure_code.as_deref(),
            reason: row.failure_reason.as_deref(),
            created_at: row.created_at,
            completed_at: row.completed_at,
        },
    )
}
