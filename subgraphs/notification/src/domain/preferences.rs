//! Users' channel preferences: any channel can be turned off, but security
//! messages (OTP) go out whatever the preferences say.

use std::collections::HashSet;

use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::NotificationService;
use super::templates::Channel;
use crate::db::entities::preference;
use crate::error::NotificationError;

impl NotificationService {
    /// Whether each channel is on for `user_id`, in `Channel::ALL` order.
    pub async fn preferences(
        &self,
        user_id: &str,
    ) -> Result<Vec<(Channel, bool)>, NotificationError> {
        let off = turned_off(&self.db, &[user_id]).await?;
        Ok(Channel::ALL
            .into_iter()
            .map(|c| {
                (
                    c,
                    !off.contains(&(user_id.to_owned(), c.as_str().to_owned())),
                )
            })
            .collect())
    }

    /// Turns `channel` on or off for `user_id`.
    pub async fn set_preference(
        &self,
        user_id: &str,
        channel: &str,
        enabled: bool,
    ) -> Result<Channel, NotificationError> {
        let parsed = Channel::parse(channel).ok_or_else(|| {
            NotificationError::bad_input(
                "channel",
                "`channel` is one of EMAIL, SMS, WHATSAPP and IN_APP.",
            )
        })?;
        preference::Entity::insert(preference::ActiveModel {
            user_id: Set(user_id.to_owned()),
            channel: Set(parsed.as_str().to_owned()),
            enabled: Set(enabled),
            updated_at: Set(self.clock.now()),
        })
        .on_conflict(
            OnConflict::columns([preference::Column::UserId, preference::Column::Channel])
                .update_columns([preference::Column::Enabled, preference::Column::UpdatedAt])
                .to_owned(),
        )
        .exec_without_returning(&self.db)
        .await?;
        tracing::info!(
            user.id = user_id,
            channel = parsed.as_str(),
            enabled,
            "notification preference set"
        );
        Ok(parsed)
    }
}

/// The (user, channel) pairs turned off among `users`.
pub(crate) async fn turned_off<C: ConnectionTrait>(
    conn: &C,
    users: &[&str],
) -> Result<HashSet<(String, String)>, NotificationError> {
    if users.is_empty() {
        return Ok(HashSet::new());
    }
    Ok(preference::Entity::find()
        .filter(preference::Column::UserId.is_in(users.iter().copied()))
        .filter(preference::Column::Enabled.eq(false))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.user_id, p.channel))
        .collect())
}
