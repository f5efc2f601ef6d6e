//! A risk check: amount thresholds, then velocity (count in a window, amount in 24
//! hours). A user's checks are serialised on their profile row, so parallel
//! requests cannot slip past the velocity rules together. Every check is logged;
//! a transaction is checked once.

use platform::Rupiah;
use platform::db::{begin_write, is_unique_violation};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, DbErr, EntityTrait, QueryFilter,
    QuerySelect, Set,
};

use super::FraudService;
use crate::db::entities::{fraud_log, fraud_profile};
use crate::error::FraudError;

/// What a check concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Safe,
    /// Allowed, flagged for review.
    Suspicious,
    /// Rejected.
    Fraud,
}

impl Verdict {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Safe => "SAFE",
            Self::Suspicious => "SUSPICIOUS",
            Self::Fraud => "FRAUD",
        }
    }
}

/// A check to make.
#[derive(Debug, Clone)]
pub struct CheckRequest {
    pub user_id: String,
    pub amount: Rupiah,
    /// Checking the same transaction again returns the first verdict.
    pub transaction_id: Option<String>,
    pub transaction_type: Option<String>,
    /// The service client that asks.
    pub checked_by: String,
}

/// A verdict with the rule that gave it and why.
struct Decision {
    verdict: Verdict,
    rule: Option<&'static str>,
    reason: Option<String>,
}

impl FraudService {
    /// Decides on `request` and logs it.
    pub async fn check(&self, request: CheckRequest) -> Result<fraud_log::Model, FraudError> {
        if request.user_id.trim().is_empty() {
            return Err(FraudError::BadInput {
                field: "userId",
                message: "`userId` must not be empty.".into(),
            });
        }
        // A transaction is checked once (unique `transaction_id`): a repeated check
        // fails to log and returns the first verdict.
        match self.decide_and_log(&request).await {
            // Checked before, or concurrently and committed first.
            Err(FraudError::Db(err)) if is_unique_violation(&err) => self
                .earlier_check(&request)
                .await?
                .ok_or(FraudError::Db(err)),
            other => other,
        }
    }

    async fn decide_and_log(&self, request: &CheckRequest) -> Result<fraud_log::Model, FraudError> {
        let now = self.clock.now();
        let txn = begin_write(&self.db).await?;
        lock_profile(&txn, &request.user_id, now).await?;
        let decision = self.decide(&txn, request, now).await?;
        let log = fraud_log::ActiveModel {
            id: Set(uuid::Uuid::now_v7().to_string()),
            user_id: Set(request.user_id.clone()),
            amount: Set(request.amount.get()),
            status: Set(decision.verdict.as_str().to_owned()),
            reason: Set(decision.reason),
            rule: Set(decision.rule.map(str::to_owned)),
            transaction_id: Set(request.transaction_id.clone()),
            transaction_type: Set(request.transaction_type.clone()),
            checked_by: Set(request.checked_by.clone()),
            created_at: Set(now),
            deleted_at: Set(None),
            deleted_by: Set(None),
        }
        .insert(&txn)
        .await?;
        txn.commit().await?;
        if decision.verdict != Verdict::Safe {
            tracing::warn!(user.id = %log.user_id, amount = log.amount, status = %log.status, rule = ?log.rule, "risk check flagged");
        }
        Ok(log)
    }

