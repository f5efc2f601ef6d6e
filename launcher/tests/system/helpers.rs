//! A running system for one test: the launcher's `System` in this process, each
//! subgraph on a database of its own, the marketplace double, a client of the
//! router.

use std::time::{Duration, Instant};

use clap::Parser;
use dompet_sawit::{Args, System};
use platform::events::EventBus;
use platform::testing::{TestDatabase, nats_url};
use serde_json::{Value, json};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use transaction::testing::Marketplace;

pub const ADMIN_EMAIL: &str = "admin@dompetsawit.local";
pub const ADMIN_PASSWORD: &str = "admin-dev-password";

pub struct Running {
    pub router: String,
    pub http: reqwest::Client,
    pub marketplace: Marketplace,
    args: Args,
    shutdown: CancellationToken,
    stopped: JoinHandle<anyhow::Result<()>>,
    _databases: Vec<TestDatabase>,
    _dir: tempfile::TempDir,
}

/// Starts every service on free ports.
pub async fn start() -> Running {
    let dir = tempfile::tempdir().expect("a temp dir");
    let marketplace = Marketplace::start().await;
    let mut flags: Vec<String> = [
        "dompet-sawit",
        "--router-port=0",
        "--auth-port=0",
        "--wallet-port=0",
        "--transaction-port=0",
        "--fraud-port=0",
        "--history-port=0",
        "--notification-port=0",
        "--database-max-connections=5",
        "--outbox-poll-ms=50",
        "--log-filter=warn",
    ]
    .map(str::to_owned)
    .to_vec();
    flags.push(format!("--data-dir={}", dir.path().join("data").display()));
    flags.push(format!("--keys-dir={}", dir.path().join("keys").display()));
    flags.push(format!("--marketplace-url={}", marketplace.url()));
    let mut databases = Vec::new();
    for service in [
        "auth",
        "wallet",
        "transaction",
        "fraud",
        "history",
        "notification",
    ] {
        let database = TestDatabase::new().await;
        flags.push(format!("--{service}-database-url={}", database.url));
        databases.push(database);
    }
    if let Some(url) = nats_url() {
        // A stream and subjects of this test's own.
        let suffix = uuid_suffix();
        flags.push(format!("--bus-url={url}"));
        flags.push(format!("--stream=TEST_{suffix}"));
        flags.push(format!("--subject-prefix=t{suffix}"));
    }
    let args = Args::parse_from(flags);
    let shutdown = CancellationToken::new();
    let system = System::start(args.clone(), shutdown.clone())
        .await
        .expect("the system starts");
    let router = system
        .services
        .iter()
        .find(|s| s.name == "router")
        .map(|s| format!("http://{}/graphql", s.addr))
        .expect("a router");
    Running {
        router,
        http: platform::http_client::client(),
        marketplace,
        args,
        shutdown,
        stopped: tokio::spawn(system.wait()),
        _databases: databases,
        _dir: dir,
    }
}

fn uuid_suffix() -> String {
    format!(
        "{:x}{:x}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("after 1970")
            .as_nanos()
    )
}

impl Running {
    /// Posts a GraphQL request to the router.
    pub async fn graphql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        self.graphql_with(token, &[], query, variables).await
    }

    /// Posts with extra headers.
    pub async fn graphql_with(
        &self,
        token: Option<&str>,
        headers: &[(&str, &str)],
        query: &str,
        variables: Value,
    ) -> Value {
        let mut request = self
            .http
            .post(&self.router)
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request
            .send()
            .await
            .expect("the router answers")
            .json()
            .await
            .expect("a JSON body")
    }

    /// `data` of a request that must succeed.
    pub async fn data(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let body = self.graphql(token, query, variables).await;
        assert!(body.get("errors").is_none(), "{query}: {body}");
        body["data"].clone()
    }

    /// Registers and signs in a customer; returns the access token.
    pub async fn customer(&self, username: &str) -> String {
        self.data(
            None,
            "mutation($u: String!, $e: String!) { registerUser(username: $u, fullname: $u, email: $e, password: \"password123\") }",
            json!({ "u": username, "e": format!("{username}@example.com") }),
        )
        .await;
        self.sign_in(&format!("{username}@example.com"), "password123")
            .await
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> String {
        let data = self
            .data(
                None,
                "mutation($e: String!, $p: String!) { loginUser(email: $e, password: $p) { access_token } }",
                json!({ "e": email, "p": password }),
            )
            .await;
        data["loginUser"]["access_token"]
            .as_str()
            .expect("a token")
            .to_owned()
    }

    pub async fn admin(&self) -> String {
        self.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await
    }

    /// Opens a wallet; returns its id.
    pub async fn open_wallet(&self, token: &str, name: &str) -> String {
        let data = self
            .data(
                Some(token),
                "mutation($n: String!) { createWallet(walletName: $n) { walletId } }",
                json!({ "n": name }),
            )
            .await;
        data["createWallet"]["walletId"]
            .as_str()
            .expect("a wallet id")
            .to_owned()
    }

    /// Runs `createTransaction`; returns the whole body.
    pub async fn create(&self, token: &str, input: Value) -> Value {
        self.graphql(
            Some(token),
            "mutation($i: TransactionInput!) { createTransaction(input: $i) { transactionId status amount type vaNumber failureCode } }",
            json!({ "i": input }),
        )
        .await
    }

    pub async fn balance(&self, token: &str, wallet: &str) -> f64 {
        let data = self
            .data(
                Some(token),
                "query($w: String!) { wallet(walletId: $w) { balance } }",
                json!({ "w": wallet }),
            )
            .await;
        data["wallet"]["balance"].as_f64().expect("a balance")
    }

    /// The messages the notification service's development sink holds.
    pub fn sink(&self) -> Vec<Value> {
        notification::domain::channels::Sink::read_all(
            &self.args.data_dir.join("notification-sink"),
        )
        .expect("the sink reads")
    }

    /// Stops every service and waits until they have stopped.
    pub async fn stop(self) {
        self.shutdown.cancel();
        self.stopped
            .await
            .expect("the system task")
            .expect("a clean stop");
        if self.args.events.bus_url.is_some() {
            let bus = EventBus::from_config(&self.args.events)
                .await
                .expect("the bus");
            platform::testing::clean_up_bus(&bus).await;
        }
    }
}

/// Asks `probe` until it returns `Some`, for what events make true a moment later.
pub async fn eventually<T, F, Fut>(what: &str, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let started = Instant::now();
    loop {
        if let Some(found) = probe().await {
            return found;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "never happened: {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// `errors[0].extensions.code`, or `"OK"` when there is no error.
pub fn outcome(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("OK")
}
