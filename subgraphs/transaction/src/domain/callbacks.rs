//! Callbacks: after a VA is paid, the marketplace is told through its
//! `updatePaymentStatus(vaNumber, status: "PROCESSED")` mutation and/or a signed
//! webhook, and a merchant through its webhook. Each callback is written in the
//! same database transaction as the payment's success and retried with backoff
//! (doubling, at most ten minutes) until acknowledged: `updatePaymentStatus`
//! answering `true`, or a webhook answering 2xx.
//!
//! Webhooks carry `X-Dompet-Signature: t=<unix seconds>,v1=<hex>`, where `v1` is
//! HMAC-SHA256 over `<t>.<body>` with the shared secret, and `X-Dompet-Delivery`, the
//! callback id (the same on every retry, for deduplication).

use std::time::Duration;

use hmac::{Hmac, Mac};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use secrecy::ExposeSecret;
use sha2::Sha256;
use tokio_util::sync::CancellationToken;

use super::TransactionService;
use crate::db::entities::{callback, merchant};
use crate::error::TransactionError;

/// The marketplace's `updatePaymentStatus` mutation.
pub const MARKETPLACE_GRAPHQL: &str = "MARKETPLACE_GRAPHQL";
/// The marketplace's signed webhook.
pub const MARKETPLACE_WEBHOOK: &str = "MARKETPLACE_WEBHOOK";
/// A merchant's signed webhook.
pub const MERCHANT_WEBHOOK: &str = "MERCHANT_WEBHOOK";

/// How long a delivery attempt holds a callback before another worker may try it.
const LEASE: chrono::Duration = chrono::Duration::seconds(60);
const MAX_BACKOFF: Duration = Duration::from_secs(600);

/// `t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
pub fn signature(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes keys of any size");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("t={timestamp},v1={hex}")
}

impl TransactionService {
    /// Delivers the callbacks that are due; returns how many were acknowledged.
    pub async fn deliver_due_callbacks(&self) -> Result<usize, TransactionError> {
        let now = self.now();
        let due = callback::Entity::find()
            .filter(callback::Column::DeliveredAt.is_null())
            .filter(callback::Column::NextAttemptAt.lte(now))
            .order_by_asc(callback::Column::NextAttemptAt)
            .limit(50)
            .all(&self.db)
            .await?;
        let mut delivered = 0;
        for row in due {
            let leased = callback::Entity::update_many()
                .col_expr(callback::Column::NextAttemptAt, Expr::value(now + LEASE))
                .filter(callback::Column::Id.eq(row.id.as_str()))
                .filter(callback::Column::NextAttemptAt.eq(row.next_attempt_at))
                .filter(callback::Column::DeliveredAt.is_null())
                .exec(&self.db)
                .await?;
            if leased.rows_affected == 0 {
                continue;
            }
            let attempts = row.attempts + 1;
            let outcome = self.deliver(&row).await;
            let after = self.now();
            let mut update = callback::Entity::update_many()
                .col_expr(callback::Column::Attempts, Expr::value(attempts))
                .filter(callback::Column::Id.eq(row.id.as_str()));
            update = match &outcome {
                Ok(()) => {
                    delivered += 1;
                    tracing::info!(callback.id = %row.id, kind = %row.kind, attempts, "callback acknowledged");
                    update
                        .col_expr(callback::Column::DeliveredAt, Expr::value(Some(after)))
                        .col_expr(callback::Column::LastError, Expr::value(None::<String>))
                }
                Err(error) => {
                    tracing::warn!(callback.id = %row.id, kind = %row.kind, attempts, %error, "callback not acknowledged; will retry");
                    update
                        .col_expr(
                            callback::Column::NextAttemptAt,
                            Expr::value(after + self.backoff(attempts)),
                        )
                        .col_expr(
                            callback::Column::LastError,
                            Expr::value(Some(error.chars().take(1000).collect::<String>())),
                        )
                }
            };
            update.exec(&self.db).await?;
        }
        Ok(delivered)
    }

    /// Delivers callbacks until `shutdown`: when a payment queues one, and every
    /// `poll`.
    pub async fn run_callbacks(&self, poll: Duration, shutdown: CancellationToken) {
        loop {
            if let Err(err) = self.deliver_due_callbacks().await {
                tracing::warn!(error = %err, "callback pass failed");
            }
            tokio::select! {
                () = shutdown.cancelled() => return,
                () = self.callbacks_due.notified() => {}
                () = tokio::time::sleep(poll) => {}
            }
        }
    }

    fn backoff(&self, attempts: i32) -> chrono::Duration {
        let exponent = attempts.clamp(1, 20) as u32 - 1;
        let wait = self
            .policy
            .callback_backoff
            .saturating_mul(1u32 << exponent.min(16))
            .min(MAX_BACKOFF);
        chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::seconds(600))
    }

    /// One attempt; `Err` says why it was not acknowledged.
    async fn deliver(&self, row: &callback::Model) -> Result<(), String> {
        match row.kind.as_str() {
            MARKETPLACE_GRAPHQL => {
                let marketplace = self
                    .peers
                    .marketplace
                    .as_ref()
                    .ok_or("no marketplace is configured any more")?;
                let va = row.payload["va_number"].as_str().unwrap_or_default();
                let status = row.payload["status"].as_str().unwrap_or("PROCESSED");
                match marketplace.update_payment_status(va, status).await {
                    Ok(true) => Ok(()),
                    Ok(false) => Err("updatePaymentStatus answered false".into()),
                    Err(err) => Err(err.to_string()),
                }
            }
            MARKETPLACE_WEBHOOK => {
                let (_, secret) = self
                    .policy
                    .marketplace_webhook
                    .as_ref()
                    .ok_or("no marketplace webhook is configured any more")?;
                self.post_webhook(row, secret.expose_secret().as_bytes())
                    .await
            }
            MERCHANT_WEBHOOK => {
                let payee =
                    merchant::Entity::find_by_id(row.merchant_id.clone().unwrap_or_default())
                        .one(&self.db)
                        .await
                        .map_err(|e| e.to_string())?
                        .ok_or("the merchant no longer exists")?;
                self.post_webhook(row, payee.webhook_secret.as_bytes())
                    .await
            }
            other => Err(format!("unknown callback kind {other}")),
        }
    }

    async fn post_webhook(&self, row: &callback::Model, secret: &[u8]) -> Result<(), String> {
        let body = serde_json::to_vec(&row.payload).map_err(|e| e.to_string())?;
        let response = self
            .peers
            .http
            .post(&row.target_url)
            .header("content-type", "application/json")
            .header(
                "x-dompet-signature",
                signature(secret, self.now().timestamp(), &body),
            )
            .header("x-dompet-delivery", row.id.as_str())
            .timeout(Duration::from_secs(10))
            .body(body)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(format!("webhook answered {}", response.status()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::signature;

    #[test]
    fn the_signature_is_hmac_sha256_over_timestamp_and_body() {
        // Computed independently:
        // printf '1700000000.{}' | openssl dgst -sha256 -hmac secret
        assert_eq!(
            signature(b"secret", 1_700_000_000, b"{}"),
            "t=1700000000,v1=b8569b78799ff9e3cbff0fc2d63a33a2b57f3282abd07c37ae5e8e7d79a5f163"
        );
    }
}
