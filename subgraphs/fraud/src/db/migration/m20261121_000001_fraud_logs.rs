//! Fraud logs (one per check) and the per-user rows that serialise a user's checks.

use platform::db::{index, unique_index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum FraudLogs {
    Table,
    Id,
    UserId,
    Amount,
    Status,
    Reason,
    Rule,
    TransactionId,
    TransactionType,
    CheckedBy,
    CreatedAt,
    DeletedAt,
    DeletedBy,
}

#[derive(DeriveIden)]
enum FraudProfiles {
    Table,
    UserId,
    LastCheckAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(FraudLogs::Table)
                    .if_not_exists()
                    .col(string(FraudLogs::Id).primary_key())
                    .col(string(FraudLogs::UserId))
                    .col(big_integer(FraudLogs::Amount))
                    .col(string(FraudLogs::Status))
                    .col(text_null(FraudLogs::Reason))
                    .col(string_null(FraudLogs::Rule))
                    .col(string_null(FraudLogs::TransactionId))
                    .col(string_null(FraudLogs::TransactionType))
                    .col(string(FraudLogs::CheckedBy))
                    .col(timestamp_with_time_zone(FraudLogs::CreatedAt))
                    .col(timestamp_with_time_zone_null(FraudLogs::DeletedAt))
                    .col(string_null(FraudLogs::DeletedBy))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_fraud_logs_user_time",
                FraudLogs::Table,
                &["user_id", "created_at"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_fraud_logs_time",
                FraudLogs::Table,
                &["created_at"],
            ))
            .await?;
        // A transaction is checked once; a repeated check returns the first verdict.
        manager
            .create_index(unique_index(
                "uq_fraud_logs_transaction",
                FraudLogs::Table,
                &["transaction_id"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(FraudProfiles::Table)
                    .if_not_exists()
                    .col(string(FraudProfiles::UserId).primary_key())
                    .col(timestamp_with_time_zone(FraudProfiles::LastCheckAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            FraudProfiles::Table.into_iden(),
            FraudLogs::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
