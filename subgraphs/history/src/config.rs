//! The history subgraph's settings: the shared ones.

use clap::Parser;
use platform::config::CommonConfig;

pub const DEFAULT_PORT: u16 = 8005;

/// The history subgraph.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "history",
    version,
    about = "Dompet Sawit history subgraph: the audit trail of money movements"
)]
pub struct Config {
    /// Port to listen on.
    #[arg(long, env = "PORT", default_value_t = DEFAULT_PORT)]
    pub port: u16,

    #[command(flatten)]
    pub common: CommonConfig,
}

impl Config {
    /// Development defaults, without reading the environment (tests, launcher).
    pub fn local() -> Self {
        Self {
            port: DEFAULT_PORT,
            common: CommonConfig::local(),
        }
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
}
