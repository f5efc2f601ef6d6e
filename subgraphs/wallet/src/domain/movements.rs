//! The ledger engine: a movement debits one wallet, credits one, or both (a
//! transfer), in one database transaction, once per idempotency key.
//!
//! - **Atomic and race-free.** The rows a movement touches are locked in one global
//!   order — the credited owner's row, the movement's key, then the wallets by id
//!   with merchants' settlement wallets last — so concurrent movements queue
//!   instead of deadlocking. A balance changes by one `UPDATE … RETURNING` that
//!   refuses to go below zero, so N concurrent debits against a balance that
//!   covers k of them give exactly k successes, and the busiest rows (a merchant
//!   paid by everyone) stay locked for as few statements as possible.
//! - **Audited.** Every balance change is a ledger entry with the balance before and
//!   after; a balance is always the sum of its credits minus its debits.
//! - **Idempotent.** The first request with a key posts; a repeat returns the posted
//!   movement; a different request with the same key is refused. [`void`] makes a
//!   key that was never posted unpostable, so a caller that lost track of a request
//!   can settle its fate for good.
//! - **E-money limits.** A credit into a personal wallet from outside its owner's
//!   own wallets must keep the owner's total balance and monthly incoming within
//!   their KYC level's caps.
//!
//! [`void`]: WalletService::void

use platform::Rupiah;
use platform::db::{begin_write, is_unique_violation};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, ExprTrait, QueryFilter, Set,
};
use sha2::{Digest, Sha256};

use super::WalletService;
use super::values::{Category, direction, kind, movement_state, status, wib_month};
use super::wallets::{kyc_level, lock_owner, personal_balance};
use crate::db::entities::{ledger_entry, monthly_incoming, movement, wallet};
use crate::error::WalletError;
use platform::idempotency::IdempotencyKey;

/// One side of a movement: the wallet, and the user it must belong to (when the
/// caller acts for a user).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side {
    pub wallet_id: String,
    pub owner_id: Option<String>,
}

/// A movement to post.
#[derive(Debug, Clone)]
pub struct MovementRequest {
    pub idempotency_key: IdempotencyKey,
    pub category: Category,
    pub amount: Rupiah,
    pub debit: Option<Side>,
    pub credit: Option<Side>,
    pub reference: Option<String>,
    /// Who asks: the service client id.
    pub actor: String,
}

impl MovementRequest {
    /// A fingerprint of what is asked (not who asks), to tell a retry from a
    /// different request with the same key.
    fn fingerprint(&self) -> String {
        let side = |s: &Option<Side>| match s {
            Some(s) => format!("{}/{}", s.wallet_id, s.owner_id.as_deref().unwrap_or("")),
            None => String::new(),
        };
        let text = format!(
            "{}|{}|{}|{}|{}",
            self.category.as_str(),
            self.amount.get(),
            side(&self.debit),
            side(&self.credit),
            self.reference.as_deref().unwrap_or("")
        );
        format!("{:x}", Sha256::digest(text.as_bytes()))
    }
}

/// A posted movement and the wallets it touched, as they are now.
#[derive(Debug, Clone)]
pub struct Posting {
    pub movement: movement::Model,
    pub wallets: Vec<wallet::Model>,
    /// The key had been posted before; nothing moved this time.
    pub replayed: bool,
}

impl Posting {
    /// The wallet `id` as it is after the movement.
    pub fn wallet(&self, id: &str) -> Option<&wallet::Model> {
        self.wallets.iter().find(|w| w.id == id)
    }
}

impl WalletService {
    /// Posts `request` once: see the module documentation.
    pub async fn post(&self, request: MovementRequest) -> Result<Posting, WalletError> {
        let (debit_id, credit_id) = (
            request.debit.as_ref().map(|s| s.wallet_id.as_str()),
            request.credit.as_ref().map(|s| s.wallet_id.as_str()),
        );
        match (debit_id, credit_id) {
            (None, None) => {
                return Err(WalletError::bad_input(
                    "input",
                    "A movement needs a wallet to debit, to credit, or both.",
                ));
            }
            (Some(d), Some(c)) if d == c => return Err(WalletError::SameWallet),
            _ => {}
        }
        let fingerprint = request.fingerprint();
        match self.try_post(&request, &fingerprint).await {
            // A concurrent request with the same key committed first.
            Err(WalletError::Db(err)) if is_unique_violation(&err) => self
                .replay(request.idempotency_key.as_str(), &fingerprint)
                .await?
                .ok_or(WalletError::Db(err)),
            other => other,
        }
    }

