//! GraphQL output types. Auth's contract names fields in snake_case (seed 001:
//! `access_token`, `user_id`); operations and arguments are camelCase.

use async_graphql::{Context, Enum, Object, SimpleObject};
use platform::auth::Caller;
use platform::auth::service::scopes;

use crate::db::entities::{biometric_challenge, biometric_device, user};
use crate::domain::biometric::KeyAlgorithm;
use crate::domain::otp::{Channel, OtpIssued};
use crate::domain::sessions::Session;

/// A user account. Other subgraphs extend it by `user_id`.
pub struct User(pub user::Model);

impl User {
    /// Contacts are shown to the user, to admins and to services that read users.
    fn contacts_visible(&self, ctx: &Context<'_>) -> bool {
        match Caller::of(ctx) {
            Caller::User(viewer) => viewer.user_id == self.0.id || viewer.is_admin(),
            Caller::Service(service) => service.has_scope(scopes::USERS_READ),
            _ => false,
        }
    }
}

#[Object(rename_fields = "snake_case")]
impl User {
    async fn user_id(&self) -> &str {
        &self.0.id
    }

    async fn username(&self) -> &str {
        &self.0.username
    }

    async fn fullname(&self) -> &str {
        &self.0.fullname
    }

    /// Shown to the user themselves, admins and services; null for anyone else.
    async fn email(&self, ctx: &Context<'_>) -> Option<&str> {
        self.contacts_visible(ctx).then_some(self.0.email.as_str())
    }

    /// E.164 mobile number; shown like `email`.
    async fn phone(&self, ctx: &Context<'_>) -> Option<&str> {
        self.0
            .phone
            .as_deref()
            .filter(|_| self.contacts_visible(ctx))
    }

    /// `Nasabah`, `Provider` or `Admin`.
    async fn role(&self) -> &str {
        &self.0.role
    }

    async fn email_verified(&self) -> bool {
        self.0.email_verified_at.is_some()
    }

    async fn phone_verified(&self) -> bool {
        self.0.phone_verified_at.is_some()
    }

    /// RFC 3339.
    async fn created_at(&self) -> String {
        self.0.created_at.to_rfc3339()
    }
}

/// Tokens for a signed-in user.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub struct LoginResponse {
    /// RS256 JWT for `Authorization: Bearer …`.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until `access_token` expires.
    pub expires_in: i64,
    /// Opaque token for `refreshToken`; rotated on every use.
    pub refresh_token: String,
    pub user: User,
}

impl From<Session> for LoginResponse {
    fn from(session: Session) -> Self {
        Self {
            access_token: session.access.token,
            token_type: "Bearer".into(),
            expires_in: session.access.expires_in,
            refresh_token: session.refresh_token,
            user: User(session.user),
        }
    }
}

/// Where a verification code goes.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum OtpChannel {
    Email,
    Phone,
}

impl From<OtpChannel> for Channel {
    fn from(channel: OtpChannel) -> Self {
        match channel {
            OtpChannel::Email => Self::Email,
            OtpChannel::Phone => Self::Phone,
        }
    }
}

impl From<Channel> for OtpChannel {
    fn from(channel: Channel) -> Self {
        match channel {
            Channel::Email => Self::Email,
            Channel::Phone => Self::Phone,
        }
    }
}

/// A verification code on its way.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub struct OtpRequest {
    pub channel: OtpChannel,
    /// The destination, partly hidden.
    pub destination: String,
    /// RFC 3339.
    pub expires_at: String,
    /// Seconds before another code can be requested.
    pub resend_after_seconds: i64,
}

impl From<OtpIssued> for OtpRequest {
    fn from(issued: OtpIssued) -> Self {
        Self {
            channel: issued.channel.into(),
            destination: issued.masked_destination,
            expires_at: issued.expires_at.to_rfc3339(),
            resend_after_seconds: issued.resend_after_secs,
        }
    }
}

/// Signature algorithm of a biometric device key.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum BiometricAlgorithm {
    /// ECDSA P-256 with SHA-256 (Android Keystore, iOS Secure Enclave).
    #[graphql(name = "ES256")]
    Es256,
    #[graphql(name = "ED25519")]
    Ed25519,
}

impl From<BiometricAlgorithm> for KeyAlgorithm {
    fn from(algorithm: BiometricAlgorithm) -> Self {
        match algorithm {
            BiometricAlgorithm::Es256 => Self::Es256,
            BiometricAlgorithm::Ed25519 => Self::Ed25519,
        }
    }
}

/// A device registered for biometric login.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub struct BiometricDevice {
    pub device_id: String,
    /// `ES256` or `ED25519`.
    pub algorithm: String,
    pub device_name: Option<String>,
    pub created_at: String,
    pub last_used_at: Option<String>,
}

impl From<biometric_device::Model> for BiometricDevice {
    fn from(device: biometric_device::Model) -> Self {
        Self {
            device_id: device.id,
            algorithm: device.algorithm,
            device_name: device.name,
            created_at: device.created_at.to_rfc3339(),
            last_used_at: device.last_used_at.map(|t| t.to_rfc3339()),
        }
    }
}

/// A challenge for a device to sign: sign the UTF-8 bytes of `challenge` with the
/// device key and send the signature (base64) to `biometricLogin`.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub struct BiometricChallenge {
    pub challenge_id: String,
    pub challenge: String,
    pub expires_at: String,
}

impl From<biometric_challenge::Model> for BiometricChallenge {
    fn from(challenge: biometric_challenge::Model) -> Self {
        Self {
            challenge_id: challenge.id,
            challenge: challenge.challenge,
            expires_at: challenge.expires_at.to_rfc3339(),
        }
    }
}
