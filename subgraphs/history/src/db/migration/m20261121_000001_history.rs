//! History entries (only ever inserted) and the owners' hidden marks.

use platform::db::{index, unique_index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum HistoryEntries {
    Table,
    Id,
    TransactionId,
    UserId,
    WalletId,
    CounterpartyWalletId,
    Amount,
    Type,
    Direction,
    Status,
    VaNumber,
    Reason,
    OccurredAt,
    RecordedAt,
    Source,
}

#[derive(DeriveIden)]
enum HiddenEntries {
    Table,
    HistoryId,
    UserId,
    HiddenAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(HistoryEntries::Table)
                    .if_not_exists()
                    .col(string(HistoryEntries::Id).primary_key())
                    .col(string(HistoryEntries::TransactionId))
                    .col(string(HistoryEntries::UserId))
                    .col(string_null(HistoryEntries::WalletId))
                    .col(string_null(HistoryEntries::CounterpartyWalletId))
                    .col(big_integer(HistoryEntries::Amount))
                    .col(string(HistoryEntries::Type))
                    .col(string(HistoryEntries::Direction))
                    .col(string(HistoryEntries::Status))
                    .col(string_null(HistoryEntries::VaNumber))
                    .col(text_null(HistoryEntries::Reason))
                    .col(timestamp_with_time_zone(HistoryEntries::OccurredAt))
                    .col(timestamp_with_time_zone(HistoryEntries::RecordedAt))
                    .col(string(HistoryEntries::Source))
                    .to_owned(),
            )
            .await?;
        // One entry per party and side of a transaction, however often it is reported.
        manager
            .create_index(unique_index(
                "uq_history_transaction_party",
                HistoryEntries::Table,
                &["transaction_id", "user_id", "direction"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_history_user_time",
                HistoryEntries::Table,
                &["user_id", "occurred_at", "id"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(HiddenEntries::Table)
                    .if_not_exists()
                    .col(string(HiddenEntries::HistoryId).primary_key())
                    .col(string(HiddenEntries::UserId))
                    .col(timestamp_with_time_zone(HiddenEntries::HiddenAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            HiddenEntries::Table.into_iden(),
            HistoryEntries::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
