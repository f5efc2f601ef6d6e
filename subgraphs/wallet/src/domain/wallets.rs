//! Opening, closing and reading wallets, and an owner's e-money standing.

use platform::Rupiah;
use platform::db::begin_write;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::WalletService;
use super::values::{KycLevel, WalletName, kind, status, wib_month};
use crate::db::entities::{ledger_entry, monthly_incoming, owner, wallet};
use crate::error::WalletError;

/// An owner's e-money limits and how much of them is used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub kyc_level: KycLevel,
    pub max_balance: Rupiah,
    pub monthly_incoming_limit: Rupiah,
    /// Over all the owner's open personal wallets.
    pub total_balance: Rupiah,
    pub incoming_this_month: Rupiah,
}

impl WalletService {
    /// Opens a wallet for `owner_id`.
    pub async fn create_wallet(
        &self,
        owner_id: &str,
        name: &str,
    ) -> Result<wallet::Model, WalletError> {
        let name = WalletName::parse(name)?;
        let now = self.now();
        let txn = begin_write(&self.db).await?;
        ensure_owner(&txn, owner_id).await?;
        // The owner's row serialises wallet creation, so the count cannot race.
        lock_owner(&txn, owner_id).await?;
        let open = wallet::Entity::find()
            .filter(wallet::Column::OwnerId.eq(owner_id))
            .filter(wallet::Column::Status.eq(status::ACTIVE))
            .count(&txn)
            .await?;
        if open >= u64::from(self.policy.max_wallets_per_user) {
            return Err(WalletError::TooManyWallets(
                self.policy.max_wallets_per_user,
            ));
        }
        let created = wallet::ActiveModel {
            id: Set(uuid::Uuid::now_v7().to_string()),
            owner_id: Set(owner_id.to_owned()),
            name: Set(name.as_str().to_owned()),
            balance: Set(0),
            kind: Set(kind::PERSONAL.to_owned()),
            status: Set(status::ACTIVE.to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
            deleted_at: Set(None),
        }
        .insert(&txn)
        .await?;
        txn.commit().await?;
        tracing::info!(wallet.id = %created.id, user.id = owner_id, "wallet created");
        Ok(created)
    }

    /// Closes `owner_id`'s wallet `wallet_id`; its balance must be zero. The row and
    /// its ledger stay for the audit trail.
    pub async fn delete_wallet(
        &self,
        owner_id: &str,
        wallet_id: &str,
    ) -> Result<wallet::Model, WalletError> {
        let txn = begin_write(&self.db).await?;
        let found = wallet::Entity::find_by_id(wallet_id.to_owned())
            .lock_exclusive()
            .one(&txn)
            .await?
            .filter(|w| w.owner_id == owner_id && w.status == status::ACTIVE)
            .ok_or(WalletError::WalletNotFound)?;
        if found.balance != 0 {
            return Err(WalletError::BalanceNotZero(Rupiah::new(found.balance)));
        }
        let now = self.now();
        let mut active = found.into_active_model();
        active.status = Set(status::DELETED.to_owned());
        active.deleted_at = Set(Some(now));
        active.updated_at = Set(now);
        let deleted = active.update(&txn).await?;
        txn.commit().await?;
        tracing::info!(wallet.id = wallet_id, user.id = owner_id, "wallet deleted");
        Ok(deleted)
    }

    /// `owner_id`'s open wallets, oldest first.
    pub async fn wallets_of(&self, owner_id: &str) -> Result<Vec<wallet::Model>, WalletError> {
        Ok(wallet::Entity::find()
            .filter(wallet::Column::OwnerId.eq(owner_id))
            .filter(wallet::Column::Status.eq(status::ACTIVE))
            .order_by_asc(wallet::Column::CreatedAt)
            .order_by_asc(wallet::Column::Id)
            .all(&self.db)
            .await?)
    }

    /// The wallet with `wallet_id`, open or closed.
    pub async fn find_wallet(&self, wallet_id: &str) -> Result<Option<wallet::Model>, WalletError> {
        Ok(wallet::Entity::find_by_id(wallet_id.to_owned())
            .one(&self.db)
            .await?)
    }

    /// The wallet's ledger, newest first.
    pub async fn ledger(
        &self,
        wallet_id: &str,
        limit: u64,
    ) -> Result<Vec<ledger_entry::Model>, WalletError> {
        Ok(ledger_entry::Entity::find()
            .filter(ledger_entry::Column::WalletId.eq(wallet_id))
            .order_by_desc(ledger_entry::Column::Seq)
            .limit(limit)
            .all(&self.db)
            .await?)
    }

    /// `owner_id`'s e-money limits and their use this month.
    pub async fn standing(&self, owner_id: &str) -> Result<Standing, WalletError> {
        let level = kyc_level(&self.db, owner_id).await?;
        let caps = self.policy.limits.caps(level);
        let total = personal_balance(&self.db, owner_id).await?;
        let month = wib_month(self.now());
        let incoming = monthly_incoming::Entity::find_by_id((owner_id.to_owned(), month))
            .one(&self.db)
            .await?
            .map_or(0, |m| m.amount);
        Ok(Standing {
            kyc_level: level,
            max_balance: caps.max_balance,
            monthly_incoming_limit: caps.monthly_incoming,
            total_balance: total,
            incoming_this_month: Rupiah::new(incoming),
        })
    }

    /// Makes `wallet_id` a merchant's settlement wallet: it receives payments
    /// without the personal e-money limits. Idempotent.
    pub async fn designate_merchant_wallet(
        &self,
        wallet_id: &str,
    ) -> Result<wallet::Model, WalletError> {
        let txn = begin_write(&self.db).await?;
        let found = wallet::Entity::find_by_id(wallet_id.to_owned())
            .lock_exclusive()
            .one(&txn)
            .await?
            .ok_or(WalletError::NoSuchWallet)?;
        if found.status != status::ACTIVE {
            return Err(WalletError::WalletClosed(found.id));
        }
        if found.kind == kind::MERCHANT {
            return Ok(found);
        }
        let mut active = found.into_active_model();
        active.kind = Set(kind::MERCHANT.to_owned());
        active.updated_at = Set(self.now());
        let updated = active.update(&txn).await?;
        txn.commit().await?;
        tracing::info!(
            wallet.id = wallet_id,
            "wallet designated as a merchant settlement wallet"
        );
        Ok(updated)
    }
}

/// Creates the owner row (unverified) when it does not exist yet. Its `updated_at`
/// is the epoch: no KYC decision was recorded, so any decision that arrives later is
/// newer.
pub(crate) async fn ensure_owner<C: ConnectionTrait>(
    conn: &C,
    owner_id: &str,
) -> Result<(), WalletError> {
    let row = owner::ActiveModel {
        user_id: Set(owner_id.to_owned()),
        kyc_level: Set(KycLevel::Unverified.as_str().to_owned()),
        updated_at: Set(chrono::DateTime::UNIX_EPOCH),
    };
    let inserted = owner::Entity::insert(row)
        .on_conflict(
            OnConflict::column(owner::Column::UserId)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await;
    match inserted {
        Ok(_) | Err(sea_orm::DbErr::RecordNotInserted) => Ok(()),
        Err(err) => Err(err.into()),
    }
}

/// The owner's row, locked until the transaction ends (`SELECT … FOR UPDATE` on
/// PostgreSQL; SQLite's write transaction already excludes other writers).
pub(crate) async fn lock_owner<C: ConnectionTrait>(
    conn: &C,
    owner_id: &str,
) -> Result<owner::Model, WalletError> {
    owner::Entity::find_by_id(owner_id.to_owned())
        .lock_exclusive()
        .one(conn)
        .await?
        .ok_or(WalletError::NoSuchWallet)
}

/// The owner's KYC level (unverified when unknown).
pub(crate) async fn kyc_level<C: ConnectionTrait>(
    conn: &C,
    owner_id: &str,
) -> Result<KycLevel, WalletError> {
    let level = owner::Entity::find_by_id(owner_id.to_owned())
        .one(conn)
        .await?
        .and_then(|o| KycLevel::parse(&o.kyc_level));
    Ok(level.unwrap_or(KycLevel::Unverified))
}

/// What the owner holds over all open personal wallets.
pub(crate) async fn personal_balance<C: ConnectionTrait>(
    conn: &C,
    owner_id: &str,
) -> Result<Rupiah, WalletError> {
    let balances: Vec<i64> = wallet::Entity::find()
        .select_only()
        .column(wallet::Column::Balance)
        .filter(wallet::Column::OwnerId.eq(owner_id))
        .filter(wallet::Column::Status.eq(status::ACTIVE))
        .filter(wallet::Column::Kind.eq(kind::PERSONAL))
        .into_tuple()
        .all(conn)
        .await?;
    Ok(Rupiah::new(balances.iter().sum()))
}
