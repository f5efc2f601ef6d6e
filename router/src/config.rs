//! The router's settings. Each comes from a flag or its environment variable, else
//! from the optional TOML file (`--config`), else from the default. Subgraph URLs
//! come from the supergraph's `join__Graph`, overridable per subgraph by
//! `ROUTER_SUBGRAPH_<NAME>_URL` or the file's `[subgraphs.<name>]`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Args;
use platform::config::{DEFAULT_AUTH_URL, LogFormat, Mode, TokenConfig};
use serde::Deserialize;

pub const DEFAULT_PORT: u16 = 8000;

/// Settings given as flags or environment variables (all optional: the file and
/// the defaults fill the rest).
#[derive(Debug, Clone, Default, Args)]
pub struct RouterArgs {
    /// The supergraph SDL to serve [default: schema/supergraph.graphql].
    #[arg(long, env = "ROUTER_SUPERGRAPH")]
    pub supergraph: Option<PathBuf>,

    /// TOML file with further settings.
    #[arg(long, env = "ROUTER_CONFIG")]
    pub config: Option<PathBuf>,

    /// Address to bind [default: 127.0.0.1].
    #[arg(long, env = "ROUTER_HOST")]
    pub host: Option<String>,

    /// Port to listen on [default: 8000].
    #[arg(long, env = "ROUTER_PORT")]
    pub port: Option<u16>,

    /// Introspection on or off [default: on in development, off in production].
    #[arg(long, env = "ROUTER_INTROSPECTION")]
    pub introspection: Option<bool>,

    /// Allowed CORS origins, comma-separated (`*` for any) [default: none].
    #[arg(long, env = "ROUTER_CORS_ORIGINS", value_delimiter = ',')]
    pub cors_origins: Option<Vec<String>>,

    /// Refuse simple (non-preflighted) requests [default: true].
    #[arg(long, env = "ROUTER_CSRF")]
    pub csrf: Option<bool>,

    /// Deepest field nesting allowed [default: 15].
    #[arg(long, env = "ROUTER_MAX_DEPTH")]
    pub max_depth: Option<usize>,

    /// Most aliases in an operation [default: 30].
    #[arg(long, env = "ROUTER_MAX_ALIASES")]
    pub max_aliases: Option<usize>,

    /// Most root fields in an operation [default: 20].
    #[arg(long, env = "ROUTER_MAX_ROOT_FIELDS")]
    pub max_root_fields: Option<usize>,

    /// Most lexical tokens in a document [default: 15000].
    #[arg(long, env = "ROUTER_MAX_TOKENS")]
    pub max_tokens: Option<usize>,

    /// Largest request body in bytes [default: 2097152].
    #[arg(long, env = "ROUTER_MAX_BODY_BYTES")]
    pub max_body_bytes: Option<usize>,

    /// Time a subgraph may take, in milliseconds [default: 30000].
    #[arg(long, env = "ROUTER_SUBGRAPH_TIMEOUT_MS")]
    pub subgraph_timeout_ms: Option<u64>,

    /// Share one execution between identical client queries in flight [default: true].
    #[arg(long, env = "ROUTER_DEDUPE_REQUESTS")]
    pub dedupe_requests: Option<bool>,

    /// Share one subgraph request between identical ones in flight [default: true].
    #[arg(long, env = "ROUTER_DEDUPE_SUBGRAPH_REQUESTS")]
    pub dedupe_subgraph_requests: Option<bool>,

    /// Verify bearer tokens at the edge (RS256, as the subgraphs do) [default: true].
    #[arg(long, env = "ROUTER_VERIFY_TOKENS")]
    pub verify_tokens: Option<bool>,

    /// Answer `X-Query-Plan: true` requests with the plan in `extensions`
    /// [default: on in development].
    #[arg(long, env = "ROUTER_EXPOSE_QUERY_PLAN")]
    pub expose_query_plan: Option<bool>,
}

/// Settings the router shares with the subgraphs (same variables).
#[derive(Debug, Clone, Args)]
pub struct Environment {
    /// Development or production (production turns introspection and plans off).
    #[arg(
        long = "app-env",
        env = "APP_ENV",
        value_enum,
        default_value = "development"
    )]
    pub mode: Mode,

    /// Base URL of auth (its JWKS verifies tokens when no key file is configured).
    #[arg(long, env = "AUTH_URL", default_value = DEFAULT_AUTH_URL)]
    pub auth_url: String,

    /// Log filter (tracing `EnvFilter` syntax).
    #[arg(long, env = "RUST_LOG", default_value = "info")]
    pub log_filter: String,

    /// Log format.
    #[arg(long, env = "LOG_FORMAT", value_enum, default_value = "text")]
    pub log_format: LogFormat,

    #[command(flatten)]
    pub tokens: TokenConfig,
}

