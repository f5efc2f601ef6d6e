//! Building the notification service from its configuration: database, the
//! templates' defaults, one consumer per mapped event type, the delivery worker and
//! the HTTP router.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context as _;
use axum::Router;
use platform::events::Consumer;
use platform::service::{Foundation, Service};
use sea_orm::DatabaseConnection;
use tokio_util::sync::CancellationToken;

use crate::config::{Config, EmailTransport, SmsTransport, WhatsAppTransport};
use crate::db::Migrator;
use crate::domain::events::{MAPPINGS, MappedEvents};
use crate::domain::{Channels, NotificationService, templates};
use crate::graphql;

pub use platform::service::Dependencies;

/// The notification service, bound and ready to run.
#[derive(Debug)]
pub struct App {
    service: Service,
    notifications: Arc<NotificationService>,
}

impl App {
    /// Builds the service with its channels as configured (the default: every
    /// channel to the sink).
    pub async fn build(config: Config, deps: Dependencies) -> anyhow::Result<Self> {
        let channels = Channels::from_config(
            &config.channels,
            config.delivery.sink_dir(&config.common.data_dir),
        )?;
        if config.common.is_production() {
            let c = &config.channels;
            for (channel, to_sink) in [
                ("email", c.email_transport == EmailTransport::Sink),
                ("SMS", c.sms_transport == SmsTransport::Sink),
                ("WhatsApp", c.whatsapp_transport == WhatsAppTransport::Sink),
            ] {
                if to_sink {
                    tracing::warn!(
                        channel,
                        "no provider configured: these messages go to the sink, not to people"
                    );
                }
            }
        }
        Self::build_with(config, deps, channels).await
    }

    /// Builds the service with the given channels.
    pub async fn build_with(
        config: Config,
        deps: Dependencies,
        channels: Channels,
    ) -> anyhow::Result<Self> {
        config.validate()?;
        let foundation =
            Foundation::start::<Migrator>("notification", &config.common, deps).await?;
        templates::seed_defaults(&foundation.db, foundation.clock.now())
            .await
            .context("writing the default templates")?;
        let notifications = Arc::new(NotificationService::new(
            foundation.db.clone(),
            foundation.clock.clone(),
            config.delivery.clone(),
            channels,
        ));
        // Subscribed now, before any service in this process publishes.
        let mut consumers = Vec::with_capacity(MAPPINGS.len());
        for mapping in MAPPINGS {
            let consumer = Consumer::subscribe(
                foundation.db.clone(),
                foundation.bus.clone(),
                mapping.consumer,
                mapping.topic,
                Arc::new(MappedEvents {
                    service: notifications.clone(),
                    mapping: *mapping,
                }),
            )
            .await
            .with_context(|| format!("subscribing to {}", mapping.topic))?;
            consumers.push(consumer);
        }
        let routes = Router::new().merge(platform::graphql::routes(
            graphql::schema(notifications.clone()),
            foundation.verifier.clone(),
        ));
        let mut service = Service::bind(&foundation, &config.common, config.port, routes).await?;
        for consumer in consumers {
            service = service.with_worker(move |shutdown| consumer.run(shutdown));
        }
        let worker = notifications.clone();
        let service = service.with_worker(move |shutdown| async move {
            worker.run_delivery(shutdown).await;
        });
        Ok(Self {
            service,
            notifications,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.service.local_addr()
    }

    pub fn db(&self) -> &DatabaseConnection {
        self.notifications.db()
    }

    /// Serves, consumes and delivers until `shutdown`.
    pub async fn run(self, shutdown: CancellationToken) -> std::io::Result<()> {
        self.service.run(shutdown).await
    }
}
