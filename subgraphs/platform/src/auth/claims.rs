//! The claims of the tokens auth issues. User access tokens and service tokens share
//! a shape and differ in `typ`, `aud` and the claims each requires.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// What a token is for. A user token never passes where a service token is required.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenType {
    /// A user's access token (audience: the public API).
    Access,
    /// A subgraph's client-credentials token (audience: internal operations).
    Service,
}

/// A user's role. The strings are those of the public contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    Nasabah,
    Provider,
    Admin,
}

impl Role {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Nasabah => "Nasabah",
            Self::Provider => "Provider",
            Self::Admin => "Admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "Nasabah" => Ok(Self::Nasabah),
            "Provider" => Ok(Self::Provider),
            "Admin" => Ok(Self::Admin),
            other => Err(format!("unknown role `{other}`")),
        }
    }
}

/// The JWT claims.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    /// The user id, or `svc:<client id>` for a service.
    pub sub: String,
    pub aud: String,
    pub exp: i64,
    pub iat: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    /// Unique token id.
    pub jti: String,
    pub typ: TokenType,
    /// User tokens: the role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// User tokens: the username, for logs and display.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// User tokens: how the user authenticated (`pwd`, `bio`), RFC 8176 values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub amr: Vec<String>,
    /// Service tokens: space-separated scopes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

/// Prefix of a service token's `sub`.
pub const SERVICE_SUBJECT_PREFIX: &str = "svc:";
