//! Auth's business rules, free of GraphQL and HTTP. [`AuthService`] is the facade the
//! resolvers and HTTP handlers call; each feature lives in its own module as an
//! `impl AuthService` block.

pub mod biometric;
pub mod credentials;
pub mod login;
pub mod otp;
pub mod registration;
pub mod service_clients;
pub mod sessions;
pub mod tokens;
pub mod values;

use std::time::Duration;

use platform::SharedClock;
use platform::events::Outbox;
use sea_orm::{DatabaseConnection, EntityTrait, QuerySelect};

use crate::db::entities::user;
use crate::error::AuthError;
use credentials::PasswordHasher;
use service_clients::ServiceClientRegistry;
use tokens::TokenIssuer;

/// Event topics auth publishes.
pub mod topics {
    /// A user registered: `{ user_id, username, fullname, email, phone }`.
    pub const USER_REGISTERED: &str = "auth.user.registered";
    /// An OTP code must reach the user:
    /// `{ otp_id, user_id, channel, destination, code, expires_at, purpose, locale }`.
    pub const OTP_REQUESTED: &str = "auth.otp.requested";
    /// An email or phone was verified: `{ user_id, channel, destination }`.
    pub const CONTACT_VERIFIED: &str = "auth.contact.verified";
}

/// The rules' tunable numbers.
#[derive(Debug, Clone)]
pub struct Policy {
    pub login_max_failures: u32,
    pub lockout: Duration,
    pub refresh_ttl: Duration,
    pub otp_ttl: Duration,
    pub otp_max_attempts: u32,
    pub otp_resend: Duration,
    pub otp_max_per_hour: u32,
    pub challenge_ttl: Duration,
    pub max_devices_per_user: u64,
}

/// Auth's business operations.
pub struct AuthService {
    pub(crate) db: DatabaseConnection,
    pub(crate) clock: SharedClock,
    pub(crate) passwords: PasswordHasher,
    pub(crate) tokens: TokenIssuer,
    pub(crate) outbox: Outbox,
    pub(crate) clients: ServiceClientRegistry,
    pub(crate) policy: Policy,
}

impl std::fmt::Debug for AuthService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthService").finish_non_exhaustive()
    }
}

impl AuthService {
    pub fn new(
        db: DatabaseConnection,
        clock: SharedClock,
        passwords: PasswordHasher,
        tokens: TokenIssuer,
        outbox: Outbox,
        clients: ServiceClientRegistry,
        policy: Policy,
    ) -> Self {
        Self {
            db,
            clock,
            passwords,
            tokens,
            outbox,
            clients,
            policy,
        }
    }

    /// The user with `id`.
    pub async fn user(&self, id: &str) -> Result<user::Model, AuthError> {
        user::Entity::find_by_id(id.to_owned())
            .one(&self.db)
            .await?
            .ok_or(AuthError::UserNotFound)
    }

    /// The user with `id`, if any.
    pub async fn find_user(&self, id: &str) -> Result<Option<user::Model>, AuthError> {
        Ok(user::Entity::find_by_id(id.to_owned())
            .one(&self.db)
            .await?)
    }

    /// The user's row, locked until `txn` ends (`SELECT … FOR UPDATE` on PostgreSQL;
    /// SQLite's write transaction already excludes other writers). Serialises the
    /// checks that count a user's rows.
    pub(crate) async fn lock_user(
        &self,
        txn: &sea_orm::DatabaseTransaction,
        id: &str,
    ) -> Result<user::Model, AuthError> {
        user::Entity::find_by_id(id.to_owned())
            .lock_exclusive()
            .one(txn)
            .await?
            .ok_or(AuthError::UserNotFound)
    }

    pub(crate) fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }
}

/// `std::time::Duration` as a `chrono::Duration` (saturating).
pub(crate) fn chrono_duration(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}
