//! The subgraphs auth knows as OAuth clients, and the client-credentials grant.

use std::collections::HashMap;

use platform::auth::service::{DEFAULT_GRANTS, dev_secret};
use platform::config::ConfigError;
use serde::Deserialize;
use subtle::ConstantTimeEq;

use super::AuthService;
use super::tokens::{IssuedToken, secret_hash};
use crate::error::AuthError;

/// Shortest secret accepted from `SERVICE_CLIENTS`.
const MIN_SECRET_LEN: usize = 24;

#[derive(Debug, Clone)]
struct Client {
    secret_hash: String,
    scopes: Vec<String>,
}

/// Registered service clients: id → secret hash and granted scopes.
#[derive(Debug, Clone, Default)]
pub struct ServiceClientRegistry {
    clients: HashMap<String, Client>,
}

#[derive(Debug, Deserialize)]
struct ClientEntry {
    id: String,
    secret: String,
    #[serde(default)]
    scopes: Vec<String>,
}

/// Why a client-credentials request was refused (RFC 6749 §5.2 error codes).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GrantError {
    #[error("invalid_client")]
    InvalidClient,
    #[error("invalid_scope")]
    InvalidScope(String),
}

impl ServiceClientRegistry {
    /// Every known subgraph with its development secret and default scopes.
    pub fn dev_defaults() -> Self {
        let mut registry = Self::default();
        for (id, scopes) in DEFAULT_GRANTS {
            registry.insert(
                id,
                &dev_secret(id),
                scopes.iter().map(|s| (*s).to_owned()).collect(),
            );
        }
        registry
    }

    /// From the `SERVICE_CLIENTS` JSON.
    pub fn from_json(json: &str) -> Result<Self, ConfigError> {
        let entries: Vec<ClientEntry> = serde_json::from_str(json)
            .map_err(|e| ConfigError(format!("SERVICE_CLIENTS is not valid JSON: {e}")))?;
        let mut registry = Self::default();
        for entry in entries {
            if entry.secret.len() < MIN_SECRET_LEN {
                return Err(ConfigError(format!(
                    "SERVICE_CLIENTS: the secret of `{}` is shorter than {MIN_SECRET_LEN} characters",
                    entry.id
                )));
            }
            registry.insert(&entry.id, &entry.secret, entry.scopes);
        }
        Ok(registry)
    }

    /// Registers (or replaces) a client.
    pub fn insert(&mut self, id: &str, secret: &str, scopes: Vec<String>) {
        self.clients.insert(
            id.to_owned(),
            Client {
                secret_hash: secret_hash(secret),
                scopes,
            },
        );
    }

    /// The scopes to grant `id` for a request of `requested` (all granted scopes when
    /// none are requested).
    pub fn authorize(
        &self,
        id: &str,
        secret: &str,
        requested: Option<&str>,
    ) -> Result<Vec<String>, GrantError> {
        let Some(client) = self.clients.get(id) else {
            // Spend a comparison anyway so unknown ids take as long as wrong secrets.
            let _ = secret_hash(secret)
                .as_bytes()
                .ct_eq(secret_hash("").as_bytes());
            return Err(GrantError::InvalidClient);
        };
        let matches: bool = secret_hash(secret)
            .as_bytes()
            .ct_eq(client.secret_hash.as_bytes())
            .into();
        if !matches {
            return Err(GrantError::InvalidClient);
        }
        match requested.map(str::split_whitespace) {
            None => Ok(client.scopes.clone()),
            Some(scopes) => scopes
                .map(|scope| {
                    client
                        .scopes
                        .iter()
                        .find(|granted| *granted == scope)
                        .cloned()
                        .ok_or_else(|| GrantError::InvalidScope(scope.to_owned()))
                })
                .collect(),
        }
    }
}

impl AuthService {
    /// The client-credentials grant: a service token for a registered client.
    pub fn issue_service_token(
        &self,
        client_id: &str,
        client_secret: &str,
        scope: Option<&str>,
    ) -> Result<(IssuedToken, Vec<String>), GrantOutcome> {
        let scopes = self
            .clients
            .authorize(client_id, client_secret, scope)
            .map_err(GrantOutcome::Refused)?;
        let token = self
            .tokens
            .service(client_id, &scopes)
            .map_err(GrantOutcome::Failed)?;
        Ok((token, scopes))
    }
}

/// A grant that did not produce a token.
#[derive(Debug)]
pub enum GrantOutcome {
    Refused(GrantError),
    Failed(AuthError),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clients_get_their_scopes_only() {
        let mut registry = ServiceClientRegistry::default();
        registry.insert(
            "transaction",
            "s3cret",
            vec!["wallet:write".into(), "fraud:check".into()],
        );
        assert_eq!(
            registry.authorize("transaction", "s3cret", None).unwrap(),
            vec!["wallet:write", "fraud:check"]
        );
        assert_eq!(
            registry
                .authorize("transaction", "s3cret", Some("fraud:check"))
                .unwrap(),
            vec!["fraud:check"]
        );
        assert_eq!(
            registry.authorize("transaction", "s3cret", Some("users:read")),
            Err(GrantError::InvalidScope("users:read".into()))
        );
        assert_eq!(
            registry.authorize("transaction", "wrong", None),
            Err(GrantError::InvalidClient)
        );
        assert_eq!(
            registry.authorize("nobody", "s3cret", None),
            Err(GrantError::InvalidClient)
        );
    }

    #[test]
    fn production_secrets_must_be_long() {
        let short = r#"[{"id":"wallet","secret":"short","scopes":[]}]"#;
        assert!(ServiceClientRegistry::from_json(short).is_err());
        let ok =
            r#"[{"id":"wallet","secret":"0123456789abcdef0123456789","scopes":["users:read"]}]"#;
        let registry = ServiceClientRegistry::from_json(ok).expect("valid");
        assert!(
            registry
                .authorize("wallet", "0123456789abcdef0123456789", None)
                .is_ok()
        );
        assert!(ServiceClientRegistry::from_json("not json").is_err());
    }
}
