//! What can go wrong in the wallet subgraph, and the `extensions.code` each case
//! shows a client.

use platform::{ApiError, ErrorCode, Rupiah};
use sea_orm::DbErr;

#[derive(Debug, thiserror::Error)]
pub enum WalletError {
    #[error("{message}")]
    BadInput {
        field: &'static str,
        message: String,
    },
    /// Absent, closed, or someone else's: the same answer, so ids cannot be probed.
    #[error("No wallet with this id is yours.")]
    WalletNotFound,
    #[error("No wallet with this id exists.")]
    NoSuchWallet,
    #[error("The wallet {0} is closed.")]
    WalletClosed(String),
    #[error("A movement needs two different wallets.")]
    SameWallet,
    #[error("At most {0} wallets can be open at once; delete an empty one first.")]
    TooManyWallets(u32),
    #[error("Empty the wallet before deleting it: it still holds {0}.")]
    BalanceNotZero(Rupiah),
    #[error("Insufficient funds: the wallet holds {balance}, {amount} was asked.")]
    InsufficientFunds { balance: Rupiah, amount: Rupiah },
    #[error(
        "This would raise the owner's e-money balance to {would_be}, above the {limit} limit for {level} accounts."
    )]
    BalanceLimit {
        limit: Rupiah,
        would_be: Rupiah,
        level: &'static str,
    },
    #[error(
        "This would bring the owner's incoming e-money this month to {would_be}, above the {limit} monthly limit for {level} accounts."
    )]
    MonthlyLimit {
        limit: Rupiah,
        would_be: Rupiah,
        level: &'static str,
    },
    #[error("This idempotency key was already used for a different movement.")]
    KeyReused,
    #[error("This idempotency key was voided; its movement will never be posted.")]
    KeyVoided,
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl WalletError {
    pub fn bad_input(field: &'static str, message: impl Into<String>) -> Self {
        Self::BadInput {
            field,
            message: message.into(),
        }
    }
}

impl From<WalletError> for ApiError {
    fn from(err: WalletError) -> Self {
        use WalletError as E;
        let message = err.to_string();
        match err {
            E::BadInput { field, message } => ApiError::bad_field(field, message),
            E::SameWallet => ApiError::bad_input(message),
            E::WalletNotFound | E::NoSuchWallet => ApiError::not_found(message),
            E::WalletClosed(_) | E::BalanceNotZero(_) | E::KeyReused | E::KeyVoided => {
                ApiError::conflict(message)
            }
            E::TooManyWallets(_) => ApiError::new(ErrorCode::LimitExceeded, message),
            E::InsufficientFunds { balance, .. } => {
                ApiError::new(ErrorCode::InsufficientFunds, message)
                    .with_detail("balance", balance.get())
            }
            E::BalanceLimit { limit, .. } | E::MonthlyLimit { limit, .. } => {
                ApiError::new(ErrorCode::LimitExceeded, message).with_detail("limit", limit.get())
            }
            E::Db(db) => ApiError::from(db),
        }
    }
}

impl From<WalletError> for async_graphql::Error {
    fn from(err: WalletError) -> Self {
        ApiError::from(err).into()
    }
}
