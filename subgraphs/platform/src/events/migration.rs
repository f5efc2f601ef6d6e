//! The tables of the event machinery, included in every subgraph's migrator:
//! `outbox_events` (what this subgraph publishes) and `processed_events` (the inbox of
//! event ids its consumers have processed).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// Creates the outbox and inbox tables.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OutboxEvents {
    Table,
    Seq,
    EventId,
    Topic,
    Source,
    AggregateId,
    Payload,
    OccurredAt,
    PublishedAt,
    Attempts,
    NextAttemptAt,
    LastError,
}

#[derive(DeriveIden)]
enum ProcessedEvents {
    Table,
    Consumer,
    EventId,
    Topic,
    ProcessedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OutboxEvents::Table)
                    .if_not_exists()
                    .col(big_pk_auto(OutboxEvents::Seq))
                    .col(string_uniq(OutboxEvents::EventId))
                    .col(string(OutboxEvents::Topic))
                    .col(string(OutboxEvents::Source))
                    .col(string(OutboxEvents::AggregateId))
                    .col(json(OutboxEvents::Payload))
                    .col(timestamp_with_time_zone(OutboxEvents::OccurredAt))
                    .col(timestamp_with_time_zone_null(OutboxEvents::PublishedAt))
                    .col(integer(OutboxEvents::Attempts).default(0))
                    .col(timestamp_with_time_zone_null(OutboxEvents::NextAttemptAt))
                    .col(text_null(OutboxEvents::LastError))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_outbox_events_unpublished")
                    .table(OutboxEvents::Table)
                    .col(OutboxEvents::PublishedAt)
                    .col(OutboxEvents::Seq)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ProcessedEvents::Table)
                    .if_not_exists()
                    .col(string(ProcessedEvents::Consumer))
                    .col(string(ProcessedEvents::EventId))
                    .col(string(ProcessedEvents::Topic))
                    .col(timestamp_with_time_zone(ProcessedEvents::ProcessedAt))
                    .primary_key(
                        Index::create()
                            .col(ProcessedEvents::Consumer)
                            .col(ProcessedEvents::EventId),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ProcessedEvents::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(OutboxEvents::Table).to_owned())
            .await
    }
}
