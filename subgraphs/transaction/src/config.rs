//! The transaction subgraph's settings: the shared ones plus where the wallet,
//! fraud and marketplace services are, the transaction limit, invoices, saga
//! recovery and callback delivery.

use clap::{Args, Parser, ValueEnum};
use platform::config::{CommonConfig, ConfigError};
use secrecy::{ExposeSecret, SecretString};

pub const DEFAULT_PORT: u16 = 8003;

/// The transaction subgraph.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "transaction",
    version,
    about = "Dompet Sawit transaction subgraph: payments, transfers, deposits, VA invoices, marketplace integration"
)]
pub struct Config {
    /// Port to listen on.
    #[arg(long, env = "PORT", default_value_t = DEFAULT_PORT)]
    pub port: u16,

    #[command(flatten)]
    pub common: CommonConfig,

    #[command(flatten)]
    pub transaction: TransactionSettings,
}

/// A saga step after which a test makes the process die (see `SAGA_CRASH_AFTER`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CrashPoint {
    /// The transaction row is written; fraud not asked yet.
    Started,
    /// Fraud cleared the transaction; the money has not moved.
    FraudChecked,
    /// The wallet moved the money; the transaction is not yet recorded as done.
    MoneyMoved,
}

/// Settings of the transaction subgraph alone. Amounts are whole rupiah.
#[derive(Debug, Clone, Args)]
pub struct TransactionSettings {
    /// The wallet subgraph's GraphQL endpoint.
    #[arg(
        long,
        env = "WALLET_URL",
        default_value = "http://127.0.0.1:8002/graphql"
    )]
    pub wallet_url: String,

    /// The fraud subgraph's GraphQL endpoint.
    #[arg(
        long,
        env = "FRAUD_URL",
        default_value = "http://127.0.0.1:8004/graphql"
    )]
    pub fraud_url: String,

    /// The largest amount of one transaction; more is refused as bad input.
    #[arg(long, env = "MAX_TRANSACTION_AMOUNT", default_value_t = 100_000_000)]
    pub max_amount: i64,

    /// How long an invoice VA can be paid, in hours.
    #[arg(long, env = "INVOICE_TTL_HOURS", default_value_t = 24)]
    pub invoice_ttl_hours: u32,

    /// The marketplace (BlackDoctrine) order service's GraphQL endpoint, which
    /// answers `getOrderByVA` and `updatePaymentStatus`. Unset: only this system's
    /// own `DS-8800…` VAs can be paid.
    #[arg(long, env = "MARKETPLACE_URL")]
    pub marketplace_url: Option<String>,

    /// Bearer token sent to the marketplace, if it wants one.
    #[arg(long, env = "MARKETPLACE_TOKEN")]
    pub marketplace_token: Option<SecretString>,

    /// Also tell the marketplace of each payment by a signed webhook to this URL.
    #[arg(long, env = "MARKETPLACE_WEBHOOK_URL")]
    pub marketplace_webhook_url: Option<String>,

    /// HMAC-SHA256 secret of the marketplace webhook (required with the URL).
    #[arg(long, env = "MARKETPLACE_WEBHOOK_SECRET")]
    pub marketplace_webhook_secret: Option<SecretString>,

    /// A transaction still PENDING this many seconds after its last step is
    /// settled by recovery (its process is assumed dead).
    #[arg(long, env = "SAGA_RECOVERY_AFTER_SECS", default_value_t = 30)]
    pub recovery_after_secs: u64,

    /// How often recovery looks for such transactions, in seconds.
    #[arg(long, env = "SAGA_RECOVERY_INTERVAL_SECS", default_value_t = 10)]
    pub recovery_interval_secs: u64,

    /// How often callbacks due for delivery are looked for, in milliseconds.
    #[arg(long, env = "CALLBACK_POLL_MS", default_value_t = 500)]
    pub callback_poll_ms: u64,

    /// Wait before the first retry of a failed callback, in milliseconds; it
    /// doubles with each attempt, up to ten minutes.
    #[arg(long, env = "CALLBACK_BACKOFF_MS", default_value_t = 1_000)]
    pub callback_backoff_ms: u64,

    /// Testing only (refused in production): abort the process right after this
    /// saga step, to prove recovery.
    #[arg(long, env = "SAGA_CRASH_AFTER", value_enum)]
    pub crash_after: Option<CrashPoint>,
}

