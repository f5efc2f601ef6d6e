//! The fraud subgraph's queries.

use std::sync::Arc;

use async_graphql::{Context, Object, Result};
use platform::auth::Caller;
use platform::pagination::page_size;

use super::types::FraudLog;
use crate::domain::{FraudService, LogFilter};

pub struct Query;

#[Object]
impl Query {
    /// Admin only: fraud logs, newest first.
    async fn get_fraud_logs(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only logs with this status (`SAFE`, `SUSPICIOUS`, `FRAUD`).")]
        status: Option<String>,
        #[graphql(desc = "Only this user's logs.")] user_id: Option<String>,
        #[graphql(default = 100, desc = "At most 500.")] limit: i32,
    ) -> Result<Option<Vec<Option<FraudLog>>>> {
        Caller::of(ctx).admin()?;
        let service = ctx.data::<Arc<FraudService>>()?;
        let logs = service
            .logs(LogFilter {
                status,
                user_id,
                limit: page_size(limit, 0..=500),
            })
            .await?;
        Ok(Some(logs.into_iter().map(|l| Some(l.into())).collect()))
    }
}
