//! The wallet's business rules, free of GraphQL. [`WalletService`] is the facade the
//! resolvers call; wallets (open, close, read), movements (the ledger engine) and KYC
//! levels each have their own module.

pub mod kyc;
pub mod movements;
pub mod values;
pub mod wallets;

use platform::SharedClock;
use sea_orm::DatabaseConnection;

use values::Limits;

/// The wallet's tunable rules.
#[derive(Debug, Clone)]
pub struct Policy {
    pub limits: Limits,
    pub max_wallets_per_user: u32,
}

/// The wallet's business operations.
pub struct WalletService {
    pub(crate) db: DatabaseConnection,
    pub(crate) clock: SharedClock,
    pub(crate) policy: Policy,
}

impl std::fmt::Debug for WalletService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WalletService")
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl WalletService {
    pub fn new(db: DatabaseConnection, clock: SharedClock, policy: Policy) -> Self {
        Self { db, clock, policy }
    }

    pub(crate) fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }
}
