//! Password login with lockout: the `login_max_failures`-th wrong password in a row
//! locks the account for `lockout`; while locked, even the right password is refused.

use platform::db::begin_write;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QuerySelect, Set,
};

use super::sessions::Session;
use super::values::Email;
use super::{AuthService, chrono_duration};
use crate::db::entities::user;
use crate::error::AuthError;

/// `amr` value of a password login (RFC 8176).
pub const AMR_PASSWORD: &str = "pwd";

impl AuthService {
    /// Signs a user in with email and password.
    pub async fn login(
        &self,
        email: &str,
        password: &str,
        user_agent: Option<&str>,
    ) -> Result<Session, AuthError> {
        let found = match Email::parse(email) {
            Ok(email) => {
                user::Entity::find()
                    .filter(user::Column::Email.eq(email.as_str()))
                    .one(&self.db)
                    .await?
            }
            Err(_) => None,
        };
        let Some(found) = found else {
            self.passwords.verify_nothing(password).await;
            return Err(AuthError::BadCredentials);
        };
        self.ensure_not_locked(&found)?;
        if !self.passwords.verify(password, &found.password_hash).await {
            return Err(self.record_failure(&found.id).await?);
        }
        let txn = begin_write(&self.db).await?;
        let current = user::Entity::find_by_id(found.id.clone())
            .lock_exclusive()
            .one(&txn)
            .await?
            .ok_or(AuthError::BadCredentials)?;
        // A concurrent failure may have locked the account meanwhile.
        self.ensure_not_locked(&current)?;
        let now = self.now();
        let mut active = current.into_active_model();
        active.failed_login_attempts = Set(0);
        active.locked_until = Set(None);
        active.last_login_at = Set(Some(now));
        active.updated_at = Set(now);
        let user = active.update(&txn).await?;
        let session = self
            .open_session(&txn, &user, &[AMR_PASSWORD], user_agent)
            .await?;
        txn.commit().await?;
        Ok(session)
    }

    pub(crate) fn ensure_not_locked(&self, user: &user::Model) -> Result<(), AuthError> {
        match user.locked_until {
            Some(until) if until > self.now() => Err(AuthError::Locked { until }),
            _ => Ok(()),
        }
    }

    /// Counts a wrong password under a row lock, locking the account at the limit.
    /// Returns the error to show.
    async fn record_failure(&self, user_id: &str) -> Result<AuthError, AuthError> {
        let txn = begin_write(&self.db).await?;
        let current = user::Entity::find_by_id(user_id.to_owned())
            .lock_exclusive()
            .one(&txn)
            .await?
            .ok_or(AuthError::BadCredentials)?;
        if let Err(locked) = self.ensure_not_locked(&current) {
            return Ok(locked);
        }
        let now = self.now();
        // Locking resets the counter, so an expired lock starts a fresh count.
        let failures = current.failed_login_attempts + 1;
        let mut active = current.into_active_model();
        active.updated_at = Set(now);
        let outcome = if failures as u32 >= self.policy.login_max_failures {
            let until = now + chrono_duration(self.policy.lockout);
            active.failed_login_attempts = Set(0);
            active.locked_until = Set(Some(until));
            tracing::warn!(user.id = user_id, %until, "account locked after repeated wrong passwords");
            AuthError::Locked { until }
        } else {
            active.failed_login_attempts = Set(failures);
            active.locked_until = Set(None);
            AuthError::BadCredentials
        };
        active.update(&txn).await?;
        txn.commit().await?;
        Ok(outcome)
    }
}
