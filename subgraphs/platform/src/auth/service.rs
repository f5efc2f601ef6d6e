//! Service credentials: how one subgraph calls another's internal operation.
//!
//! Each subgraph is an OAuth 2.0 client of auth (RFC 6749 §4.4, client credentials).
//! It trades its client id and secret at `POST {AUTH_URL}/oauth/token` for a short
//! RS256 service token (`typ: service`, `aud`: the internal audience, `scope`), caches
//! it until shortly before it expires, and sends it as a bearer token. The callee
//! verifies it on its own and requires a scope ([`Caller::service`]). A user token,
//! even an admin's, never passes.
//!
//! [`Caller::service`]: super::Caller::service

use std::sync::Arc;
use std::time::{Duration, Instant};

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::config::{ConfigError, Mode, ServiceClientConfig};

/// The scopes of internal operations.
pub mod scopes {
    /// Read user records and contacts at auth.
    pub const USERS_READ: &str = "users:read";
    /// Read any wallet (owner, status) at wallet.
    pub const WALLET_READ: &str = "wallet:read";
    /// Credit and debit wallets.
    pub const WALLET_WRITE: &str = "wallet:write";
    /// Ask fraud for a risk check.
    pub const FRAUD_CHECK: &str = "fraud:check";
    /// Write audit history entries.
    pub const HISTORY_WRITE: &str = "history:write";
}

/// Which scopes each known subgraph is granted when auth runs on development
/// defaults. Production grants come from auth's `SERVICE_CLIENTS`.
pub const DEFAULT_GRANTS: &[(&str, &[&str])] = &[
    ("wallet", &[scopes::USERS_READ]),
    (
        "transaction",
        &[
            scopes::USERS_READ,
            scopes::WALLET_READ,
            scopes::WALLET_WRITE,
            scopes::FRAUD_CHECK,
            scopes::HISTORY_WRITE,
        ],
    ),
    ("fraud", &[scopes::USERS_READ]),
    ("history", &[scopes::USERS_READ]),
    ("loan", &[scopes::USERS_READ, scopes::WALLET_WRITE]),
    ("order", &[scopes::USERS_READ, scopes::WALLET_WRITE]),
    ("payment", &[scopes::USERS_READ, scopes::WALLET_WRITE]),
    ("notification", &[scopes::USERS_READ]),
];

/// The development secret of a client, used only when no secret is configured and
/// never in production.
pub fn dev_secret(client_id: &str) -> String {
    format!("dev-secret-{client_id}")
}

/// Path of auth's token endpoint.
pub const TOKEN_PATH: &str = "/oauth/token";

/// A subgraph's own client credentials.
#[derive(Debug, Clone)]
pub struct ServiceCredentials {
    pub client_id: String,
    pub client_secret: SecretString,
    pub token_url: String,
}

impl ServiceCredentials {
    /// From the configuration of subgraph `service`; in production a secret must be
    /// configured.
    pub fn from_config(
        service: &str,
        config: &ServiceClientConfig,
        mode: Mode,
    ) -> Result<Self, ConfigError> {
        let client_id = config
            .client_id
            .clone()
            .unwrap_or_else(|| service.to_owned());
        let client_secret = match (&config.client_secret, mode) {
            (Some(secret), _) => secret.clone(),
            (None, Mode::Development) => SecretString::from(dev_secret(&client_id)),
            (None, Mode::Production) => {
                return Err(ConfigError(
                    "SERVICE_CLIENT_SECRET is required in production".into(),
                ));
            }
        };
        Ok(Self {
            client_id,
            client_secret,
            token_url: format!("{}{TOKEN_PATH}", config.auth_url.trim_end_matches('/')),
        })
    }
}

/// Why a call to another subgraph failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ServiceCallError {
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error("service credential refused: {0}")]
    Credential(String),
    /// The callee answered with a GraphQL error; its `extensions.code` is kept so the
    /// caller can react to it (e.g. `INSUFFICIENT_FUNDS`).
    #[error("{message}")]
    Remote {
        code: Option<String>,
        message: String,
    },
    #[error("unexpected response: {0}")]
    Decode(String),
}

#[derive(Debug, Deserialize)]
struct TokenResponse {
    access_token: String,
    expires_in: u64,
}

#[derive(Debug)]
struct CachedToken {
    token: String,
    refresh_at: Instant,
}

/// Fetches and caches this subgraph's service token.
#[derive(Debug)]
pub struct ServiceTokens {
    credentials: ServiceCredentials,
    http: reqwest::Client,
    cached: tokio::sync::Mutex<Option<CachedToken>>,
}

impl ServiceTokens {
    pub fn new(credentials: ServiceCredentials, http: reqwest::Client) -> Self {
        Self {
            credentials,
            http,
            cached: tokio::sync::Mutex::new(None),
        }
    }

    pub fn client_id(&self) -> &str {
        &self.credentials.client_id
    }

