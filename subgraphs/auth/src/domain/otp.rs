//! One-time codes that verify a user's email or phone: 6 digits, short-lived, a few
//! attempts, rate-limited, delivered by the notification service from an event
//! (auth never sends messages itself).

use chrono::{DateTime, Utc};
use platform::db::begin_write;
use platform::events::NewEvent;
use rand::Rng;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use subtle::ConstantTimeEq;

use super::tokens::secret_hash;
use super::values::Invalid;
use super::{AuthService, chrono_duration, topics};
use crate::db::entities::{otp_code, user};
use crate::error::AuthError;

/// Where a code is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Email,
    Phone,
}

impl Channel {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Email => "EMAIL",
            Self::Phone => "PHONE",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Phone => "phone number",
        }
    }

    fn destination(self, user: &user::Model) -> Result<String, AuthError> {
        match self {
            Self::Email => Ok(user.email.clone()),
            Self::Phone => user.phone.clone().ok_or(AuthError::NoPhone),
        }
    }

    fn is_verified(self, user: &user::Model) -> bool {
        match self {
            Self::Email => user.email_verified_at.is_some(),
            Self::Phone => user.phone_verified_at.is_some(),
        }
    }
}

/// A code on its way.
#[derive(Debug, Clone)]
pub struct OtpIssued {
    pub channel: Channel,
    /// The destination with most of it hidden, for display.
    pub masked_destination: String,
    pub expires_at: DateTime<Utc>,
    pub resend_after_secs: i64,
}

impl AuthService {
    /// Sends a new code to the user's email or phone.
    pub async fn request_otp(
        &self,
        user_id: &str,
        channel: Channel,
    ) -> Result<OtpIssued, AuthError> {
        let txn = begin_write(&self.db).await?;
        // The user's row lock makes the rate limits hold under parallel requests.
        let user = self.lock_user(&txn, user_id).await?;
        channel.destination(&user)?;
        if channel.is_verified(&user) {
            return Err(AuthError::AlreadyVerified(channel.noun()));
        }
        let now = self.now();
        let hour_ago = now - chrono::Duration::hours(1);
        let recent = otp_code::Entity::find()
            .filter(otp_code::Column::UserId.eq(user_id))
            .filter(otp_code::Column::Channel.eq(channel.as_str()))
            .filter(otp_code::Column::CreatedAt.gt(hour_ago))
            .order_by_asc(otp_code::Column::CreatedAt)
            .all(&txn)
            .await?;
        if let Some(latest) = recent.last() {
            let ready_at = latest.created_at + chrono_duration(self.policy.otp_resend);
            if ready_at > now {
                return Err(AuthError::OtpTooSoon {
                    retry_after_secs: seconds_until(now, ready_at),
                });
            }
        }
        if recent.len() as u32 >= self.policy.otp_max_per_hour {
            let ready_at = recent[0].created_at + chrono::Duration::hours(1);
            return Err(AuthError::OtpHourlyLimit {
                retry_after_secs: seconds_until(now, ready_at),
            });
        }
        let issued = self.issue_otp(&txn, &user, channel).await?;
        txn.commit().await?;
        self.outbox.wake();
        Ok(issued)
    }

    /// Writes a new code (replacing any active one) and its delivery event through
    /// `conn`, the caller's transaction.
    pub(crate) async fn issue_otp<C: ConnectionTrait>(
        &self,
        conn: &C,
        user: &user::Model,
        channel: Channel,
    ) -> Result<OtpIssued, AuthError> {
        let destination = channel.destination(user)?;
        let now = self.now();
        otp_code::Entity::update_many()
            .col_expr(otp_code::Column::SupersededAt, Expr::value(now))
            .filter(otp_code::Column::UserId.eq(&user.id))
            .filter(otp_code::Column::Channel.eq(channel.as_str()))
            .filter(otp_code::Column::ConsumedAt.is_null())
            .filter(otp_code::Column::SupersededAt.is_null())
            .exec(conn)
            .await?;
        let id = uuid::Uuid::new_v4().to_string();
        let code = format!("{:06}", rand::rngs::OsRng.gen_range(0..1_000_000u32));
        let expires_at = now + chrono_duration(self.policy.otp_ttl);
        otp_code::ActiveModel {
            id: Set(id.clone()),
            user_id: Set(user.id.clone()),
            channel: Set(channel.as_str().to_owned()),
            destination: Set(destination.clone()),
            code_hash: Set(code_hash(&id, &code)),
            attempts: Set(0),
            created_at: Set(now),
            expires_at: Set(expires_at),
            consumed_at: Set(None),
            superseded_at: Set(None),
        }
        .insert(conn)
        .await?;
        self.outbox
            .enqueue(
                conn,
                NewEvent::new(
                    topics::OTP_REQUESTED,
                    &user.id,
                    json!({
                        "otp_id": id,
                        "user_id": user.id,
                        "channel": channel.as_str(),
                        "destination": destination,
                        "code": code,
                        "expires_at": expires_at.to_rfc3339(),
                        "purpose": format!("VERIFY_{}", channel.as_str()),
                        "locale": "id",
                        "fullname": user.fullname,
                    }),
                ),
            )
            .await?;
        Ok(OtpIssued {
            channel,
            masked_destination: mask(channel, &destination),
            expires_at,
            resend_after_secs: self.policy.otp_resend.as_secs() as i64,
        })
    }

