//! Building the transaction service from its configuration: database, events, the
//! clients of wallet, fraud and the marketplace, the recovery and callback workers,
//! and the HTTP router.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use platform::Rupiah;
use platform::service::{Foundation, Service};
use sea_orm::DatabaseConnection;
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::db::Migrator;
use crate::domain::clients::{FraudClient, MarketplaceClient, WalletClient};
use crate::domain::{Peers, Policy, TransactionService};
use crate::graphql;

pub use platform::service::Dependencies;

/// The transaction service, bound and ready to run.
#[derive(Debug)]
pub struct App {
    service: Service,
    db: DatabaseConnection,
    transactions: Arc<TransactionService>,
}

impl App {
    pub async fn build(mut config: Config, deps: Dependencies) -> anyhow::Result<Self> {
        config.transaction.drop_empty();
        config.validate()?;
        let foundation = Foundation::start::<Migrator>("transaction", &config.common, deps).await?;
        let settings = &config.transaction;
        let internal = foundation.internal_client(&config.common)?;
        let peers = Peers {
            wallet: WalletClient {
                url: settings.wallet_url.clone(),
                client: internal.clone(),
            },
            fraud: FraudClient {
                url: settings.fraud_url.clone(),
                client: internal,
            },
            marketplace: settings
                .marketplace_url
                .clone()
                .map(|url| MarketplaceClient {
                    url,
                    token: settings.marketplace_token.clone(),
                    http: foundation.http.clone(),
                }),
            http: foundation.http.clone(),
        };
        let seconds = |s: u64| chrono::Duration::seconds(i64::try_from(s).unwrap_or(i64::MAX));
        let policy = Policy {
            max_amount: Rupiah::new(settings.max_amount),
            invoice_ttl: chrono::Duration::hours(i64::from(settings.invoice_ttl_hours)),
            recovery_after: seconds(settings.recovery_after_secs),
            callback_backoff: Duration::from_millis(settings.callback_backoff_ms),
            marketplace_webhook: settings
                .marketplace_webhook_url
                .clone()
                .zip(settings.marketplace_webhook_secret.clone()),
            crash_after: settings.crash_after,
        };
        let transactions = Arc::new(TransactionService::new(
            foundation.db.clone(),
            foundation.clock.clone(),
            foundation.outbox.clone(),
            peers,
            policy,
        ));

        let routes = Router::new().merge(platform::graphql::routes(
            graphql::schema(transactions.clone()),
            foundation.verifier.clone(),
        ));
        let recovery = transactions.clone();
        let recovery_interval = Duration::from_secs(settings.recovery_interval_secs);
        let callbacks = transactions.clone();
        let callback_poll = Duration::from_millis(settings.callback_poll_ms);
        let service = Service::bind(&foundation, &config.common, config.port, routes)
            .await?
            .with_worker(move |shutdown| async move {
                recovery.run_recovery(recovery_interval, shutdown).await;
            })
            .with_worker(move |shutdown| async move {
                callbacks.run_callbacks(callback_poll, shutdown).await;
            });
        Ok(Self {
            service,
            db: foundation.db,
            transactions,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.service.local_addr()
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    pub fn transactions(&self) -> Arc<TransactionService> {
        self.transactions.clone()
    }

    /// Serves, recovers stalled transactions and delivers callbacks until
    /// `shutdown`.
    pub async fn run(self, shutdown: CancellationToken) -> std::io::Result<()> {
        self.service.run(shutdown).await
    }
}
