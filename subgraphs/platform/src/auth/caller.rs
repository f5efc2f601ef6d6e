//! Who is calling: what a resolver asks before it does anything on someone's behalf.

use super::claims::{Claims, Role, SERVICE_SUBJECT_PREFIX, TokenType};
use super::verify::TokenError;
use crate::error::{ApiError, ApiResult};

/// A signed-in user, from a verified access token.
#[derive(Debug, Clone, PartialEq)]
pub struct UserPrincipal {
    pub user_id: String,
    pub role: Role,
    pub username: Option<String>,
    /// How the user authenticated (`pwd`, `bio`).
    pub amr: Vec<String>,
    pub token_id: String,
}

impl UserPrincipal {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

/// A subgraph, from a verified service token.
#[derive(Debug, Clone, PartialEq)]
pub struct ServicePrincipal {
    pub client_id: String,
    pub scopes: Vec<String>,
}

impl ServicePrincipal {
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }
}

/// The caller of one request.
#[derive(Debug, Clone, PartialEq)]
pub enum Caller {
    Anonymous,
    User(UserPrincipal),
    Service(ServicePrincipal),
    /// A token was sent and refused; treated as no identity, with the reason kept
    /// for the error message.
    Invalid(TokenError),
}

impl Caller {
    /// From verified claims (the verifier has checked `typ` against `aud`).
    pub fn from_claims(claims: Claims) -> Self {
        match claims.typ {
            TokenType::Access => match claims.role {
                Some(role) => Self::User(UserPrincipal {
                    user_id: claims.sub,
                    role,
                    username: claims.username,
                    amr: claims.amr,
                    token_id: claims.jti,
                }),
                None => Self::Invalid(TokenError::Type),
            },
            TokenType::Service => Self::Service(ServicePrincipal {
                client_id: claims
                    .sub
                    .strip_prefix(SERVICE_SUBJECT_PREFIX)
                    .unwrap_or(&claims.sub)
                    .to_owned(),
                scopes: claims
                    .scope
                    .unwrap_or_default()
                    .split_whitespace()
                    .map(str::to_owned)
                    .collect(),
            }),
        }
    }

    /// The signed-in user, or `UNAUTHENTICATED` (`FORBIDDEN` for a service, which acts
    /// for nobody on a user operation).
    pub fn user(&self) -> ApiResult<&UserPrincipal> {
        match self {
            Self::User(user) => Ok(user),
            Self::Service(_) => Err(ApiError::forbidden(
                "This operation is for signed-in users, not for services.",
            )),
            other => Err(other.unauthenticated()),
        }
    }

    /// The signed-in admin, or `FORBIDDEN`/`UNAUTHENTICATED`.
    pub fn admin(&self) -> ApiResult<&UserPrincipal> {
        let user = self.user()?;
        if user.is_admin() {
            Ok(user)
        } else {
            Err(ApiError::forbidden(
                "This operation is for administrators only.",
            ))
        }
    }

    /// The calling service holding `scope`. A user token, even an admin's, is
    /// `FORBIDDEN`: internal operations are for services only.
    pub fn service(&self, scope: &str) -> ApiResult<&ServicePrincipal> {
        match self {
            Self::Service(service) if service.has_scope(scope) => Ok(service),
            Self::Service(service) => Err(ApiError::forbidden(format!(
                "Service `{}` lacks the scope `{scope}` this internal operation requires.",
                service.client_id
            ))),
            Self::User(_) => Err(ApiError::forbidden(
                "This is an internal operation; it needs a service credential.",
            )),
            other => Err(other.unauthenticated()),
        }
    }

    fn unauthenticated(&self) -> ApiError {
        match self {
            Self::Invalid(reason) => {
                ApiError::unauthenticated(format!("Invalid access token: {reason}."))
            }
            _ => ApiError::unauthenticated(
                "You must be signed in: send `Authorization: Bearer <access_token>`.",
            ),
        }
    }

    /// The caller stored in a GraphQL request's data (anonymous when absent).
    pub fn of<'a>(ctx: &'a async_graphql::Context<'_>) -> &'a Caller {
        ctx.data_opt::<Caller>().unwrap_or(&Caller::Anonymous)
    }
}
