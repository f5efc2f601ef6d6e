//! The notification migrations, oldest first.

use sea_orm_migration::prelude::*;

mod m20261121_000001_notifications;
mod m20261121_000002_preferences;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(platform::events::migration::Migration),
            Box::new(m20261121_000001_notifications::Migration),
            Box::new(m20261121_000002_preferences::Migration),
        ]
    }
}
