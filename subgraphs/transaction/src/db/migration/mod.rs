//! The transaction migrations, oldest first.

use sea_orm_migration::prelude::*;

mod m20261121_000001_transactions;
mod m20261121_000002_va_claims_on_transactions;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(platform::events::migration::Migration),
            Box::new(m20261121_000001_transactions::Migration),
            Box::new(m20261121_000002_va_claims_on_transactions::Migration),
        ]
    }
}
