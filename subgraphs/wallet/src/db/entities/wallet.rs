//! `wallets`: one row per wallet, with its current balance in whole rupiah.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "wallets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub owner_id: String,
    pub name: String,
    /// Whole rupiah, never negative (a CHECK constraint too).
    pub balance: i64,
    /// `PERSONAL` or `MERCHANT`.
    pub kind: String,
    /// `ACTIVE` or `DELETED`.
    pub status: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
}

impl ActiveModelBehavior for ActiveModel {}
