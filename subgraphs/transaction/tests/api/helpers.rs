//! `spawn_system()`: the transaction subgraph with the real services it talks to —
//! auth (service credentials), wallet and fraud — each on port 0 with its own test
//! database, plus the marketplace double; tokens and shortcuts for the tests.

use std::net::SocketAddr;
use std::sync::Arc;

use futures::future::BoxFuture;
use platform::auth::Role;
use platform::events::{EventBus, InProcessBus};
use platform::service::Dependencies;
use platform::testing::{
    TestDatabase, TestKeys, post_graphql, test_access_token, test_common_config,
};
use sea_orm::{DatabaseConnection, EntityTrait};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;
use transaction::db::entities::transaction as transaction_row;
use wallet::db::entities::wallet as wallet_row;

use transaction::testing::Marketplace;

/// The services under test, running.
pub struct System {
    pub transaction: SocketAddr,
    pub wallet: SocketAddr,
    pub fraud: SocketAddr,
    pub marketplace: Marketplace,
    pub http: reqwest::Client,
    pub transaction_db: DatabaseConnection,
    pub wallet_db: DatabaseConnection,
    pub bus: EventBus,
    /// The transaction service's configuration (to start it again, or as a binary).
    pub transaction_config: transaction::Config,
    pub keys: TestKeys,
    shutdown: CancellationToken,
    transaction_shutdown: CancellationToken,
    _databases: Vec<TestDatabase>,
}

impl Drop for System {
    fn drop(&mut self) {
        self.shutdown.cancel();
        self.transaction_shutdown.cancel();
    }
}

/// How a test wants the system.
pub struct Options {
    pub fraud: Box<dyn FnOnce(&mut fraud::Config) + Send>,
    pub wallet: Box<dyn FnOnce(&mut wallet::Config) + Send>,
    pub transaction: Box<dyn FnOnce(&mut transaction::Config) + Send>,
    /// Start the transaction service in this process (else the test starts it).
    pub start_transaction: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            // Concurrency tests fire hundreds of payments from one user.
            fraud: Box::new(|c| c.rules.velocity_max_count = 100_000),
            wallet: Box::new(|_| {}),
            transaction: Box::new(|_| {}),
            start_transaction: true,
        }
    }
}

pub async fn spawn_system() -> System {
    spawn_system_with(Options::default()).await
}

type Starting = BoxFuture<'static, std::io::Result<()>>;

