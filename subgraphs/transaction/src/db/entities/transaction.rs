//! `transactions`: one row per transaction, holding its saga state.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "transactions")]
pub struct Model {
    /// Also the idempotency key of its money movement at the wallet.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub user_id: String,
    pub wallet_id: String,
    /// The credited wallet of a transfer or merchant payment.
    pub to_wallet_id: Option<String>,
    pub to_user_id: Option<String>,
    pub merchant_id: Option<String>,
    /// Whole rupiah.
    pub amount: i64,
    /// `DEPOSIT`, `PAYMENT` or `TRANSFER`.
    pub r#type: String,
    pub va_number: Option<String>,
    /// `INVOICE` (ours, `DS-8800…`) or `MARKETPLACE`.
    pub va_kind: Option<String>,
    /// `PENDING`, `SUCCESS`, `FAILED` or `REJECTED`.
    pub status: String,
    /// The last saga step done: `STARTED`, `FRAUD_CHECKED`, `COMPLETED`,
    /// `COMPENSATED`.
    pub step: String,
    /// The `extensions.code` a failure shows (e.g. `INSUFFICIENT_FUNDS`).
    pub failure_code: Option<String>,
    pub failure_reason: Option<String>,
    pub fraud_status: Option<String>,
    pub idempotency_key: Option<String>,
    /// SHA-256 of the request, to tell a retry from a different request.
    pub request_hash: String,
    pub created_at: DateTimeUtc,
    /// Touched by every step; recovery takes over rows untouched for long.
    pub updated_at: DateTimeUtc,
    pub completed_at: Option<DateTimeUtc>,
    pub recovery_attempts: i32,
}

impl ActiveModelBehavior for ActiveModel {}
