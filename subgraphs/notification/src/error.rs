//! What can go wrong in the notification subgraph, and the `extensions.code` each
//! case shows a client.

use platform::ApiError;
use sea_orm::DbErr;

use crate::domain::templates::TemplateError;

#[derive(Debug, thiserror::Error)]
pub enum NotificationError {
    #[error("{message}")]
    BadInput {
        field: &'static str,
        message: String,
    },
    /// Absent or someone else's: the same answer.
    #[error("No notification with this id is yours.")]
    NotificationNotFound,
    #[error("No template {code} for channel {channel}.")]
    TemplateNotFound { code: String, channel: String },
    #[error("No message with this id.")]
    MessageNotFound,
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl NotificationError {
    pub fn bad_input(field: &'static str, message: impl Into<String>) -> Self {
        Self::BadInput {
            field,
            message: message.into(),
        }
    }

    pub fn template(field: &'static str, err: TemplateError) -> Self {
        Self::bad_input(field, err.to_string())
    }
}

impl From<NotificationError> for ApiError {
    fn from(err: NotificationError) -> Self {
        let message = err.to_string();
        match err {
            NotificationError::BadInput { field, message } => ApiError::bad_field(field, message),
            NotificationError::NotificationNotFound
            | NotificationError::TemplateNotFound { .. }
            | NotificationError::MessageNotFound => ApiError::not_found(message),
            NotificationError::Conflict(_) => ApiError::conflict(message),
            NotificationError::Db(db) => ApiError::from(db),
        }
    }
}

impl From<NotificationError> for async_graphql::Error {
    fn from(err: NotificationError) -> Self {
        ApiError::from(err).into()
    }
}
