//! `owners`: each wallet owner's KYC level, which sets their e-money limits. The
//! row is also what credits to an owner lock, so limit checks cannot race.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "owners")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: String,
    /// `UNVERIFIED` or `VERIFIED`.
    pub kyc_level: String,
    /// When the level was decided (the epoch while no decision was recorded).
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
