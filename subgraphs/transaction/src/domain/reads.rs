//! Reading transactions and callbacks.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::TransactionService;
use crate::db::entities::{callback, transaction};
use crate::error::TransactionError;

impl TransactionService {
    /// `user_id`'s transactions, newest first.
    pub async fn transactions_of(
        &self,
        user_id: &str,
        limit: u64,
    ) -> Result<Vec<transaction::Model>, TransactionError> {
        Ok(transaction::Entity::find()
            .filter(transaction::Column::UserId.eq(user_id))
            .order_by_desc(transaction::Column::CreatedAt)
            .order_by_desc(transaction::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?)
    }

    /// The transaction `id`.
    pub async fn find(&self, id: &str) -> Result<Option<transaction::Model>, TransactionError> {
        Ok(transaction::Entity::find_by_id(id.to_owned())
            .one(&self.db)
            .await?)
    }

    /// Callbacks, newest first; only those not yet acknowledged when `pending_only`.
    pub async fn callbacks(
        &self,
        pending_only: bool,
        limit: u64,
    ) -> Result<Vec<callback::Model>, TransactionError> {
        let mut query = callback::Entity::find();
        if pending_only {
            query = query.filter(callback::Column::DeliveredAt.is_null());
        }
        Ok(query
            .order_by_desc(callback::Column::CreatedAt)
            .limit(limit)
            .all(&self.db)
            .await?)
    }
}