pub async fn spawn_system_with(options: Options) -> System {
    if let Ok(filter) = std::env::var("TEST_LOG") {
        platform::telemetry::init(&filter, platform::config::LogFormat::Text);
    }
    let keys = TestKeys::new();
    let bus = EventBus::InProcess(InProcessBus::new());
    let deps = || Dependencies {
        clock: Arc::new(platform::SystemClock),
        bus: Some(bus.clone()),
    };
    let mut databases = Vec::new();
    let mut runs: Vec<Starting> = Vec::new();

    let database = TestDatabase::new().await;
    let mut auth_config = auth::Config::local();
    auth_config.port = 0;
    auth_config.common = test_common_config(&database.url, &keys);
    auth_config.auth.private_key_path = keys.private_key_path();
    databases.push(database);
    let auth_app = auth::App::build(auth_config, deps())
        .await
        .expect("auth builds");
    let auth_addr = auth_app.local_addr();

    let database = TestDatabase::new().await;
    let mut wallet_config = wallet::Config::local();
    wallet_config.port = 0;
    wallet_config.common = test_common_config(&database.url, &keys);
    wallet_config.common.database_max_connections = 10;
    (options.wallet)(&mut wallet_config);
    databases.push(database);
    let wallet_app = wallet::App::build(wallet_config, deps())
        .await
        .expect("wallet builds");
    let wallet_addr = wallet_app.local_addr();
    let wallet_db = wallet_app.db().clone();

    let database = TestDatabase::new().await;
    let mut fraud_config = fraud::Config::local();
    fraud_config.port = 0;
    fraud_config.common = test_common_config(&database.url, &keys);
    fraud_config.common.database_max_connections = 10;
    (options.fraud)(&mut fraud_config);
    databases.push(database);
    let fraud_app = fraud::App::build(fraud_config, deps())
        .await
        .expect("fraud builds");
    let fraud_addr = fraud_app.local_addr();

    let marketplace = Marketplace::start().await;

    let database = TestDatabase::new().await;
    let mut config = transaction::Config::local();
    config.port = 0;
    config.common = test_common_config(&database.url, &keys);
    config.common.database_max_connections = 10;
    config.common.service.auth_url = format!("http://{auth_addr}");
    config.transaction.wallet_url = format!("http://{wallet_addr}/graphql");
    config.transaction.fraud_url = format!("http://{fraud_addr}/graphql");
    config.transaction.marketplace_url = Some(marketplace.url());
    config.transaction.callback_poll_ms = 50;
    config.transaction.callback_backoff_ms = 50;
    (options.transaction)(&mut config);
    let transaction_db = sea_orm::Database::connect(&database.url)
        .await
        .expect("the transaction database");
    databases.push(database);

    let shutdown = CancellationToken::new();
    runs.push(Box::pin(auth_app.run(shutdown.clone())));
    runs.push(Box::pin(wallet_app.run(shutdown.clone())));
    runs.push(Box::pin(fraud_app.run(shutdown.clone())));
    for run in runs {
        tokio::spawn(run);
    }
    let mut system = System {
        transaction: "127.0.0.1:0".parse().expect("an address"),
        wallet: wallet_addr,
        fraud: fraud_addr,
        marketplace,
        http: platform::http_client::client(),
        transaction_db,
        wallet_db,
        bus,
        transaction_config: config,
        keys,
        shutdown,
        transaction_shutdown: CancellationToken::new(),
        _databases: databases,
    };
    if options.start_transaction {
        system.start_transaction().await;
    }
    system
}

pub fn user(name: &str) -> String {
    test_access_token(name, Role::Nasabah)
}

pub fn admin() -> String {
    test_access_token("admin-1", Role::Admin)
}

impl System {
    /// Starts (or starts again) the transaction service in this process.
    pub async fn start_transaction(&mut self) {
        self.transaction_shutdown.cancel();
        let app = transaction::App::build(
            self.transaction_config.clone(),
            Dependencies {
                clock: Arc::new(platform::SystemClock),
                bus: Some(self.bus.clone()),
            },
        )
        .await
        .expect("transaction builds");
        self.transaction = app.local_addr();
        self.transaction_shutdown = CancellationToken::new();
        tokio::spawn(app.run(self.transaction_shutdown.clone()));
    }

    /// Stops the in-process transaction service (its database stays).
    pub fn stop_transaction(&self) {
        self.transaction_shutdown.cancel();
    }

