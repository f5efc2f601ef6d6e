//! `monthly_incoming`: what each owner's personal wallets received per calendar
//! month (WIB), for the monthly e-money limit.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "monthly_incoming")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: String,
    /// `YYYY-MM` in Western Indonesian Time.
    #[sea_orm(primary_key, auto_increment = false)]
    pub month: String,
    pub amount: i64,
}

impl ActiveModelBehavior for ActiveModel {}
