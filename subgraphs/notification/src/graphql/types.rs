//! The notification subgraph's GraphQL types.

use std::sync::Arc;

use async_graphql::{ComplexObject, Context, Result, SimpleObject};
use platform::auth::Caller;
use platform::pagination::{Cursor, page_size};

use crate::db::entities::{message, template};
use crate::domain::{MessagePage, NotificationService};

/// An in-app message of the signed-in user.
#[derive(SimpleObject)]
pub struct Notification {
    pub notification_id: String,
    /// The template it was made from, e.g. `PAYMENT_SUCCESS`.
    pub code: String,
    pub title: Option<String>,
    pub body: String,
    pub read: bool,
    /// When its user read it (RFC 3339).
    pub read_at: Option<String>,
    /// RFC 3339.
    pub created_at: String,
}

impl From<message::Model> for Notification {
    fn from(m: message::Model) -> Self {
        Self {
            notification_id: m.id,
            code: m.template_code,
            title: m.subject,
            body: m.body,
            read: m.read_at.is_some(),
            read_at: m.read_at.map(|t| t.to_rfc3339()),
            created_at: m.created_at.to_rfc3339(),
        }
    }
}

/// A page of the signed-in user's notifications, newest first.
#[derive(SimpleObject)]
pub struct NotificationPage {
    pub notifications: Vec<Notification>,
    /// Unread notifications in all pages.
    pub unread_count: i32,
    pub has_next_page: bool,
    /// Pass as `after` for the next page.
    pub end_cursor: Option<String>,
}

impl From<MessagePage> for NotificationPage {
    fn from(page: MessagePage) -> Self {
        let end_cursor = page
            .messages
            .last()
            .map(|m| Cursor::new(m.created_at, m.id.clone()).encode());
        Self {
            notifications: page.messages.into_iter().map(Into::into).collect(),
            unread_count: i32::try_from(page.unread).unwrap_or(i32::MAX),
            has_next_page: page.has_next_page,
            end_cursor,
        }
    }
}

/// Whether the signed-in user gets messages on a channel. Security messages (such
/// as OTPs) come whatever this says.
#[derive(SimpleObject)]
pub struct NotificationPreference {
    /// `EMAIL`, `SMS`, `WHATSAPP` or `IN_APP`.
    pub channel: String,
    pub enabled: bool,
}

/// The text of a message, by template code and channel.
#[derive(SimpleObject)]
pub struct NotificationTemplate {
    pub code: String,
    /// `EMAIL`, `SMS`, `WHATSAPP` or `IN_APP`.
    pub channel: String,
    /// Email subject or in-app title (none for SMS and WhatsApp).
    pub subject: Option<String>,
    /// The text, with `{{variable}}` placeholders.
    pub body: String,
    /// The admin who last edited it (none: the default text).
    pub updated_by: Option<String>,
    pub updated_at: String,
}

impl From<template::Model> for NotificationTemplate {
    fn from(t: template::Model) -> Self {
        Self {
            code: t.code,
            channel: t.channel,
            subject: t.subject,
            body: t.body,
            updated_by: t.updated_by,
            updated_at: t.updated_at.to_rfc3339(),
        }
    }
}

/// A message as the delivery sees it (admins only).
#[derive(SimpleObject)]
pub struct OutgoingMessage {
    pub message_id: String,
    pub event_id: String,
    pub topic: String,
    pub user_id: Option<String>,
    /// `EMAIL`, `SMS`, `WHATSAPP` or `IN_APP`.
    pub channel: String,
    pub template_code: String,
    pub destination: String,
    pub subject: Option<String>,
    /// Hidden (null) for security messages such as OTPs.
    pub body: Option<String>,
    /// `PENDING`, `SENT` or `DEAD`.
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: String,
    pub sent_at: Option<String>,
}

impl From<message::Model> for OutgoingMessage {
    fn from(m: message::Model) -> Self {
        Self {
            body: (!m.security).then_some(m.body),
            message_id: m.id,
            event_id: m.event_id,
            topic: m.topic,
            user_id: m.user_id,
            channel: m.channel,
            template_code: m.template_code,
            destination: m.destination,
            subject: m.subject,
            status: m.status,
            attempts: m.attempts,
            last_error: m.last_error,
            created_at: m.created_at.to_rfc3339(),
            sent_at: m.sent_at.map(|t| t.to_rfc3339()),
        }
    }
}

/// The auth subgraph's user, extended with their notifications.
#[derive(SimpleObject)]
#[graphql(complex, rename_fields = "snake_case")]
pub struct User {
    pub user_id: String,
}

#[ComplexObject(rename_fields = "camelCase")]
impl User {
    /// The user's notifications, newest first (the user themselves only).
    async fn notifications(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, desc = "At most 100.")] first: i32,
    ) -> Result<Option<Vec<Notification>>> {
        let caller = Caller::of(ctx).user()?;
        if caller.user_id != self.user_id {
            return Ok(None);
        }
        let page = ctx
            .data::<Arc<NotificationService>>()?
            .page(&self.user_id, page_size(first, 1..=100), None)
            .await?;
        Ok(Some(page.messages.into_iter().map(Into::into).collect()))
    }
}
