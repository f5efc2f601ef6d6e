//! GraphQL types of the wallet. Fields are camelCase as in seed 001 (`walletId`,
//! `walletName`); amounts are whole rupiah as `Float`.

use std::sync::Arc;

use async_graphql::{ComplexObject, Context, Enum, InputObject, Object, Result, SimpleObject};
use platform::auth::Caller;
use platform::auth::service::scopes;
use platform::pagination::page_size;
use platform::{ApiError, Rupiah};

use crate::db::entities::{ledger_entry, movement, wallet};
use crate::domain::WalletService;
use crate::domain::movements::Posting;
use crate::domain::values::Category;
use crate::domain::wallets::Standing;

/// Whether the caller may see the wallets of `owner_id`: the owner, an admin, or a
/// service that reads wallets.
pub fn may_view(caller: &Caller, owner_id: &str) -> bool {
    match caller {
        Caller::User(user) => user.user_id == owner_id || user.is_admin(),
        Caller::Service(service) => {
            service.has_scope(scopes::WALLET_READ) || service.has_scope(scopes::WALLET_WRITE)
        }
        _ => false,
    }
}

/// A wallet. Only its owner, admins and services see it.
pub struct Wallet(pub wallet::Model);

#[Object]
impl Wallet {
    async fn wallet_id(&self) -> &str {
        &self.0.id
    }

    /// The owner's `user_id`.
    async fn user_id(&self) -> &str {
        &self.0.owner_id
    }

    async fn wallet_name(&self) -> &str {
        &self.0.name
    }

    /// Whole rupiah.
    async fn balance(&self) -> f64 {
        Rupiah::new(self.0.balance).as_f64()
    }

    /// `ACTIVE` or `DELETED`.
    async fn status(&self) -> &str {
        &self.0.status
    }

    /// `PERSONAL` (e-money limits apply) or `MERCHANT` (a merchant's settlement
    /// wallet).
    async fn kind(&self) -> &str {
        &self.0.kind
    }

    /// RFC 3339.
    async fn created_at(&self) -> String {
        self.0.created_at.to_rfc3339()
    }

    /// The wallet's ledger, newest first: every change of its balance.
    async fn ledger(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, desc = "At most 200.")] first: i32,
    ) -> Result<Vec<LedgerEntry>> {
        let service = ctx.data::<Arc<WalletService>>()?;
        let limit = page_size(first, 0..=200);
        let entries = service.ledger(&self.0.id, limit).await?;
        Ok(entries.into_iter().map(LedgerEntry).collect())
    }
}

/// One change of a wallet's balance.
pub struct LedgerEntry(pub ledger_entry::Model);

#[Object]
impl LedgerEntry {
    async fn entry_id(&self) -> String {
        self.0.seq.to_string()
    }

    /// `CREDIT` or `DEBIT`.
    async fn direction(&self) -> &str {
        &self.0.direction
    }

    async fn category(&self) -> &str {
        &self.0.category
    }

    async fn amount(&self) -> f64 {
        Rupiah::new(self.0.amount).as_f64()
    }

    async fn balance_before(&self) -> f64 {
        Rupiah::new(self.0.balance_before).as_f64()
    }

    async fn balance_after(&self) -> f64 {
        Rupiah::new(self.0.balance_after).as_f64()
    }

    /// What the movement was for (e.g. the transaction id).
    async fn reference(&self) -> Option<&str> {
        self.0.reference.as_deref()
    }

    /// RFC 3339.
    async fn created_at(&self) -> String {
        self.0.created_at.to_rfc3339()
    }
}

/// The answer to `deleteWallet`.
#[derive(SimpleObject)]
pub struct DeleteResponse {
    pub success: bool,
    pub message: String,
    pub wallet_id: String,
}

/// A user's e-money limits (by KYC level) and how much of them is used.
pub struct WalletLimits(pub Standing);

#[Object]
impl WalletLimits {
    /// `UNVERIFIED` until the user's KYC is verified, then `VERIFIED`.
    async fn kyc_level(&self) -> &str {
        self.0.kyc_level.as_str()
    }

    /// Most the user may hold over all personal wallets.
    async fn max_balance(&self) -> f64 {
        self.0.max_balance.as_f64()
    }

    /// Most the user's personal wallets may receive in a calendar month (WIB).
    async fn monthly_incoming_limit(&self) -> f64 {
        self.0.monthly_incoming_limit.as_f64()
    }

    async fn total_balance(&self) -> f64 {
        self.0.total_balance.as_f64()
    }

    async fn incoming_this_month(&self) -> f64 {
        self.0.incoming_this_month.as_f64()
    }
}

