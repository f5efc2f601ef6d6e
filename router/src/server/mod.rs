//! The router's HTTP server: `/graphql` (GraphQL over HTTP, GraphiQL), `/health`,
//! CORS, request ids, graceful shutdown.

mod graphiql;
mod graphql;
pub mod limits;
mod upload;

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context as _;
use axum::Router;
use axum::http::{HeaderName, Method};
use axum::routing::get;
use platform::auth::TokenVerifier;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tower_http::cors::{AllowOrigin, CorsLayer};

pub use graphql::{Caches, Planned, Request};

use crate::config::RouterConfig;
use crate::executor::{Endpoint, Executor, SubgraphClient};
use crate::supergraph::Supergraph;

/// What every request shares.
#[derive(Debug)]
pub struct RouterState {
    pub schema: Arc<Supergraph>,
    pub executor: Executor,
    pub config: RouterConfig,
    /// `None` when tokens are not verified at the edge.
    pub verifier: Option<TokenVerifier>,
    pub caches: Caches,
}

/// The router, bound and ready to serve.
pub struct RouterApp {
    listener: TcpListener,
    router: Router,
    state: Arc<RouterState>,
}

impl std::fmt::Debug for RouterApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RouterApp")
            .field("addr", &self.listener.local_addr().ok())
            .finish_non_exhaustive()
    }
}

impl RouterApp {
    /// Reads the supergraph file of `config`, then [`RouterApp::from_supergraph`].
    pub async fn build(config: RouterConfig) -> anyhow::Result<Self> {
        let sdl = std::fs::read_to_string(&config.supergraph)
            .with_context(|| format!("reading the supergraph {}", config.supergraph.display()))?;
        let verifier = if config.verify_tokens {
            let jwks = format!(
                "{}/.well-known/jwks.json",
                config.auth_url.trim_end_matches('/')
            );
            Some(TokenVerifier::from_config(
                &config.tokens,
                &jwks,
                platform::http_client::client(),
                Arc::new(platform::SystemClock),
            )?)
        } else {
            None
        };
        Self::from_supergraph(config, &sdl, verifier).await
    }

    /// Builds the router for a supergraph SDL.
    pub async fn from_supergraph(
        config: RouterConfig,
        sdl: &str,
        verifier: Option<TokenVerifier>,
    ) -> anyhow::Result<Self> {
        let schema = Arc::new(Supergraph::parse(sdl).context("loading the supergraph")?);
        let endpoints = schema
            .graphs
            .iter()
            .map(|graph| {
                let (url, timeout) = config.subgraph(&graph.name, &graph.url);
                Endpoint {
                    name: graph.name.clone(),
                    url,
                    timeout,
                }
            })
            .collect();
        let http = platform::http_client::builder()
            .pool_max_idle_per_host(256)
            .build()
            .context("HTTP client")?;
        let client = SubgraphClient::new(http, endpoints, config.dedupe_subgraph_requests);
        let state = Arc::new(RouterState {
            executor: Executor::new(schema.clone(), client),
            schema,
            verifier,
            caches: Caches::new(),
            config: config.clone(),
        });
        let listener = TcpListener::bind((config.host.as_str(), config.port))
            .await
            .with_context(|| format!("binding {}:{}", config.host, config.port))?;
        Ok(Self {
            router: routes(state.clone()),
            listener,
            state,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        platform::server::local_addr(&self.listener)
    }

    pub fn state(&self) -> Arc<RouterState> {
        self.state.clone()
    }

    /// Serves until `shutdown`, then lets requests in flight finish.
    pub async fn run(self, shutdown: CancellationToken) -> std::io::Result<()> {
        platform::server::serve(self.listener, self.router, shutdown).await
    }
}

fn routes(state: Arc<RouterState>) -> Router {
    let graphql = Router::new()
        .route("/graphql", get(graphql::get).post(graphql::post))
        .route("/", get(graphql::get).post(graphql::post))
        .with_state(state.clone());
    let mut router = Router::new()
        .merge(graphql)
        .merge(platform::server::health_routes());
    if let Some(cors) = cors(&state.config.cors_origins) {
        router = router.layer(cors);
    }
    platform::telemetry::layer("router", router)
}

/// CORS for the configured origins (`*` for any); none when the list is empty.
fn cors(origins: &[String]) -> Option<CorsLayer> {
    let origins: Vec<&str> = origins
        .iter()
        .map(|o| o.trim())
        .filter(|o| !o.is_empty())
        .collect();
    if origins.is_empty() {
        return None;
    }
    let allow = if origins.contains(&"*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(origins.iter().filter_map(|o| o.parse().ok()))
    };
    let headers = [
        "content-type",
        "authorization",
        "apollo-require-preflight",
        "x-apollo-operation-name",
        "x-request-id",
        "idempotency-key",
        "x-merchant-key",
        "x-query-plan",
    ]
    .map(HeaderName::from_static);
    Some(
        CorsLayer::new()
            .allow_origin(allow)
            .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
            .allow_headers(headers)
            .expose_headers([HeaderName::from_static("x-request-id")]),
    )
}
