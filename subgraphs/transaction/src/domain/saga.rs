//! `createTransaction` as a saga with persisted state:
//!
//! 1. **Validate** (nothing written): the request's shape; the payer owns the wallet;
//!    the recipient wallet exists; the VA is billed for exactly this amount.
//! 2. **Start**: the transaction row (`PENDING`, step `STARTED`), one `INSERT`. It
//!    claims the VA: a unique index covers the VAs of transactions paying or having
//!    paid them. The row's id is the idempotency key of its money movement at the
//!    wallet.
//! 3. **Fraud check**: `FRAUD` ends it `REJECTED`; else step `FRAUD_CHECKED`.
//! 4. **Move the money**: one movement at the wallet (debit, credit, or both for a
//!    transfer or merchant payment), posted once under the transaction's id. The
//!    wallet refusing (insufficient funds, limits) ends it `FAILED`. When the
//!    wallet's answer is lost, the key is voided: either it had been posted (go
//!    on) or it never will be (fail).
//! 5. **Record and announce**: `SUCCESS`, the invoice paid, callbacks to the
//!    marketplace or merchant, and the event — in one database transaction.
//!
//! Once asked, a transaction runs to its end in a task of its own: a client that
//! hangs up (a dropped mobile connection, a router timeout) does not stop it half
//! way, and its retry with the same key gets the outcome.
//!
//! A failure after step 2 compensates — the VA is released, nothing has moved — and
//! ends the row `FAILED` or `REJECTED` with a code and reason. A process that dies
//! mid-way leaves the row `PENDING`; recovery settles it (see `recovery`).
//!
//! Idempotency: a request with a key the payer used before gets that transaction's
//! outcome (waiting while it is still running); a different request with the same
//! key is `CONFLICT`; concurrent duplicates race on the unique key, and only one
//! moves money.

use std::sync::Arc;
use std::time::Duration;

use platform::db::{begin_write, is_unique_violation};
use platform::{ErrorCode, Rupiah};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, Set};
use tracing::Instrument as _;

use super::TransactionService;
use super::clients::{Movement, WalletView};
use super::events;
use super::values::{Kind, NewTransaction, RawTransaction, VaNumber, status, step, va_kind};
use crate::config::CrashPoint;
use crate::db::entities::{callback, invoice, merchant, transaction};
use crate::error::TransactionError;

/// What validation learned: who is credited and how the VA is paid.
#[derive(Debug, Clone, Default)]
struct Plan {
    to_wallet_id: Option<String>,
    to_user_id: Option<String>,
    merchant_id: Option<String>,
    /// The merchant an invoice is paid to, as read when validating.
    payee: Option<merchant::Model>,
    va_kind: Option<&'static str>,
}

/// How asking the wallet to move the money ended.
enum MoneyOutcome {
    Moved,
    /// The wallet refused for good (e.g. insufficient funds): nothing moved.
    Refused(TransactionError),
    /// Recovery had already settled the key.
    SettledElsewhere,
    /// No answer: the key is not settled.
    Unknown,
}

/// How long a duplicate request waits for the first one to finish.
const DUPLICATE_WAIT: Duration = Duration::from_secs(15);
/// How often attempts to post a movement are made before giving up.
const POST_ATTEMPTS: u32 = 3;

impl TransactionService {
    /// Runs a transaction for `payer_id` to its end, even if the caller stops
    /// waiting (see the module documentation).
    pub async fn submit(
        self: &Arc<Self>,
        payer_id: &str,
        raw: RawTransaction,
    ) -> Result<transaction::Model, TransactionError> {
        let service = self.clone();
        let payer_id = payer_id.to_owned();
        tokio::spawn(
            async move { service.create(&payer_id, raw).await }
                .instrument(tracing::Span::current()),
        )
        .await
        .map_err(|err| TransactionError::Internal(format!("the transaction task failed: {err}")))?
    }

