//! What can go wrong in the transaction subgraph, and the `extensions.code` each
//! case shows a client.

use platform::auth::service::ServiceCallError;
use platform::{ApiError, ErrorCode, Rupiah};
use sea_orm::DbErr;

#[derive(Debug, thiserror::Error)]
pub enum TransactionError {
    #[error("{message}")]
    BadInput {
        field: &'static str,
        message: String,
    },
    /// Absent or someone else's: the same answer, so ids cannot be probed.
    #[error("You have no wallet with this id.")]
    WalletNotFound,
    #[error("No wallet with the recipient's id exists.")]
    RecipientNotFound,
    #[error("The wallet {0} is closed.")]
    WalletClosed(String),
    #[error("No bill with this VA number exists.")]
    UnknownVa,
    #[error("This VA is already paid or being paid.")]
    VaTaken,
    #[error("This invoice has expired; ask the merchant for a new one.")]
    VaExpired,
    #[error("The bill is for {billed}; the amount must match it ({asked} was sent).")]
    VaAmountMismatch { billed: Rupiah, asked: Rupiah },
    #[error("This idempotency key was already used for a different transaction.")]
    KeyReused,
    #[error("{0}")]
    Unavailable(String),
    /// Another service refused, with its own code (e.g. `INSUFFICIENT_FUNDS`).
    #[error("{message}")]
    Remote { code: ErrorCode, message: String },
    /// A transaction that ended in failure; a retry with its key shows it again.
    #[error("{message}")]
    Recorded {
        code: ErrorCode,
        message: String,
        transaction_id: String,
        status: String,
    },
    #[error("Send a valid merchant API key in the `X-Merchant-Key` header.")]
    MerchantKeyInvalid,
    #[error("No merchant with this id exists.")]
    MerchantNotFound,
    #[error("No invoice with this VA number is yours.")]
    InvoiceNotFound,
    #[error(transparent)]
    Db(#[from] DbErr),
    #[error("{0}")]
    Internal(String),
}

impl TransactionError {
    pub fn bad_input(field: &'static str, message: impl Into<String>) -> Self {
        Self::BadInput {
            field,
            message: message.into(),
        }
    }

    /// The code a client sees for this error.
    pub fn code(&self) -> ErrorCode {
        use TransactionError as E;
        match self {
            E::BadInput { .. } | E::VaAmountMismatch { .. } => ErrorCode::BadUserInput,
            E::WalletNotFound
            | E::RecipientNotFound
            | E::UnknownVa
            | E::MerchantNotFound
            | E::InvoiceNotFound => ErrorCode::NotFound,
            E::WalletClosed(_) | E::VaTaken | E::VaExpired | E::KeyReused => ErrorCode::Conflict,
            E::Unavailable(_) => ErrorCode::ServiceUnavailable,
            E::Remote { code, .. } | E::Recorded { code, .. } => *code,
            E::MerchantKeyInvalid => ErrorCode::Unauthenticated,
            E::Db(_) | E::Internal(_) => ErrorCode::Internal,
        }
    }
}

/// The message of a dependency that does not answer.
pub const UNAVAILABLE: &str =
    "A service this payment needs is not answering; nothing was charged. Try again shortly.";

/// A failed call to another subgraph: its own client errors keep their code;
/// everything else means the service could not be reached.
impl From<ServiceCallError> for TransactionError {
    fn from(err: ServiceCallError) -> Self {
        match err {
            ServiceCallError::Remote {
                code: Some(code),
                message,
            } => match ErrorCode::parse(&code) {
                Some(code) if code != ErrorCode::Internal => Self::Remote { code, message },
                _ => {
                    tracing::warn!(error = %message, "a subgraph failed");
                    Self::Unavailable(UNAVAILABLE.to_owned())
                }
            },
            other => {
                tracing::warn!(error = %other, "a subgraph could not be reached");
                Self::Unavailable(UNAVAILABLE.to_owned())
            }
        }
    }
}

impl From<TransactionError> for ApiError {
    fn from(err: TransactionError) -> Self {
        use TransactionError as E;
        let message = err.to_string();
        match err {
            E::BadInput { field, message } => ApiError::bad_field(field, message),
            E::VaAmountMismatch { billed, .. } => {
                ApiError::bad_field("amount", message).with_detail("billed", billed.get())
            }
            E::Unavailable(message) => ApiError::new(ErrorCode::ServiceUnavailable, message),
            E::Recorded {
                code,
                message,
                transaction_id,
                status,
            } => ApiError::new(code, message)
                .with_detail("transactionId", transaction_id)
                .with_detail("status", status),
            E::Db(db) => ApiError::from(db),
            E::Internal(detail) => ApiError::internal(detail),
            other => ApiError::new(other.code(), message),
        }
    }
}

impl From<TransactionError> for async_graphql::Error {
    fn from(err: TransactionError) -> Self {
        ApiError::from(err).into()
    }
}