impl Environment {
    /// Local defaults without reading the environment.
    pub fn local() -> Self {
        let common = platform::config::CommonConfig::local();
        Self {
            mode: Mode::Development,
            auth_url: DEFAULT_AUTH_URL.into(),
            log_filter: "info".into(),
            log_format: LogFormat::Text,
            tokens: common.tokens,
        }
    }
}

/// The optional TOML file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub supergraph: Option<PathBuf>,
    pub host: Option<String>,
    pub port: Option<u16>,
    pub introspection: Option<bool>,
    pub cors_origins: Option<Vec<String>>,
    pub csrf: Option<bool>,
    pub max_depth: Option<usize>,
    pub max_aliases: Option<usize>,
    pub max_root_fields: Option<usize>,
    pub max_tokens: Option<usize>,
    pub max_body_bytes: Option<usize>,
    pub subgraph_timeout_ms: Option<u64>,
    pub dedupe_requests: Option<bool>,
    pub dedupe_subgraph_requests: Option<bool>,
    pub verify_tokens: Option<bool>,
    pub expose_query_plan: Option<bool>,
    #[serde(default)]
    pub subgraphs: HashMap<String, SubgraphFileConfig>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubgraphFileConfig {
    pub url: Option<String>,
    pub timeout_ms: Option<u64>,
}

/// Limits on an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_depth: usize,
    pub max_aliases: usize,
    pub max_root_fields: usize,
    pub max_tokens: usize,
    pub max_body_bytes: usize,
}

/// A subgraph's URL and timeout after overrides.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubgraphOverride {
    pub url: Option<String>,
    pub timeout: Option<Duration>,
}

/// The resolved settings.
#[derive(Debug, Clone)]
pub struct RouterConfig {
    pub supergraph: PathBuf,
    pub host: String,
    pub port: u16,
    pub mode: Mode,
    pub introspection: bool,
    pub cors_origins: Vec<String>,
    pub csrf: bool,
    pub limits: Limits,
    pub subgraph_timeout: Duration,
    pub subgraphs: HashMap<String, SubgraphOverride>,
    pub dedupe_requests: bool,
    pub dedupe_subgraph_requests: bool,
    pub verify_tokens: bool,
    pub expose_query_plan: bool,
    pub tokens: TokenConfig,
    /// Auth's base URL: the JWKS fallback when no key file is configured.
    pub auth_url: String,
    pub log_filter: String,
    pub log_format: LogFormat,
}

/// A configuration that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("router configuration: {0}")]
pub struct ConfigError(pub String);

impl RouterConfig {
    /// Local defaults with no file and no environment (tests, the launcher).
    pub fn local() -> Self {
        Self::resolve(
            RouterArgs::default(),
            FileConfig::default(),
            &Environment::local(),
            &HashMap::new(),
        )
    }

