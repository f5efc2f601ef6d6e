//! What can go wrong in the history subgraph, and the `extensions.code` each case
//! shows a client.

use platform::ApiError;
use sea_orm::DbErr;

#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("{message}")]
    BadInput {
        field: &'static str,
        message: String,
    },
    /// Absent, hidden, or someone else's: the same answer.
    #[error("No history entry with this id is yours.")]
    EntryNotFound,
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl HistoryError {
    pub fn bad_input(field: &'static str, message: impl Into<String>) -> Self {
        Self::BadInput {
            field,
            message: message.into(),
        }
    }
}

impl From<HistoryError> for ApiError {
    fn from(err: HistoryError) -> Self {
        let message = err.to_string();
        match err {
            HistoryError::BadInput { field, message } => ApiError::bad_field(field, message),
            HistoryError::EntryNotFound => ApiError::not_found(message),
            HistoryError::Db(db) => ApiError::from(db),
        }
    }
}

impl From<HistoryError> for async_graphql::Error {
    fn from(err: HistoryError) -> Self {
        ApiError::from(err).into()
    }
}
