//! Transactions (the saga state), merchants, invoices, VA claims and callbacks.

use platform::db::{index, unique_index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Transactions {
    Table,
    Id,
    UserId,
    WalletId,
    ToWalletId,
    ToUserId,
    MerchantId,
    Amount,
    Type,
    VaNumber,
    VaKind,
    Status,
    Step,
    FailureCode,
    FailureReason,
    FraudStatus,
    IdempotencyKey,
    RequestHash,
    CreatedAt,
    UpdatedAt,
    CompletedAt,
    RecoveryAttempts,
}

#[derive(DeriveIden)]
enum Merchants {
    Table,
    Id,
    Name,
    KeyHash,
    WebhookSecret,
    SettlementWalletId,
    SettlementUserId,
    CallbackUrl,
    Active,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Invoices {
    Table,
    VaNumber,
    MerchantId,
    Amount,
    Description,
    Status,
    TransactionId,
    CreatedAt,
    ExpiresAt,
    PaidAt,
}

#[derive(DeriveIden)]
enum VaClaims {
    Table,
    VaNumber,
    TransactionId,
    ClaimedAt,
}

#[derive(DeriveIden)]
enum Callbacks {
    Table,
    Id,
    TransactionId,
    Kind,
    TargetUrl,
    MerchantId,
    Payload,
    Attempts,
    NextAttemptAt,
    DeliveredAt,
    LastError,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Transactions::Table)
                    .if_not_exists()
                    .col(string(Transactions::Id).primary_key())
                    .col(string(Transactions::UserId))
                    .col(string(Transactions::WalletId))
                    .col(string_null(Transactions::ToWalletId))
                    .col(string_null(Transactions::ToUserId))
                    .col(string_null(Transactions::MerchantId))
                    .col(big_integer(Transactions::Amount))
                    .col(string(Transactions::Type))
                    .col(string_null(Transactions::VaNumber))
                    .col(string_null(Transactions::VaKind))
                    .col(string(Transactions::Status))
                    .col(string(Transactions::Step))
                    .col(string_null(Transactions::FailureCode))
                    .col(text_null(Transactions::FailureReason))
                    .col(string_null(Transactions::FraudStatus))
                    .col(string_null(Transactions::IdempotencyKey))
                    .col(string(Transactions::RequestHash))
                    .col(timestamp_with_time_zone(Transactions::CreatedAt))
                    .col(timestamp_with_time_zone(Transactions::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Transactions::CompletedAt))
                    .col(integer(Transactions::RecoveryAttempts).default(0))
                    .to_owned(),
            )
            .await?;
        // A user's idempotency key names one transaction (NULL keys do not clash).
        manager
            .create_index(unique_index(
                "uq_transactions_user_key",
                Transactions::Table,
                &["user_id", "idempotency_key"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_transactions_user_time",
                Transactions::Table,
                &["user_id", "created_at"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_transactions_status_updated",
                Transactions::Table,
                &["status", "updated_at"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Merchants::Table)
                    .if_not_exists()
                    .col(string(Merchants::Id).primary_key())
                    .col(string(Merchants::Name))
                    .col(string(Merchants::KeyHash))
                    .col(string(Merchants::WebhookSecret))
                    .col(string(Merchants::SettlementWalletId))
                    .col(string(Merchants::SettlementUserId))
                    .col(string_null(Merchants::CallbackUrl))
                    .col(boolean(Merchants::Active).default(true))
                    .col(string(Merchants::CreatedBy))
                    .col(timestamp_with_time_zone(Merchants::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Invoices::Table)
                    .if_not_exists()
                    .col(string(Invoices::VaNumber).primary_key())
                    .col(string(Invoices::MerchantId))
                    .col(big_integer(Invoices::Amount))
                    .col(text_null(Invoices::Description))
                    .col(string(Invoices::Status))
                    .col(string_null(Invoices::TransactionId))
                    .col(timestamp_with_time_zone(Invoices::CreatedAt))
                    .col(timestamp_with_time_zone(Invoices::ExpiresAt))
                    .col(timestamp_with_time_zone_null(Invoices::PaidAt))
                    .to_owned(),
            )
            .await?;

        // A VA being paid or paid: the primary key makes a second payment impossible.
        manager
            .create_table(
                Table::create()
                    .table(VaClaims::Table)
                    .if_not_exists()
                    .col(string(VaClaims::VaNumber).primary_key())
                    .col(string(VaClaims::TransactionId))
                    .col(timestamp_with_time_zone(VaClaims::ClaimedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Callbacks::Table)
                    .if_not_exists()
                    .col(string(Callbacks::Id).primary_key())
                    .col(string(Callbacks::TransactionId))
                    .col(string(Callbacks::Kind))
                    .col(string(Callbacks::TargetUrl))
                    .col(string_null(Callbacks::MerchantId))
                    .col(json(Callbacks::Payload))
                    .col(integer(Callbacks::Attempts).default(0))
                    .col(timestamp_with_time_zone(Callbacks::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(Callbacks::DeliveredAt))
                    .col(text_null(Callbacks::LastError))
                    .col(timestamp_with_time_zone(Callbacks::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_callbacks_due",
                Callbacks::Table,
                &["delivered_at", "next_attempt_at"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Callbacks::Table.into_iden(),
            VaClaims::Table.into_iden(),
            Invoices::Table.into_iden(),
            Merchants::Table.into_iden(),
            Transactions::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
