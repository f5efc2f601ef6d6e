//! Recovery: a transaction left PENDING by a process that died (or lost the
//! wallet's answer) is settled for good. The wallet is asked to void its movement
//! key: if the money had moved, the transaction completes (recorded, announced,
//! callbacks queued); if not, the key can never be posted any more and the
//! transaction fails, compensated. Nothing is lost or moved twice.

use std::time::Duration;

use platform::ErrorCode;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, ExprTrait, QueryFilter, QueryOrder, QuerySelect};
use tokio_util::sync::CancellationToken;

use super::TransactionService;
use super::values::status;
use crate::db::entities::transaction;
use crate::error::TransactionError;

/// What one recovery pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Recovered {
    pub completed: usize,
    pub failed: usize,
    /// The wallet did not answer: left for the next pass.
    pub unsettled: usize,
}

impl TransactionService {
    /// Settles every transaction PENDING and untouched for `recovery_after`.
    pub async fn recover_stalled(&self) -> Result<Recovered, TransactionError> {
        let now = self.now();
        let stalled = transaction::Entity::find()
            .filter(transaction::Column::Status.eq(status::PENDING))
            .filter(transaction::Column::UpdatedAt.lte(now - self.policy.recovery_after))
            .order_by_asc(transaction::Column::UpdatedAt)
            .limit(100)
            .all(&self.db)
            .await?;
        let mut recovered = Recovered::default();
        for row in stalled {
            // Take it over; another recoverer that got there first wins.
            let claimed = transaction::Entity::update_many()
                .col_expr(transaction::Column::UpdatedAt, Expr::value(now))
                .col_expr(
                    transaction::Column::RecoveryAttempts,
                    Expr::col(transaction::Column::RecoveryAttempts).add(1),
                )
                .filter(transaction::Column::Id.eq(row.id.as_str()))
                .filter(transaction::Column::Status.eq(status::PENDING))
                .filter(transaction::Column::UpdatedAt.eq(row.updated_at))
                .exec(&self.db)
                .await?;
            if claimed.rows_affected == 0 {
                continue;
            }
            tracing::warn!(transaction.id = %row.id, step = %row.step, "recovering a stalled transaction");
            match self.peers.wallet.void(&row.id).await {
                Ok(settled) if settled.applied() => {
                    self.complete(row, None).await?;
                    recovered.completed += 1;
                }
                Ok(_) => {
                    let reason = "The transaction was interrupted before the money moved; nothing was charged.";
                    // Ending it failed answers with the recorded failure.
                    match self
                        .finish(row, status::FAILED, ErrorCode::ServiceUnavailable, reason)
                        .await
                    {
                        Ok(_) | Err(TransactionError::Recorded { .. }) => recovered.failed += 1,
                        Err(err) => return Err(err),
                    }
                }
                Err(err) => {
                    tracing::warn!(transaction.id = %row.id, error = %err, "wallet unreachable; recovery will retry");
                    recovered.unsettled += 1;
                }
            }
        }
        Ok(recovered)
    }

    /// Runs recovery now and every `interval` until `shutdown`.
    pub async fn run_recovery(&self, interval: Duration, shutdown: CancellationToken) {
        loop {
            match self.recover_stalled().await {
                Ok(done) if done != Recovered::default() => {
                    tracing::info!(?done, "recovery pass");
                }
                Ok(_) => {}
                Err(err) => tracing::warn!(error = %err, "recovery pass failed"),
            }
            tokio::select! {
                () = shutdown.cancelled() => return,
                () = tokio::time::sleep(interval) => {}
            }
        }
    }
}
