//! Building the wallet service from its configuration: database, events, the KYC
//! consumer and the HTTP router.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context as _;
use axum::Router;
use platform::Rupiah;
use platform::events::Consumer;
use platform::service::{Foundation, Service};
use sea_orm::DatabaseConnection;
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::db::Migrator;
use crate::domain::kyc::{KYC_CONSUMER, KYC_TOPIC, KycHandler};
use crate::domain::values::{Caps, Limits};
use crate::domain::{Policy, WalletService};
use crate::graphql;

pub use platform::service::Dependencies;

/// The wallet service, bound and ready to run.
#[derive(Debug)]
pub struct App {
    service: Service,
    db: DatabaseConnection,
    wallets: Arc<WalletService>,
}

impl App {
    pub async fn build(config: Config, deps: Dependencies) -> anyhow::Result<Self> {
        config.validate()?;
        let foundation = Foundation::start::<Migrator>("wallet", &config.common, deps).await?;
        let settings = &config.wallet;
        let policy = Policy {
            limits: Limits {
                unverified: Caps {
                    max_balance: Rupiah::new(settings.unverified_max_balance),
                    monthly_incoming: Rupiah::new(settings.unverified_monthly_incoming),
                },
                verified: Caps {
                    max_balance: Rupiah::new(settings.verified_max_balance),
                    monthly_incoming: Rupiah::new(settings.verified_monthly_incoming),
                },
            },
            max_wallets_per_user: settings.max_wallets_per_user,
        };
        let wallets = Arc::new(WalletService::new(
            foundation.db.clone(),
            foundation.clock.clone(),
            policy,
        ));
        let kyc = Consumer::subscribe(
            foundation.db.clone(),
            foundation.bus.clone(),
            KYC_CONSUMER,
            KYC_TOPIC,
            Arc::new(KycHandler),
        )
        .await
        .context("subscribing to KYC events")?;

        let schema = graphql::schema(wallets.clone());
        let routes = Router::new().merge(platform::graphql::routes(
            schema,
            foundation.verifier.clone(),
        ));
        let service = Service::bind(&foundation, &config.common, config.port, routes)
            .await?
            .with_worker(move |shutdown| kyc.run(shutdown));
        Ok(Self {
            service,
            db: foundation.db,
            wallets,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.service.local_addr()
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    pub fn wallets(&self) -> Arc<WalletService> {
        self.wallets.clone()
    }

    /// Serves (and consumes events) until `shutdown`.
    pub async fn run(self, shutdown: CancellationToken) -> std::io::Result<()> {
        self.service.run(shutdown).await
    }
}
