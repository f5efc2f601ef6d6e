//! `va_claims`: a VA being paid or paid. Released when the payment fails, kept
//! when it succeeds: a VA is never paid twice.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "va_claims")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub va_number: String,
    pub transaction_id: String,
    pub claimed_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
