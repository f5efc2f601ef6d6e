//! The transaction service's rules, free of GraphQL. [`TransactionService`] is the
//! facade: the saga (`saga`), its recovery after a crash (`recovery`), merchants and
//! their invoices (`merchants`), the callbacks that tell a marketplace or merchant
//! about a payment (`callbacks`), and reads.

pub mod callbacks;
pub mod clients;
pub mod events;
pub mod merchants;
mod reads;
pub mod recovery;
pub mod saga;
pub mod values;

use std::sync::Arc;
use std::time::Duration;

use platform::events::Outbox;
use platform::{Rupiah, SharedClock};
use sea_orm::DatabaseConnection;
use secrecy::SecretString;
use tokio::sync::Notify;

use crate::config::CrashPoint;
use clients::{FraudClient, MarketplaceClient, WalletClient};

/// The tunable rules.
#[derive(Debug, Clone)]
pub struct Policy {
    /// The largest amount of one transaction.
    pub max_amount: Rupiah,
    /// How long an invoice VA can be paid.
    pub invoice_ttl: chrono::Duration,
    /// A PENDING transaction untouched this long is settled by recovery.
    pub recovery_after: chrono::Duration,
    /// First retry delay of a failed callback (doubling, at most ten minutes).
    pub callback_backoff: Duration,
    /// Also tell the marketplace by a signed webhook: (URL, secret).
    pub marketplace_webhook: Option<(String, SecretString)>,
    /// Testing only: abort the process after this step.
    pub crash_after: Option<CrashPoint>,
}

/// The services a transaction talks to.
#[derive(Debug, Clone)]
pub struct Peers {
    pub wallet: WalletClient,
    pub fraud: FraudClient,
    pub marketplace: Option<MarketplaceClient>,
    /// For webhooks.
    pub http: reqwest::Client,
}

/// The transaction service's business operations.
pub struct TransactionService {
    pub(crate) db: DatabaseConnection,
    pub(crate) clock: SharedClock,
    pub(crate) outbox: Outbox,
    pub(crate) peers: Peers,
    pub(crate) policy: Policy,
    /// Wakes the callback worker when a payment made callbacks due.
    pub(crate) callbacks_due: Arc<Notify>,
}

impl std::fmt::Debug for TransactionService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TransactionService")
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl TransactionService {
    pub fn new(
        db: DatabaseConnection,
        clock: SharedClock,
        outbox: Outbox,
        peers: Peers,
        policy: Policy,
    ) -> Self {
        Self {
            db,
            clock,
            outbox,
            peers,
            policy,
            callbacks_due: Arc::new(Notify::new()),
        }
    }

    pub(crate) fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }
}
