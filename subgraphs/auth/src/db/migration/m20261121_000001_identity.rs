//! Users, refresh tokens, OTP codes, biometric devices and challenges.

use platform::db::index;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Username,
    UsernameKey,
    Fullname,
    Email,
    Phone,
    PasswordHash,
    Role,
    EmailVerifiedAt,
    PhoneVerifiedAt,
    FailedLoginAttempts,
    LockedUntil,
    LastLoginAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    Id,
    UserId,
    FamilyId,
    TokenHash,
    Amr,
    UserAgent,
    CreatedAt,
    ExpiresAt,
    RotatedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum OtpCodes {
    Table,
    Id,
    UserId,
    Channel,
    Destination,
    CodeHash,
    Attempts,
    CreatedAt,
    ExpiresAt,
    ConsumedAt,
    SupersededAt,
}

#[derive(DeriveIden)]
enum BiometricDevices {
    Table,
    Id,
    UserId,
    Algorithm,
    PublicKey,
    Name,
    CreatedAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum BiometricChallenges {
    Table,
    Id,
    DeviceId,
    UserId,
    Challenge,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .if_not_exists()
                    .col(string(Users::Id).primary_key())
                    .col(string(Users::Username))
                    .col(string_uniq(Users::UsernameKey))
                    .col(string(Users::Fullname))
                    .col(string_uniq(Users::Email))
                    .col(string_null(Users::Phone).unique_key())
                    .col(string(Users::PasswordHash))
                    .col(string(Users::Role))
                    .col(timestamp_with_time_zone_null(Users::EmailVerifiedAt))
                    .col(timestamp_with_time_zone_null(Users::PhoneVerifiedAt))
                    .col(integer(Users::FailedLoginAttempts).default(0))
                    .col(timestamp_with_time_zone_null(Users::LockedUntil))
                    .col(timestamp_with_time_zone_null(Users::LastLoginAt))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .col(timestamp_with_time_zone(Users::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RefreshTokens::Table)
                    .if_not_exists()
                    .col(string(RefreshTokens::Id).primary_key())
                    .col(string(RefreshTokens::UserId))
                    .col(string(RefreshTokens::FamilyId))
                    .col(string_uniq(RefreshTokens::TokenHash))
                    .col(string(RefreshTokens::Amr))
                    .col(text_null(RefreshTokens::UserAgent))
                    .col(timestamp_with_time_zone(RefreshTokens::CreatedAt))
                    .col(timestamp_with_time_zone(RefreshTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(RefreshTokens::RotatedAt))
                    .col(timestamp_with_time_zone_null(RefreshTokens::RevokedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_refresh_tokens_family",
                RefreshTokens::Table,
                &["family_id"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_refresh_tokens_user",
                RefreshTokens::Table,
                &["user_id"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OtpCodes::Table)
                    .if_not_exists()
                    .col(string(OtpCodes::Id).primary_key())
                    .col(string(OtpCodes::UserId))
                    .col(string(OtpCodes::Channel))
                    .col(string(OtpCodes::Destination))
                    .col(string(OtpCodes::CodeHash))
                    .col(integer(OtpCodes::Attempts).default(0))
                    .col(timestamp_with_time_zone(OtpCodes::CreatedAt))
                    .col(timestamp_with_time_zone(OtpCodes::ExpiresAt))
                    .col(timestamp_with_time_zone_null(OtpCodes::ConsumedAt))
                    .col(timestamp_with_time_zone_null(OtpCodes::SupersededAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_otp_codes_user_channel",
                OtpCodes::Table,
                &["user_id", "channel", "created_at"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(BiometricDevices::Table)
                    .if_not_exists()
                    .col(string(BiometricDevices::Id).primary_key())
                    .col(string(BiometricDevices::UserId))
                    .col(string(BiometricDevices::Algorithm))
                    .col(text(BiometricDevices::PublicKey))
                    .col(string_null(BiometricDevices::Name))
                    .col(timestamp_with_time_zone(BiometricDevices::CreatedAt))
                    .col(timestamp_with_time_zone_null(BiometricDevices::LastUsedAt))
                    .col(timestamp_with_time_zone_null(BiometricDevices::RevokedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_biometric_devices_user",
                BiometricDevices::Table,
                &["user_id"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(BiometricChallenges::Table)
                    .if_not_exists()
                    .col(string(BiometricChallenges::Id).primary_key())
                    .col(string(BiometricChallenges::DeviceId))
                    .col(string(BiometricChallenges::UserId))
                    .col(string(BiometricChallenges::Challenge))
                    .col(timestamp_with_time_zone(BiometricChallenges::CreatedAt))
                    .col(timestamp_with_time_zone(BiometricChallenges::ExpiresAt))
                    .col(timestamp_with_time_zone_null(BiometricChallenges::UsedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            BiometricChallenges::Table.into_iden(),
            BiometricDevices::Table.into_iden(),
            OtpCodes::Table.into_iden(),
            RefreshTokens::Table.into_iden(),
            Users::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
