//! `POST /oauth/token`: the client-credentials grant (RFC 6749 §4.4) that gives a
//! subgraph its service token. Client authentication by HTTP Basic or by
//! `client_id`/`client_secret` in the form body; errors as RFC 6749 §5.2.

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use serde_json::json;

use crate::domain::AuthService;
use crate::domain::service_clients::{GrantError, GrantOutcome};

#[derive(Debug, Deserialize)]
pub struct TokenRequest {
    grant_type: String,
    client_id: Option<String>,
    client_secret: Option<String>,
    scope: Option<String>,
}

pub async fn token(
    State(service): State<Arc<AuthService>>,
    headers: HeaderMap,
    form: Result<Form<TokenRequest>, FormRejection>,
) -> Response {
    let Ok(Form(request)) = form else {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "send an application/x-www-form-urlencoded body",
        );
    };
    if request.grant_type != "client_credentials" {
        return error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "only client_credentials is supported",
        );
    }
    let Some((client_id, client_secret)) = basic_credentials(&headers)
        .or_else(|| request.client_id.clone().zip(request.client_secret.clone()))
    else {
        return error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "client authentication is required",
        );
    };
    match service.issue_service_token(&client_id, &client_secret, request.scope.as_deref()) {
        Ok((token, scopes)) => (
            [
                (header::CACHE_CONTROL, "no-store"),
                (header::PRAGMA, "no-cache"),
            ],
            Json(json!({
                "access_token": token.token,
                "token_type": "Bearer",
                "expires_in": token.expires_in,
                "scope": scopes.join(" "),
            })),
        )
            .into_response(),
        Err(GrantOutcome::Refused(GrantError::InvalidClient)) => {
            tracing::warn!(client_id, "service client authentication failed");
            error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "unknown client or wrong secret",
            )
        }
        Err(GrantOutcome::Refused(GrantError::InvalidScope(scope))) => error(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            &format!("scope `{scope}` is not granted to this client"),
        ),
        Err(GrantOutcome::Failed(err)) => {
            tracing::error!(error = %err, "issuing a service token failed");
            error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "server_error",
                "try again later",
            )
        }
    }
}

/// `Authorization: Basic base64(id:secret)`.
fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

fn error(status: StatusCode, code: &str, description: &str) -> Response {
    let mut response = (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({ "error": code, "error_description": description })),
    )
        .into_response();
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Basic realm=\"dompet-sawit\""),
        );
    }
    response
}
