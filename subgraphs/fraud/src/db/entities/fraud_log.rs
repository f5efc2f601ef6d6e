//! `fraud_logs`: one row per risk check. Deleting one (admin) hides it from the
//! list; the row stays, and still counts for the velocity rules.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "fraud_logs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub user_id: String,
    pub amount: i64,
    /// `SAFE`, `SUSPICIOUS` or `FRAUD`.
    pub status: String,
    pub reason: Option<String>,
    /// The rule that decided (`AMOUNT_REJECT`, `AMOUNT_SUSPICIOUS`, `VELOCITY_COUNT`,
    /// `DAILY_AMOUNT`), none when SAFE.
    pub rule: Option<String>,
    #[sea_orm(unique)]
    pub transaction_id: Option<String>,
    pub transaction_type: Option<String>,
    /// The service client that asked.
    pub checked_by: String,
    pub created_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
    pub deleted_by: Option<String>,
}

impl ActiveModelBehavior for ActiveModel {}
