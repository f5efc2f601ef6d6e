//! `history_entries`: the audit trail. Rows are only ever inserted.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "history_entries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub transaction_id: String,
    /// The party this entry is for (the payer, or the recipient of a transfer).
    pub user_id: String,
    pub wallet_id: Option<String>,
    pub counterparty_wallet_id: Option<String>,
    pub amount: i64,
    /// `DEPOSIT`, `PAYMENT` or `TRANSFER`.
    pub r#type: String,
    /// `DEBIT` (money left the party's wallet) or `CREDIT`.
    pub direction: String,
    /// `SUCCESS`, `FAILED` or `REJECTED`.
    pub status: String,
    pub va_number: Option<String>,
    pub reason: Option<String>,
    /// When the transaction was made.
    pub occurred_at: DateTimeUtc,
    pub recorded_at: DateTimeUtc,
    /// Where the entry came from: the event id, or `addHistory:<service>`.
    pub source: String,
}

impl ActiveModelBehavior for ActiveModel {}