    /// Runs a transaction for `payer_id` in the caller's task: see the module
    /// documentation and [`Self::submit`].
    async fn create(
        &self,
        payer_id: &str,
        raw: RawTransaction,
    ) -> Result<transaction::Model, TransactionError> {
        let request = NewTransaction::parse(raw, self.policy.max_amount)?;
        let fingerprint = request.fingerprint();
        if let Some(earlier) = self.by_key(payer_id, &request).await? {
            return self.replay(earlier, &fingerprint).await;
        }
        let plan = self.validate(payer_id, &request).await?;
        let started = match self.start(payer_id, &request, &fingerprint, &plan).await {
            Ok(started) => started,
            Err(TransactionError::Db(err)) if is_unique_violation(&err) => {
                // A duplicate with the same key won the race, or the VA was taken.
                return match self.by_key(payer_id, &request).await? {
                    Some(earlier) => self.replay(earlier, &fingerprint).await,
                    None => Err(TransactionError::VaTaken),
                };
            }
            Err(err) => return Err(err),
        };
        self.crash_point(CrashPoint::Started);
        self.run(started, plan.payee).await
    }

    /// Steps 3–5 for a started transaction.
    async fn run(
        &self,
        started: transaction::Model,
        payee: Option<merchant::Model>,
    ) -> Result<transaction::Model, TransactionError> {
        let kind = Kind::parse(&started.r#type).unwrap_or(Kind::Payment);
        let amount = Rupiah::new(started.amount);
        let verdict = match self
            .peers
            .fraud
            .check(&started.user_id, amount, &started.id, kind.as_str())
            .await
        {
            Ok(verdict) => verdict,
            Err(err) => return self.fail(started, TransactionError::from(err)).await,
        };
        if verdict.is_fraud {
            let reason = verdict
                .reason
                .unwrap_or_else(|| "The transaction was refused by the risk check.".into());
            return self
                .finish(started, status::REJECTED, ErrorCode::FraudRejected, &reason)
                .await;
        }
        let checked = self.fraud_checked(started, &verdict.status).await?;
        self.crash_point(CrashPoint::FraudChecked);

        match self.move_money(&checked).await {
            MoneyOutcome::Moved => {}
            MoneyOutcome::Refused(err) => return self.fail(checked, err).await,
            MoneyOutcome::SettledElsewhere => return self.outcome_of(&checked.id).await,
            MoneyOutcome::Unknown => match self.peers.wallet.void(&checked.id).await {
                Ok(settled) if settled.applied() => {}
                Ok(_) => {
                    let unavailable =
                        TransactionError::Unavailable(crate::error::UNAVAILABLE.into());
                    return self.fail(checked, unavailable).await;
                }
                Err(err) => {
                    tracing::error!(transaction.id = %checked.id, error = %err, "money movement unsettled; recovery will settle it");
                    return Err(TransactionError::Unavailable(format!(
                        "The wallet is not answering. Transaction {} will be settled within a minute; see myTransactions.",
                        checked.id
                    )));
                }
            },
        }
        self.crash_point(CrashPoint::MoneyMoved);
        self.complete(checked, payee).await
    }

    /// Step 1: everything that can be refused before anything is written.
    async fn validate(
        &self,
        payer_id: &str,
        request: &NewTransaction,
    ) -> Result<Plan, TransactionError> {
        let payer_wallet = async {
            match self.peers.wallet.wallet(&request.wallet_id).await? {
                Some(w) if w.user_id == payer_id => open(w),
                _ => Err(TransactionError::WalletNotFound),
            }
        };
        let recipient = async {
            match &request.to_wallet_id {
                None => Ok(None),
                Some(id) => match self.peers.wallet.wallet(id).await? {
                    Some(w) => open(w).map(Some),
                    None => Err(TransactionError::RecipientNotFound),
                },
            }
        };
        let va = async {
            match &request.va_number {
                None => Ok(Plan::default()),
                Some(va) if va.is_ours() => self.invoice_plan(va, request.amount).await,
                Some(va) => self.marketplace_plan(va, request.amount).await,
            }
        };
        let (_, recipient, mut plan) = tokio::try_join!(payer_wallet, recipient, va)?;
        if let Some(recipient) = recipient {
            plan.to_wallet_id = Some(recipient.wallet_id);
            plan.to_user_id = Some(recipient.user_id);
        }
        if plan.to_wallet_id.as_deref() == Some(request.wallet_id.as_str()) {
            return Err(TransactionError::bad_input(
                "walletId",
                "This wallet is the invoice's settlement wallet; pay it from another wallet.",
            ));
        }
        Ok(plan)
    }

    /// A `DS-8800…` VA: an unpaid, unexpired invoice of an active merchant, for
    /// exactly `amount`.
    async fn invoice_plan(&self, va: &VaNumber, amount: Rupiah) -> Result<Plan, TransactionError> {
        let bill = invoice::Entity::find_by_id(va.as_str().to_owned())
            .one(&self.db)
            .await?
            .ok_or(TransactionError::UnknownVa)?;
        if bill.status != "UNPAID" {
            return Err(TransactionError::VaTaken);
        }
        if bill.expires_at <= self.now() {
            return Err(TransactionError::VaExpired);
        }
        if bill.amount != amount.get() {
            return Err(TransactionError::VaAmountMismatch {
                billed: Rupiah::new(bill.amount),
                asked: amount,
            });
        }
        let payee = merchant::Entity::find_by_id(bill.merchant_id.clone())
            .one(&self.db)
            .await?
            .filter(|m| m.active)
            .ok_or(TransactionError::UnknownVa)?;
        Ok(Plan {
            to_wallet_id: Some(payee.settlement_wallet_id.clone()),
            to_user_id: Some(payee.settlement_user_id.clone()),
            merchant_id: Some(payee.id.clone()),
            va_kind: Some(va_kind::INVOICE),
            payee: Some(payee),
        })
    }

    /// A marketplace VA: the marketplace bills exactly `amount` and it is unpaid.
    async fn marketplace_plan(
        &self,
        va: &VaNumber,
        amount: Rupiah,
    ) -> Result<Plan, TransactionError> {
        let Some(marketplace) = &self.peers.marketplace else {
            return Err(TransactionError::UnknownVa);
        };
        let order = marketplace
            .order_by_va(va.as_str())
            .await
            .map_err(TransactionError::from)?
            .ok_or(TransactionError::UnknownVa)?;
        if order
            .payment_status
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("PAID"))
        {
            return Err(TransactionError::VaTaken);
        }
        if order.total_harga != amount.as_f64() {
            return Err(TransactionError::VaAmountMismatch {
                billed: Rupiah::new(order.total_harga.round() as i64),
                asked: amount,
            });
        }
        Ok(Plan {
            va_kind: Some(va_kind::MARKETPLACE),
            ..Plan::default()
        })
    }

