//! The fraud logs admins review: newest first, filtered; deleting hides a log from
//! the list but keeps the row (it still counts for the velocity rules).

use platform::db::begin_write;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::FraudService;
use crate::db::entities::fraud_log;
use crate::error::FraudError;

/// Which logs to list.
#[derive(Debug, Clone, Default)]
pub struct LogFilter {
    pub status: Option<String>,
    pub user_id: Option<String>,
    pub limit: u64,
}

impl FraudService {
    /// Logs not deleted, newest first.
    pub async fn logs(&self, filter: LogFilter) -> Result<Vec<fraud_log::Model>, FraudError> {
        let mut query = fraud_log::Entity::find().filter(fraud_log::Column::DeletedAt.is_null());
        if let Some(status) = filter.status {
            query = query.filter(fraud_log::Column::Status.eq(status));
        }
        if let Some(user_id) = filter.user_id {
            query = query.filter(fraud_log::Column::UserId.eq(user_id));
        }
        Ok(query
            .order_by_desc(fraud_log::Column::CreatedAt)
            .order_by_desc(fraud_log::Column::Id)
            .limit(filter.limit)
            .all(&self.db)
            .await?)
    }

    /// Hides log `log_id` from the list, recording which admin did it.
    pub async fn delete_log(&self, log_id: &str, admin_id: &str) -> Result<(), FraudError> {
        let txn = begin_write(&self.db).await?;
        let found = fraud_log::Entity::find_by_id(log_id.to_owned())
            .one(&txn)
            .await?
            .filter(|log| log.deleted_at.is_none())
            .ok_or(FraudError::LogNotFound)?;
        let mut active = found.into_active_model();
        active.deleted_at = Set(Some(self.clock.now()));
        active.deleted_by = Set(Some(admin_id.to_owned()));
        active.update(&txn).await?;
        txn.commit().await?;
        tracing::info!(
            fraud_log.id = log_id,
            admin.id = admin_id,
            "fraud log deleted"
        );
        Ok(())
    }
}
