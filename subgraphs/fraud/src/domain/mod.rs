//! The fraud rules, free of GraphQL: [`FraudService::check`] decides and logs every
//! check; admins list and delete logs.

mod checks;
mod logs;

use platform::{Rupiah, SharedClock};
use sea_orm::DatabaseConnection;

pub use checks::{CheckRequest, Verdict};
pub use logs::LogFilter;

/// The risk rules (seed 001's thresholds, plus velocity).
#[derive(Debug, Clone)]
pub struct Rules {
    /// A single amount above this is FRAUD.
    pub reject_above: Rupiah,
    /// A single amount above this is SUSPICIOUS.
    pub suspicious_above: Rupiah,
    pub velocity_window: chrono::Duration,
    /// Most checks per user in `velocity_window`.
    pub velocity_max_count: u64,
    /// Most a user may move in 24 hours.
    pub daily_max_amount: Rupiah,
}

/// The fraud subgraph's business operations.
pub struct FraudService {
    pub(crate) db: DatabaseConnection,
    pub(crate) clock: SharedClock,
    pub(crate) rules: Rules,
}

impl std::fmt::Debug for FraudService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FraudService")
            .field("rules", &self.rules)
            .finish_non_exhaustive()
    }
}

impl FraudService {
    pub fn new(db: DatabaseConnection, clock: SharedClock, rules: Rules) -> Self {
        Self { db, clock, rules }
    }
}