impl TransactionSettings {
    /// Optional settings given as empty strings (`MARKETPLACE_URL=` in a compose
    /// file) are unset.
    pub fn drop_empty(&mut self) {
        for value in [&mut self.marketplace_url, &mut self.marketplace_webhook_url] {
            if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
                *value = None;
            }
        }
        for secret in [
            &mut self.marketplace_token,
            &mut self.marketplace_webhook_secret,
        ] {
            if secret
                .as_ref()
                .is_some_and(|s| s.expose_secret().trim().is_empty())
            {
                *secret = None;
            }
        }
    }

    /// Development defaults, without reading the environment.
    pub fn local() -> Self {
        Self {
            wallet_url: "http://127.0.0.1:8002/graphql".into(),
            fraud_url: "http://127.0.0.1:8004/graphql".into(),
            max_amount: 100_000_000,
            invoice_ttl_hours: 24,
            marketplace_url: None,
            marketplace_token: None,
            marketplace_webhook_url: None,
            marketplace_webhook_secret: None,
            recovery_after_secs: 30,
            recovery_interval_secs: 10,
            callback_poll_ms: 500,
            callback_backoff_ms: 1_000,
            crash_after: None,
        }
    }
}

impl Config {
    /// Development defaults, without reading the environment (tests, launcher).
    pub fn local() -> Self {
        Self {
            port: DEFAULT_PORT,
            common: CommonConfig::local(),
            transaction: TransactionSettings::local(),
        }
    }

    /// Refuses settings that cannot run safely.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let t = &self.transaction;
        if t.max_amount <= 0 || t.max_amount > platform::money::ABSOLUTE_MAX {
            return Err(ConfigError(format!(
                "MAX_TRANSACTION_AMOUNT must be between 1 and {}",
                platform::money::ABSOLUTE_MAX
            )));
        }
        if t.invoice_ttl_hours == 0 || t.recovery_interval_secs == 0 || t.callback_poll_ms == 0 {
            return Err(ConfigError(
                "INVOICE_TTL_HOURS, SAGA_RECOVERY_INTERVAL_SECS and CALLBACK_POLL_MS must be positive"
                    .into(),
            ));
        }
        if t.marketplace_webhook_url.is_some() && t.marketplace_webhook_secret.is_none() {
            return Err(ConfigError(
                "MARKETPLACE_WEBHOOK_URL needs MARKETPLACE_WEBHOOK_SECRET".into(),
            ));
        }
        if self.common.is_production() && t.crash_after.is_some() {
            return Err(ConfigError(
                "SAGA_CRASH_AFTER is for tests and refused in production".into(),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use platform::config::Mode;

    #[test]
    fn local_defaults_are_the_documented_flag_defaults() {
        let parsed: Config = platform::config::flag_defaults();
        assert_eq!(format!("{parsed:?}"), format!("{:?}", Config::local()));
    }

    #[test]
    fn production_refuses_the_crash_switch() {
        let mut config = Config::local();
        config.transaction.crash_after = Some(CrashPoint::MoneyMoved);
        config.validate().expect("allowed in development");
        config.common.mode = Mode::Production;
        assert!(config.validate().is_err());
    }

    #[test]
    fn a_webhook_needs_its_secret() {
        let mut config = Config::local();
        config.transaction.marketplace_webhook_url = Some("https://shop.example/hook".into());
        assert!(config.validate().is_err());
        config.transaction.marketplace_webhook_secret = Some(SecretString::from("s3cret"));
        config.validate().expect("with a secret");
    }

    #[test]
    fn empty_optional_settings_are_unset() {
        use clap::Parser;
        let mut config = Config::parse_from([
            "transaction",
            "--marketplace-url=",
            "--marketplace-webhook-url= ",
            "--marketplace-token=",
        ]);
        assert!(config.validate().is_err(), "an empty webhook URL as given");
        config.transaction.drop_empty();
        config.validate().expect("nothing set");
        assert!(config.transaction.marketplace_url.is_none());
        assert!(config.transaction.marketplace_token.is_none());
    }
}
