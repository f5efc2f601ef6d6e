//! The notification subgraph's mutations: users mark their notifications read;
//! admins edit templates and resend DEAD messages.

use std::sync::Arc;

use async_graphql::{Context, Object, Result};
use platform::auth::Caller;

use super::types::{Notification, NotificationPreference, NotificationTemplate, OutgoingMessage};
use crate::domain::NotificationService;

pub struct Mutation;

fn service<'a>(ctx: &Context<'a>) -> Result<&'a Arc<NotificationService>> {
    ctx.data::<Arc<NotificationService>>()
}

#[Object]
impl Mutation {
    /// Marks one of the signed-in user's notifications read (the first time counts).
    async fn mark_notification_read(
        &self,
        ctx: &Context<'_>,
        notification_id: String,
    ) -> Result<Option<Notification>> {
        let user = Caller::of(ctx).user()?;
        let read = service(ctx)?
            .mark_read(&user.user_id, &notification_id)
            .await?;
        Ok(Some(read.into()))
    }

    /// Turns a channel on or off for the signed-in user. Security messages (such as
    /// OTPs) come whatever this says.
    async fn set_notification_preference(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "`EMAIL`, `SMS`, `WHATSAPP` or `IN_APP`.")] channel: String,
        enabled: bool,
    ) -> Result<Option<NotificationPreference>> {
        let user = Caller::of(ctx).user()?;
        let channel = service(ctx)?
            .set_preference(&user.user_id, &channel, enabled)
            .await?;
        Ok(Some(NotificationPreference {
            channel: channel.as_str().to_owned(),
            enabled,
        }))
    }

    /// Admin only: replaces a template's text. Placeholders are `{{name}}`; a
    /// message whose event lacks one is not sent (it is DEAD, with the reason).
    async fn update_notification_template(
        &self,
        ctx: &Context<'_>,
        code: String,
        #[graphql(desc = "`EMAIL`, `SMS`, `WHATSAPP` or `IN_APP`.")] channel: String,
        #[graphql(desc = "Email and in-app only.")] subject: Option<String>,
        body: String,
    ) -> Result<Option<NotificationTemplate>> {
        let admin = Caller::of(ctx).admin()?;
        let saved = service(ctx)?
            .edit_template(&code, &channel, subject, body, &admin.user_id)
            .await?;
        Ok(Some(saved.into()))
    }

    /// Admin only: sends a DEAD message again, rendered from its template as it is
    /// now, with a fresh round of attempts. A message is resent once however many
    /// admins ask at the same time.
    async fn resend_notification(
        &self,
        ctx: &Context<'_>,
        message_id: String,
    ) -> Result<Option<OutgoingMessage>> {
        Caller::of(ctx).admin()?;
        let queued = service(ctx)?.resend(&message_id).await?;
        Ok(Some(queued.into()))
    }
}