    /// The movement posted under `key`, if any (voided keys included).
    pub async fn movement(&self, key: &str) -> Result<Option<movement::Model>, WalletError> {
        Ok(movement::Entity::find()
            .filter(movement::Column::IdempotencyKey.eq(key))
            .one(&self.db)
            .await?)
    }

    /// Settles the fate of `key` for good: a posted movement is returned as it is;
    /// a key never posted is voided, so a late request with it is refused.
    pub async fn void(
        &self,
        key: &IdempotencyKey,
        actor: &str,
    ) -> Result<movement::Model, WalletError> {
        if let Some(existing) = self.movement(key.as_str()).await? {
            return Ok(existing);
        }
        let tombstone = movement::ActiveModel {
            id: Set(uuid::Uuid::now_v7().to_string()),
            idempotency_key: Set(key.as_str().to_owned()),
            request_hash: Set(None),
            state: Set(movement_state::VOIDED.to_owned()),
            category: Set(None),
            amount: Set(0),
            debit_wallet_id: Set(None),
            credit_wallet_id: Set(None),
            reference: Set(None),
            actor: Set(actor.to_owned()),
            created_at: Set(self.now()),
        };
        match tombstone.insert(&self.db).await {
            Ok(voided) => {
                tracing::info!(idempotency_key = key.as_str(), actor, "movement key voided");
                Ok(voided)
            }
            Err(err) if is_unique_violation(&err) => self
                .movement(key.as_str())
                .await?
                .ok_or(WalletError::Db(err)),
            Err(err) => Err(err.into()),
        }
    }

    async fn try_post(
        &self,
        request: &MovementRequest,
        fingerprint: &str,
    ) -> Result<Posting, WalletError> {
        // Owners and kinds never change once a wallet takes part in payments, so
        // they are read before the database transaction, to plan the locks.
        let (debit, credit) = self
            .planned_sides(request.debit.as_ref(), request.credit.as_ref())
            .await?;
        let limited_owner = credit.as_ref().and_then(|c| {
            let from_elsewhere = debit.as_ref().is_none_or(|d| d.owner_id != c.owner_id);
            (c.kind == kind::PERSONAL && from_elsewhere).then(|| c.owner_id.clone())
        });
        let amount = request.amount;

        let txn = begin_write(&self.db).await?;
        if let Some(owner_id) = &limited_owner {
            lock_owner(&txn, owner_id).await?;
            let month = wib_month(self.now());
            self.check_caps(&txn, owner_id, &month, amount).await?;
            add_incoming(&txn, owner_id, &month, amount).await?;
        }
        // The key is claimed before any balance is touched: a concurrent request
        // with the same key waits here for this one to end, then fails on the
        // unique key and replays it (see `post`).
        let posted = self
            .claim_key(&txn, request, fingerprint, &debit, &credit)
            .await?;
        let wallets = self
            .apply(&txn, request, &posted, debit.as_ref(), credit.as_ref())
            .await?;
        txn.commit().await?;
        Ok(Posting {
            movement: posted,
            wallets,
            replayed: false,
        })
    }

    /// The wallets of both sides (one query), each checked against the owner the
    /// caller acts for.
    async fn planned_sides(
        &self,
        debit: Option<&Side>,
        credit: Option<&Side>,
    ) -> Result<(Option<wallet::Model>, Option<wallet::Model>), WalletError> {
        let ids: Vec<&str> = [debit, credit]
            .into_iter()
            .flatten()
            .map(|side| side.wallet_id.as_str())
            .collect();
        let found = wallet::Entity::find()
            .filter(wallet::Column::Id.is_in(ids))
            .all(&self.db)
            .await?;
        let planned = |side: Option<&Side>| -> Result<Option<wallet::Model>, WalletError> {
            let Some(side) = side else { return Ok(None) };
            let wallet = found
                .iter()
                .find(|w| w.id == side.wallet_id)
                .cloned()
                .ok_or(WalletError::NoSuchWallet)?;
            match &side.owner_id {
                Some(owner) if *owner != wallet.owner_id => Err(WalletError::WalletNotFound),
                _ => Ok(Some(wallet)),
            }
        };
        Ok((planned(debit)?, planned(credit)?))
    }

