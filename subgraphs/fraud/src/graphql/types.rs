//! GraphQL types of the fraud subgraph. `FraudCheckResult` keeps seed 001's
//! snake_case (`is_fraud`); `FraudLog` is camelCase (`logId`).

use async_graphql::SimpleObject;
use platform::Rupiah;

use crate::db::entities::fraud_log;
use crate::domain::Verdict;

/// The verdict of a risk check.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case", inaccessible)]
pub struct FraudCheckResult {
    /// True when the transaction must be rejected.
    pub is_fraud: bool,
    /// `SAFE`, `SUSPICIOUS` (allowed, flagged) or `FRAUD` (rejected).
    pub status: String,
    /// Why it is not SAFE.
    pub reason: Option<String>,
    /// The rule that decided (`AMOUNT_REJECT`, `AMOUNT_SUSPICIOUS`,
    /// `VELOCITY_COUNT`, `DAILY_AMOUNT`).
    pub rule: Option<String>,
    /// The log of this check.
    pub log_id: String,
}

impl From<fraud_log::Model> for FraudCheckResult {
    fn from(log: fraud_log::Model) -> Self {
        Self {
            is_fraud: log.status == Verdict::Fraud.as_str(),
            status: log.status,
            reason: log.reason,
            rule: log.rule,
            log_id: log.id,
        }
    }
}

/// One risk check, as admins review it.
#[derive(SimpleObject)]
pub struct FraudLog {
    pub log_id: String,
    pub user_id: String,
    /// Whole rupiah.
    pub amount: f64,
    /// `SAFE`, `SUSPICIOUS` or `FRAUD`.
    pub status: String,
    pub reason: Option<String>,
    pub rule: Option<String>,
    pub transaction_id: Option<String>,
    pub transaction_type: Option<String>,
    /// The service that asked for the check.
    pub checked_by: String,
    /// RFC 3339.
    pub created_at: String,
}

impl From<fraud_log::Model> for FraudLog {
    fn from(log: fraud_log::Model) -> Self {
        Self {
            log_id: log.id,
            user_id: log.user_id,
            amount: Rupiah::new(log.amount).as_f64(),
            status: log.status,
            reason: log.reason,
            rule: log.rule,
            transaction_id: log.transaction_id,
            transaction_type: log.transaction_type,
            checked_by: log.checked_by,
            created_at: log.created_at.to_rfc3339(),
        }
    }
}
