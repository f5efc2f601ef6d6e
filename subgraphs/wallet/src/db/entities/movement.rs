//! `movements`: one row per idempotency key — a posted movement of money (debit,
//! credit or both), or a voided key that can never be posted.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "movements")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    #[sea_orm(unique)]
    pub idempotency_key: String,
    /// SHA-256 of what was asked, to tell a retry from a different request.
    pub request_hash: Option<String>,
    /// `APPLIED` or `VOIDED`.
    pub state: String,
    pub category: Option<String>,
    pub amount: i64,
    pub debit_wallet_id: Option<String>,
    pub credit_wallet_id: Option<String>,
    pub reference: Option<String>,
    /// The service client (or `user:<id>`) that asked.
    pub actor: String,
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
