//! Settings every subgraph shares, read from the environment (or flags) with defaults
//! that run locally with no setup. Each subgraph flattens [`CommonConfig`] into its own
//! `clap` parser, so `--help` lists every setting with its environment variable.
//!
//! Tests build their configuration in code ([`CommonConfig::local`]) and never touch
//! the process environment.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};
use secrecy::SecretString;

pub const DEFAULT_ISSUER: &str = "dompet-sawit-auth";
pub const DEFAULT_AUDIENCE: &str = "dompet-sawit-api";
pub const DEFAULT_SERVICE_AUDIENCE: &str = "dompet-sawit-internal";
pub const DEFAULT_PUBLIC_KEY_PATH: &str = "keys/public.pem";
pub const DEFAULT_AUTH_URL: &str = "http://127.0.0.1:8001";

/// Development or production. Production refuses unsafe defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Mode {
    #[default]
    Development,
    Production,
}

/// How logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// Settings shared by every subgraph.
#[derive(Debug, Clone, Args)]
pub struct CommonConfig {
    /// Development (safe local defaults) or production (refuses unsafe defaults).
    #[arg(
        long = "app-env",
        env = "APP_ENV",
        value_enum,
        default_value = "development"
    )]
    pub mode: Mode,

    /// Address to bind.
    #[arg(long, env = "HOST", default_value = "127.0.0.1")]
    pub host: String,

    /// Folder for the embedded SQLite databases.
    #[arg(long, env = "DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,

    /// Database URL (`sqlite://…` or `postgres://…`). Default: a SQLite file
    /// `<DATA_DIR>/<service>.db`.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,

    /// Largest number of pooled database connections.
    #[arg(long, env = "DATABASE_MAX_CONNECTIONS", default_value_t = 10)]
    pub database_max_connections: u32,

    /// Log filter (tracing `EnvFilter` syntax).
    #[arg(long, env = "RUST_LOG", default_value = "info,sqlx=warn,sea_orm=warn")]
    pub log_filter: String,

    /// Log format.
    #[arg(long, env = "LOG_FORMAT", value_enum, default_value = "text")]
    pub log_format: LogFormat,

    /// Largest accepted request body, in bytes.
    #[arg(long, env = "BODY_LIMIT_BYTES", default_value_t = 1024 * 1024)]
    pub body_limit_bytes: usize,

    #[command(flatten)]
    pub tokens: TokenConfig,

    #[command(flatten)]
    pub service: ServiceClientConfig,

    #[command(flatten)]
    pub events: EventConfig,
}

/// How access tokens are verified.
#[derive(Debug, Clone, Args)]
pub struct TokenConfig {
    /// Expected `iss` of every token.
    #[arg(long, env = "JWT_ISSUER", default_value = DEFAULT_ISSUER)]
    pub issuer: String,

    /// Expected `aud` of user access tokens.
    #[arg(long, env = "JWT_AUDIENCE", default_value = DEFAULT_AUDIENCE)]
    pub audience: String,

    /// Expected `aud` of service (client-credentials) tokens.
    #[arg(long, env = "JWT_SERVICE_AUDIENCE", default_value = DEFAULT_SERVICE_AUDIENCE)]
    pub service_audience: String,

    /// PEM files with the RS256 public key(s) tokens are verified with
    /// (comma-separated). Used unless `JWKS_URL` is set.
    #[arg(long, env = "JWT_PUBLIC_KEY_PATH", default_value = DEFAULT_PUBLIC_KEY_PATH, value_delimiter = ',')]
    pub public_key_paths: Vec<PathBuf>,

    /// Fetch verification keys from auth's JWKS instead of PEM files.
    #[arg(long, env = "JWKS_URL")]
    pub jwks_url: Option<String>,

    /// Least time between two JWKS fetches caused by an unknown `kid`.
    #[arg(long, env = "JWKS_MIN_REFRESH_SECS", default_value_t = 30)]
    pub jwks_min_refresh_secs: u64,

    /// Clock-skew leeway for `exp`/`nbf`, at most 60.
    #[arg(long, env = "JWT_LEEWAY_SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(0..=60))]
    pub leeway_secs: u64,
}

