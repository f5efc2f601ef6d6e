//! GraphQL types of the transaction subgraph, camelCase as in seed 001.

use std::sync::Arc;

use async_graphql::{ComplexObject, Context, Enum, InputObject, Result, SimpleObject};
use platform::auth::Caller;
use platform::pagination::page_size;
use platform::{ApiError, Rupiah};

use crate::db::entities::{callback, invoice, merchant, transaction};
use crate::domain::TransactionService;

/// What a transaction does.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum TransactionType {
    /// Money from an external source into one's own wallet.
    Deposit,
    /// Paying a VA: a merchant's `DS-8800…` invoice or a marketplace order.
    Payment,
    /// Sending money to another wallet (`toWalletId`).
    Transfer,
}

impl TransactionType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Deposit => "DEPOSIT",
            Self::Payment => "PAYMENT",
            Self::Transfer => "TRANSFER",
        }
    }

    fn parse(raw: &str) -> Self {
        match raw {
            "DEPOSIT" => Self::Deposit,
            "TRANSFER" => Self::Transfer,
            _ => Self::Payment,
        }
    }
}

/// A transaction to make.
#[derive(InputObject)]
pub struct TransactionInput {
    /// The payer's wallet (for a deposit, the wallet credited).
    pub wallet_id: String,
    /// Whole rupiah.
    pub amount: f64,
    pub r#type: TransactionType,
    /// The VA a PAYMENT pays.
    pub va_number: Option<String>,
    /// The recipient wallet of a TRANSFER.
    pub to_wallet_id: Option<String>,
    /// A retry with the same key returns the first result (also accepted as the
    /// `Idempotency-Key` header).
    pub idempotency_key: Option<String>,
}

/// The wallet subgraph's wallet, resolved there.
#[derive(SimpleObject)]
#[graphql(unresolvable = "walletId")]
pub struct Wallet {
    pub wallet_id: String,
}

/// A transaction and how it ended.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Transaction {
    pub transaction_id: String,
    pub user_id: String,
    pub wallet_id: String,
    /// Whole rupiah.
    pub amount: f64,
    pub r#type: TransactionType,
    pub va_number: Option<String>,
    /// `PENDING`, `SUCCESS`, `FAILED` or `REJECTED`.
    pub status: String,
    /// RFC 3339.
    pub created_at: String,
    /// The credited wallet of a transfer or merchant payment.
    pub to_wallet_id: Option<String>,
    /// Why it failed: the error code it ended with (e.g. `INSUFFICIENT_FUNDS`).
    pub failure_code: Option<String>,
    pub failure_reason: Option<String>,
    /// RFC 3339.
    pub completed_at: Option<String>,
    pub idempotency_key: Option<String>,
}

#[ComplexObject]
impl Transaction {
    /// The payer's wallet (resolved by the wallet subgraph).
    async fn wallet(&self) -> Wallet {
        Wallet {
            wallet_id: self.wallet_id.clone(),
        }
    }
}

impl From<transaction::Model> for Transaction {
    fn from(row: transaction::Model) -> Self {
        Self {
            transaction_id: row.id,
            user_id: row.user_id,
            wallet_id: row.wallet_id,
            amount: Rupiah::new(row.amount).as_f64(),
            r#type: TransactionType::parse(&row.r#type),
            va_number: row.va_number,
            status: row.status,
            created_at: row.created_at.to_rfc3339(),
            to_wallet_id: row.to_wallet_id,
            failure_code: row.failure_code,
            failure_reason: row.failure_reason,
            completed_at: row.completed_at.map(|t| t.to_rfc3339()),
            idempotency_key: row.idempotency_key,
        }
    }
}

/// The auth subgraph's user, extended with their transactions.
#[derive(SimpleObject)]
#[graphql(complex, rename_fields = "snake_case")]
pub struct User {
    pub user_id: String,
}

