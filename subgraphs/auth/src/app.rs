//! Building the auth service from its configuration: keys, database, events,
//! the admin seed, and the HTTP router.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use axum::Router;
use axum::routing::{get, post};
use platform::auth::TokenVerifier;
use platform::auth::keys::{JwkSet, SigningKey, VerificationKey, ensure_dev_key_pair};
use platform::events::{EventBus, Outbox, OutboxRelay};
use sea_orm::DatabaseConnection;
use secrecy::ExposeSecret;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tower_http::limit::RequestBodyLimitLayer;

use crate::config::Config;
use crate::db::Migrator;
use crate::domain::credentials::PasswordHasher;
use crate::domain::registration::AdminSeed;
use crate::domain::service_clients::ServiceClientRegistry;
use crate::domain::tokens::TokenIssuer;
use crate::domain::{AuthService, Policy};
use crate::graphql;
use crate::http::{jwks, oauth};

pub use platform::service::Dependencies;

/// The auth service, bound and ready to run.
pub struct App {
    listener: TcpListener,
    router: Router,
    relay: Option<OutboxRelay>,
    db: DatabaseConnection,
    service: Arc<AuthService>,
    bus: EventBus,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("addr", &self.listener.local_addr().ok())
            .finish_non_exhaustive()
    }
}

impl App {
    pub async fn build(config: Config, deps: Dependencies) -> anyhow::Result<Self> {
        config.validate()?;
        let clock = deps.clock;
        let settings = &config.auth;

        let signing = load_signing_key(&config)?;
        let mut published = vec![signing.public.clone()];
        for path in &settings.previous_public_keys {
            published.push(VerificationKey::load(path)?);
        }
        let jwks = JwkSet {
            keys: published.iter().map(|k| k.jwk.clone()).collect(),
        };
        let verifier = TokenVerifier::with_keys(&config.common.tokens, published, clock.clone());

        let db = platform::db::connect_and_migrate::<Migrator>(
            &config.common.database_url_for("auth"),
            config.common.database_max_connections,
        )
        .await
        .context("auth database")?;
        let bus = match deps.bus {
            Some(bus) => bus,
            None => EventBus::from_config(&config.common.events).await?,
        };
        let outbox = Outbox::new("auth", clock.clone());
        let clients = match &settings.service_clients {
            Some(json) => ServiceClientRegistry::from_json(json.expose_secret())?,
            None => ServiceClientRegistry::dev_defaults(),
        };
        let tokens = TokenIssuer::new(
            signing,
            &config.common.tokens,
            Duration::from_secs(settings.access_token_ttl_secs),
            Duration::from_secs(settings.service_token_ttl_secs),
            clock.clone(),
        );
        let service = Arc::new(AuthService::new(
            db.clone(),
            clock.clone(),
            PasswordHasher::new(settings.argon2_memory_kib, settings.argon2_iterations)?,
            tokens,
            outbox.clone(),
            clients,
            Policy {
                login_max_failures: settings.login_max_failures,
                lockout: Duration::from_secs(u64::from(settings.lockout_minutes) * 60),
                refresh_ttl: Duration::from_secs(settings.refresh_token_ttl_secs),
                otp_ttl: Duration::from_secs(settings.otp_ttl_secs),
                otp_max_attempts: settings.otp_max_attempts,
                otp_resend: Duration::from_secs(settings.otp_resend_secs),
                otp_max_per_hour: settings.otp_max_per_hour,
                challenge_ttl: Duration::from_secs(settings.biometric_challenge_ttl_secs),
                max_devices_per_user: 10,
            },
        ));
        let seeded = service
            .seed_admin(
                &settings.admin_email,
                settings.admin_password().expose_secret(),
            )
            .await
            .context("seeding the admin account")?;
        if seeded == AdminSeed::Created {
            tracing::info!(email = %settings.admin_email, "admin account created");
        }

        let schema = graphql::schema(service.clone(), verifier.clone());
        let router = platform::telemetry::layer(
            "auth",
            Router::new()
                .merge(platform::graphql::routes(schema, verifier))
                .merge(platform::server::health_routes())
                .route(
                    "/.well-known/jwks.json",
                    get(jwks::jwks).with_state(Arc::new(jwks)),
                )
                .route(
                    "/oauth/token",
                    post(oauth::token).with_state(service.clone()),
                )
                .layer(RequestBodyLimitLayer::new(config.common.body_limit_bytes)),
        );
        let listener = platform::server::bind(&config.common.host, config.port)
            .await
            .with_context(|| format!("binding {}:{}", config.common.host, config.port))?;
        let relay = config.common.events.relay_enabled.then(|| {
            outbox.relay(
                db.clone(),
                bus.clone(),
                config.common.outbox_poll_interval(),
            )
        });
        Ok(Self {
            listener,
            router,
            relay,
            db,
            service,
            bus,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        platform::server::local_addr(&self.listener)
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    pub fn service(&self) -> Arc<AuthService> {
        self.service.clone()
    }

    pub fn bus(&self) -> &EventBus {
        &self.bus
    }

    /// Serves (and relays events) until `shutdown`.
    pub async fn run(self, shutdown: CancellationToken) -> std::io::Result<()> {
        if let Some(relay) = self.relay {
            tokio::spawn(relay.run(shutdown.clone()));
        }
        platform::server::serve(self.listener, self.router, shutdown).await
    }
}

/// The signing key; in development a key pair is generated when missing.
fn load_signing_key(config: &Config) -> anyhow::Result<SigningKey> {
    let private = &config.auth.private_key_path;
    if !config.common.is_production() {
        let public = config
            .common
            .tokens
            .public_key_paths
            .first()
            .cloned()
            .unwrap_or_else(|| private.with_file_name("public.pem"));
        if ensure_dev_key_pair(private, &public)? {
            tracing::warn!(private = %private.display(), public = %public.display(), "generated a development key pair");
        }
    }
    Ok(SigningKey::load(private)?)
}