    /// Step 2: the row, which claims the VA (see the module documentation).
    async fn start(
        &self,
        payer_id: &str,
        request: &NewTransaction,
        fingerprint: &str,
        plan: &Plan,
    ) -> Result<transaction::Model, TransactionError> {
        let now = self.now();
        Ok(transaction::ActiveModel {
            id: Set(uuid::Uuid::now_v7().to_string()),
            user_id: Set(payer_id.to_owned()),
            wallet_id: Set(request.wallet_id.clone()),
            to_wallet_id: Set(plan.to_wallet_id.clone()),
            to_user_id: Set(plan.to_user_id.clone()),
            merchant_id: Set(plan.merchant_id.clone()),
            amount: Set(request.amount.get()),
            r#type: Set(request.kind.as_str().to_owned()),
            va_number: Set(request.va_number.as_ref().map(|v| v.as_str().to_owned())),
            va_kind: Set(plan.va_kind.map(str::to_owned)),
            status: Set(status::PENDING.to_owned()),
            step: Set(step::STARTED.to_owned()),
            failure_code: Set(None),
            failure_reason: Set(None),
            fraud_status: Set(None),
            idempotency_key: Set(request
                .idempotency_key
                .as_ref()
                .map(|k| k.as_str().to_owned())),
            request_hash: Set(fingerprint.to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
            completed_at: Set(None),
            recovery_attempts: Set(0),
        }
        .insert(&self.db)
        .await?)
    }

    async fn fraud_checked(
        &self,
        row: transaction::Model,
        verdict: &str,
    ) -> Result<transaction::Model, TransactionError> {
        let mut active: transaction::ActiveModel = row.into();
        active.step = Set(step::FRAUD_CHECKED.to_owned());
        active.fraud_status = Set(Some(verdict.to_owned()));
        active.updated_at = Set(self.now());
        Ok(active.update(&self.db).await?)
    }

    /// Step 4, posting the movement; a lost answer is retried (the key makes a
    /// retry harmless).
    async fn move_money(&self, row: &transaction::Model) -> MoneyOutcome {
        let kind = Kind::parse(&row.r#type).unwrap_or(Kind::Payment);
        let movement = Movement {
            key: &row.id,
            category: kind.ledger_category(),
            amount: Rupiah::new(row.amount),
            debit: (kind != Kind::Deposit)
                .then_some((row.wallet_id.as_str(), row.user_id.as_str())),
            credit: match kind {
                Kind::Deposit => Some((row.wallet_id.as_str(), Some(row.user_id.as_str()))),
                _ => row.to_wallet_id.as_deref().map(|to| (to, None)),
            },
        };
        for attempt in 1..=POST_ATTEMPTS {
            let refused = match self.peers.wallet.post(&movement).await {
                Ok(posted) if posted.applied() => return MoneyOutcome::Moved,
                Ok(_) => return MoneyOutcome::SettledElsewhere,
                Err(err) => match TransactionError::from(err) {
                    TransactionError::Unavailable(_) => {
                        tracing::warn!(transaction.id = %row.id, attempt, "wallet did not answer; retrying");
                        tokio::time::sleep(Duration::from_millis(100 * u64::from(attempt))).await;
                        continue;
                    }
                    refused => refused,
                },
            };
            // A conflict may mean recovery voided the key meanwhile.
            if refused.code() == ErrorCode::Conflict
                && let Ok(Some(settled)) = self.peers.wallet.movement(&row.id).await
            {
                return if settled.applied() {
                    MoneyOutcome::Moved
                } else {
                    MoneyOutcome::SettledElsewhere
                };
            }
            return MoneyOutcome::Refused(refused);
        }
        MoneyOutcome::Unknown
    }

    /// Step 5: the transaction succeeded. `payee`: the invoice's merchant when
    /// already read (else it is read here).
    pub(crate) async fn complete(
        &self,
        row: transaction::Model,
        payee: Option<merchant::Model>,
    ) -> Result<transaction::Model, TransactionError> {
        let now = self.now();
        let txn = begin_write(&self.db).await?;
        let Some(done) = self
            .end_pending(&txn, &row.id, status::SUCCESS, step::COMPLETED, None, None)
            .await?
        else {
            txn.rollback().await?;
            return self.outcome_of(&row.id).await;
        };
        if done.va_kind.as_deref() == Some(va_kind::INVOICE)
            && let Some(va) = &done.va_number
        {
            invoice::Entity::update_many()
                .col_expr(invoice::Column::Status, Expr::value("PAID"))
                .col_expr(invoice::Column::TransactionId, Expr::value(done.id.clone()))
                .col_expr(invoice::Column::PaidAt, Expr::value(now))
                .filter(invoice::Column::VaNumber.eq(va.as_str()))
                .exec(&txn)
                .await?;
        }
        let callbacks = self.callbacks_for(&txn, &done, payee).await?;
        self.outbox.enqueue(&txn, events::ended(&done)).await?;
        txn.commit().await?;
        self.outbox.wake();
        if callbacks > 0 {
            self.callbacks_due.notify_one();
        }
        tracing::info!(transaction.id = %done.id, kind = %done.r#type, amount = done.amount, "transaction succeeded");
        Ok(done)
    }

    /// Compensates and ends a started transaction with the error's code.
    pub(crate) async fn fail(
        &self,
        row: transaction::Model,
        err: TransactionError,
    ) -> Result<transaction::Model, TransactionError> {
        let code = err.code();
        if code == ErrorCode::Internal {
            tracing::error!(transaction.id = %row.id, error = %err, "transaction failed on our side");
        }
        let message = match &err {
            TransactionError::Db(_) | TransactionError::Internal(_) => {
                "The transaction failed on our side; nothing was charged.".to_owned()
            }
            other => other.to_string(),
        };
        self.finish(row, status::FAILED, code, &message).await
    }

    /// Ends a started transaction `FAILED` or `REJECTED`: nothing moved, and the VA
    /// is released by the status change; returns the recorded failure as the error.
    pub(crate) async fn finish(
        &self,
        row: transaction::Model,
        final_status: &str,
        code: ErrorCode,
        reason: &str,
    ) -> Result<transaction::Model, TransactionError> {
        let txn = begin_write(&self.db).await?;
        let Some(done) = self
            .end_pending(
                &txn,
                &row.id,
                final_status,
                step::COMPENSATED,
                Some(code.as_str()),
                Some(reason),
            )
            .await?
        else {
            txn.rollback().await?;
            return self.outcome_of(&row.id).await;
        };
        self.outbox.enqueue(&txn, events::ended(&done)).await?;
        txn.commit().await?;
        self.outbox.wake();
        tracing::info!(transaction.id = %done.id, status = final_status, code = code.as_str(), "transaction ended without moving money");
        Err(recorded(&done))
    }

    /// Moves a PENDING row to its final state; `None` when it was no longer
    /// PENDING (another process ended it first).
    async fn end_pending(
        &self,
        txn: &DatabaseTransaction,
        id: &str,
        final_status: &str,
        final_step: &str,
        code: Option<&str>,
        reason: Option<&str>,
    ) -> Result<Option<transaction::Model>, TransactionError> {
        let now = self.now();
        let updated = transaction::Entity::update_many()
            .col_expr(transaction::Column::Status, Expr::value(final_status))
            .col_expr(transaction::Column::Step, Expr::value(final_step))
            .col_expr(
                transaction::Column::FailureCode,
                Expr::value(code.map(str::to_owned)),
            )
            .col_expr(
                transaction::Column::FailureReason,
                Expr::value(reason.map(str::to_owned)),
            )
            .col_expr(transaction::Column::UpdatedAt, Expr::value(now))
            .col_expr(transaction::Column::CompletedAt, Expr::value(Some(now)))
            .filter(transaction::Column::Id.eq(id))
            .filter(transaction::Column::Status.eq(status::PENDING))
            .exec_with_returning(txn)
            .await?;
        Ok(updated.into_iter().next())
    }

    /// Queues the callbacks a successful payment owes; returns how many.
    async fn callbacks_for(
        &self,
        txn: &DatabaseTransaction,
        done: &transaction::Model,
        payee: Option<merchant::Model>,
    ) -> Result<usize, TransactionError> {
        let Some(va) = &done.va_number else {
            return Ok(0);
        };
        let mut due: Vec<(&str, String, Option<String>, serde_json::Value)> = Vec::new();
        let webhook_body = serde_json::json!({
            "event": "payment.succeeded",
            "transaction_id": done.id,
            "va_number": va,
            "amount": done.amount,
            "status": "PAID",
            "paid_at": done.completed_at,
        });
        match done.va_kind.as_deref() {
            Some(va_kind::MARKETPLACE) => {
                if let Some(marketplace) = &self.peers.marketplace {
                    let body = serde_json::json!({ "va_number": va, "status": "PROCESSED" });
                    due.push((
                        super::callbacks::MARKETPLACE_GRAPHQL,
                        marketplace.url.clone(),
                        None,
                        body,
                    ));
                }
                if let Some((url, _)) = &self.policy.marketplace_webhook {
                    due.push((
                        super::callbacks::MARKETPLACE_WEBHOOK,
                        url.clone(),
                        None,
                        webhook_body,
                    ));
                }
            }
            Some(va_kind::INVOICE) => {
                let payee = match (&done.merchant_id, payee) {
                    (Some(id), Some(known)) if known.id == *id => Some(known),
                    (Some(id), _) => merchant::Entity::find_by_id(id.clone()).one(txn).await?,
                    (None, _) => None,
                };
                if let Some(payee) = payee
                    && let Some(url) = payee.callback_url
                {
                    due.push((
                        super::callbacks::MERCHANT_WEBHOOK,
                        url,
                        Some(payee.id),
                        webhook_body,
                    ));
                }
            }
            _ => {}
        }
        let count = due.len();
        for (kind, target, merchant_id, payload) in due {
            callback::ActiveModel {
                id: Set(uuid::Uuid::now_v7().to_string()),
                transaction_id: Set(done.id.clone()),
                kind: Set(kind.to_owned()),
                target_url: Set(target),
                merchant_id: Set(merchant_id),
                payload: Set(payload),
                attempts: Set(0),
                next_attempt_at: Set(self.now()),
                delivered_at: Set(None),
                last_error: Set(None),
                created_at: Set(self.now()),
            }
            .insert(txn)
            .await?;
        }
        Ok(count)
    }

    /// The payer's transaction with the request's key, if any.
    async fn by_key(
        &self,
        payer_id: &str,
        request: &NewTransaction,
    ) -> Result<Option<transaction::Model>, TransactionError> {
        let Some(key) = &request.idempotency_key else {
            return Ok(None);
        };
        Ok(transaction::Entity::find()
            .filter(transaction::Column::UserId.eq(payer_id))
            .filter(transaction::Column::IdempotencyKey.eq(key.as_str()))
            .one(&self.db)
            .await?)
    }

    /// A repeated request: the first one's outcome, once it has one.
    async fn replay(
        &self,
        earlier: transaction::Model,
        fingerprint: &str,
    ) -> Result<transaction::Model, TransactionError> {
        if earlier.request_hash != fingerprint {
            return Err(TransactionError::KeyReused);
        }
        let deadline = tokio::time::Instant::now() + DUPLICATE_WAIT;
        let mut current = earlier;
        while current.status == status::PENDING && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
            current = self.find(&current.id).await?.unwrap_or(current);
        }
        outcome(current)
    }

    /// The recorded outcome of transaction `id`.
    pub(crate) async fn outcome_of(
        &self,
        id: &str,
    ) -> Result<transaction::Model, TransactionError> {
        let row = self
            .find(id)
            .await?
            .ok_or_else(|| TransactionError::Internal(format!("transaction {id} vanished")))?;
        outcome(row)
    }

    /// Testing only: the process dies here, as in a crash.
    fn crash_point(&self, point: CrashPoint) {
        if self.policy.crash_after == Some(point) {
            tracing::error!(?point, "SAGA_CRASH_AFTER reached: aborting the process");
            std::process::abort();
        }
    }
}

/// A wallet that can take part: open.
fn open(wallet: WalletView) -> Result<WalletView, TransactionError> {
    if wallet.status == "ACTIVE" {
        Ok(wallet)
    } else {
        Err(TransactionError::WalletClosed(wallet.wallet_id))
    }
}

/// A row as the caller sees it: the transaction, or the error it ended with.
fn outcome(row: transaction::Model) -> Result<transaction::Model, TransactionError> {
    match row.status.as_str() {
        status::FAILED | status::REJECTED => Err(recorded(&row)),
        _ => Ok(row),
    }
}

fn recorded(row: &transaction::Model) -> TransactionError {
    TransactionError::Recorded {
        code: row
            .failure_code
            .as_deref()
            .and_then(ErrorCode::parse)
            .unwrap_or(ErrorCode::Internal),
        message: row
            .failure_reason
            .clone()
            .unwrap_or_else(|| "The transaction failed.".into()),
        transaction_id: row.id.clone(),
        status: row.status.clone(),
    }
}
