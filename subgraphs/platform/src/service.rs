//! What every subgraph builds the same way at start-up: its database (migrated), the
//! event bus and outbox, token verification and the outgoing HTTP client
//! ([`Foundation`]); and the bound HTTP service with its background workers
//! ([`Service`]). A subgraph's `App::build` adds its own domain and routes on top.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context as _;
use axum::Router;
use futures::future::BoxFuture;
use sea_orm::DatabaseConnection;
use sea_orm_migration::MigratorTrait;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tower_http::limit::RequestBodyLimitLayer;

use crate::auth::TokenVerifier;
use crate::auth::service::{InternalClient, ServiceCredentials, ServiceTokens};
use crate::clock::{SharedClock, SystemClock};
use crate::config::CommonConfig;
use crate::events::{EventBus, Outbox};

/// What a service needs besides its configuration (tests and the launcher pass
/// their own).
pub struct Dependencies {
    pub clock: SharedClock,
    /// A bus shared with other services in this process; `None` to connect the one
    /// the configuration names.
    pub bus: Option<EventBus>,
}

impl Default for Dependencies {
    fn default() -> Self {
        Self {
            clock: Arc::new(SystemClock),
            bus: None,
        }
    }
}

/// The shared parts of a subgraph, built from [`CommonConfig`].
#[derive(Clone)]
pub struct Foundation {
    pub name: &'static str,
    pub db: DatabaseConnection,
    pub bus: EventBus,
    pub outbox: Outbox,
    pub verifier: TokenVerifier,
    pub clock: SharedClock,
    /// The outgoing HTTP client (rustls, pooled).
    pub http: reqwest::Client,
}

impl std::fmt::Debug for Foundation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Foundation")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl Foundation {
    /// Connects and migrates the database of `name` with `M`, connects the bus and
    /// sets up token verification (PEM files, or auth's JWKS).
    pub async fn start<M: MigratorTrait>(
        name: &'static str,
        common: &CommonConfig,
        deps: Dependencies,
    ) -> anyhow::Result<Self> {
        let clock = deps.clock;
        let http = crate::http_client::client();
        let jwks = format!(
            "{}/.well-known/jwks.json",
            common.service.auth_url.trim_end_matches('/')
        );
        let verifier =
            TokenVerifier::from_config(&common.tokens, &jwks, http.clone(), clock.clone())?;
        let db = crate::db::connect_and_migrate::<M>(
            &common.database_url_for(name),
            common.database_max_connections,
        )
        .await
        .with_context(|| format!("{name} database"))?;
        let bus = match deps.bus {
            Some(bus) => bus,
            None => EventBus::from_config(&common.events)
                .await
                .context("event bus")?,
        };
        Ok(Self {
            name,
            db,
            bus,
            outbox: Outbox::new(name, clock.clone()),
            verifier,
            clock,
            http,
        })
    }

    /// A client for other subgraphs' internal operations, with this subgraph's
    /// service credentials.
    pub fn internal_client(&self, common: &CommonConfig) -> anyhow::Result<InternalClient> {
        let credentials = ServiceCredentials::from_config(self.name, &common.service, common.mode)?;
        let tokens = Arc::new(ServiceTokens::new(credentials, self.http.clone()));
        Ok(InternalClient::new(tokens, self.http.clone()))
    }
}

type Worker = Box<dyn FnOnce(CancellationToken) -> BoxFuture<'static, ()> + Send>;

/// A subgraph bound to its port, with the workers that run beside it (outbox relay,
/// consumers, recovery).
pub struct Service {
    name: &'static str,
    listener: TcpListener,
    router: Router,
    workers: Vec<Worker>,
}

impl std::fmt::Debug for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Service")
            .field("name", &self.name)
            .field("addr", &self.listener.local_addr().ok())
            .field("workers", &self.workers.len())
            .finish()
    }
}

impl Service {
    /// Binds `port` with `routes` plus `/health`, request ids, tracing and the body
    /// limit; adds the outbox relay when the configuration enables it.
    pub async fn bind(
        foundation: &Foundation,
        common: &CommonConfig,
        port: u16,
        routes: Router,
    ) -> anyhow::Result<Self> {
        let router = crate::telemetry::layer(
            foundation.name,
            routes
                .merge(crate::server::health_routes())
                .layer(RequestBodyLimitLayer::new(common.body_limit_bytes)),
        );
        let listener = crate::server::bind(&common.host, port)
            .await
            .with_context(|| format!("binding {}:{port}", common.host))?;
        let mut service = Self {
            name: foundation.name,
            listener,
            router,
            workers: Vec::new(),
        };
        if common.events.relay_enabled {
            let relay = foundation.outbox.relay(
                foundation.db.clone(),
                foundation.bus.clone(),
                common.outbox_poll_interval(),
            );
            service = service.with_worker(move |shutdown| relay.run(shutdown));
        }
        Ok(service)
    }

    /// Adds a worker started by [`Service::run`] and stopped by its shutdown token.
    pub fn with_worker<F, Fut>(mut self, worker: F) -> Self
    where
        F: FnOnce(CancellationToken) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        self.workers
            .push(Box::new(move |shutdown| Box::pin(worker(shutdown))));
        self
    }

    pub fn name(&self) -> &'static str {
        self.name
    }

    pub fn local_addr(&self) -> SocketAddr {
        crate::server::local_addr(&self.listener)
    }

    /// Starts the workers and serves until `shutdown`.
    pub async fn run(self, shutdown: CancellationToken) -> std::io::Result<()> {
        for worker in self.workers {
            tokio::spawn(worker(shutdown.clone()));
        }
        crate::server::serve(self.listener, self.router, shutdown).await
    }
}
