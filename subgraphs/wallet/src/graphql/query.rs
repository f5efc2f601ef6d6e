//! The wallet's queries and entity resolvers.

use std::sync::Arc;

use async_graphql::{Context, Object, Result};
use platform::ApiError;
use platform::auth::Caller;
use platform::auth::service::scopes;

use super::types::{Movement, User, Wallet, may_view};
use crate::domain::WalletService;
use crate::error::WalletError;

pub struct Query;

fn service<'a>(ctx: &Context<'a>) -> Result<&'a Arc<WalletService>> {
    ctx.data::<Arc<WalletService>>()
}

#[Object]
impl Query {
    /// The signed-in user's open wallets with their balances, oldest first.
    async fn my_wallets(&self, ctx: &Context<'_>) -> Result<Option<Vec<Option<Wallet>>>> {
        let user = Caller::of(ctx).user()?;
        let wallets = service(ctx)?.wallets_of(&user.user_id).await?;
        Ok(Some(wallets.into_iter().map(|w| Some(Wallet(w))).collect()))
    }

    /// One of the signed-in user's wallets (admins: any wallet), open or closed.
    async fn wallet(&self, ctx: &Context<'_>, wallet_id: String) -> Result<Option<Wallet>> {
        let caller = Caller::of(ctx);
        caller.user()?;
        visible_wallet(ctx, caller, &wallet_id).await.map(Some)
    }

    /// Internal (service credential with scope `wallet:read`): any wallet by id.
    #[graphql(inaccessible)]
    async fn internal_wallet(
        &self,
        ctx: &Context<'_>,
        wallet_id: String,
    ) -> Result<Option<Wallet>> {
        Caller::of(ctx).service(scopes::WALLET_READ)?;
        Ok(service(ctx)?.find_wallet(&wallet_id).await?.map(Wallet))
    }

    /// Internal (scope `wallet:write`): the movement posted or voided under a key.
    #[graphql(inaccessible)]
    async fn movement(
        &self,
        ctx: &Context<'_>,
        idempotency_key: String,
    ) -> Result<Option<Movement>> {
        Caller::of(ctx).service(scopes::WALLET_WRITE)?;
        let found = service(ctx)?.movement(&idempotency_key).await?;
        Ok(found.map(|m| Movement::from_model(m, true)))
    }

    /// A wallet for the router (e.g. `Transaction.wallet`): its owner, admins and
    /// services only.
    #[graphql(entity)]
    async fn find_wallet_by_wallet_id(
        &self,
        ctx: &Context<'_>,
        #[graphql(key)] wallet_id: String,
    ) -> Result<Option<Wallet>> {
        let caller = Caller::of(ctx);
        if matches!(caller, Caller::Anonymous | Caller::Invalid(_)) {
            caller.user()?;
        }
        visible_wallet(ctx, caller, &wallet_id).await.map(Some)
    }

    #[graphql(entity)]
    async fn find_user_by_user_id(
        &self,
        #[graphql(key, name = "user_id")] user_id: String,
    ) -> User {
        User { user_id }
    }
}

/// The wallet if the caller may see it; `NOT_FOUND` otherwise, so ids of other
/// people's wallets cannot be probed.
async fn visible_wallet(ctx: &Context<'_>, caller: &Caller, wallet_id: &str) -> Result<Wallet> {
    let found = service(ctx)?.find_wallet(wallet_id).await?;
    match found {
        Some(wallet) if may_view(caller, &wallet.owner_id) => Ok(Wallet(wallet)),
        _ => Err(ApiError::from(WalletError::WalletNotFound).into()),
    }
}
