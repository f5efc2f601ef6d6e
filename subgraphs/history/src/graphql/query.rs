//! The history subgraph's queries and entity resolvers.

use std::sync::Arc;

use async_graphql::{Context, Object, Result};
use platform::auth::Caller;

use super::types::{History, HistoryConnection, User};
use crate::domain::HistoryService;
use platform::pagination::{after as cursor_after, page_size};

pub struct Query;

fn service<'a>(ctx: &Context<'a>) -> Result<&'a Arc<HistoryService>> {
    ctx.data::<Arc<HistoryService>>()
}

#[Object]
impl Query {
    /// The signed-in user's history, newest first.
    async fn my_history(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 100, desc = "At most 1000.")] limit: i32,
    ) -> Result<Option<Vec<Option<History>>>> {
        let user = Caller::of(ctx).user()?;
        let entries = service(ctx)?
            .entries_of(&user.user_id, page_size(limit, 0..=1000))
            .await?;
        Ok(Some(entries.into_iter().map(|e| Some(e.into())).collect()))
    }

    /// The signed-in user's history a page at a time, newest first: pass the last
    /// `endCursor` as `after` for the next page.
    async fn my_history_page(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, desc = "At most 100.")] first: i32,
        after: Option<String>,
    ) -> Result<HistoryConnection> {
        let user = Caller::of(ctx).user()?;
        let after = cursor_after(after.as_deref())?;
        let page = service(ctx)?
            .page(&user.user_id, page_size(first, 0..=100), after.as_ref())
            .await?;
        Ok(HistoryConnection::from_page(page))
    }

    /// Admin only: a user's whole audit trail, entries they hid included
    /// (`hiddenAt`).
    async fn audit_history(
        &self,
        ctx: &Context<'_>,
        user_id: String,
        #[graphql(default = 100, desc = "At most 1000.")] limit: i32,
    ) -> Result<Vec<History>> {
        Caller::of(ctx).admin()?;
        let trail = service(ctx)?
            .audit_trail(&user_id, page_size(limit, 0..=1000))
            .await?;
        Ok(trail
            .into_iter()
            .map(|(entry, hidden)| History::audited(entry, hidden))
            .collect())
    }

    /// An entry for the router: its owner's, while not hidden.
    #[graphql(entity)]
    async fn find_history_by_history_id(
        &self,
        ctx: &Context<'_>,
        #[graphql(key)] history_id: String,
    ) -> Result<Option<History>> {
        let user = Caller::of(ctx).user()?;
        let entry = service(ctx)?
            .visible_entry(&user.user_id, &history_id)
            .await?;
        Ok(Some(entry.into()))
    }

    #[graphql(entity)]
    async fn find_user_by_user_id(
        &self,
        #[graphql(key, name = "user_id")] user_id: String,
    ) -> User {
        User { user_id }
    }
}