    async fn decide(
        &self,
        txn: &DatabaseTransaction,
        request: &CheckRequest,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Decision, FraudError> {
        let rules = &self.rules;
        let amount = request.amount;
        if amount > rules.reject_above {
            return Ok(Decision {
                verdict: Verdict::Fraud,
                rule: Some("AMOUNT_REJECT"),
                reason: Some(format!(
                    "The amount {amount} is above the {} limit of a single transaction.",
                    rules.reject_above
                )),
            });
        }
        // The velocity count and the day's amount, in one query over the user's
        // logs since the earlier of the two windows' starts.
        let window_start = now - rules.velocity_window;
        let day_start = now - chrono::Duration::hours(24);
        let recent = Expr::case(fraud_log::Column::CreatedAt.gt(window_start), 1).finally(0);
        let moved = Expr::case(
            fraud_log::Column::CreatedAt
                .gt(day_start)
                .and(fraud_log::Column::Status.ne(Verdict::Fraud.as_str())),
            Expr::col(fraud_log::Column::Amount),
        )
        .finally(0);
        let (recent, moved): (i64, i64) = fraud_log::Entity::find()
            .filter(fraud_log::Column::UserId.eq(&request.user_id))
            .filter(fraud_log::Column::CreatedAt.gt(Ord::min(window_start, day_start)))
            .select_only()
            .column_as(total(recent), "recent")
            .column_as(total(moved), "moved")
            .into_tuple()
            .one(txn)
            .await?
            .unwrap_or((0, 0));
        let recent = u64::try_from(recent).unwrap_or(0);
        if recent >= rules.velocity_max_count {
            return Ok(Decision {
                verdict: Verdict::Fraud,
                rule: Some("VELOCITY_COUNT"),
                reason: Some(format!(
                    "Too many transactions: {} in the last {} seconds (at most {}).",
                    recent + 1,
                    rules.velocity_window.num_seconds(),
                    rules.velocity_max_count
                )),
            });
        }
        let moved = Rupiah::new(moved);
        let would_move = moved.checked_add(amount).unwrap_or(Rupiah::new(i64::MAX));
        if would_move > rules.daily_max_amount {
            return Ok(Decision {
                verdict: Verdict::Fraud,
                rule: Some("DAILY_AMOUNT"),
                reason: Some(format!(
                    "This would bring the amount moved in 24 hours to {would_move}, above the {} limit.",
                    rules.daily_max_amount
                )),
            });
        }
        if amount > rules.suspicious_above {
            return Ok(Decision {
                verdict: Verdict::Suspicious,
                rule: Some("AMOUNT_SUSPICIOUS"),
                reason: Some(format!(
                    "The amount {amount} is above {}; flagged for review.",
                    rules.suspicious_above
                )),
            });
        }
        Ok(Decision {
            verdict: Verdict::Safe,
            rule: None,
            reason: None,
        })
    }

    /// The earlier check of the same transaction, if any; a different user or
    /// amount for it is a conflict.
    async fn earlier_check(
        &self,
        request: &CheckRequest,
    ) -> Result<Option<fraud_log::Model>, FraudError> {
        let Some(transaction_id) = &request.transaction_id else {
            return Ok(None);
        };
        let earlier = fraud_log::Entity::find()
            .filter(fraud_log::Column::TransactionId.eq(transaction_id))
            .one(&self.db)
            .await?;
        match earlier {
            Some(log) if log.user_id != request.user_id || log.amount != request.amount.get() => {
                Err(FraudError::TransactionMismatch(transaction_id.clone()))
            }
            other => Ok(other),
        }
    }
}

/// `SUM(expr)` as a BIGINT, 0 over no rows (PostgreSQL sums BIGINT as NUMERIC).
fn total(expr: impl Into<Expr>) -> Expr {
    Func::cast_as(
        Func::coalesce([Expr::expr(Func::sum(expr.into())), Expr::val(0)]),
        Alias::new("BIGINT"),
    )
    .into()
}

/// Creates (if needed) and locks the user's profile row until `txn` ends.
async fn lock_profile(
    txn: &DatabaseTransaction,
    user_id: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), DbErr> {
    let row = fraud_profile::ActiveModel {
        user_id: Set(user_id.to_owned()),
        last_check_at: Set(now),
    };
    // An upsert takes the row lock on PostgreSQL whether it inserts or updates.
    fraud_profile::Entity::insert(row)
        .on_conflict(
            OnConflict::column(fraud_profile::Column::UserId)
                .update_column(fraud_profile::Column::LastCheckAt)
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
    Ok(())
}
