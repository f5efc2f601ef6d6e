//! `users`: identity, credentials and the login-failure counter.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub username: String,
    /// Lower-cased username; unique.
    #[sea_orm(unique)]
    pub username_key: String,
    pub fullname: String,
    #[sea_orm(unique)]
    pub email: String,
    #[sea_orm(unique)]
    pub phone: Option<String>,
    pub password_hash: String,
    pub role: String,
    pub email_verified_at: Option<DateTimeUtc>,
    pub phone_verified_at: Option<DateTimeUtc>,
    pub failed_login_attempts: i32,
    pub locked_until: Option<DateTimeUtc>,
    pub last_login_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