#[ComplexObject(rename_fields = "camelCase")]
impl User {
    /// The user's transactions, newest first (the user themselves and admins).
    async fn transactions(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, desc = "At most 500.")] limit: i32,
    ) -> Result<Option<Vec<Transaction>>> {
        let allowed = match Caller::of(ctx) {
            Caller::User(viewer) => viewer.user_id == self.user_id || viewer.is_admin(),
            _ => false,
        };
        if !allowed {
            return Err(ApiError::forbidden(
                "Only the user themselves may see their transactions.",
            )
            .into());
        }
        let service = ctx.data::<Arc<TransactionService>>()?;
        let rows = service
            .transactions_of(&self.user_id, page_size(limit, 0..=500))
            .await?;
        Ok(Some(rows.into_iter().map(Transaction::from).collect()))
    }
}

/// What an admin gives to register a merchant.
#[derive(InputObject)]
pub struct MerchantInput {
    pub name: String,
    /// The open wallet payments are credited to; it becomes a merchant wallet
    /// (no personal e-money limits).
    pub settlement_wallet_id: String,
    /// Where signed payment webhooks are posted.
    pub callback_url: Option<String>,
}

/// A registered merchant.
#[derive(SimpleObject)]
pub struct Merchant {
    pub merchant_id: String,
    pub name: String,
    pub settlement_wallet_id: String,
    pub callback_url: Option<String>,
    pub active: bool,
    /// RFC 3339.
    pub created_at: String,
}

impl From<merchant::Model> for Merchant {
    fn from(row: merchant::Model) -> Self {
        Self {
            merchant_id: row.id,
            name: row.name,
            settlement_wallet_id: row.settlement_wallet_id,
            callback_url: row.callback_url,
            active: row.active,
            created_at: row.created_at.to_rfc3339(),
        }
    }
}

/// A new merchant and its credentials, shown only once.
#[derive(SimpleObject)]
pub struct MerchantRegistration {
    pub merchant: Merchant,
    /// Send as `X-Merchant-Key` to issue invoices.
    pub api_key: String,
    /// Verifies the `X-Dompet-Signature` of payment webhooks.
    pub webhook_secret: String,
}

/// An invoice VA issued to a merchant.
#[derive(SimpleObject)]
pub struct Invoice {
    pub va_number: String,
    /// Whole rupiah.
    pub amount: f64,
    pub description: Option<String>,
    /// `UNPAID` or `PAID`.
    pub status: String,
    pub transaction_id: Option<String>,
    /// RFC 3339.
    pub expires_at: String,
    /// RFC 3339.
    pub paid_at: Option<String>,
}

impl From<invoice::Model> for Invoice {
    fn from(row: invoice::Model) -> Self {
        Self {
            va_number: row.va_number,
            amount: Rupiah::new(row.amount).as_f64(),
            description: row.description,
            status: row.status,
            transaction_id: row.transaction_id,
            expires_at: row.expires_at.to_rfc3339(),
            paid_at: row.paid_at.map(|t| t.to_rfc3339()),
        }
    }
}

/// A callback telling a marketplace or merchant about a payment.
#[derive(SimpleObject)]
pub struct PaymentCallback {
    pub callback_id: String,
    pub transaction_id: String,
    /// `MARKETPLACE_GRAPHQL`, `MARKETPLACE_WEBHOOK` or `MERCHANT_WEBHOOK`.
    pub kind: String,
    pub target_url: String,
    pub attempts: i32,
    /// RFC 3339; null while not acknowledged.
    pub delivered_at: Option<String>,
    pub next_attempt_at: String,
    pub last_error: Option<String>,
}

impl From<callback::Model> for PaymentCallback {
    fn from(row: callback::Model) -> Self {
        Self {
            callback_id: row.id,
            transaction_id: row.transaction_id,
            kind: row.kind,
            target_url: row.target_url,
            attempts: row.attempts,
            delivered_at: row.delivered_at.map(|t| t.to_rfc3339()),
            next_attempt_at: row.next_attempt_at.to_rfc3339(),
            last_error: row.last_error,
        }
    }
}
