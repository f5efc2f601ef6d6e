//! Templates and messages.

use platform::db::{index, unique_index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Templates {
    Table,
    Code,
    Channel,
    Subject,
    Body,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Messages {
    Table,
    Id,
    EventId,
    Topic,
    UserId,
    Channel,
    TemplateCode,
    Variables,
    Destination,
    Subject,
    Body,
    Security,
    Status,
    Attempts,
    NextAttemptAt,
    LastError,
    SentAt,
    ReadAt,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Templates::Table)
                    .if_not_exists()
                    .col(string(Templates::Code))
                    .col(string(Templates::Channel))
                    .col(text_null(Templates::Subject))
                    .col(text(Templates::Body))
                    .col(string_null(Templates::UpdatedBy))
                    .col(timestamp_with_time_zone(Templates::UpdatedAt))
                    .primary_key(Index::create().col(Templates::Code).col(Templates::Channel))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Messages::Table)
                    .if_not_exists()
                    .col(string(Messages::Id).primary_key())
                    .col(string(Messages::EventId))
                    .col(string(Messages::Topic))
                    .col(string_null(Messages::UserId))
                    .col(string(Messages::Channel))
                    .col(string(Messages::TemplateCode))
                    .col(json(Messages::Variables))
                    .col(string(Messages::Destination))
                    .col(text_null(Messages::Subject))
                    .col(text(Messages::Body))
                    .col(boolean(Messages::Security))
                    .col(string(Messages::Status))
                    .col(integer(Messages::Attempts).default(0))
                    .col(timestamp_with_time_zone(Messages::NextAttemptAt))
                    .col(text_null(Messages::LastError))
                    .col(timestamp_with_time_zone_null(Messages::SentAt))
                    .col(timestamp_with_time_zone_null(Messages::ReadAt))
                    .col(timestamp_with_time_zone(Messages::CreatedAt))
                    .to_owned(),
            )
            .await?;
        // Once per (event, channel, recipient), however often the event arrives.
        manager
            .create_index(unique_index(
                "uq_messages_event_channel_destination",
                Messages::Table,
                &["event_id", "channel", "destination"],
            ))
            .await?;
        // The delivery worker's queue.
        manager
            .create_index(index(
                "idx_messages_due",
                Messages::Table,
                &["status", "next_attempt_at"],
            ))
            .await?;
        // A user's in-app messages, newest first.
        manager
            .create_index(index(
                "idx_messages_user_channel_time",
                Messages::Table,
                &["user_id", "channel", "created_at", "id"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [Messages::Table.into_iden(), Templates::Table.into_iden()] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