    /// A valid service token, fetched when the cached one is missing or about to
    /// expire. Concurrent callers share one fetch.
    pub async fn bearer(&self) -> Result<String, ServiceCallError> {
        let mut cached = self.cached.lock().await;
        if let Some(token) = cached.as_ref().filter(|t| Instant::now() < t.refresh_at) {
            return Ok(token.token.clone());
        }
        let fresh = self.fetch().await?;
        let token = fresh.access_token.clone();
        // Refresh at 80 % of the lifetime, so a token is never used at its very end.
        let lifetime = Duration::from_secs(fresh.expires_in.max(1));
        *cached = Some(CachedToken {
            token: fresh.access_token,
            refresh_at: Instant::now() + lifetime.mul_f32(0.8),
        });
        Ok(token)
    }

    /// Forgets the cached token (e.g. after the callee refused it).
    pub async fn invalidate(&self) {
        *self.cached.lock().await = None;
    }

    async fn fetch(&self) -> Result<TokenResponse, ServiceCallError> {
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", self.credentials.client_id.as_str()),
            (
                "client_secret",
                self.credentials.client_secret.expose_secret(),
            ),
        ];
        let response = self
            .http
            .post(&self.credentials.token_url)
            .form(&form)
            .timeout(Duration::from_secs(5))
            .send()
            .await
            .map_err(|e| ServiceCallError::Unavailable(e.to_string()))?;
        let status = response.status();
        if status.is_client_error() {
            let body = response.text().await.unwrap_or_default();
            return Err(ServiceCallError::Credential(format!("{status}: {body}")));
        }
        if !status.is_success() {
            return Err(ServiceCallError::Unavailable(format!(
                "token endpoint answered {status}"
            )));
        }
        response
            .json()
            .await
            .map_err(|e| ServiceCallError::Decode(e.to_string()))
    }
}

#[derive(Debug, Deserialize)]
struct GraphqlResponse {
    data: Option<serde_json::Value>,
    #[serde(default)]
    errors: Vec<GraphqlError>,
}

#[derive(Debug, Deserialize)]
struct GraphqlError {
    message: String,
    #[serde(default)]
    extensions: Option<serde_json::Value>,
}

/// Calls other subgraphs' GraphQL operations with this subgraph's service token.
#[derive(Debug, Clone)]
pub struct InternalClient {
    tokens: Arc<ServiceTokens>,
    http: reqwest::Client,
}

impl InternalClient {
    pub fn new(tokens: Arc<ServiceTokens>, http: reqwest::Client) -> Self {
        Self { tokens, http }
    }

    /// Runs `query` at the subgraph `url` and decodes its `data`. A refused token is
    /// fetched anew and the call tried once more.
    pub async fn graphql<T: DeserializeOwned>(
        &self,
        url: &str,
        query: &str,
        variables: serde_json::Value,
    ) -> Result<T, ServiceCallError> {
        match self.call(url, query, &variables).await {
            Err(ServiceCallError::Remote {
                code: Some(code), ..
            }) if code == "UNAUTHENTICATED" => {
                self.tokens.invalidate().await;
                self.call(url, query, &variables).await
            }
            other => other,
        }
    }

    async fn call<T: DeserializeOwned>(
        &self,
        url: &str,
        query: &str,
        variables: &serde_json::Value,
    ) -> Result<T, ServiceCallError> {
        let token = self.tokens.bearer().await?;
        graphql_request(&self.http, url, Some(&token), query, variables).await
    }
}

/// Runs `query` at the GraphQL endpoint `url` (with a bearer token when given) and
/// decodes its `data`. The first GraphQL error becomes [`ServiceCallError::Remote`]
/// with its `extensions.code`; a 5xx or an unreachable endpoint is
/// [`ServiceCallError::Unavailable`].
pub async fn graphql_request<T: DeserializeOwned>(
    http: &reqwest::Client,
    url: &str,
    bearer: Option<&str>,
    query: &str,
    variables: &serde_json::Value,
) -> Result<T, ServiceCallError> {
    let mut request = http
        .post(url)
        .json(&serde_json::json!({ "query": query, "variables": variables }));
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    let response = request
        .send()
        .await
        .map_err(|e| ServiceCallError::Unavailable(e.to_string()))?;
    if response.status().is_server_error() {
        return Err(ServiceCallError::Unavailable(format!(
            "{url} answered {}",
            response.status()
        )));
    }
    let body: GraphqlResponse = response
        .json()
        .await
        .map_err(|e| ServiceCallError::Decode(e.to_string()))?;
    if let Some(error) = body.errors.into_iter().next() {
        let code = error
            .extensions
            .as_ref()
            .and_then(|e| e.get("code"))
            .and_then(|c| c.as_str())
            .map(str::to_owned);
        return Err(ServiceCallError::Remote {
            code,
            message: error.message,
        });
    }
    serde_json::from_value(body.data.unwrap_or(serde_json::Value::Null))
        .map_err(|e| ServiceCallError::Decode(e.to_string()))
}
