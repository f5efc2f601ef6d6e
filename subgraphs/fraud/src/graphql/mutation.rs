//! The fraud subgraph's mutations: the internal check, and admins deleting logs.

use std::sync::Arc;

use async_graphql::{Context, Object, Result};
use platform::Rupiah;
use platform::auth::Caller;
use platform::auth::service::scopes;
use platform::money::ABSOLUTE_MAX;

use super::types::FraudCheckResult;
use crate::domain::{CheckRequest, FraudService};

pub struct Mutation;

#[Object]
impl Mutation {
    /// Internal (scope `fraud:check`): decides whether a transaction of `amount`
    /// by `userId` may go ahead, and logs the check. Checking the same
    /// `transactionId` again returns the first verdict.
    #[graphql(inaccessible)]
    async fn check_fraud(
        &self,
        ctx: &Context<'_>,
        user_id: String,
        amount: f64,
        transaction_id: Option<String>,
        transaction_type: Option<String>,
    ) -> Result<Option<FraudCheckResult>> {
        let service_caller = Caller::of(ctx).service(scopes::FRAUD_CHECK)?;
        let amount = Rupiah::parse_field(amount, Rupiah::new(ABSOLUTE_MAX), "amount")?;
        let service = ctx.data::<Arc<FraudService>>()?;
        let log = service
            .check(CheckRequest {
                user_id,
                amount,
                transaction_id,
                transaction_type,
                checked_by: service_caller.client_id.clone(),
            })
            .await?;
        Ok(Some(log.into()))
    }

    /// Admin only: hides a fraud log from the list (the record is kept for the
    /// audit trail).
    async fn delete_fraud_log(&self, ctx: &Context<'_>, log_id: String) -> Result<Option<String>> {
        let admin = Caller::of(ctx).admin()?;
        let service = ctx.data::<Arc<FraudService>>()?;
        service.delete_log(&log_id, &admin.user_id).await?;
        Ok(Some(format!("Fraud log {log_id} deleted.")))
    }
}