    /// Refuses a credit of `amount` that would take the owner past their caps.
    async fn check_caps(
        &self,
        txn: &DatabaseTransaction,
        owner_id: &str,
        month: &str,
        amount: Rupiah,
    ) -> Result<(), WalletError> {
        let level = kyc_level(txn, owner_id).await?;
        let caps = self.policy.limits.caps(level);
        let held = personal_balance(txn, owner_id).await?;
        let would_hold = held.checked_add(amount).unwrap_or(Rupiah::new(i64::MAX));
        if would_hold > caps.max_balance {
            return Err(WalletError::BalanceLimit {
                limit: caps.max_balance,
                would_be: would_hold,
                level: level.as_str(),
            });
        }
        let received =
            monthly_incoming::Entity::find_by_id((owner_id.to_owned(), month.to_owned()))
                .one(txn)
                .await?
                .map_or(0, |m| m.amount);
        let would_receive = Rupiah::new(received)
            .checked_add(amount)
            .unwrap_or(Rupiah::new(i64::MAX));
        if would_receive > caps.monthly_incoming {
            return Err(WalletError::MonthlyLimit {
                limit: caps.monthly_incoming,
                would_be: would_receive,
                level: level.as_str(),
            });
        }
        Ok(())
    }

    /// The movement row, under its unique key.
    async fn claim_key(
        &self,
        txn: &DatabaseTransaction,
        request: &MovementRequest,
        fingerprint: &str,
        debit: &Option<wallet::Model>,
        credit: &Option<wallet::Model>,
    ) -> Result<movement::Model, WalletError> {
        Ok(movement::ActiveModel {
            id: Set(uuid::Uuid::now_v7().to_string()),
            idempotency_key: Set(request.idempotency_key.as_str().to_owned()),
            request_hash: Set(Some(fingerprint.to_owned())),
            state: Set(movement_state::APPLIED.to_owned()),
            category: Set(Some(request.category.as_str().to_owned())),
            amount: Set(request.amount.get()),
            debit_wallet_id: Set(debit.as_ref().map(|w| w.id.clone())),
            credit_wallet_id: Set(credit.as_ref().map(|w| w.id.clone())),
            reference: Set(request.reference.clone()),
            actor: Set(request.actor.clone()),
            created_at: Set(self.now()),
        }
        .insert(txn)
        .await?)
    }

    /// Changes the balances in the global lock order and writes their ledger
    /// entries; returns the wallets as they are now. Each balance is changed by
    /// one `UPDATE … RETURNING` that takes the row lock, checks the wallet is open
    /// (and, for a debit, covers the amount) and reads the new balance, so the
    /// busiest row — a merchant's settlement wallet, locked last — stays locked
    /// for the fewest statements.
    async fn apply(
        &self,
        txn: &DatabaseTransaction,
        request: &MovementRequest,
        posted: &movement::Model,
        debit: Option<&wallet::Model>,
        credit: Option<&wallet::Model>,
    ) -> Result<Vec<wallet::Model>, WalletError> {
        let amount = request.amount.get();
        let mut sides: Vec<(&wallet::Model, i64, &str)> = [
            debit.map(|w| (w, -amount, direction::DEBIT)),
            credit.map(|w| (w, amount, direction::CREDIT)),
        ]
        .into_iter()
        .flatten()
        .collect();
        sides.sort_by(|a, b| lock_order(a.0).cmp(&lock_order(b.0)));
        let mut wallets = Vec::with_capacity(2);
        let mut entries = Vec::with_capacity(2);
        for (planned, signed, dir) in sides {
            let mut update = wallet::Entity::update_many()
                .col_expr(
                    wallet::Column::Balance,
                    Expr::col(wallet::Column::Balance).add(signed),
                )
                .col_expr(wallet::Column::UpdatedAt, Expr::value(posted.created_at))
                .filter(wallet::Column::Id.eq(planned.id.as_str()))
                .filter(wallet::Column::Status.eq(status::ACTIVE));
            if signed < 0 {
                update = update.filter(wallet::Column::Balance.gte(amount));
            }
            let Some(changed) = update.exec_with_returning(txn).await?.into_iter().next() else {
                return Err(refusal(txn, &planned.id, request.amount).await);
            };
            entries.push(ledger_entry::ActiveModel {
                movement_id: Set(posted.id.clone()),
                wallet_id: Set(changed.id.clone()),
                direction: Set(dir.to_owned()),
                category: Set(request.category.as_str().to_owned()),
                amount: Set(amount),
                balance_before: Set(changed.balance - signed),
                balance_after: Set(changed.balance),
                reference: Set(request.reference.clone()),
                idempotency_key: Set(request.idempotency_key.as_str().to_owned()),
                created_at: Set(posted.created_at),
                ..Default::default()
            });
            wallets.push(changed);
        }
        ledger_entry::Entity::insert_many(entries)
            .exec_without_returning(txn)
            .await?;
        Ok(wallets)
    }

