//! `spawn_app()`: the wallet on port 0 with a test database, test keys and a manual
//! clock; tokens for users, admins and services; ledger checks.

use std::net::SocketAddr;
use std::sync::Arc;

use platform::Clock;
use platform::auth::Role;
use platform::auth::service::scopes;
use platform::clock::ManualClock;
use platform::events::{EventBus, InProcessBus};
use platform::testing::{
    TestDatabase, TestKeys, post_graphql, test_access_token, test_common_config,
    test_service_token, test_service_token_at,
};
use sea_orm::{DatabaseConnection, EntityTrait};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;
use wallet::db::entities::{ledger_entry, wallet as wallet_row};
use wallet::{App, Config, Dependencies};

pub struct TestApp {
    pub addr: SocketAddr,
    pub http: reqwest::Client,
    pub clock: Arc<ManualClock>,
    pub db: DatabaseConnection,
    pub bus: EventBus,
    shutdown: CancellationToken,
    _keys: TestKeys,
    _database: TestDatabase,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Spawns the wallet after `configure` has adjusted the test configuration.
pub async fn spawn_app_with(configure: impl FnOnce(&mut Config)) -> TestApp {
    if let Ok(filter) = std::env::var("TEST_LOG") {
        platform::telemetry::init(&filter, platform::config::LogFormat::Text);
    }
    let database = TestDatabase::new().await;
    let keys = TestKeys::new();
    let mut config = Config::local();
    config.port = 0;
    config.common = test_common_config(&database.url, &keys);
    // Room for the concurrency tests' parallel requests.
    config.common.database_max_connections = 10;
    configure(&mut config);
    let clock = Arc::new(ManualClock::starting_now());
    let bus = EventBus::InProcess(InProcessBus::new());
    let app = App::build(
        config,
        Dependencies {
            clock: clock.clone(),
            bus: Some(bus.clone()),
        },
    )
    .await
    .expect("the wallet builds");
    let addr = app.local_addr();
    let db = app.db().clone();
    let shutdown = CancellationToken::new();
    tokio::spawn(app.run(shutdown.clone()));
    TestApp {
        addr,
        http: platform::http_client::client(),
        clock,
        db,
        bus,
        shutdown,
        _keys: keys,
        _database: database,
    }
}

/// A signed-in customer's token (`user_id` is the name).
pub fn user(name: &str) -> String {
    test_access_token(name, Role::Nasabah)
}

pub fn admin() -> String {
    test_access_token("admin-1", Role::Admin)
}

/// The transaction service's token: it reads and moves money.
pub fn transaction_service() -> String {
    test_service_token("transaction", &[scopes::WALLET_READ, scopes::WALLET_WRITE])
}

/// A service that may only read users (no wallet scope).
pub fn notification_service() -> String {
    test_service_token("notification", &[scopes::USERS_READ])
}

impl TestApp {
    /// The transaction service's token, issued at the service's (manual) time.
    pub fn service_token(&self) -> String {
        test_service_token_at(
            "transaction",
            &[scopes::WALLET_READ, scopes::WALLET_WRITE],
            self.clock.now(),
        )
    }

    pub async fn graphql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let url = format!("http://{}/graphql", self.addr);
        post_graphql(&self.http, &url, token, query, variables).await
    }

    /// Opens a wallet for the token's user; returns its id.
    pub async fn create_wallet(&self, token: &str, name: &str) -> String {
        let body = self
            .graphql(
                Some(token),
                "mutation($n: String!) { createWallet(walletName: $n) { walletId } }",
                json!({ "n": name }),
            )
            .await;
        body["data"]["createWallet"]["walletId"]
            .as_str()
            .unwrap_or_else(|| panic!("createWallet failed: {body}"))
            .to_owned()
    }

    /// `topupWallet` as the transaction service; returns the whole response.
    pub async fn topup(&self, wallet_id: &str, amount: f64, key: Option<&str>) -> Value {
        self.graphql(
            Some(&self.service_token()),
            "mutation($w: String!, $a: Float!, $k: String) {
                topupWallet(walletId: $w, amount: $a, idempotencyKey: $k) { walletId balance }
            }",
            json!({ "w": wallet_id, "a": amount, "k": key }),
        )
        .await
    }

    /// `postMovement` as the transaction service; returns the whole response.
    pub async fn post_movement(&self, input: Value) -> Value {
        self.graphql(
            Some(&self.service_token()),
            "mutation($i: MovementInput!) {
                postMovement(input: $i) {
                    movementId idempotencyKey state amount replayed debitBalance creditBalance
                }
            }",
            json!({ "i": input }),
        )
        .await
    }

    /// The stored balance of a wallet.
    pub async fn balance(&self, wallet_id: &str) -> i64 {
        wallet_row::Entity::find_by_id(wallet_id.to_owned())
            .one(&self.db)
            .await
            .expect("read the wallet")
            .expect("the wallet exists")
            .balance
    }

    /// The ledger invariants, for every wallet: balance ≥ 0, balance = credits −
    /// debits, and each entry's `balance_after` = `balance_before` ± `amount`,
    /// chained from zero. Returns the sum of all balances.
    pub async fn assert_ledger_consistent(&self) -> i64 {
        let wallets = wallet_row::Entity::find()
            .all(&self.db)
            .await
            .expect("read wallets");
        let entries = ledger_entry::Entity::find()
            .all(&self.db)
            .await
            .expect("read the ledger");
        let mut total = 0;
        for wallet in &wallets {
            assert!(wallet.balance >= 0, "negative balance: {wallet:?}");
            let mut mine: Vec<_> = entries
                .iter()
                .filter(|e| e.wallet_id == wallet.id)
                .collect();
            mine.sort_by_key(|e| e.seq);
            let mut running = 0;
            for entry in mine {
                assert_eq!(entry.balance_before, running, "broken chain at {entry:?}");
                let signed = if entry.direction == "CREDIT" {
                    entry.amount
                } else {
                    -entry.amount
                };
                assert_eq!(entry.balance_after, running + signed, "bad entry {entry:?}");
                assert!(entry.balance_after >= 0, "negative after {entry:?}");
                running = entry.balance_after;
            }
            assert_eq!(
                running, wallet.balance,
                "ledger ≠ balance for {}",
                wallet.id
            );
            total += wallet.balance;
        }
        total
    }
}
