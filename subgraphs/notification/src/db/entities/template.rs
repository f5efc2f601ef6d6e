//! `templates`: the text of a message, by code (`PAYMENT_SUCCESS`, …) and channel,
//! with `{{variable}}` placeholders. Seeded with the Indonesian defaults; an admin
//! may edit them.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "templates")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    /// `EMAIL`, `SMS`, `WHATSAPP` or `IN_APP`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub channel: String,
    /// The email subject or in-app title; none for SMS and WhatsApp.
    pub subject: Option<String>,
    pub body: String,
    /// Who last edited it (`None`: the default text).
    pub updated_by: Option<String>,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
