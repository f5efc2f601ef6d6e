//! The wallet subgraph's settings: the shared ones plus the e-money limits
//! (Bank Indonesia PBI 23/6/PBI/2021, PADG 24/7/PADG/2022) and wallet rules.

use clap::{Args, Parser};
use platform::config::{CommonConfig, ConfigError};

pub const DEFAULT_PORT: u16 = 8002;

/// The wallet subgraph.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "wallet",
    version,
    about = "Dompet Sawit wallet subgraph: wallets, the balance ledger, e-money limits"
)]
pub struct Config {
    /// Port to listen on.
    #[arg(long, env = "PORT", default_value_t = DEFAULT_PORT)]
    pub port: u16,

    #[command(flatten)]
    pub common: CommonConfig,

    #[command(flatten)]
    pub wallet: WalletSettings,
}

/// Settings of the wallet subgraph alone. Amounts are whole rupiah.
#[derive(Debug, Clone, Args)]
pub struct WalletSettings {
    /// Most an owner without verified KYC may hold, over all personal wallets.
    #[arg(
        long,
        env = "EMONEY_UNVERIFIED_MAX_BALANCE",
        default_value_t = 2_000_000
    )]
    pub unverified_max_balance: i64,

    /// Most an owner without verified KYC may receive in a calendar month (WIB).
    #[arg(
        long,
        env = "EMONEY_UNVERIFIED_MONTHLY_INCOMING",
        default_value_t = 20_000_000
    )]
    pub unverified_monthly_incoming: i64,

    /// Most an owner with verified KYC may hold, over all personal wallets.
    #[arg(
        long,
        env = "EMONEY_VERIFIED_MAX_BALANCE",
        default_value_t = 20_000_000
    )]
    pub verified_max_balance: i64,

    /// Most an owner with verified KYC may receive in a calendar month (WIB).
    #[arg(
        long,
        env = "EMONEY_VERIFIED_MONTHLY_INCOMING",
        default_value_t = 40_000_000
    )]
    pub verified_monthly_incoming: i64,

    /// Most open wallets one user may have.
    #[arg(long, env = "MAX_WALLETS_PER_USER", default_value_t = 10)]
    pub max_wallets_per_user: u32,
}

impl WalletSettings {
    /// Development defaults, without reading the environment.
    pub fn local() -> Self {
        Self {
            unverified_max_balance: 2_000_000,
            unverified_monthly_incoming: 20_000_000,
            verified_max_balance: 20_000_000,
            verified_monthly_incoming: 40_000_000,
            max_wallets_per_user: 10,
        }
    }
}

impl Config {
    /// Development defaults, without reading the environment (tests, launcher).
    pub fn local() -> Self {
        Self {
            port: DEFAULT_PORT,
            common: CommonConfig::local(),
            wallet: WalletSettings::local(),
        }
    }

    /// Refuses limits that make no sense.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let w = &self.wallet;
        let limits = [
            w.unverified_max_balance,
            w.unverified_monthly_incoming,
            w.verified_max_balance,
            w.verified_monthly_incoming,
        ];
        if limits
            .iter()
            .any(|l| *l <= 0 || *l > platform::money::ABSOLUTE_MAX)
        {
            return Err(ConfigError(format!(
                "e-money limits must be between 1 and {}",
                platform::money::ABSOLUTE_MAX
            )));
        }
        if w.max_wallets_per_user == 0 {
            return Err(ConfigError(
                "MAX_WALLETS_PER_USER must be at least 1".into(),
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
    fn limits_must_be_positive() {
        let mut config = Config::local();
        config.validate().expect("defaults are valid");
        config.wallet.unverified_max_balance = 0;
        assert!(config.validate().is_err());
    }
}