    /// Resolves flags/env over the file over the defaults. `env` holds the
    /// `ROUTER_SUBGRAPH_<NAME>_URL` variables.
    pub fn resolve(
        args: RouterArgs,
        file: FileConfig,
        shared: &Environment,
        env: &HashMap<String, String>,
    ) -> Self {
        let production = shared.mode == Mode::Production;
        let mut subgraphs: HashMap<String, SubgraphOverride> = file
            .subgraphs
            .into_iter()
            .map(|(name, s)| {
                (
                    name,
                    SubgraphOverride {
                        url: s.url,
                        timeout: s.timeout_ms.map(Duration::from_millis),
                    },
                )
            })
            .collect();
        for (key, value) in env {
            if let Some(name) = key
                .strip_prefix("ROUTER_SUBGRAPH_")
                .and_then(|rest| rest.strip_suffix("_URL"))
            {
                subgraphs.entry(name.to_ascii_lowercase()).or_default().url = Some(value.clone());
            }
        }
        Self {
            supergraph: args
                .supergraph
                .or(file.supergraph)
                .unwrap_or_else(|| PathBuf::from("schema/supergraph.graphql")),
            host: args
                .host
                .or(file.host)
                .unwrap_or_else(|| "127.0.0.1".to_owned()),
            port: args.port.or(file.port).unwrap_or(DEFAULT_PORT),
            mode: shared.mode,
            introspection: args
                .introspection
                .or(file.introspection)
                .unwrap_or(!production),
            cors_origins: args.cors_origins.or(file.cors_origins).unwrap_or_default(),
            csrf: args.csrf.or(file.csrf).unwrap_or(true),
            limits: Limits {
                max_depth: args.max_depth.or(file.max_depth).unwrap_or(15),
                max_aliases: args.max_aliases.or(file.max_aliases).unwrap_or(30),
                max_root_fields: args.max_root_fields.or(file.max_root_fields).unwrap_or(20),
                max_tokens: args.max_tokens.or(file.max_tokens).unwrap_or(15_000),
                max_body_bytes: args
                    .max_body_bytes
                    .or(file.max_body_bytes)
                    .unwrap_or(2 * 1024 * 1024),
            },
            subgraph_timeout: Duration::from_millis(
                args.subgraph_timeout_ms
                    .or(file.subgraph_timeout_ms)
                    .unwrap_or(30_000),
            ),
            subgraphs,
            dedupe_requests: args
                .dedupe_requests
                .or(file.dedupe_requests)
                .unwrap_or(true),
            dedupe_subgraph_requests: args
                .dedupe_subgraph_requests
                .or(file.dedupe_subgraph_requests)
                .unwrap_or(true),
            verify_tokens: args.verify_tokens.or(file.verify_tokens).unwrap_or(true),
            expose_query_plan: args
                .expose_query_plan
                .or(file.expose_query_plan)
                .unwrap_or(!production),
            tokens: shared.tokens.clone(),
            auth_url: shared.auth_url.clone(),
            log_filter: shared.log_filter.clone(),
            log_format: shared.log_format,
        }
    }

    /// Reads the TOML file at `path`.
    pub fn read_file(path: &Path) -> Result<FileConfig, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| ConfigError(format!("cannot read {}: {e}", path.display())))?;
        toml::from_str(&text).map_err(|e| ConfigError(format!("{}: {e}", path.display())))
    }

    /// The URL and timeout of subgraph `name` whose supergraph URL is `url`.
    pub fn subgraph(&self, name: &str, url: &str) -> (String, Duration) {
        let overrides = self.subgraphs.get(&name.to_ascii_lowercase());
        (
            overrides
                .and_then(|o| o.url.clone())
                .unwrap_or_else(|| url.to_owned()),
            overrides
                .and_then(|o| o.timeout)
                .unwrap_or(self.subgraph_timeout),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_the_file_which_wins_over_defaults() {
        let shared = Environment::local();
        let args = RouterArgs {
            port: Some(9000),
            ..Default::default()
        };
        let file: FileConfig = toml::from_str(
            r#"
            port = 7000
            max_depth = 4
            [subgraphs.accounts]
            url = "http://file:1/graphql"
            timeout_ms = 250
            "#,
        )
        .expect("valid toml");
        let mut env = HashMap::new();
        env.insert(
            "ROUTER_SUBGRAPH_REVIEWS_URL".to_owned(),
            "http://env:2/graphql".to_owned(),
        );
        let config = RouterConfig::resolve(args, file, &shared, &env);
        assert_eq!(config.port, 9000);
        assert_eq!(config.limits.max_depth, 4);
        assert_eq!(config.limits.max_aliases, 30);
        assert_eq!(
            config.subgraph("accounts", "http://sdl/"),
            (
                "http://file:1/graphql".to_owned(),
                Duration::from_millis(250)
            )
        );
        assert_eq!(
            config.subgraph("reviews", "http://sdl/").0,
            "http://env:2/graphql"
        );
        assert_eq!(config.subgraph("products", "http://sdl/").0, "http://sdl/");
        assert!(config.introspection, "on in development");
    }

    #[test]
    fn production_turns_introspection_and_plans_off() {
        let mut shared = Environment::local();
        shared.mode = Mode::Production;
        let config = RouterConfig::resolve(
            RouterArgs::default(),
            FileConfig::default(),
            &shared,
            &HashMap::new(),
        );
        assert!(!config.introspection);
        assert!(!config.expose_query_plan);
    }

    #[test]
    fn unknown_file_settings_are_refused() {
        assert!(toml::from_str::<FileConfig>("max_dept = 3").is_err());
    }
}
