//! `GET /.well-known/jwks.json`: the public keys tokens are verified with (the
//! current signing key and any retired key still within a rotation).

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use platform::auth::keys::JwkSet;

pub async fn jwks(State(set): State<Arc<JwkSet>>) -> impl IntoResponse {
    (
        [(header::CACHE_CONTROL, "public, max-age=300")],
        Json(set.as_ref().clone()),
    )
}
