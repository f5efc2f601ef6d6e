//! `biometric_devices`: device public keys registered for biometric login.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "biometric_devices")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub user_id: String,
    /// `ES256` or `ED25519`.
    pub algorithm: String,
    /// The public key as base64 SubjectPublicKeyInfo DER.
    #[sea_orm(column_type = "Text")]
    pub public_key: String,
    pub name: Option<String>,
    pub created_at: DateTimeUtc,
    pub last_used_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
}

impl ActiveModelBehavior for ActiveModel {}
