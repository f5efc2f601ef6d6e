//! `fraud_profiles`: one row per checked user, locked by each check so a user's
//! concurrent checks are counted one after the other.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "fraud_profiles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: String,
    pub last_check_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
