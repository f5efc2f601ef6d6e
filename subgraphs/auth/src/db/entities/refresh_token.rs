//! `refresh_tokens`: one row per refresh token, stored as a SHA-256 hash. Tokens of
//! one login share a family; reuse of a rotated token revokes the family.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "refresh_tokens")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub user_id: String,
    pub family_id: String,
    #[sea_orm(unique)]
    pub token_hash: String,
    /// How the family's login authenticated (`pwd`, `hwk`), space-separated.
    pub amr: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub user_agent: Option<String>,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub rotated_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
}

impl ActiveModelBehavior for ActiveModel {}
