//! The wallet's mutations. Users open and close their wallets; money moves only
//! through the internal operations, which need a service credential.

use std::sync::Arc;

use async_graphql::{Context, Object, Result};
use platform::Rupiah;
use platform::auth::Caller;
use platform::auth::service::scopes;
use platform::money::ABSOLUTE_MAX;

use super::types::{DeleteResponse, LedgerCategory, Movement, MovementInput, Wallet};
use crate::domain::WalletService;
use crate::domain::movements::{MovementRequest, Side};
use crate::domain::values::Category;
use crate::error::WalletError;
use platform::idempotency::IdempotencyKey;

pub struct Mutation;

fn service<'a>(ctx: &Context<'a>) -> Result<&'a Arc<WalletService>> {
    ctx.data::<Arc<WalletService>>()
}

fn amount(value: f64) -> Result<Rupiah> {
    Ok(Rupiah::parse_field(
        value,
        Rupiah::new(ABSOLUTE_MAX),
        "amount",
    )?)
}

fn key(given: Option<String>) -> Result<IdempotencyKey, WalletError> {
    match given {
        Some(raw) => parse_key(&raw),
        None => Ok(IdempotencyKey::generate()),
    }
}

fn parse_key(raw: &str) -> Result<IdempotencyKey, WalletError> {
    IdempotencyKey::parse(raw)
        .map_err(|e| WalletError::bad_input("idempotencyKey", format!("`idempotencyKey` {e}.")))
}

#[Object]
impl Mutation {
    /// Opens a wallet for the signed-in user, with a zero balance.
    async fn create_wallet(
        &self,
        ctx: &Context<'_>,
        wallet_name: String,
    ) -> Result<Option<Wallet>> {
        let user = Caller::of(ctx).user()?;
        let created = service(ctx)?
            .create_wallet(&user.user_id, &wallet_name)
            .await?;
        Ok(Some(Wallet(created)))
    }

    /// Closes one of the signed-in user's wallets. Its balance must be zero; its
    /// ledger is kept.
    async fn delete_wallet(
        &self,
        ctx: &Context<'_>,
        wallet_id: String,
    ) -> Result<Option<DeleteResponse>> {
        let user = Caller::of(ctx).user()?;
        let deleted = service(ctx)?
            .delete_wallet(&user.user_id, &wallet_id)
            .await?;
        Ok(Some(DeleteResponse {
            success: true,
            message: format!("Wallet \"{}\" deleted.", deleted.name),
            wallet_id: deleted.id,
        }))
    }

    /// Internal (scope `wallet:write`): credits a wallet from an external source.
    /// Without `idempotencyKey` every call is a new credit.
    #[graphql(inaccessible)]
    async fn topup_wallet(
        &self,
        ctx: &Context<'_>,
        wallet_id: String,
        amount: f64,
        idempotency_key: Option<String>,
        reference: Option<String>,
    ) -> Result<Option<Wallet>> {
        let actor = Caller::of(ctx).service(scopes::WALLET_WRITE)?;
        let request = MovementRequest {
            idempotency_key: key(idempotency_key)?,
            category: Category::TopUp,
            amount: self::amount(amount)?,
            debit: None,
            credit: Some(Side {
                wallet_id: wallet_id.clone(),
                owner_id: None,
            }),
            reference,
            actor: actor.client_id.clone(),
        };
        let posting = service(ctx)?.post(request).await?;
        Ok(posting.wallet(&wallet_id).cloned().map(Wallet))
    }

    /// Internal (scope `wallet:write`): debits a wallet to an external destination;
    /// `INSUFFICIENT_FUNDS` when it holds too little.
    #[graphql(inaccessible)]
    async fn deduct_wallet(
        &self,
        ctx: &Context<'_>,
        wallet_id: String,
        amount: f64,
        idempotency_key: Option<String>,
        reference: Option<String>,
        #[graphql(default_with = "LedgerCategory::Payment")] category: LedgerCategory,
    ) -> Result<Option<Wallet>> {
        let actor = Caller::of(ctx).service(scopes::WALLET_WRITE)?;
        let request = MovementRequest {
            idempotency_key: key(idempotency_key)?,
            category: category.into(),
            amount: self::amount(amount)?,
            debit: Some(Side {
                wallet_id: wallet_id.clone(),
                owner_id: None,
            }),
            credit: None,
            reference,
            actor: actor.client_id.clone(),
        };
        let posting = service(ctx)?.post(request).await?;
        Ok(posting.wallet(&wallet_id).cloned().map(Wallet))
    }

    /// Internal (scope `wallet:write`): posts a debit, a credit or a transfer once
    /// per `idempotencyKey`. A repeat returns the posted movement (`replayed`); the
    /// same key for something else is `CONFLICT`.
    #[graphql(inaccessible)]
    async fn post_movement(
        &self,
        ctx: &Context<'_>,
        input: MovementInput,
    ) -> Result<Option<Movement>> {
        let actor = Caller::of(ctx).service(scopes::WALLET_WRITE)?;
        let side = |wallet_id: Option<String>, owner_id: Option<String>| {
            wallet_id.map(|wallet_id| Side {
                wallet_id,
                owner_id,
            })
        };
        let request = MovementRequest {
            idempotency_key: parse_key(&input.idempotency_key)?,
            category: input.category.into(),
            amount: amount(input.amount)?,
            debit: side(input.debit_wallet_id, input.debit_owner_id),
            credit: side(input.credit_wallet_id, input.credit_owner_id),
            reference: input.reference,
            actor: actor.client_id.clone(),
        };
        let posting = service(ctx)?.post(request).await?;
        Ok(Some(posting.into()))
    }

    /// Internal (scope `wallet:write`): settles a key for good. A posted movement
    /// is returned as it is (`APPLIED`); a key never posted becomes `VOIDED` and can
    /// never be posted.
    #[graphql(inaccessible)]
    async fn void_movement(
        &self,
        ctx: &Context<'_>,
        idempotency_key: String,
    ) -> Result<Option<Movement>> {
        let actor = Caller::of(ctx).service(scopes::WALLET_WRITE)?;
        let key = parse_key(&idempotency_key)?;
        let settled = service(ctx)?.void(&key, &actor.client_id).await?;
        Ok(Some(Movement::from_model(settled, false)))
    }

    /// Internal (scope `wallet:write`): makes a wallet a merchant's settlement
    /// wallet (no personal e-money limits). Idempotent.
    #[graphql(inaccessible)]
    async fn designate_merchant_wallet(
        &self,
        ctx: &Context<'_>,
        wallet_id: String,
    ) -> Result<Option<Wallet>> {
        Caller::of(ctx).service(scopes::WALLET_WRITE)?;
        let updated = service(ctx)?.designate_merchant_wallet(&wallet_id).await?;
        Ok(Some(Wallet(updated)))
    }
}
