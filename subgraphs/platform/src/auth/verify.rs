//! Token verification as every subgraph (and the router) does it on its own: RS256
//! only — the algorithm is pinned, never taken from the token — with `kid`, `iss`,
//! `aud`, `exp`/`nbf` (at most 60 s leeway) checked, keys from PEM files or from
//! auth's JWKS, refetched (rate-limited) when a token names an unknown `kid`.
//!
//! A token whose signature checked out is remembered (by its SHA-256) with its
//! claims until it expires, so the RSA work is done once per token and process, not
//! once per request: a payment crosses four services with the same two tokens.
//! Time and type are checked again on every use. A key withdrawn from the JWKS
//! stops new tokens at once; tokens it already signed stay valid until they expire
//! (at most 15 minutes), as they would in any process that had checked them.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, Validation};

use super::caller::Caller;
use super::claims::{Claims, SERVICE_SUBJECT_PREFIX, TokenType};
use super::keys::{JwkSet, KeyError, VerificationKey};
use crate::clock::SharedClock;
use crate::config::TokenConfig;

/// Largest clock-skew leeway accepted, in seconds.
pub const MAX_LEEWAY_SECS: u64 = 60;

/// Why a token was refused. Every variant reaches the client as `UNAUTHENTICATED`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("the token is malformed")]
    Malformed,
    #[error("the token's algorithm is not accepted (only RS256 is)")]
    Algorithm,
    #[error("the token was signed by an unknown key")]
    UnknownKey,
    #[error("the token's signature is invalid")]
    Signature,
    #[error("the token has expired")]
    Expired,
    #[error("the token is not valid yet")]
    NotYetValid,
    #[error("the token was issued by an unexpected issuer")]
    Issuer,
    #[error("the token is meant for another audience")]
    Audience,
    #[error("the token's type does not match its audience")]
    Type,
    #[error("the keys to verify the token are unavailable right now")]
    KeysUnavailable,
}

/// Verifies tokens issued by auth.
#[derive(Clone)]
pub struct TokenVerifier {
    keys: Arc<KeyStore>,
    verified: Arc<VerifiedTokens>,
    issuer: String,
    audience: String,
    service_audience: String,
    leeway_secs: i64,
    clock: SharedClock,
}

impl std::fmt::Debug for TokenVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenVerifier")
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .finish_non_exhaustive()
    }
}

enum KeyStore {
    Static(HashMap<String, VerificationKey>),
    Jwks(JwksCache),
}

impl TokenVerifier {
    /// Keys given directly (auth itself, tests).
    pub fn with_keys(config: &TokenConfig, keys: Vec<VerificationKey>, clock: SharedClock) -> Self {
        let keys = keys.into_iter().map(|k| (k.kid.clone(), k)).collect();
        Self::new(config, KeyStore::Static(keys), clock)
    }

