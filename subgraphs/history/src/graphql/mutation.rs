//! The history subgraph's mutations: owners hide entries; services may record one.

use std::sync::Arc;

use async_graphql::{Context, Object, Result};
use platform::Rupiah;
use platform::auth::Caller;
use platform::auth::service::scopes;
use platform::money::ABSOLUTE_MAX;

use super::types::HistoryInput;
use crate::domain::{HistoryService, NewEntry};
use crate::error::HistoryError;

pub struct Mutation;

#[Object]
impl Mutation {
    /// Internal (scope `history:write`): records an entry. Recording the same
    /// transaction, party and side again changes nothing. Returns whether the entry
    /// is new.
    #[graphql(inaccessible)]
    async fn add_history(&self, ctx: &Context<'_>, input: HistoryInput) -> Result<Option<bool>> {
        let caller = Caller::of(ctx).service(scopes::HISTORY_WRITE)?;
        let service = ctx.data::<Arc<HistoryService>>()?;
        let entry = new_entry(input, &caller.client_id, service.clock.now())?;
        let inserted = service.record(&service.db, vec![entry]).await?;
        Ok(Some(inserted > 0))
    }

    /// Hides one of the signed-in user's entries from their own view. The audit
    /// record itself is kept.
    async fn delete_history(&self, ctx: &Context<'_>, history_id: String) -> Result<Option<bool>> {
        let user = Caller::of(ctx).user()?;
        let service = ctx.data::<Arc<HistoryService>>()?;
        service.hide(&user.user_id, &history_id).await?;
        Ok(Some(true))
    }
}

fn new_entry(
    input: HistoryInput,
    client_id: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<NewEntry, HistoryError> {
    let amount = Rupiah::parse(input.amount, Rupiah::new(ABSOLUTE_MAX))
        .map_err(|e| HistoryError::bad_input("amount", format!("`amount` {e}.")))?;
    let one_of = |field: &'static str, value: &str, allowed: &[&'static str]| {
        allowed
            .iter()
            .copied()
            .find(|a| *a == value)
            .ok_or_else(|| {
                HistoryError::bad_input(
                    field,
                    format!("`{field}` must be one of {}.", allowed.join(", ")),
                )
            })
    };
    let kind = one_of("type", &input.r#type, &["DEPOSIT", "PAYMENT", "TRANSFER"])?;
    let status = one_of("status", &input.status, &["SUCCESS", "FAILED", "REJECTED"])?;
    let default_direction = if kind == "DEPOSIT" { "CREDIT" } else { "DEBIT" };
    let direction = one_of(
        "direction",
        input.direction.as_deref().unwrap_or(default_direction),
        &["DEBIT", "CREDIT"],
    )?;
    let occurred_at = match input.created_at {
        Some(text) => chrono::DateTime::parse_from_rfc3339(&text)
            .map_err(|_| HistoryError::bad_input("createdAt", "`createdAt` must be RFC 3339."))?
            .to_utc(),
        None => now,
    };
    if input.transaction_id.trim().is_empty() || input.user_id.trim().is_empty() {
        return Err(HistoryError::bad_input(
            "input",
            "`transactionId` and `userId` must not be empty.",
        ));
    }
    Ok(NewEntry {
        transaction_id: input.transaction_id,
        user_id: input.user_id,
        wallet_id: input.wallet_id,
        counterparty_wallet_id: None,
        amount,
        kind: kind.to_owned(),
        direction,
        status: status.to_owned(),
        va_number: input.va_number,
        reason: input.reason,
        occurred_at,
        source: format!("addHistory:{client_id}"),
    })
}
