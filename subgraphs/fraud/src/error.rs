//! What can go wrong in the fraud subgraph, and the `extensions.code` each case
//! shows a client.

use platform::ApiError;
use sea_orm::DbErr;

#[derive(Debug, thiserror::Error)]
pub enum FraudError {
    #[error("{message}")]
    BadInput {
        field: &'static str,
        message: String,
    },
    #[error("No fraud log with this id exists.")]
    LogNotFound,
    #[error("Transaction {0} was already checked with a different user or amount.")]
    TransactionMismatch(String),
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl From<FraudError> for ApiError {
    fn from(err: FraudError) -> Self {
        let message = err.to_string();
        match err {
            FraudError::BadInput { field, message } => ApiError::bad_field(field, message),
            FraudError::LogNotFound => ApiError::not_found(message),
            FraudError::TransactionMismatch(_) => ApiError::conflict(message),
            FraudError::Db(db) => ApiError::from(db),
        }
    }
}

impl From<FraudError> for async_graphql::Error {
    fn from(err: FraudError) -> Self {
        ApiError::from(err).into()
    }
}