/// This subgraph's own credentials for calling other subgraphs' internal operations.
#[derive(Debug, Clone, Args)]
pub struct ServiceClientConfig {
    /// Base URL of the auth subgraph (token endpoint, JWKS fallback).
    #[arg(long, env = "AUTH_URL", default_value = DEFAULT_AUTH_URL)]
    pub auth_url: String,

    /// This subgraph's client id at auth. Default: the subgraph's name.
    #[arg(long, env = "SERVICE_CLIENT_ID")]
    pub client_id: Option<String>,

    /// This subgraph's client secret at auth. Development default:
    /// `dev-secret-<client id>`; required in production.
    #[arg(long, env = "SERVICE_CLIENT_SECRET")]
    pub client_secret: Option<SecretString>,
}

/// Where events go.
#[derive(Debug, Clone, Args)]
pub struct EventConfig {
    /// `nats://host:port` for NATS JetStream; unset for the in-process bus.
    #[arg(long, env = "EVENT_BUS_URL")]
    pub bus_url: Option<String>,

    /// JetStream stream that holds the events.
    #[arg(long, env = "EVENT_STREAM", default_value = "DOMPET_EVENTS")]
    pub stream: String,

    /// Subject prefix of the events on NATS (`<prefix>.<topic>`).
    #[arg(long, env = "EVENT_SUBJECT_PREFIX", default_value = "dompet")]
    pub subject_prefix: String,

    /// How often the outbox relay looks for unpublished events.
    #[arg(long, env = "OUTBOX_POLL_MS", default_value_t = 200)]
    pub outbox_poll_ms: u64,

    /// Run the outbox relay in this process.
    #[arg(long, env = "OUTBOX_RELAY", default_value_t = true, action = clap::ArgAction::Set)]
    pub relay_enabled: bool,
}

/// What `C` parses to from its flag defaults alone, the environment ignored: the
/// `local()` constructors are tested against it, so the two cannot drift apart.
pub fn flag_defaults<C: clap::Parser>() -> C {
    let command = C::command();
    let name = command.get_name().to_owned();
    let matches = command
        .mut_args(|arg| arg.env(None))
        .get_matches_from([name]);
    C::from_arg_matches(&matches).expect("the flag defaults parse")
}

impl CommonConfig {
    /// Local defaults, without reading the environment (tests, the launcher).
    pub fn local() -> Self {
        Self {
            mode: Mode::Development,
            host: "127.0.0.1".into(),
            data_dir: PathBuf::from("./data"),
            database_url: None,
            database_max_connections: 10,
            log_filter: "info,sqlx=warn,sea_orm=warn".into(),
            log_format: LogFormat::Text,
            body_limit_bytes: 1024 * 1024,
            tokens: TokenConfig {
                issuer: DEFAULT_ISSUER.into(),
                audience: DEFAULT_AUDIENCE.into(),
                service_audience: DEFAULT_SERVICE_AUDIENCE.into(),
                public_key_paths: vec![PathBuf::from(DEFAULT_PUBLIC_KEY_PATH)],
                jwks_url: None,
                jwks_min_refresh_secs: 30,
                leeway_secs: 30,
            },
            service: ServiceClientConfig {
                auth_url: DEFAULT_AUTH_URL.into(),
                client_id: None,
                client_secret: None,
            },
            events: EventConfig {
                bus_url: None,
                stream: "DOMPET_EVENTS".into(),
                subject_prefix: "dompet".into(),
                outbox_poll_ms: 200,
                relay_enabled: true,
            },
        }
    }

    pub fn is_production(&self) -> bool {
        self.mode == Mode::Production
    }

    /// The database URL for `service`: the configured one, or its SQLite file.
    pub fn database_url_for(&self, service: &str) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join(format!("{service}.db")).display()
            ),
        }
    }

    pub fn outbox_poll_interval(&self) -> Duration {
        Duration::from_millis(self.events.outbox_poll_ms.max(10))
    }
}

/// A configuration that cannot be run, with the reason.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration: {0}")]
pub struct ConfigError(pub String);

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::{CommonConfig, flag_defaults};

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        common: CommonConfig,
    }

    #[test]
    fn local_defaults_are_the_documented_flag_defaults() {
        let parsed = flag_defaults::<Cli>().common;
        assert_eq!(
            format!("{parsed:?}"),
            format!("{:?}", CommonConfig::local())
        );
    }
}
