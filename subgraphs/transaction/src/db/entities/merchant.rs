//! `merchants`: registered merchants, who issue invoice VAs and are paid into their
//! settlement wallet.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "merchants")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub name: String,
    /// SHA-256 of the API key; the key itself is shown once.
    pub key_hash: String,
    /// Signs the merchant's webhooks (HMAC-SHA256).
    pub webhook_secret: String,
    pub settlement_wallet_id: String,
    pub settlement_user_id: String,
    /// Where payment webhooks go.
    pub callback_url: Option<String>,
    pub active: bool,
    pub created_by: String,
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
