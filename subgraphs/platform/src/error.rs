//! The one error type a client ever sees, and its stable `extensions.code`.
//!
//! Client errors carry a message written for a person. Internal errors are logged
//! with a reference id and masked: the client only learns the reference.

use std::fmt;

use async_graphql::ErrorExtensions;
use sea_orm::{DbErr, SqlErr};

/// The stable codes of `extensions.code`, listed in the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    Unauthenticated,
    Forbidden,
    BadUserInput,
    NotFound,
    Conflict,
    AccountLocked,
    RateLimited,
    InsufficientFunds,
    FraudRejected,
    LimitExceeded,
    /// A service this one depends on did not answer; nothing was changed.
    ServiceUnavailable,
    Internal,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 12] = [
        Self::Unauthenticated,
        Self::Forbidden,
        Self::BadUserInput,
        Self::NotFound,
        Self::Conflict,
        Self::AccountLocked,
        Self::RateLimited,
        Self::InsufficientFunds,
        Self::FraudRejected,
        Self::LimitExceeded,
        Self::ServiceUnavailable,
        Self::Internal,
    ];

    /// The code with this `extensions.code` text (e.g. from another service).
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == code)
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::Forbidden => "FORBIDDEN",
            Self::BadUserInput => "BAD_USER_INPUT",
            Self::NotFound => "NOT_FOUND",
            Self::Conflict => "CONFLICT",
            Self::AccountLocked => "ACCOUNT_LOCKED",
            Self::RateLimited => "RATE_LIMITED",
            Self::InsufficientFunds => "INSUFFICIENT_FUNDS",
            Self::FraudRejected => "FRAUD_REJECTED",
            Self::LimitExceeded => "LIMIT_EXCEEDED",
            Self::ServiceUnavailable => "SERVICE_UNAVAILABLE",
            Self::Internal => "INTERNAL_SERVER_ERROR",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error on its way to a client.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A client mistake: shown to the client as written.
    #[error("{message}")]
    Client {
        code: ErrorCode,
        message: String,
        /// Extra `extensions` entries (e.g. `field`, `retryAfterSeconds`).
        details: Vec<(&'static str, serde_json::Value)>,
    },
    /// Our mistake: logged with a reference, masked for the client.
    #[error("internal error: {0}")]
    Internal(Box<dyn std::error::Error + Send + Sync>),
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::Client {
            code,
            message: message.into(),
            details: Vec::new(),
        }
    }

    pub fn unauthenticated(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Unauthenticated, message)
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Forbidden, message)
    }

    pub fn bad_input(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::BadUserInput, message)
    }

    /// A `BAD_USER_INPUT` that names the offending argument in `extensions.field`.
    pub fn bad_field(field: &str, message: impl Into<String>) -> Self {
        Self::bad_input(message).with_detail("field", field)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::NotFound, message)
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Conflict, message)
    }

    pub fn internal(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self::Internal(error.into())
    }

    /// Adds an `extensions` entry; ignored on internal errors, which show nothing.
    pub fn with_detail(mut self, key: &'static str, value: impl Into<serde_json::Value>) -> Self {
        if let Self::Client { details, .. } = &mut self {
            details.push((key, value.into()));
        }
        self
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Client { code, .. } => *code,
            Self::Internal(_) => ErrorCode::Internal,
        }
    }
}

impl From<DbErr> for ApiError {
    fn from(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => {
                Self::conflict("A record with the same unique value already exists.")
            }
            _ => Self::internal(err),
        }
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(err: ApiError) -> Self {
        match err {
            ApiError::Client {
                code,
                message,
                details,
            } => async_graphql::Error::new(message).extend_with(|_, ext| {
                ext.set("code", code.as_str());
                for (key, value) in details {
                    if let Ok(value) = async_graphql::Value::from_json(value) {
                        ext.set(key, value);
                    }
                }
            }),
            ApiError::Internal(source) => {
                let reference = uuid::Uuid::new_v4().simple().to_string();
                tracing::error!(error.reference = %reference, error = %source, "internal error");
                async_graphql::Error::new(format!(
                    "Something went wrong on our side. Reference: {reference}"
                ))
                .extend_with(|_, ext| {
                    ext.set("code", ErrorCode::Internal.as_str());
                    ext.set("reference", reference.as_str());
                })
            }
        }
    }
}

/// Result of a resolver or domain operation.
pub type ApiResult<T> = Result<T, ApiError>;
