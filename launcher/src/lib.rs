//! The launcher: every subgraph and the router in one process, on embedded
//! defaults — SQLite files under `./data`, the in-process event bus shared by all
//! services, development keys generated under `./keys` on first run.
//!
//! Each service's own settings (fraud rules, e-money limits, the marketplace…) are
//! read from the environment as when it runs alone (see its `--help`); the
//! launcher sets the ports, databases and the addresses the services call.
//!
//! It is for development. Production runs each service as its own process with its
//! own configuration (see `docker-compose.yml`).

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;

use anyhow::Context as _;
use clap::Parser;
use platform::SystemClock;
use platform::config::{EventConfig, LogFormat};
use platform::events::EventBus;
use platform::service::Dependencies;
use secrecy::SecretString;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

/// Start the whole system on embedded defaults.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "dompet-sawit",
    version,
    about = "Starts every Dompet Sawit service in one process on embedded defaults (development)"
)]
pub struct Args {
    /// Address every service binds.
    #[arg(long, env = "HOST", default_value = "127.0.0.1")]
    pub host: String,

    /// Folder of the SQLite databases (one file per service).
    #[arg(long, env = "DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,

    /// Folder of the RS256 key pair (generated there on first run).
    #[arg(long, env = "KEYS_DIR", default_value = "./keys")]
    pub keys_dir: PathBuf,

    /// Events: the in-process bus unless `EVENT_BUS_URL` names a NATS server.
    #[command(flatten)]
    pub events: EventConfig,

    /// Port of the router, the public `/graphql` (0 picks a free one).
    #[arg(long, env = "ROUTER_PORT", default_value_t = router::config::DEFAULT_PORT)]
    pub router_port: u16,

    /// Supergraph the router serves [default: the one built in, composed from
    /// `schema/subgraphs.toml`].
    #[arg(long, env = "ROUTER_SUPERGRAPH")]
    pub supergraph: Option<PathBuf>,

    /// Port of the auth subgraph (0 picks a free one).
    #[arg(long, env = "AUTH_PORT", default_value_t = auth::config::DEFAULT_PORT)]
    pub auth_port: u16,

    /// Database of the auth subgraph; default `<DATA_DIR>/auth.db`.
    #[arg(long, env = "AUTH_DATABASE_URL")]
    pub auth_database_url: Option<String>,

    /// Port of the wallet subgraph (0 picks a free one).
    #[arg(long, env = "WALLET_PORT", default_value_t = wallet::config::DEFAULT_PORT)]
    pub wallet_port: u16,

    /// Database of the wallet subgraph; default `<DATA_DIR>/wallet.db`.
    #[arg(long, env = "WALLET_DATABASE_URL")]
    pub wallet_database_url: Option<String>,

    /// Port of the transaction subgraph (0 picks a free one).
    #[arg(long, env = "TRANSACTION_PORT", default_value_t = transaction::config::DEFAULT_PORT)]
    pub transaction_port: u16,

    /// Database of the transaction subgraph; default `<DATA_DIR>/transaction.db`.
    #[arg(long, env = "TRANSACTION_DATABASE_URL")]
    pub transaction_database_url: Option<String>,

    /// Port of the fraud subgraph (0 picks a free one).
    #[arg(long, env = "FRAUD_PORT", default_value_t = fraud::config::DEFAULT_PORT)]
    pub fraud_port: u16,

    /// Database of the fraud subgraph; default `<DATA_DIR>/fraud.db`.
    #[arg(long, env = "FRAUD_DATABASE_URL")]
    pub fraud_database_url: Option<String>,

    /// Port of the history subgraph (0 picks a free one).
    #[arg(long, env = "HISTORY_PORT", default_value_t = history::config::DEFAULT_PORT)]
    pub history_port: u16,

    /// Database of the history subgraph; default `<DATA_DIR>/history.db`.
    #[arg(long, env = "HISTORY_DATABASE_URL")]
    pub history_database_url: Option<String>,

    /// Port of the notification subgraph (0 picks a free one).
    #[arg(long, env = "NOTIFICATION_PORT", default_value_t = notification::config::DEFAULT_PORT)]
    pub notification_port: u16,

    /// Database of the notification subgraph; default `<DATA_DIR>/notification.db`.
    #[arg(long, env = "NOTIFICATION_DATABASE_URL")]
    pub notification_database_url: Option<String>,

    /// The marketplace (BlackDoctrine) order service whose VAs can be paid
    /// (`getOrderByVA`, `updatePaymentStatus`); see the transaction subgraph.
    #[arg(long, env = "MARKETPLACE_URL")]
    pub marketplace_url: Option<String>,

    /// Connections each subgraph keeps to its database.
    #[arg(long, env = "DATABASE_MAX_CONNECTIONS", default_value_t = 10)]
    pub database_max_connections: u32,

    /// Email of the seeded admin.
    #[arg(long, env = "ADMIN_EMAIL", default_value = auth::config::DEV_ADMIN_EMAIL)]
    pub admin_email: String,

