//! The `processed_events` table: which event ids each consumer has processed.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "processed_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub consumer: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub event_id: String,
    pub topic: String,
    pub processed_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
