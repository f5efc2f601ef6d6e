//! Serving a subgraph's GraphQL schema over HTTP: the `/graphql` endpoint that turns
//! `Authorization: Bearer …` into a [`Caller`] for resolvers, and the federation SDL
//! that the contract tests compare with `schema/<name>.graphql`.

use std::sync::Arc;

use async_graphql::registry::SDLExportOptions;
use async_graphql::{Executor, ObjectType, Schema, SubscriptionType};
use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::post;

use crate::auth::{Caller, TokenVerifier};
use crate::telemetry::REQUEST_ID;

/// Facts about the HTTP request that resolvers may need.
#[derive(Debug, Clone, Default)]
pub struct RequestMeta {
    pub request_id: Option<String>,
    /// The `Idempotency-Key` header.
    pub idempotency_key: Option<String>,
    pub user_agent: Option<String>,
    /// The `X-Merchant-Key` header: a merchant's API key.
    pub merchant_key: Option<String>,
}

impl RequestMeta {
    fn from_headers(headers: &HeaderMap) -> Self {
        let text = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        Self {
            request_id: text(REQUEST_ID.as_str()),
            idempotency_key: text("idempotency-key"),
            user_agent: text("user-agent"),
            merchant_key: text("x-merchant-key"),
        }
    }

    /// The request's facts from a GraphQL context (empty when absent).
    pub fn of<'a>(ctx: &'a async_graphql::Context<'_>) -> &'a RequestMeta {
        static EMPTY: RequestMeta = RequestMeta {
            request_id: None,
            idempotency_key: None,
            user_agent: None,
            merchant_key: None,
        };
        ctx.data_opt::<RequestMeta>().unwrap_or(&EMPTY)
    }
}

/// The SDL a subgraph serves at `{ _service { sdl } }` (Federation v2, with `@link`).
pub fn federation_sdl<Q, M, S>(schema: &Schema<Q, M, S>) -> String
where
    Q: ObjectType + 'static,
    M: ObjectType + 'static,
    S: SubscriptionType + 'static,
{
    schema.sdl_with_options(SDLExportOptions::new().federation().compose_directive())
}

struct Endpoint<E> {
    executor: E,
    verifier: TokenVerifier,
}

/// `POST /graphql` for `executor`, with the caller resolved from the bearer token.
pub fn routes<E>(executor: E, verifier: TokenVerifier) -> Router
where
    E: Executor + Send + Sync + 'static,
{
    let endpoint = Arc::new(Endpoint { executor, verifier });
    Router::new()
        .route("/graphql", post(handle::<E>))
        .with_state(endpoint)
}

async fn handle<E: Executor>(
    State(endpoint): State<Arc<Endpoint<E>>>,
    headers: HeaderMap,
    request: GraphQLRequest,
) -> GraphQLResponse {
    let caller: Caller = endpoint.verifier.caller_from_headers(&headers).await;
    let request = request
        .into_inner()
        .data(caller)
        .data(RequestMeta::from_headers(&headers));
    endpoint.executor.execute(request).await.into()
}