/// The auth subgraph's user, extended with their wallets.
#[derive(SimpleObject)]
#[graphql(complex, rename_fields = "snake_case")]
pub struct User {
    pub user_id: String,
}

#[ComplexObject(rename_fields = "camelCase")]
impl User {
    /// The user's open wallets, oldest first (the user themselves and admins only).
    async fn wallets(&self, ctx: &Context<'_>) -> Result<Option<Vec<Wallet>>> {
        let caller = Caller::of(ctx);
        if !may_view(caller, &self.user_id) {
            return Err(
                ApiError::forbidden("Only the user themselves may see their wallets.").into(),
            );
        }
        let service = ctx.data::<Arc<WalletService>>()?;
        let wallets = service.wallets_of(&self.user_id).await?;
        Ok(Some(wallets.into_iter().map(Wallet).collect()))
    }

    /// The user's e-money limits and their use this month.
    async fn wallet_limits(&self, ctx: &Context<'_>) -> Result<Option<WalletLimits>> {
        if !may_view(Caller::of(ctx), &self.user_id) {
            return Err(
                ApiError::forbidden("Only the user themselves may see their limits.").into(),
            );
        }
        let service = ctx.data::<Arc<WalletService>>()?;
        Ok(Some(WalletLimits(service.standing(&self.user_id).await?)))
    }
}

/// What a ledger entry is for.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum LedgerCategory {
    TopUp,
    Payment,
    Transfer,
    Refund,
    Withdrawal,
    Commission,
    Fee,
    LoanDisbursement,
    LoanRepayment,
}

impl From<LedgerCategory> for Category {
    fn from(category: LedgerCategory) -> Self {
        match category {
            LedgerCategory::TopUp => Self::TopUp,
            LedgerCategory::Payment => Self::Payment,
            LedgerCategory::Transfer => Self::Transfer,
            LedgerCategory::Refund => Self::Refund,
            LedgerCategory::Withdrawal => Self::Withdrawal,
            LedgerCategory::Commission => Self::Commission,
            LedgerCategory::Fee => Self::Fee,
            LedgerCategory::LoanDisbursement => Self::LoanDisbursement,
            LedgerCategory::LoanRepayment => Self::LoanRepayment,
        }
    }
}

/// Internal: a movement of money to post once under `idempotencyKey`.
#[derive(InputObject)]
#[graphql(inaccessible)]
pub struct MovementInput {
    pub idempotency_key: String,
    pub category: LedgerCategory,
    pub amount: f64,
    /// The wallet to debit.
    pub debit_wallet_id: Option<String>,
    /// The user the debited wallet must belong to.
    pub debit_owner_id: Option<String>,
    /// The wallet to credit.
    pub credit_wallet_id: Option<String>,
    /// The user the credited wallet must belong to.
    pub credit_owner_id: Option<String>,
    /// What the movement is for (e.g. a transaction id); kept on the ledger.
    pub reference: Option<String>,
}

/// Internal: a movement, posted or voided.
#[derive(SimpleObject)]
#[graphql(inaccessible)]
pub struct Movement {
    pub movement_id: String,
    pub idempotency_key: String,
    /// `APPLIED` or `VOIDED`.
    pub state: String,
    pub category: Option<String>,
    pub amount: f64,
    pub debit_wallet_id: Option<String>,
    pub credit_wallet_id: Option<String>,
    pub reference: Option<String>,
    /// RFC 3339.
    pub created_at: String,
    /// The key had been used before: nothing moved this time.
    pub replayed: bool,
    /// The debited wallet's balance now (when posted).
    pub debit_balance: Option<f64>,
    /// The credited wallet's balance now (when posted).
    pub credit_balance: Option<f64>,
}

impl Movement {
    pub fn from_model(row: movement::Model, replayed: bool) -> Self {
        Self {
            movement_id: row.id,
            idempotency_key: row.idempotency_key,
            state: row.state,
            category: row.category,
            amount: Rupiah::new(row.amount).as_f64(),
            debit_wallet_id: row.debit_wallet_id,
            credit_wallet_id: row.credit_wallet_id,
            reference: row.reference,
            created_at: row.created_at.to_rfc3339(),
            replayed,
            debit_balance: None,
            credit_balance: None,
        }
    }
}

impl From<Posting> for Movement {
    fn from(posting: Posting) -> Self {
        let balance = |id: &Option<String>| {
            id.as_deref()
                .and_then(|id| posting.wallet(id))
                .map(|w| Rupiah::new(w.balance).as_f64())
        };
        let debit_balance = balance(&posting.movement.debit_wallet_id);
        let credit_balance = balance(&posting.movement.credit_wallet_id);
        Self {
            debit_balance,
            credit_balance,
            ..Self::from_model(posting.movement, posting.replayed)
        }
    }
}
