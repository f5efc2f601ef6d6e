//! `hidden_entries`: entries their owner deleted from their own view. The entry
//! itself is untouched.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "hidden_entries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub history_id: String,
    pub user_id: String,
    pub hidden_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
