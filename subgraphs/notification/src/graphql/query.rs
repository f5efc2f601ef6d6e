//! The notification subgraph's queries and entity resolvers.

use std::sync::Arc;

use async_graphql::{Context, Object, Result};
use platform::auth::Caller;
use platform::pagination::{after as cursor_after, page_size};

use super::types::{
    NotificationPage, NotificationPreference, NotificationTemplate, OutgoingMessage, User,
};
use crate::domain::NotificationService;

pub struct Query;

fn service<'a>(ctx: &Context<'a>) -> Result<&'a Arc<NotificationService>> {
    ctx.data::<Arc<NotificationService>>()
}

#[Object]
impl Query {
    /// The signed-in user's notifications a page at a time, newest first, with the
    /// unread count: pass the last `endCursor` as `after` for the next page.
    async fn my_notifications(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, desc = "At most 100.")] first: i32,
        after: Option<String>,
    ) -> Result<NotificationPage> {
        let user = Caller::of(ctx).user()?;
        let after = cursor_after(after.as_deref())?;
        let page = service(ctx)?
            .page(&user.user_id, page_size(first, 1..=100), after.as_ref())
            .await?;
        Ok(page.into())
    }

    /// The signed-in user's channels, each on or off.
    async fn my_notification_preferences(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<NotificationPreference>> {
        let user = Caller::of(ctx).user()?;
        let preferences = service(ctx)?.preferences(&user.user_id).await?;
        Ok(preferences
            .into_iter()
            .map(|(channel, enabled)| NotificationPreference {
                channel: channel.as_str().to_owned(),
                enabled,
            })
            .collect())
    }

    /// Admin only: every message template.
    async fn notification_templates(&self, ctx: &Context<'_>) -> Result<Vec<NotificationTemplate>> {
        Caller::of(ctx).admin()?;
        let templates = service(ctx)?.templates().await?;
        Ok(templates.into_iter().map(Into::into).collect())
    }

    /// Admin only: messages given up after their last attempt, newest first.
    async fn dead_notifications(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 100, desc = "At most 1000.")] limit: i32,
    ) -> Result<Vec<OutgoingMessage>> {
        Caller::of(ctx).admin()?;
        let dead = service(ctx)?.dead(page_size(limit, 1..=1000)).await?;
        Ok(dead.into_iter().map(Into::into).collect())
    }

    #[graphql(entity)]
    async fn find_user_by_user_id(
        &self,
        #[graphql(key, name = "user_id")] user_id: String,
    ) -> User {
        User { user_id }
    }
}
