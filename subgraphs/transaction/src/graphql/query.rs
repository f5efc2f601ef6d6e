//! The transaction subgraph's queries and entity resolvers.

use std::sync::Arc;

use async_graphql::{Context, Object, Result};
use platform::auth::Caller;
use platform::graphql::RequestMeta;
use platform::pagination::page_size;

use super::types::{Invoice, Merchant, PaymentCallback, Transaction, User};
use crate::domain::TransactionService;

pub struct Query;

fn service<'a>(ctx: &Context<'a>) -> Result<&'a Arc<TransactionService>> {
    ctx.data::<Arc<TransactionService>>()
}

#[Object]
impl Query {
    /// The signed-in user's transactions, newest first.
    async fn my_transactions(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 100, desc = "At most 1000.")] limit: i32,
    ) -> Result<Option<Vec<Option<Transaction>>>> {
        let user = Caller::of(ctx).user()?;
        let rows = service(ctx)?
            .transactions_of(&user.user_id, page_size(limit, 0..=1000))
            .await?;
        Ok(Some(rows.into_iter().map(|r| Some(r.into())).collect()))
    }

    /// One of the signed-in user's transactions (admins: anyone's).
    async fn transaction(
        &self,
        ctx: &Context<'_>,
        transaction_id: String,
    ) -> Result<Option<Transaction>> {
        visible(ctx, &transaction_id).await.map(Some)
    }

    /// The calling merchant's invoice (`X-Merchant-Key`).
    async fn invoice(&self, ctx: &Context<'_>, va_number: String) -> Result<Option<Invoice>> {
        let service = service(ctx)?;
        let payee = service
            .merchant_by_key(RequestMeta::of(ctx).merchant_key.as_deref())
            .await?;
        Ok(Some(service.invoice_of(&payee, &va_number).await?.into()))
    }

    /// Admin only: registered merchants, newest first.
    async fn merchants(&self, ctx: &Context<'_>) -> Result<Vec<Merchant>> {
        Caller::of(ctx).admin()?;
        let rows = service(ctx)?.merchants().await?;
        Ok(rows.into_iter().map(Merchant::from).collect())
    }

    /// Admin only: callbacks to marketplaces and merchants, newest first.
    async fn payment_callbacks(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = true)] pending_only: bool,
        #[graphql(default = 100, desc = "At most 1000.")] limit: i32,
    ) -> Result<Vec<PaymentCallback>> {
        Caller::of(ctx).admin()?;
        let rows = service(ctx)?
            .callbacks(pending_only, page_size(limit, 0..=1000))
            .await?;
        Ok(rows.into_iter().map(PaymentCallback::from).collect())
    }

    /// A transaction for the router: its payer's and admins' only.
    #[graphql(entity)]
    async fn find_transaction_by_transaction_id(
        &self,
        ctx: &Context<'_>,
        #[graphql(key)] transaction_id: String,
    ) -> Result<Option<Transaction>> {
        visible(ctx, &transaction_id).await.map(Some)
    }

    #[graphql(entity)]
    async fn find_user_by_user_id(
        &self,
        #[graphql(key, name = "user_id")] user_id: String,
    ) -> User {
        User { user_id }
    }
}

/// The transaction if the caller may see it; `NOT_FOUND` otherwise.
async fn visible(ctx: &Context<'_>, id: &str) -> Result<Transaction> {
    let user = Caller::of(ctx).user()?;
    let row = service(ctx)?.find(id).await?;
    match row {
        Some(row) if row.user_id == user.user_id || user.is_admin() => Ok(row.into()),
        _ => Err(platform::ApiError::not_found("No transaction with this id is yours.").into()),
    }
}