    /// Checks a code; the right one marks the email or phone verified.
    pub async fn verify_otp(
        &self,
        user_id: &str,
        channel: Channel,
        code: &str,
    ) -> Result<user::Model, AuthError> {
        let code = code.trim();
        if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
            return Err(Invalid {
                field: "code",
                message: "A verification code has 6 digits.".into(),
            }
            .into());
        }
        let txn = begin_write(&self.db).await?;
        let active = otp_code::Entity::find()
            .filter(otp_code::Column::UserId.eq(user_id))
            .filter(otp_code::Column::Channel.eq(channel.as_str()))
            .filter(otp_code::Column::ConsumedAt.is_null())
            .filter(otp_code::Column::SupersededAt.is_null())
            .order_by_desc(otp_code::Column::CreatedAt)
            .lock_exclusive()
            .one(&txn)
            .await?
            .ok_or(AuthError::OtpNotRequested)?;
        let now = self.now();
        if active.expires_at <= now {
            return Err(AuthError::OtpExpired);
        }
        let max = self.policy.otp_max_attempts as i32;
        if active.attempts >= max {
            return Err(AuthError::OtpExhausted);
        }
        let right: bool = code_hash(&active.id, code)
            .as_bytes()
            .ct_eq(active.code_hash.as_bytes())
            .into();
        if !right {
            let attempts = active.attempts + 1;
            let mut wrong = active.into_active_model();
            wrong.attempts = Set(attempts);
            wrong.update(&txn).await?;
            txn.commit().await?;
            return Err(if attempts >= max {
                AuthError::OtpExhausted
            } else {
                AuthError::OtpWrong {
                    attempts_left: max - attempts,
                }
            });
        }
        let destination = active.destination.clone();
        let mut used = active.into_active_model();
        used.consumed_at = Set(Some(now));
        used.update(&txn).await?;
        let user = user::Entity::find_by_id(user_id.to_owned())
            .one(&txn)
            .await?
            .ok_or(AuthError::UserNotFound)?;
        let mut verified = user.into_active_model();
        match channel {
            Channel::Email => verified.email_verified_at = Set(Some(now)),
            Channel::Phone => verified.phone_verified_at = Set(Some(now)),
        }
        verified.updated_at = Set(now);
        let user = verified.update(&txn).await?;
        self.outbox
            .enqueue(
                &txn,
                NewEvent::new(
                    topics::CONTACT_VERIFIED,
                    user_id,
                    json!({ "user_id": user_id, "channel": channel.as_str(), "destination": destination }),
                ),
            )
            .await?;
        txn.commit().await?;
        self.outbox.wake();
        Ok(user)
    }
}

fn code_hash(otp_id: &str, code: &str) -> String {
    secret_hash(&format!("{otp_id}:{code}"))
}

fn seconds_until(now: DateTime<Utc>, at: DateTime<Utc>) -> i64 {
    (at - now).num_seconds().max(1)
}

/// `naruto@gmail.com` → `n*****@gmail.com`; `+6281234567890` → `+62812******90`.
fn mask(channel: Channel, destination: &str) -> String {
    match channel {
        Channel::Email => match destination.split_once('@') {
            Some((local, domain)) => {
                let first: String = local.chars().take(1).collect();
                format!(
                    "{first}{}@{domain}",
                    "*".repeat(local.chars().count().saturating_sub(1).max(1))
                )
            }
            None => "***".into(),
        },
        Channel::Phone => {
            let chars: Vec<char> = destination.chars().collect();
            if chars.len() <= 7 {
                return "***".into();
            }
            let head: String = chars[..6].iter().collect();
            let tail: String = chars[chars.len() - 2..].iter().collect();
            format!("{head}{}{tail}", "*".repeat(chars.len() - 8))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_are_masked() {
        assert_eq!(mask(Channel::Email, "naruto@gmail.com"), "n*****@gmail.com");
        assert_eq!(mask(Channel::Email, "a@b.id"), "a*@b.id");
        assert_eq!(mask(Channel::Phone, "+6281234567890"), "+62812******90");
    }
}