    /// The earlier outcome of `key`, if it was used before.
    async fn replay(&self, key: &str, fingerprint: &str) -> Result<Option<Posting>, WalletError> {
        match self.movement(key).await? {
            Some(existing) => self.replayed(existing, fingerprint).await.map(Some),
            None => Ok(None),
        }
    }

    async fn replayed(
        &self,
        existing: movement::Model,
        fingerprint: &str,
    ) -> Result<Posting, WalletError> {
        if existing.state == movement_state::VOIDED {
            return Err(WalletError::KeyVoided);
        }
        if existing.request_hash.as_deref() != Some(fingerprint) {
            return Err(WalletError::KeyReused);
        }
        let mut wallets = Vec::new();
        for id in [&existing.debit_wallet_id, &existing.credit_wallet_id]
            .into_iter()
            .flatten()
        {
            if let Some(found) = self.find_wallet(id).await? {
                wallets.push(found);
            }
        }
        Ok(Posting {
            movement: existing,
            wallets,
            replayed: true,
        })
    }
}

/// Where a wallet comes in the global lock order: by id, merchants' settlement
/// wallets after all others. Any two movements lock their rows in the same order,
/// so they queue instead of deadlocking. (A wallet designated a merchant's while a
/// movement that planned it as personal is in flight could be locked out of order
/// once; PostgreSQL would detect that deadlock and abort one movement, which fails
/// with nothing moved.)
fn lock_order(wallet: &wallet::Model) -> (bool, &str) {
    (wallet.kind == kind::MERCHANT, wallet.id.as_str())
}

/// Why a wallet's balance could not change: it is closed (or gone), or it does not
/// cover `amount`.
async fn refusal(txn: &DatabaseTransaction, wallet_id: &str, amount: Rupiah) -> WalletError {
    match wallet::Entity::find_by_id(wallet_id.to_owned())
        .one(txn)
        .await
    {
        Ok(Some(found)) if found.status == status::ACTIVE => WalletError::InsufficientFunds {
            balance: Rupiah::new(found.balance),
            amount,
        },
        Ok(Some(found)) => WalletError::WalletClosed(found.id),
        Ok(None) => WalletError::NoSuchWallet,
        Err(err) => err.into(),
    }
}

async fn add_incoming(
    txn: &DatabaseTransaction,
    owner_id: &str,
    month: &str,
    amount: Rupiah,
) -> Result<(), WalletError> {
    let updated = monthly_incoming::Entity::update_many()
        .col_expr(
            monthly_incoming::Column::Amount,
            Expr::col(monthly_incoming::Column::Amount).add(amount.get()),
        )
        .filter(monthly_incoming::Column::UserId.eq(owner_id))
        .filter(monthly_incoming::Column::Month.eq(month))
        .exec(txn)
        .await?;
    if updated.rows_affected == 0 {
        monthly_incoming::ActiveModel {
            user_id: Set(owner_id.to_owned()),
            month: Set(month.to_owned()),
            amount: Set(amount.get()),
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}
