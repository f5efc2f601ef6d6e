//! What can go wrong in auth, and the `extensions.code` each case shows a client.

use chrono::{DateTime, Utc};
use platform::{ApiError, ErrorCode};
use sea_orm::DbErr;

use crate::domain::values::Invalid;

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("{0}")]
    Invalid(Invalid),
    #[error("An account with this {0} already exists.")]
    Duplicate(&'static str),
    #[error("Email or password is incorrect.")]
    BadCredentials,
    #[error("Too many failed sign-in attempts. The account is locked until {until} (UTC).", until = .until.format("%Y-%m-%d %H:%M"))]
    Locked { until: DateTime<Utc> },
    #[error("The refresh token is invalid or has expired. Sign in again.")]
    RefreshInvalid,
    #[error(
        "This refresh token was already used. For safety, every session of this sign-in has been ended; sign in again."
    )]
    RefreshReused,
    #[error("No account with this id exists.")]
    UserNotFound,
    #[error("This account has no phone number to verify.")]
    NoPhone,
    #[error("This {0} is already verified.")]
    AlreadyVerified(&'static str),
    #[error("Wait {retry_after_secs} seconds before asking for another code.")]
    OtpTooSoon { retry_after_secs: i64 },
    #[error("Too many codes were requested in the last hour. Try again later.")]
    OtpHourlyLimit { retry_after_secs: i64 },
    #[error("Ask for a verification code first.")]
    OtpNotRequested,
    #[error("The verification code has expired. Ask for a new one.")]
    OtpExpired,
    #[error("The verification code is wrong. {attempts_left} attempt(s) left.")]
    OtpWrong { attempts_left: i32 },
    #[error("Too many wrong codes. Ask for a new code.")]
    OtpExhausted,
    #[error("Register a biometric device right after signing in with your password.")]
    PasswordLoginRequired,
    #[error("{0}")]
    BadDeviceKey(String),
    #[error("At most {0} biometric devices can be registered; revoke one first.")]
    TooManyDevices(u64),
    #[error("No active biometric device with this id exists.")]
    DeviceNotFound,
    #[error("The biometric challenge is unknown or has expired. Ask for a new one.")]
    ChallengeInvalid,
    #[error("The biometric challenge was already used. Ask for a new one.")]
    ChallengeUsed,
    #[error("The biometric signature does not verify.")]
    SignatureInvalid,
    #[error(transparent)]
    Db(#[from] DbErr),
    #[error("{0}")]
    Internal(String),
}

impl From<Invalid> for AuthError {
    fn from(invalid: Invalid) -> Self {
        Self::Invalid(invalid)
    }
}

impl From<AuthError> for ApiError {
    fn from(err: AuthError) -> Self {
        use AuthError as E;
        let message = err.to_string();
        match err {
            E::Invalid(invalid) => ApiError::bad_field(invalid.field, invalid.message),
            E::Duplicate(field) => ApiError::conflict(message).with_detail("field", field),
            E::AlreadyVerified(_) | E::TooManyDevices(_) => ApiError::conflict(message),
            E::BadCredentials
            | E::RefreshInvalid
            | E::RefreshReused
            | E::ChallengeInvalid
            | E::ChallengeUsed
            | E::SignatureInvalid => ApiError::unauthenticated(message),
            E::Locked { until } => ApiError::new(ErrorCode::AccountLocked, message)
                .with_detail("lockedUntil", until.to_rfc3339()),
            E::UserNotFound | E::DeviceNotFound => ApiError::not_found(message),
            E::NoPhone
            | E::OtpNotRequested
            | E::OtpExpired
            | E::OtpWrong { .. }
            | E::OtpExhausted
            | E::BadDeviceKey(_) => ApiError::bad_input(message),
            E::OtpTooSoon { retry_after_secs } | E::OtpHourlyLimit { retry_after_secs } => {
                ApiError::new(ErrorCode::RateLimited, message)
                    .with_detail("retryAfterSeconds", retry_after_secs)
            }
            E::PasswordLoginRequired => ApiError::forbidden(message),
            E::Db(db) => ApiError::from(db),
            E::Internal(detail) => ApiError::internal(detail),
        }
    }
}

impl From<AuthError> for async_graphql::Error {
    fn from(err: AuthError) -> Self {
        ApiError::from(err).into()
    }
}