    /// Password of the seeded admin (development default: `admin-dev-password`).
    #[arg(long, env = "ADMIN_PASSWORD")]
    pub admin_password: Option<SecretString>,

    /// Log filter (tracing `EnvFilter` syntax).
    #[arg(long, env = "RUST_LOG", default_value = "info,sqlx=warn,sea_orm=warn")]
    pub log_filter: String,

    /// Log format.
    #[arg(long, env = "LOG_FORMAT", value_enum, default_value = "text")]
    pub log_format: LogFormat,
}

/// A service's `run`, not started yet.
type Run = Pin<Box<dyn Future<Output = std::io::Result<()>> + Send>>;

/// A service's configuration as it would read it running alone (its environment
/// variables and defaults); the launcher then sets ports, databases and addresses.
fn settings<C: Parser>(name: &str) -> anyhow::Result<C> {
    C::try_parse_from([name]).with_context(|| format!("{name}'s settings in the environment"))
}

/// One service the launcher started.
#[derive(Debug, Clone)]
pub struct Started {
    pub name: &'static str,
    pub addr: SocketAddr,
}

/// The running system.
#[derive(Debug)]
pub struct System {
    pub services: Vec<Started>,
    /// Where development messages (email, SMS, WhatsApp) are written.
    pub sink_dir: PathBuf,
    tasks: JoinSet<(&'static str, std::io::Result<()>)>,
    shutdown: CancellationToken,
}

impl System {
    /// Builds and starts every service; returns once all listen.
    pub async fn start(args: Args, shutdown: CancellationToken) -> anyhow::Result<Self> {
        let mut common = platform::config::CommonConfig::local();
        common.host = args.host.clone();
        common.data_dir = args.data_dir.clone();
        common.log_filter = args.log_filter.clone();
        common.log_format = args.log_format;
        common.database_max_connections = args.database_max_connections;
        common.events = args.events.clone();
        common.tokens.public_key_paths = vec![args.keys_dir.join("public.pem")];
        // One bus for everyone, so events cross services inside this process.
        let bus = EventBus::from_config(&common.events)
            .await
            .context("event bus")?;

        let deps = || Dependencies {
            clock: Arc::new(SystemClock),
            bus: Some(bus.clone()),
        };
        let mut services = Vec::new();
        let mut runs: Vec<(&'static str, Run)> = Vec::new();

        let mut auth_config: auth::Config = settings("auth")?;
        auth_config.port = args.auth_port;
        auth_config.common = common.clone();
        auth_config.common.database_url = args.auth_database_url.clone();
        auth_config.auth.private_key_path = args.keys_dir.join("private.pem");
        auth_config.auth.admin_email = args.admin_email.clone();
        auth_config.auth.admin_password = args.admin_password.clone();
        let auth_app = auth::App::build(auth_config, deps())
            .await
            .context("auth subgraph")?;
        let auth_addr = auth_app.local_addr();
        services.push(Started {
            name: "auth",
            addr: auth_addr,
        });
        runs.push(("auth", Box::pin(auth_app.run(shutdown.clone()))));

        // The others fetch service tokens from the auth just started.
        common.service.auth_url = format!("http://{auth_addr}");
        let common_with = |database_url: &Option<String>| {
            let mut common = common.clone();
            common.database_url = database_url.clone();
            common
        };

        let mut wallet_config: wallet::Config = settings("wallet")?;
        wallet_config.port = args.wallet_port;
        wallet_config.common = common_with(&args.wallet_database_url);
        let wallet_app = wallet::App::build(wallet_config, deps())
            .await
            .context("wallet subgraph")?;
        let wallet_addr = wallet_app.local_addr();
        runs.push(("wallet", Box::pin(wallet_app.run(shutdown.clone()))));

        let mut fraud_config: fraud::Config = settings("fraud")?;
        fraud_config.port = args.fraud_port;
        fraud_config.common = common_with(&args.fraud_database_url);
        let fraud_app = fraud::App::build(fraud_config, deps())
            .await
            .context("fraud subgraph")?;
        let fraud_addr = fraud_app.local_addr();
        runs.push(("fraud", Box::pin(fraud_app.run(shutdown.clone()))));

        // History subscribes to transaction events here, before any relay runs.
        let mut history_config: history::Config = settings("history")?;
        history_config.port = args.history_port;
        history_config.common = common_with(&args.history_database_url);
        let history_app = history::App::build(history_config, deps())
            .await
            .context("history subgraph")?;
        let history_addr = history_app.local_addr();
        runs.push(("history", Box::pin(history_app.run(shutdown.clone()))));

        // Notification subscribes to the events it turns into messages here too;
        // its sink is `<DATA_DIR>/notification-sink` unless NOTIFICATION_SINK_DIR says.
        let mut notification_config: notification::Config = settings("notification")?;
        notification_config.port = args.notification_port;
        notification_config.common = common_with(&args.notification_database_url);
        let sink_dir = notification_config.delivery.sink_dir(&args.data_dir);
        let notification_app = notification::App::build(notification_config, deps())
            .await
            .context("notification subgraph")?;
        let notification_addr = notification_app.local_addr();
        runs.push((
            "notification",
            Box::pin(notification_app.run(shutdown.clone())),
        ));

        let mut transaction_config: transaction::Config = settings("transaction")?;
        transaction_config.port = args.transaction_port;
        transaction_config.common = common_with(&args.transaction_database_url);
        transaction_config.transaction.wallet_url = format!("http://{wallet_addr}/graphql");
        transaction_config.transaction.fraud_url = format!("http://{fraud_addr}/graphql");
        if let Some(url) = &args.marketplace_url {
            transaction_config.transaction.marketplace_url = Some(url.clone());
        }
        let transaction_app = transaction::App::build(transaction_config, deps())
            .await
            .context("transaction subgraph")?;
        let transaction_addr = transaction_app.local_addr();
        runs.push((
            "transaction",
            Box::pin(transaction_app.run(shutdown.clone())),
        ));

        services.extend([
            Started {
                name: "wallet",
                addr: wallet_addr,
            },
            Started {
                name: "transaction",
                addr: transaction_addr,
            },
            Started {
                name: "fraud",
                addr: fraud_addr,
            },
            Started {
                name: "history",
                addr: history_addr,
            },
            Started {
                name: "notification",
                addr: notification_addr,
            },
        ]);
        let router_app = start_router(&args, &common, &services).await?;
        services.insert(
            0,
            Started {
                name: "router",
                addr: router_app.local_addr(),
            },
        );
        runs.push(("router", Box::pin(router_app.run(shutdown.clone()))));

        // Every service is built (consumers subscribed) before any of them runs.
        let mut tasks = JoinSet::new();
        for (name, run) in runs {
            tasks.spawn(async move { (name, run.await) });
        }
        Ok(Self {
            services,
            sink_dir,
            tasks,
            shutdown,
        })
    }

    /// Runs until `shutdown` is cancelled or a service stops; a service that stops
    /// on its own stops the others.
    pub async fn wait(mut self) -> anyhow::Result<()> {
        let mut failure = None;
        while let Some(joined) = self.tasks.join_next().await {
            let (name, result) = joined.context("a service task panicked")?;
            if !self.shutdown.is_cancelled() {
                tracing::error!(
                    service = name,
                    "service stopped unexpectedly; stopping the others"
                );
                self.shutdown.cancel();
            }
            if let Err(err) = result {
                failure.get_or_insert(anyhow::anyhow!("{name}: {err}"));
            }
        }
        failure.map_or(Ok(()), Err)
    }
}

/// The supergraph built into the launcher (`router compose` writes it).
pub const SUPERGRAPH: &str = include_str!("../../schema/supergraph.graphql");

/// The router over the subgraphs just started: their real addresses replace the
/// supergraph's URLs (ports may have been picked at random), and it verifies
/// tokens with the same public key the subgraphs use.
async fn start_router(
    args: &Args,
    common: &platform::config::CommonConfig,
    subgraphs: &[Started],
) -> anyhow::Result<router::server::RouterApp> {
    let mut config = router::config::RouterConfig::local();
    config.host = args.host.clone();
    config.port = args.router_port;
    config.tokens = common.tokens.clone();
    config.log_filter = args.log_filter.clone();
    config.log_format = args.log_format;
    for service in subgraphs {
        config
            .subgraphs
            .entry(service.name.to_owned())
            .or_default()
            .url = Some(format!("http://{}/graphql", service.addr));
    }
    let sdl = match &args.supergraph {
        Some(path) => {
            config.supergraph = path.clone();
            std::fs::read_to_string(path)
                .with_context(|| format!("reading the supergraph {}", path.display()))?
        }
        None => SUPERGRAPH.to_owned(),
    };
    let verifier = platform::auth::TokenVerifier::from_config(
        &config.tokens,
        &format!("http://{}/.well-known/jwks.json", subgraphs[0].addr),
        platform::http_client::client(),
        Arc::new(SystemClock),
    )?;
    router::server::RouterApp::from_supergraph(config, &sdl, Some(verifier))
        .await
        .context("router")
}

/// The lines printed when the system is up.
pub fn banner(system: &System, args: &Args) -> String {
    let mut text = String::from("Dompet Sawit is running (development mode)\n");
    for service in &system.services {
        text.push_str(&format!(
            "  {:<14} http://{}/graphql\n",
            service.name, service.addr
        ));
    }
    if let Some(auth) = system.services.iter().find(|s| s.name == "auth") {
        text.push_str(&format!(
            "  {:<14} http://{}/.well-known/jwks.json\n",
            "jwks", auth.addr
        ));
    }
    let password = if args.admin_password.is_some() {
        "(from ADMIN_PASSWORD)"
    } else {
        auth::config::DEV_ADMIN_PASSWORD
    };
    text.push_str(&format!(
        "  admin          {} / {password}\n  data           {}\n  messages       {} (emails, SMS, WhatsApp: one file each)\n  events         {}\nPress Ctrl-C to stop.",
        args.admin_email,
        args.data_dir.display(),
        system.sink_dir.display(),
        args.events.bus_url.as_deref().unwrap_or("in-process bus"),
    ));
    text
}
