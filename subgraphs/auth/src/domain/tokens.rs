//! Issuing tokens: RS256 access and service tokens (with `kid`), and opaque refresh
//! tokens stored only as hashes.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use platform::SharedClock;
use platform::auth::claims::SERVICE_SUBJECT_PREFIX;
use platform::auth::keys::SigningKey;
use platform::auth::{Claims, Role, TokenType};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::error::AuthError;

/// A signed token and how long it lives.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    pub token: String,
    pub expires_in: i64,
}

/// Signs tokens with auth's current key.
#[derive(Clone)]
pub struct TokenIssuer {
    key: SigningKey,
    issuer: String,
    audience: String,
    service_audience: String,
    access_ttl: Duration,
    service_ttl: Duration,
    clock: SharedClock,
}

impl std::fmt::Debug for TokenIssuer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenIssuer")
            .field("kid", &self.key.kid)
            .finish_non_exhaustive()
    }
}

/// What a user access token says about its user.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    pub user_id: &'a str,
    pub role: Role,
    pub username: &'a str,
}

impl TokenIssuer {
    pub fn new(
        key: SigningKey,
        tokens: &platform::config::TokenConfig,
        access_ttl: Duration,
        service_ttl: Duration,
        clock: SharedClock,
    ) -> Self {
        Self {
            key,
            issuer: tokens.issuer.clone(),
            audience: tokens.audience.clone(),
            service_audience: tokens.service_audience.clone(),
            access_ttl,
            service_ttl,
            clock,
        }
    }

    /// An access token for a user; `amr` says how they authenticated.
    pub fn access(&self, subject: Subject<'_>, amr: &[&str]) -> Result<IssuedToken, AuthError> {
        let ttl = self.access_ttl.as_secs() as i64;
        let now = self.clock.now().timestamp();
        let claims = Claims {
            iss: self.issuer.clone(),
            sub: subject.user_id.to_owned(),
            aud: self.audience.clone(),
            exp: now + ttl,
            iat: now,
            nbf: Some(now),
            jti: uuid::Uuid::new_v4().to_string(),
            typ: TokenType::Access,
            role: Some(subject.role),
            username: Some(subject.username.to_owned()),
            amr: amr.iter().map(|s| (*s).to_owned()).collect(),
            scope: None,
        };
        self.sign(&claims, ttl)
    }

    /// A service token for a client with `scopes`.
    pub fn service(&self, client_id: &str, scopes: &[String]) -> Result<IssuedToken, AuthError> {
        let ttl = self.service_ttl.as_secs() as i64;
        let now = self.clock.now().timestamp();
        let claims = Claims {
            iss: self.issuer.clone(),
            sub: format!("{SERVICE_SUBJECT_PREFIX}{client_id}"),
            aud: self.service_audience.clone(),
            exp: now + ttl,
            iat: now,
            nbf: Some(now),
            jti: uuid::Uuid::new_v4().to_string(),
            typ: TokenType::Service,
            role: None,
            username: None,
            amr: Vec::new(),
            scope: Some(scopes.join(" ")),
        };
        self.sign(&claims, ttl)
    }

    fn sign(&self, claims: &Claims, ttl: i64) -> Result<IssuedToken, AuthError> {
        let token = self
            .key
            .sign(claims)
            .map_err(|e| AuthError::Internal(format!("signing a token: {e}")))?;
        Ok(IssuedToken {
            token,
            expires_in: ttl,
        })
    }
}

/// A new opaque secret: 32 random bytes, base64url.
pub fn opaque_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Hex SHA-256 of a secret, the form secrets are stored and looked up in.
pub fn secret_hash(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