    /// Keys from the PEM files of the configuration.
    pub fn from_pem_files(config: &TokenConfig, clock: SharedClock) -> Result<Self, KeyError> {
        let keys = config
            .public_key_paths
            .iter()
            .map(|p| VerificationKey::load(p))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self::with_keys(config, keys, clock))
    }

    /// Keys from a JWKS URL, fetched when first needed and again (at most once per
    /// `min_refresh`) whenever a token names a `kid` not yet known.
    pub fn from_jwks(
        config: &TokenConfig,
        url: &str,
        http: reqwest::Client,
        clock: SharedClock,
    ) -> Self {
        let cache = JwksCache {
            url: url.to_owned(),
            http,
            keys: RwLock::new(HashMap::new()),
            last_fetch: tokio::sync::Mutex::new(None),
            min_refresh: Duration::from_secs(config.jwks_min_refresh_secs),
        };
        Self::new(config, KeyStore::Jwks(cache), clock)
    }

    /// What the configuration asks for: the JWKS URL when set, else the PEM files when
    /// they exist, else (development) auth's JWKS at `fallback_jwks_url`.
    pub fn from_config(
        config: &TokenConfig,
        fallback_jwks_url: &str,
        http: reqwest::Client,
        clock: SharedClock,
    ) -> Result<Self, KeyError> {
        if let Some(url) = &config.jwks_url {
            return Ok(Self::from_jwks(config, url, http, clock));
        }
        if config.public_key_paths.iter().all(|p| p.exists()) {
            return Self::from_pem_files(config, clock);
        }
        tracing::info!(
            url = fallback_jwks_url,
            "public key file missing; verifying with auth's JWKS"
        );
        Ok(Self::from_jwks(config, fallback_jwks_url, http, clock))
    }

    fn new(config: &TokenConfig, keys: KeyStore, clock: SharedClock) -> Self {
        Self {
            keys: Arc::new(keys),
            verified: Arc::new(VerifiedTokens::default()),
            issuer: config.issuer.clone(),
            audience: config.audience.clone(),
            service_audience: config.service_audience.clone(),
            leeway_secs: config.leeway_secs.min(MAX_LEEWAY_SECS) as i64,
            clock,
        }
    }

    /// Verifies `token` and returns its claims.
    pub async fn verify(&self, token: &str) -> Result<Claims, TokenError> {
        let digest = VerifiedTokens::digest(token);
        let claims = match self.verified.get(&digest) {
            Some(claims) => claims,
            None => {
                let claims = self.verify_signature(token).await?;
                self.verified
                    .insert(digest, claims.clone(), self.clock.now().timestamp());
                claims
            }
        };
        self.check_time_and_type(&claims)?;
        Ok(claims)
    }

    /// How many verified tokens are remembered.
    pub fn remembered(&self) -> usize {
        self.verified
            .entries
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .len()
    }

    /// The claims of `token` if its header, signature, issuer and audience are right.
    async fn verify_signature(&self, token: &str) -> Result<Claims, TokenError> {
        let header = RawHeader::parse(token)?;
        // Pinned: the token's own `alg` is compared, never used to choose.
        if header.alg != "RS256" {
            return Err(TokenError::Algorithm);
        }
        if header.crit.is_some() {
            // No critical extensions are understood here (RFC 7515 §4.1.11).
            return Err(TokenError::Malformed);
        }
        let kid = header.kid.ok_or(TokenError::UnknownKey)?;
        let key = self.keys.key(&kid).await?;

        let mut validation = Validation::new(Algorithm::RS256);
        validation.algorithms = vec![Algorithm::RS256];
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience, &self.service_audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        // Time is checked below against the injected clock.
        validation.validate_exp = false;
        validation.validate_nbf = false;

        let claims = jsonwebtoken::decode::<Claims>(token, &key.decoding, &validation)
            .map_err(|e| match e.kind() {
                ErrorKind::InvalidSignature => TokenError::Signature,
                ErrorKind::InvalidIssuer => TokenError::Issuer,
                ErrorKind::InvalidAudience => TokenError::Audience,
                ErrorKind::InvalidAlgorithm | ErrorKind::InvalidAlgorithmName => {
                    TokenError::Algorithm
                }
                _ => TokenError::Malformed,
            })?
            .claims;
        Ok(claims)
    }

    fn check_time_and_type(&self, claims: &Claims) -> Result<(), TokenError> {
        let now = self.clock.now().timestamp();
        if now > claims.exp + self.leeway_secs {
            return Err(TokenError::Expired);
        }
        if claims.nbf.is_some_and(|nbf| nbf > now + self.leeway_secs) {
            return Err(TokenError::NotYetValid);
        }
        self.check_type(claims)
    }

    /// A user token must be for the public audience with a role; a service token for
    /// the internal audience with scopes and a `svc:` subject.
    fn check_type(&self, claims: &Claims) -> Result<(), TokenError> {
        let consistent = match claims.typ {
            TokenType::Access => {
                claims.aud == self.audience
                    && claims.role.is_some()
                    && !claims.sub.starts_with(SERVICE_SUBJECT_PREFIX)
            }
            TokenType::Service => {
                claims.aud == self.service_audience
                    && claims.scope.is_some()
                    && claims.sub.starts_with(SERVICE_SUBJECT_PREFIX)
            }
        };
        consistent.then_some(()).ok_or(TokenError::Type)
    }

    /// The caller behind an optional bearer token.
    pub async fn caller(&self, token: Option<&str>) -> Caller {
        match token {
            None => Caller::Anonymous,
            Some(token) => match self.verify(token).await {
                Ok(claims) => Caller::from_claims(claims),
                Err(err) => Caller::Invalid(err),
            },
        }
    }

    /// The caller behind a request's `Authorization: Bearer …` header.
    pub async fn caller_from_headers(&self, headers: &http::HeaderMap) -> Caller {
        match bearer_token(headers) {
            Ok(token) => self.caller(token).await,
            Err(err) => Caller::Invalid(err),
        }
    }
}

