//! Messages: made from an event's intents, once per (event, channel, recipient);
//! read and marked read by their user (in-app); seen and resent by an admin when
//! DEAD.

use platform::pagination::Cursor;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    AccessMode, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, IsolationLevel,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde_json::{Map, Value};

use super::NotificationService;
use super::templates::{Channel, render};
use crate::db::entities::{message, template};
use crate::error::NotificationError;

/// A message's delivery state.
pub mod state {
    /// Waiting for (another) attempt.
    pub const PENDING: &str = "PENDING";
    /// Taken by its channel (in-app: stored for its user).
    pub const SENT: &str = "SENT";
    /// Given up after the last attempt, or not renderable; an admin may resend it.
    pub const DEAD: &str = "DEAD";
    /// Not sent: its user turned the channel off.
    pub const SKIPPED: &str = "SKIPPED";
}

/// A message an event asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct Intent {
    pub user_id: Option<String>,
    pub channel: Channel,
    /// An email address, a phone number, or the user id (in-app).
    pub destination: String,
    pub template: &'static str,
    pub variables: Map<String, Value>,
    /// Goes out whatever the user's preferences (OTP, security alerts).
    pub security: bool,
}

/// A page of a user's in-app messages, newest first.
#[derive(Debug, Clone)]
pub struct MessagePage {
    pub messages: Vec<message::Model>,
    pub has_next_page: bool,
    pub unread: u64,
}

impl NotificationService {
    /// Makes the messages of `event_id` through `conn` (the consumer's transaction),
    /// each rendered from its template; a message this event already made for that
    /// channel and recipient is left as it is. One for a channel its user turned off is recorded
    /// `SKIPPED` (security messages are never skipped). Returns how many were new.
    pub async fn make<C: ConnectionTrait>(
        &self,
        conn: &C,
        event_id: &str,
        topic: &str,
        intents: Vec<Intent>,
    ) -> Result<u64, NotificationError> {
        if intents.is_empty() {
            return Ok(0);
        }
        let now = self.clock.now();
        let users: Vec<&str> = intents
            .iter()
            .filter(|i| !i.security)
            .filter_map(|i| i.user_id.as_deref())
            .collect();
        let off = super::preferences::turned_off(conn, &users).await?;
        let mut rows = Vec::with_capacity(intents.len());
        for intent in intents {
            let unwanted = !intent.security
                && intent.user_id.as_ref().is_some_and(|user| {
                    off.contains(&(user.clone(), intent.channel.as_str().to_owned()))
                });
            let stored = template::Entity::find_by_id((
                intent.template.to_owned(),
                intent.channel.as_str().to_owned(),
            ))
            .one(conn)
            .await?;
            let rendered = match &stored {
                Some(t) => render(t, &intent.variables).map_err(|e| e.to_string()),
                None => Err(format!(
                    "no template {} for {}",
                    intent.template, intent.channel
                )),
            };
            let (subject, body, status, error) = match rendered {
                Ok(r) => {
                    let status = if unwanted {
                        state::SKIPPED
                    } else if intent.channel == Channel::InApp {
                        state::SENT
                    } else {
                        state::PENDING
                    };
                    (r.subject, r.body, status, None)
                }
                Err(_) if unwanted => (None, String::new(), state::SKIPPED, None),
                Err(problem) => {
                    tracing::error!(event.id = event_id, template = intent.template, channel = %intent.channel, %problem, "message not renderable");
                    (
                        None,
                        String::new(),
                        state::DEAD,
                        Some(format!("template: {problem}")),
                    )
                }
            };
            rows.push(message::ActiveModel {
                id: Set(uuid::Uuid::now_v7().to_string()),
                event_id: Set(event_id.to_owned()),
                topic: Set(topic.to_owned()),
                user_id: Set(intent.user_id),
                channel: Set(intent.channel.as_str().to_owned()),
                template_code: Set(intent.template.to_owned()),
                variables: Set(Value::Object(intent.variables)),
                destination: Set(intent.destination),
                subject: Set(subject),
                body: Set(body),
                security: Set(intent.security),
                status: Set(status.to_owned()),
                attempts: Set(0),
                next_attempt_at: Set(now),
                last_error: Set(error),
                sent_at: Set((status == state::SENT).then_some(now)),
                read_at: Set(None),
                created_at: Set(now),
            });
        }
        let inserted = message::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::columns([
                    message::Column::EventId,
                    message::Column::Channel,
                    message::Column::Destination,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(conn)
            .await?;
        Ok(inserted)
    }

    /// Up to `first` of `user_id`'s in-app messages after `after`, newest first,
    /// with how many are unread.
    pub async fn page(
        &self,
        user_id: &str,
        first: u64,
        after: Option<&Cursor>,
    ) -> Result<MessagePage, NotificationError> {
        // One snapshot for the page and the count, so they agree.
        let txn = match self.db.get_database_backend() {
            DbBackend::Postgres => {
                self.db
                    .begin_with_config(
                        Some(IsolationLevel::RepeatableRead),
                        Some(AccessMode::ReadOnly),
                    )
                    .await?
            }
            _ => self.db.begin().await?,
        };
        let mut query = in_app_of(user_id);
        if let Some(cursor) = after {
            query = query.filter(cursor.after(message::Column::CreatedAt, message::Column::Id));
        }
        let mut messages = query
            .order_by_desc(message::Column::CreatedAt)
            .order_by_desc(message::Column::Id)
            .limit(first + 1)
            .all(&txn)
            .await?;
        let has_next_page = messages.len() as u64 > first;
        messages.truncate(usize::try_from(first).unwrap_or(usize::MAX));
        let unread = in_app_of(user_id)
            .filter(message::Column::ReadAt.is_null())
            .count(&txn)
            .await?;
        txn.commit().await?;
        Ok(MessagePage {
            messages,
            has_next_page,
            unread,
        })
    }

    /// Marks one of `user_id`'s in-app messages read (once: a second call keeps the
    /// first time).
    pub async fn mark_read(
        &self,
        user_id: &str,
        id: &str,
    ) -> Result<message::Model, NotificationError> {
        message::Entity::update_many()
            .col_expr(message::Column::ReadAt, Expr::value(Some(self.clock.now())))
            .filter(message::Column::Id.eq(id))
            .filter(message::Column::UserId.eq(user_id))
            .filter(message::Column::Channel.eq(Channel::InApp.as_str()))
            .filter(message::Column::ReadAt.is_null())
            .exec(&self.db)
            .await?;
        in_app_of(user_id)
            .filter(message::Column::Id.eq(id))
            .one(&self.db)
            .await?
            .ok_or(NotificationError::NotificationNotFound)
    }
}

/// `user_id`'s in-app messages that reached them (not one DEAD for want of a
/// renderable text).
fn in_app_of(user_id: &str) -> sea_orm::Select<message::Entity> {
    message::Entity::find()
        .filter(message::Column::UserId.eq(user_id))
        .filter(message::Column::Channel.eq(Channel::InApp.as_str()))
        .filter(message::Column::Status.eq(state::SENT))
}