    /// A GraphQL request to the transaction subgraph.
    pub async fn graphql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let url = format!("http://{}/graphql", self.transaction);
        post_graphql(&self.http, &url, token, query, variables).await
    }

    /// `createTransaction` as `token`'s user; returns the whole response.
    pub async fn create(&self, token: &str, input: Value) -> Value {
        self.graphql(
            Some(token),
            "mutation($i: TransactionInput!) {
                createTransaction(input: $i) {
                    transactionId userId walletId amount type vaNumber status createdAt toWalletId
                    failureCode failureReason
                }
            }",
            json!({ "i": input }),
        )
        .await
    }

    /// Opens a wallet for `token`'s user at the wallet subgraph.
    pub async fn open_wallet(&self, token: &str) -> String {
        let url = format!("http://{}/graphql", self.wallet);
        let body = post_graphql(
            &self.http,
            &url,
            Some(token),
            r#"mutation { createWallet(walletName: "Tabungan") { walletId } }"#,
            json!({}),
        )
        .await;
        body["data"]["createWallet"]["walletId"]
            .as_str()
            .unwrap_or_else(|| panic!("createWallet failed: {body}"))
            .to_owned()
    }

    /// A DEPOSIT of `amount` into `wallet`; asserts it succeeded.
    pub async fn deposit(&self, token: &str, wallet: &str, amount: i64) {
        let body = self
            .create(
                token,
                json!({ "walletId": wallet, "amount": amount, "type": "DEPOSIT" }),
            )
            .await;
        assert_eq!(
            body["data"]["createTransaction"]["status"], "SUCCESS",
            "deposit failed: {body}"
        );
    }

    /// A user with an open wallet holding `amount`: (token, wallet id).
    pub async fn funded_user(&self, name: &str, amount: i64) -> (String, String) {
        let token = user(name);
        let wallet = self.open_wallet(&token).await;
        if amount > 0 {
            self.deposit(&token, &wallet, amount).await;
        }
        (token, wallet)
    }

    /// The stored balance of a wallet.
    pub async fn balance(&self, wallet_id: &str) -> i64 {
        wallet_row::Entity::find_by_id(wallet_id.to_owned())
            .one(&self.wallet_db)
            .await
            .expect("read the wallet")
            .expect("the wallet exists")
            .balance
    }

    /// Every transaction row.
    pub async fn transactions(&self) -> Vec<transaction_row::Model> {
        transaction_row::Entity::find()
            .all(&self.transaction_db)
            .await
            .expect("read transactions")
    }

    /// Registers a merchant paid into a new wallet of user `owner`, with its
    /// webhook going to `callback_url`: (API key, settlement wallet, webhook secret).
    pub async fn merchant(
        &self,
        owner: &str,
        callback_url: Option<&str>,
    ) -> (String, String, String) {
        let settlement = self.open_wallet(&user(owner)).await;
        let body = self
            .graphql(
                Some(&admin()),
                "mutation($i: MerchantInput!) {
                    registerMerchant(input: $i) { apiKey webhookSecret merchant { merchantId } }
                }",
                json!({ "i": { "name": "Toko Sawit", "settlementWalletId": settlement, "callbackUrl": callback_url } }),
            )
            .await;
        let registered = &body["data"]["registerMerchant"];
        (
            registered["apiKey"]
                .as_str()
                .unwrap_or_else(|| panic!("registerMerchant failed: {body}"))
                .to_owned(),
            settlement,
            registered["webhookSecret"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        )
    }

    /// `generateInvoiceVA` with a merchant key; returns the whole response.
    pub async fn invoice(&self, merchant_key: Option<&str>, amount: f64) -> Value {
        let mut request = self
            .http
            .post(format!("http://{}/graphql", self.transaction))
            .json(&json!({
                "query": "mutation($a: Float!) { generateInvoiceVA(amount: $a, description: \"Pesanan #1\") }",
                "variables": { "a": amount }
            }));
        if let Some(key) = merchant_key {
            request = request.header("x-merchant-key", key);
        }
        request
            .send()
            .await
            .expect("answers")
            .json()
            .await
            .expect("json")
    }

    /// A fresh VA of the merchant with `merchant_key`, for `amount`.
    pub async fn va(&self, merchant_key: &str, amount: i64) -> String {
        let body = self.invoice(Some(merchant_key), amount as f64).await;
        body["data"]["generateInvoiceVA"]
            .as_str()
            .unwrap_or_else(|| panic!("generateInvoiceVA failed: {body}"))
            .to_owned()
    }
}

/// `errors[0].extensions.code`, or `"OK"` when the request succeeded.
pub fn outcome(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("OK")
}

/// The fraud logs, newest first, as an admin sees them.
pub async fn post_fraud_logs(system: &System) -> Vec<Value> {
    let url = format!("http://{}/graphql", system.fraud);
    let body = post_graphql(
        &system.http,
        &url,
        Some(&admin()),
        "{ getFraudLogs { status amount transactionId } }",
        json!({}),
    )
    .await;
    body["data"]["getFraudLogs"]
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("getFraudLogs failed: {body}"))
}
