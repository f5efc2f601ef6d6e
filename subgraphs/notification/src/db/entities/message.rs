//! `messages`: one row per (event, channel, recipient) — the unique key that makes
//! a message once, however often its event arrives — with its delivery state.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "messages")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The event it was made from.
    pub event_id: String,
    pub topic: String,
    /// The recipient (`None` for a message to an address only).
    pub user_id: Option<String>,
    /// `EMAIL`, `SMS`, `WHATSAPP` or `IN_APP`.
    pub channel: String,
    pub template_code: String,
    /// What the template was rendered with (kept so a resend can render again).
    pub variables: Json,
    /// The address: an email, a phone number, or the user id for in-app.
    pub destination: String,
    pub subject: Option<String>,
    /// Empty when the template could not be rendered (the message is then DEAD,
    /// with the reason in `last_error`).
    pub body: String,
    /// Security messages (OTP) go out whatever the user's preferences.
    pub security: bool,
    /// `PENDING`, `SENT` or `DEAD`.
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub last_error: Option<String>,
    pub sent_at: Option<DateTimeUtc>,
    /// In-app: when its user read it.
    pub read_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
