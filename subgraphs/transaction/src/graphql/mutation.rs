//! The transaction subgraph's mutations.

use std::sync::Arc;

use async_graphql::{Context, Object, Result};
use platform::auth::Caller;
use platform::graphql::RequestMeta;

use super::types::{Merchant, MerchantInput, MerchantRegistration, Transaction, TransactionInput};
use crate::domain::TransactionService;
use crate::domain::merchants::NewMerchant;
use crate::domain::values::RawTransaction;

pub struct Mutation;

fn service<'a>(ctx: &Context<'a>) -> Result<&'a Arc<TransactionService>> {
    ctx.data::<Arc<TransactionService>>()
}

#[Object]
impl Mutation {
    /// Makes a DEPOSIT, PAYMENT or TRANSFER from the signed-in user's wallet.
    /// Failures are errors with a code (`INSUFFICIENT_FUNDS`, `LIMIT_EXCEEDED`,
    /// `FRAUD_REJECTED`, …) and, once the transaction was recorded,
    /// `extensions.transactionId`. Send an idempotency key to retry safely.
    async fn create_transaction(
        &self,
        ctx: &Context<'_>,
        input: TransactionInput,
    ) -> Result<Option<Transaction>> {
        let payer = Caller::of(ctx).user()?;
        let raw = RawTransaction {
            wallet_id: input.wallet_id,
            amount: input.amount,
            kind: input.r#type.as_str().to_owned(),
            va_number: input.va_number,
            to_wallet_id: input.to_wallet_id,
            idempotency_key: input.idempotency_key,
            header_key: RequestMeta::of(ctx).idempotency_key.clone(),
        };
        let row = service(ctx)?.submit(&payer.user_id, raw).await?;
        Ok(Some(row.into()))
    }

    /// A registered merchant (`X-Merchant-Key`) issues a VA for `amount`; a
    /// customer pays it with a PAYMENT of exactly that amount. VA numbers start
    /// with `DS-8800`.
    #[graphql(name = "generateInvoiceVA")]
    async fn generate_invoice_va(
        &self,
        ctx: &Context<'_>,
        amount: f64,
        description: Option<String>,
    ) -> Result<Option<String>> {
        let service = service(ctx)?;
        let payee = service
            .merchant_by_key(RequestMeta::of(ctx).merchant_key.as_deref())
            .await?;
        let issued = service
            .generate_invoice(&payee, amount, description)
            .await?;
        Ok(Some(issued.va_number))
    }

    /// Admin only: registers a merchant; its API key and webhook secret are shown
    /// only in this answer.
    async fn register_merchant(
        &self,
        ctx: &Context<'_>,
        input: MerchantInput,
    ) -> Result<MerchantRegistration> {
        let admin = Caller::of(ctx).admin()?;
        let registered = service(ctx)?
            .register_merchant(
                &admin.user_id,
                NewMerchant {
                    name: input.name,
                    settlement_wallet_id: input.settlement_wallet_id,
                    callback_url: input.callback_url,
                },
            )
            .await?;
        Ok(MerchantRegistration {
            merchant: Merchant::from(registered.merchant),
            api_key: registered.api_key,
            webhook_secret: registered.webhook_secret,
        })
    }
}
