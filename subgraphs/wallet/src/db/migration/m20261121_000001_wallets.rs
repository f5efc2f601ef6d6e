//! Wallets, their owners' KYC level and monthly incoming totals, movements and the
//! ledger.

use platform::db::{index, unique_index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Wallets {
    Table,
    Id,
    OwnerId,
    Name,
    Balance,
    Kind,
    Status,
    CreatedAt,
    UpdatedAt,
    DeletedAt,
}

#[derive(DeriveIden)]
enum Owners {
    Table,
    UserId,
    KycLevel,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum MonthlyIncoming {
    Table,
    UserId,
    Month,
    Amount,
}

#[derive(DeriveIden)]
enum Movements {
    Table,
    Id,
    IdempotencyKey,
    RequestHash,
    State,
    Category,
    Amount,
    DebitWalletId,
    CreditWalletId,
    Reference,
    Actor,
    CreatedAt,
}

#[derive(DeriveIden)]
enum LedgerEntries {
    Table,
    Seq,
    MovementId,
    WalletId,
    Direction,
    Category,
    Amount,
    BalanceBefore,
    BalanceAfter,
    Reference,
    IdempotencyKey,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Wallets::Table)
                    .if_not_exists()
                    .col(string(Wallets::Id).primary_key())
                    .col(string(Wallets::OwnerId))
                    .col(string(Wallets::Name))
                    // The database refuses a negative balance even if the code did not.
                    .col(
                        big_integer(Wallets::Balance)
                            .default(0)
                            .check(Expr::col(Wallets::Balance).gte(0)),
                    )
                    .col(string(Wallets::Kind))
                    .col(string(Wallets::Status))
                    .col(timestamp_with_time_zone(Wallets::CreatedAt))
                    .col(timestamp_with_time_zone(Wallets::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Wallets::DeletedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_wallets_owner",
                Wallets::Table,
                &["owner_id", "status"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Owners::Table)
                    .if_not_exists()
                    .col(string(Owners::UserId).primary_key())
                    .col(string(Owners::KycLevel))
                    .col(timestamp_with_time_zone(Owners::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(MonthlyIncoming::Table)
                    .if_not_exists()
                    .col(string(MonthlyIncoming::UserId))
                    .col(string(MonthlyIncoming::Month))
                    .col(big_integer(MonthlyIncoming::Amount).default(0))
                    .primary_key(
                        Index::create()
                            .col(MonthlyIncoming::UserId)
                            .col(MonthlyIncoming::Month),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Movements::Table)
                    .if_not_exists()
                    .col(string(Movements::Id).primary_key())
                    .col(string_uniq(Movements::IdempotencyKey))
                    .col(string_null(Movements::RequestHash))
                    .col(string(Movements::State))
                    .col(string_null(Movements::Category))
                    .col(big_integer(Movements::Amount).default(0))
                    .col(string_null(Movements::DebitWalletId))
                    .col(string_null(Movements::CreditWalletId))
                    .col(string_null(Movements::Reference))
                    .col(string(Movements::Actor))
                    .col(timestamp_with_time_zone(Movements::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LedgerEntries::Table)
                    .if_not_exists()
                    .col(big_pk_auto(LedgerEntries::Seq))
                    .col(string(LedgerEntries::MovementId))
                    .col(string(LedgerEntries::WalletId))
                    .col(string(LedgerEntries::Direction))
                    .col(string(LedgerEntries::Category))
                    .col(big_integer(LedgerEntries::Amount))
                    .col(big_integer(LedgerEntries::BalanceBefore))
                    .col(big_integer(LedgerEntries::BalanceAfter))
                    .col(string_null(LedgerEntries::Reference))
                    .col(string(LedgerEntries::IdempotencyKey))
                    .col(timestamp_with_time_zone(LedgerEntries::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_ledger_wallet",
                LedgerEntries::Table,
                &["wallet_id", "seq"],
            ))
            .await?;
        // One entry per wallet and side of a movement: a movement is never posted twice.
        manager
            .create_index(unique_index(
                "uq_ledger_movement_wallet",
                LedgerEntries::Table,
                &["movement_id", "wallet_id", "direction"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            LedgerEntries::Table.into_iden(),
            Movements::Table.into_iden(),
            MonthlyIncoming::Table.into_iden(),
            Owners::Table.into_iden(),
            Wallets::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