/// Tokens whose signature was verified, by SHA-256, with their claims.
#[derive(Default)]
struct VerifiedTokens {
    entries: RwLock<HashMap<[u8; 32], Claims>>,
}

impl VerifiedTokens {
    /// At most this many tokens are remembered; beyond, expired ones are dropped
    /// first, then all.
    const CAPACITY: usize = 16_384;

    fn digest(token: &str) -> [u8; 32] {
        use sha2::Digest;
        sha2::Sha256::digest(token.as_bytes()).into()
    }

    fn get(&self, digest: &[u8; 32]) -> Option<Claims> {
        self.entries
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(digest)
            .cloned()
    }

    fn insert(&self, digest: [u8; 32], claims: Claims, now: i64) {
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= Self::CAPACITY {
            entries.retain(|_, c| c.exp + MAX_LEEWAY_SECS as i64 >= now);
            if entries.len() >= Self::CAPACITY {
                entries.clear();
            }
        }
        entries.insert(digest, claims);
    }
}

/// The header fields looked at before any key is chosen.
#[derive(serde::Deserialize)]
struct RawHeader {
    alg: String,
    kid: Option<String>,
    crit: Option<serde_json::Value>,
}

impl RawHeader {
    fn parse(token: &str) -> Result<Self, TokenError> {
        use base64::Engine;
        let mut parts = token.split('.');
        let (Some(header), Some(_payload), Some(_signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(TokenError::Malformed);
        };
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(header)
            .map_err(|_| TokenError::Malformed)?;
        serde_json::from_slice(&bytes).map_err(|_| TokenError::Malformed)
    }
}

/// The bearer token of an `Authorization` header: `Ok(None)` without the header, an
/// error when the header is there but not a bearer token.
pub fn bearer_token(headers: &http::HeaderMap) -> Result<Option<&str>, TokenError> {
    let Some(value) = headers.get(http::header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| TokenError::Malformed)?.trim();
    let (scheme, token) = value.split_once(' ').ok_or(TokenError::Malformed)?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(TokenError::Malformed);
    }
    Ok(Some(token.trim()))
}

impl KeyStore {
    async fn key(&self, kid: &str) -> Result<VerificationKey, TokenError> {
        match self {
            Self::Static(keys) => keys.get(kid).cloned().ok_or(TokenError::UnknownKey),
            Self::Jwks(cache) => cache.key(kid).await,
        }
    }
}

struct JwksCache {
    url: String,
    http: reqwest::Client,
    keys: RwLock<HashMap<String, VerificationKey>>,
    /// When the last fetch happened; the lock also makes concurrent misses fetch once.
    last_fetch: tokio::sync::Mutex<Option<Instant>>,
    min_refresh: Duration,
}

impl JwksCache {
    fn cached(&self, kid: &str) -> Option<VerificationKey> {
        self.keys
            .read()
            .expect("jwks lock poisoned")
            .get(kid)
            .cloned()
    }

    async fn key(&self, kid: &str) -> Result<VerificationKey, TokenError> {
        if let Some(key) = self.cached(kid) {
            return Ok(key);
        }
        let mut last_fetch = self.last_fetch.lock().await;
        // Another request may have fetched while this one waited for the lock.
        if let Some(key) = self.cached(kid) {
            return Ok(key);
        }
        let may_fetch = last_fetch.is_none_or(|at| at.elapsed() >= self.min_refresh);
        if !may_fetch {
            return Err(TokenError::UnknownKey);
        }
        *last_fetch = Some(Instant::now());
        match self.fetch().await {
            Ok(keys) => {
                *self.keys.write().expect("jwks lock poisoned") = keys;
            }
            Err(err) => {
                tracing::warn!(url = %self.url, error = %err, "JWKS fetch failed");
                let none_known = self.keys.read().expect("jwks lock poisoned").is_empty();
                if none_known {
                    // Let the next request try again rather than wait out the interval.
                    *last_fetch = None;
                    return Err(TokenError::KeysUnavailable);
                }
            }
        }
        self.cached(kid).ok_or(TokenError::UnknownKey)
    }

    async fn fetch(&self) -> Result<HashMap<String, VerificationKey>, reqwest::Error> {
        let set: JwkSet = self
            .http
            .get(&self.url)
            .timeout(Duration::from_secs(5))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        Ok(set
            .keys
            .iter()
            .filter_map(VerificationKey::from_jwk)
            .map(|k| (k.kid.clone(), k))
            .collect())
    }
}
