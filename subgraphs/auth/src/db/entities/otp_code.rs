//! `otp_codes`: one-time codes that verify an email or phone, stored hashed.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "otp_codes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub user_id: String,
    /// `EMAIL` or `PHONE`.
    pub channel: String,
    pub destination: String,
    pub code_hash: String,
    pub attempts: i32,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub consumed_at: Option<DateTimeUtc>,
    /// Set when a newer code for the same channel replaced this one.
    pub superseded_at: Option<DateTimeUtc>,
}

impl ActiveModelBehavior for ActiveModel {}
