//! The fraud subgraph's settings: the shared ones plus the risk rules (seed 001's
//! thresholds and velocity limits). Amounts are whole rupiah.

use clap::{Args, Parser};
use platform::config::{CommonConfig, ConfigError};

pub const DEFAULT_PORT: u16 = 8004;

/// The fraud subgraph.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "fraud",
    version,
    about = "Dompet Sawit fraud subgraph: risk checks and fraud logs"
)]
pub struct Config {
    /// Port to listen on.
    #[arg(long, env = "PORT", default_value_t = DEFAULT_PORT)]
    pub port: u16,

    #[command(flatten)]
    pub common: CommonConfig,

    #[command(flatten)]
    pub rules: RuleSettings,
}

/// The risk rules.
#[derive(Debug, Clone, Args)]
pub struct RuleSettings {
    /// A single amount above this is FRAUD (rejected).
    #[arg(long, env = "FRAUD_REJECT_ABOVE", default_value_t = 50_000_000)]
    pub reject_above: i64,

    /// A single amount above this is SUSPICIOUS (allowed, logged).
    #[arg(long, env = "FRAUD_SUSPICIOUS_ABOVE", default_value_t = 10_000_000)]
    pub suspicious_above: i64,

    /// Window of the count rule, in seconds.
    #[arg(long, env = "FRAUD_VELOCITY_WINDOW_SECS", default_value_t = 60)]
    pub velocity_window_secs: u64,

    /// Most checks one user may have in the window; the next is FRAUD.
    #[arg(long, env = "FRAUD_VELOCITY_MAX_COUNT", default_value_t = 10)]
    pub velocity_max_count: u32,

    /// Most one user may move in 24 hours (checks that were not FRAUD); more is
    /// FRAUD.
    #[arg(long, env = "FRAUD_DAILY_MAX_AMOUNT", default_value_t = 100_000_000)]
    pub daily_max_amount: i64,
}

impl RuleSettings {
    /// Development defaults, without reading the environment.
    pub fn local() -> Self {
        Self {
            reject_above: 50_000_000,
            suspicious_above: 10_000_000,
            velocity_window_secs: 60,
            velocity_max_count: 10,
            daily_max_amount: 100_000_000,
        }
    }
}

impl Config {
    /// Development defaults, without reading the environment (tests, launcher).
    pub fn local() -> Self {
        Self {
            port: DEFAULT_PORT,
            common: CommonConfig::local(),
            rules: RuleSettings::local(),
        }
    }

    /// Refuses rules that make no sense.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let r = &self.rules;
        if r.suspicious_above <= 0 || r.reject_above <= 0 || r.daily_max_amount <= 0 {
            return Err(ConfigError("fraud thresholds must be positive".into()));
        }
        if r.suspicious_above > r.reject_above {
            return Err(ConfigError(
                "FRAUD_SUSPICIOUS_ABOVE must not exceed FRAUD_REJECT_ABOVE".into(),
            ));
        }
        if r.velocity_window_secs == 0 || r.velocity_max_count == 0 {
            return Err(ConfigError(
                "FRAUD_VELOCITY_WINDOW_SECS and FRAUD_VELOCITY_MAX_COUNT must be at least 1".into(),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_defaults_are_the_documented_flag_defaults() {
        let parsed: Config = platform::config::flag_defaults();
        assert_eq!(format!("{parsed:?}"), format!("{:?}", Config::local()));
    }

    #[test]
    fn the_suspicious_threshold_is_below_the_rejection_one() {
        let mut config = Config::local();
        config.validate().expect("defaults are valid");
        config.rules.suspicious_above = config.rules.reject_above + 1;
        assert!(config.validate().is_err());
    }
}
