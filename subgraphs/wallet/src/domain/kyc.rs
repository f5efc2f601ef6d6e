//! KYC levels come from the identity service as events: the wallet keeps each
//! owner's level to choose their e-money limits, and treats everyone as unverified
//! until told otherwise.

use platform::events::{Envelope, EventHandler, HandlerError};
use sea_orm::sea_query::OnConflict;
use sea_orm::{DatabaseTransaction, EntityTrait, Set};
use serde::Deserialize;

use super::values::KycLevel;
use crate::db::entities::owner;

/// The topic the wallet listens to for KYC decisions.
pub const KYC_TOPIC: &str = "auth.kyc.verified";

/// The consumer name of the wallet's KYC handler.
pub const KYC_CONSUMER: &str = "wallet-kyc";

/// Payload of `auth.kyc.verified`: `{ user_id, level }` (`level` is `VERIFIED` or
/// `UNVERIFIED`; absent means `VERIFIED`).
#[derive(Debug, Deserialize)]
pub struct KycDecided {
    pub user_id: String,
    #[serde(default)]
    pub level: Option<String>,
}

/// Applies KYC decisions to the owners table.
#[derive(Debug, Clone, Copy)]
pub struct KycHandler;

impl EventHandler for KycHandler {
    async fn handle(
        &self,
        event: &Envelope,
        txn: &DatabaseTransaction,
    ) -> Result<(), HandlerError> {
        let decided: KycDecided = event
            .payload_as()
            .map_err(|e| HandlerError::Discard(format!("malformed KYC payload: {e}")))?;
        let level = match decided.level.as_deref() {
            None => KycLevel::Verified,
            Some(raw) => KycLevel::parse(raw)
                .ok_or_else(|| HandlerError::Discard(format!("unknown KYC level `{raw}`")))?,
        };
        // Events may arrive out of order: a decision older than the recorded one is
        // stale.
        let recorded = owner::Entity::find_by_id(decided.user_id.clone())
            .one(txn)
            .await?;
        if recorded.is_some_and(|r| r.updated_at > event.occurred_at) {
            return Ok(());
        }
        let row = owner::ActiveModel {
            user_id: Set(decided.user_id.clone()),
            kyc_level: Set(level.as_str().to_owned()),
            updated_at: Set(event.occurred_at),
        };
        owner::Entity::insert(row)
            .on_conflict(
                OnConflict::column(owner::Column::UserId)
                    .update_columns([owner::Column::KycLevel, owner::Column::UpdatedAt])
                    .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
        tracing::info!(user.id = %decided.user_id, level = level.as_str(), "KYC level recorded");
        Ok(())
    }
}
