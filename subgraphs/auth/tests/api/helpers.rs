//! `spawn_app()`: auth on port 0 with a test database, test keys and a manual clock,
//! plus small GraphQL helpers.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use auth::{App, Config, Dependencies};
use platform::clock::ManualClock;
use platform::events::EventBus;
use platform::testing::{TestDatabase, test_key_pems};
use sea_orm::DatabaseConnection;
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

/// The password every test user gets.
pub const PASSWORD: &str = "password123";

pub struct TestApp {
    pub addr: SocketAddr,
    pub http: reqwest::Client,
    pub clock: Arc<ManualClock>,
    pub db: DatabaseConnection,
    pub config: Config,
    shutdown: CancellationToken,
    _keys: tempfile::TempDir,
    _database: Arc<TestDatabase>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

/// A signed-in test user.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user_id: String,
    pub email: String,
    pub access_token: String,
    pub refresh_token: String,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Spawns auth after `configure` has adjusted the test configuration.
pub async fn spawn_app_with(configure: impl FnOnce(&mut Config)) -> TestApp {
    // `TEST_LOG=debug` shows the service's logs while debugging a test.
    if let Ok(filter) = std::env::var("TEST_LOG") {
        platform::telemetry::init(&filter, platform::config::LogFormat::Text);
    }
    let database = Arc::new(TestDatabase::new().await);
    let keys = tempfile::tempdir().expect("key folder");
    let (private_pem, public_pem) = test_key_pems();
    std::fs::write(keys.path().join("private.pem"), private_pem).expect("write key");
    std::fs::write(keys.path().join("public.pem"), public_pem).expect("write key");
    let mut config = test_config(&database.url, keys.path().to_path_buf());
    configure(&mut config);
    let clock = Arc::new(ManualClock::starting_now());
    start(config, database, keys, clock, None).await
}

fn test_config(database_url: &str, keys: PathBuf) -> Config {
    let mut config = Config::local();
    config.port = 0;
    config.common.database_url = Some(database_url.to_owned());
    config.common.database_max_connections = 5;
    config.common.events.outbox_poll_ms = 50;
    config.auth.private_key_path = keys.join("private.pem");
    config.common.tokens.public_key_paths = vec![keys.join("public.pem")];
    config
}

async fn start(
    config: Config,
    database: Arc<TestDatabase>,
    keys: tempfile::TempDir,
    clock: Arc<ManualClock>,
    bus: Option<EventBus>,
) -> TestApp {
    let app = App::build(
        config.clone(),
        Dependencies {
            clock: clock.clone(),
            bus,
        },
    )
    .await
    .expect("auth builds");
    let addr = app.local_addr();
    let db = app.db().clone();
    let shutdown = CancellationToken::new();
    tokio::spawn(app.run(shutdown.clone()));
    TestApp {
        addr,
        http: platform::http_client::client(),
        clock,
        db,
        config,
        shutdown,
        _keys: keys,
        _database: database,
    }
}

/// A service that was stopped abruptly; its database and clock remain.
pub struct Stopped {
    config: Config,
    clock: Arc<ManualClock>,
    database: Arc<TestDatabase>,
}

impl Stopped {
    /// Starts the service again over the same database.
    pub async fn restart(
        self,
        configure: impl FnOnce(&mut Config),
        bus: Option<EventBus>,
    ) -> TestApp {
        let keys = tempfile::tempdir().expect("key folder");
        let (private_pem, public_pem) = test_key_pems();
        std::fs::write(keys.path().join("private.pem"), private_pem).expect("write key");
        std::fs::write(keys.path().join("public.pem"), public_pem).expect("write key");
        let mut config = self.config;
        config.auth.private_key_path = keys.path().join("private.pem");
        config.common.tokens.public_key_paths = vec![keys.path().join("public.pem")];
        configure(&mut config);
        start(config, self.database, keys, self.clock, bus).await
    }
}

impl TestApp {
    /// Stops the service at once (as a crash would, for what it had not published).
    pub fn stop(self) -> Stopped {
        self.shutdown.cancel();
        Stopped {
            config: self.config.clone(),
            clock: self.clock.clone(),
            database: self._database.clone(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Posts a GraphQL request and returns the whole response body.
    pub async fn graphql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let mut request = self
            .http
            .post(self.url("/graphql"))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("auth answers");
        response.json().await.expect("a JSON body")
    }

    pub async fn register(&self, username: &str, email: &str) -> String {
        let body = self
            .graphql(
                None,
                "mutation($u: String!, $e: String!, $p: String!) {
                    registerUser(username: $u, fullname: \"Test User\", email: $e, password: $p)
                }",
                json!({ "u": username, "e": email, "p": PASSWORD }),
            )
            .await;
        body["data"]["registerUser"]
            .as_str()
            .unwrap_or_else(|| panic!("registration failed: {body}"))
            .to_owned()
    }

    /// `loginUser`; returns the whole response.
    pub async fn login(&self, email: &str, password: &str) -> Value {
        self.graphql(
            None,
            "mutation($e: String!, $p: String!) {
                loginUser(email: $e, password: $p) {
                    access_token token_type expires_in refresh_token
                    user { user_id username fullname email role }
                }
            }",
            json!({ "e": email, "p": password }),
        )
        .await
    }

    /// Registers `username` and signs in.
    pub async fn signed_in(&self, username: &str) -> SignedIn {
        let email = format!("{username}@example.com");
        let user_id = self.register(username, &email).await;
        let body = self.login(&email, PASSWORD).await;
        let login = &body["data"]["loginUser"];
        SignedIn {
            user_id,
            email,
            access_token: login["access_token"]
                .as_str()
                .unwrap_or_else(|| panic!("{body}"))
                .to_owned(),
            refresh_token: login["refresh_token"]
                .as_str()
                .expect("refresh token")
                .to_owned(),
        }
    }

    /// `myProfile` with a bearer token; returns the whole response.
    pub async fn profile(&self, token: &str) -> Value {
        self.graphql(
            Some(token),
            "{ myProfile { user_id username email role } }",
            json!({}),
        )
        .await
    }
}

/// `errors[0].extensions.code` of a response.
pub fn error_code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("expected an error, got {body}"))
}
