//! Building the fraud service from its configuration: database, rules and the HTTP
//! router.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use platform::Rupiah;
use platform::service::{Foundation, Service};
use sea_orm::DatabaseConnection;
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::db::Migrator;
use crate::domain::{FraudService, Rules};
use crate::graphql;

pub use platform::service::Dependencies;

/// The fraud service, bound and ready to run.
#[derive(Debug)]
pub struct App {
    service: Service,
    db: DatabaseConnection,
}

impl App {
    pub async fn build(config: Config, deps: Dependencies) -> anyhow::Result<Self> {
        config.validate()?;
        let foundation = Foundation::start::<Migrator>("fraud", &config.common, deps).await?;
        let r = &config.rules;
        let rules = Rules {
            reject_above: Rupiah::new(r.reject_above),
            suspicious_above: Rupiah::new(r.suspicious_above),
            velocity_window: chrono::Duration::seconds(
                i64::try_from(r.velocity_window_secs).unwrap_or(i64::MAX),
            ),
            velocity_max_count: u64::from(r.velocity_max_count),
            daily_max_amount: Rupiah::new(r.daily_max_amount),
        };
        let fraud = Arc::new(FraudService::new(
            foundation.db.clone(),
            foundation.clock.clone(),
            rules,
        ));
        let routes = Router::new().merge(platform::graphql::routes(
            graphql::schema(fraud),
            foundation.verifier.clone(),
        ));
        let service = Service::bind(&foundation, &config.common, config.port, routes).await?;
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

    /// Serves until `shutdown`.
    pub async fn run(self, shutdown: CancellationToken) -> std::io::Result<()> {
        self.service.run(shutdown).await
    }
}
