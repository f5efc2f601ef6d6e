//! Logging: `tracing` with an `EnvFilter`, text or JSON lines, and a span per HTTP
//! request carrying its `x-request-id`.

use axum::http::{HeaderName, Request};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{MakeSpan, TraceLayer};
use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// The header that carries the request id, in and out.
pub static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Installs the global subscriber. A second call (several services in one process,
/// or tests) keeps the first subscriber.
pub fn init(filter: &str, format: LogFormat) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(true);
    let _already_set = match format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// Makes one `http` span per request, with method, path and request id.
#[derive(Clone, Debug)]
pub struct RequestSpan {
    service: &'static str,
}

impl<B> MakeSpan<B> for RequestSpan {
    fn make_span(&mut self, request: &Request<B>) -> tracing::Span {
        let request_id = request
            .headers()
            .get(&REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        tracing::info_span!(
            "http",
            service = self.service,
            method = %request.method(),
            path = %request.uri().path(),
            request_id = %request_id,
        )
    }
}

/// Layers that give every request an id (kept when the caller sent one), echo it in
/// the response, and trace the request inside a span that names it.
pub fn layer<S>(service: &'static str, router: axum::Router<S>) -> axum::Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    router
        .layer(PropagateRequestIdLayer::new(REQUEST_ID.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(RequestSpan { service }))
        .layer(SetRequestIdLayer::new(REQUEST_ID.clone(), MakeRequestUuid))
}
