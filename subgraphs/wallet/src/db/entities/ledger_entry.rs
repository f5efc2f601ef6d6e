//! `ledger_entries`: every change of a balance, with the balance before and after.
//! Rows are only ever inserted.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ledger_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub seq: i64,
    pub movement_id: String,
    pub wallet_id: String,
    /// `CREDIT` or `DEBIT`.
    pub direction: String,
    pub category: String,
    pub amount: i64,
    pub balance_before: i64,
    pub balance_after: i64,
    pub reference: Option<String>,
    pub idempotency_key: String,
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
