//! `invoices`: VAs issued to merchants (`DS-8800…`), each paid at most once.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invoices")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub va_number: String,
    pub merchant_id: String,
    pub amount: i64,
    pub description: Option<String>,
    /// `UNPAID` or `PAID`.
    pub status: String,
    pub transaction_id: Option<String>,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub paid_at: Option<DateTimeUtc>,
}

impl ActiveModelBehavior for ActiveModel {}
