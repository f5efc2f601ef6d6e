//! `callbacks`: telling a marketplace or merchant about a payment, retried with
//! backoff until acknowledged.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "callbacks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub transaction_id: String,
    /// `MARKETPLACE_GRAPHQL`, `MARKETPLACE_WEBHOOK` or `MERCHANT_WEBHOOK`.
    pub kind: String,
    pub target_url: String,
    pub merchant_id: Option<String>,
    pub payload: Json,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub delivered_at: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
