//! A VA is claimed by the transaction paying it, through a partial unique index on
//! `transactions.va_number` over the transactions that are paying or have paid it
//! (`PENDING`, `SUCCESS`), instead of a separate `va_claims` row. Starting a
//! payment is then one `INSERT`, and a transaction that ends `FAILED` or `REJECTED`
//! releases its VA by that very update.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The same statement on SQLite and PostgreSQL; NULL VAs (deposits, transfers)
/// never collide.
const CREATE: &str = "CREATE UNIQUE INDEX IF NOT EXISTS idx_transactions_va_claimed \
    ON transactions (va_number) WHERE status IN ('PENDING', 'SUCCESS')";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(CREATE).await?;
        manager
            .drop_table(
                Table::drop()
                    .table(Alias::new("va_claims"))
                    .if_exists()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE TABLE IF NOT EXISTS va_claims (va_number VARCHAR NOT NULL PRIMARY KEY, \
             transaction_id VARCHAR NOT NULL, claimed_at TIMESTAMPTZ NOT NULL)",
        )
        .await?;
        db.execute_unprepared(
            "INSERT INTO va_claims (va_number, transaction_id, claimed_at) \
             SELECT va_number, id, created_at FROM transactions \
             WHERE va_number IS NOT NULL AND status IN ('PENDING', 'SUCCESS')",
        )
        .await?;
        db.execute_unprepared("DROP INDEX IF EXISTS idx_transactions_va_claimed")
            .await?;
        Ok(())
    }
}
