//! Building the history service from its configuration: database, the consumer of
//! transaction events and the HTTP router.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context as _;
use axum::Router;
use platform::events::Consumer;
use platform::service::{Foundation, Service};
use sea_orm::DatabaseConnection;
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::db::Migrator;
use crate::domain::HistoryService;
use crate::domain::events::{CONSUMER, TOPICS, TransactionEvents};
use crate::graphql;

pub use platform::service::Dependencies;

/// The history service, bound and ready to run.
#[derive(Debug)]
pub struct App {
    service: Service,
    db: DatabaseConnection,
}

impl App {
    pub async fn build(config: Config, deps: Dependencies) -> anyhow::Result<Self> {
        let foundation = Foundation::start::<Migrator>("history", &config.common, deps).await?;
        let history = Arc::new(HistoryService::new(
            foundation.db.clone(),
            foundation.clock.clone(),
        ));
        // Subscribed now, before any service in this process publishes.
        let consumer = Consumer::subscribe(
            foundation.db.clone(),
            foundation.bus.clone(),
            CONSUMER,
            TOPICS,
            Arc::new(TransactionEvents(history.clone())),
        )
        .await
        .context("subscribing to transaction events")?;
        let routes = Router::new().merge(platform::graphql::routes(
            graphql::schema(history),
            foundation.verifier.clone(),
        ));
        let service = Service::bind(&foundation, &config.common, config.port, routes)
            .await?
            .with_worker(move |shutdown| consumer.run(shutdown));
        Ok(Self {
            service,
            db: foundation.db,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.service.local_addr()
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Serves and records events until `shutdown`.
    pub async fn run(self, shutdown: CancellationToken) -> std::io::Result<()> {
        self.service.run(shutdown).await
    }
}
