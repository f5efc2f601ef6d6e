//! `spawn_app()`: the fraud subgraph on port 0 with a test database, test keys and a
//! manual clock; tokens for users, admins and services.

use std::net::SocketAddr;
use std::sync::Arc;

use fraud::{App, Config, Dependencies};
use platform::Clock;
use platform::auth::Role;
use platform::auth::service::scopes;
use platform::clock::ManualClock;
use platform::testing::{
    TestDatabase, TestKeys, post_graphql, test_access_token_at, test_common_config,
    test_service_token_at,
};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

pub struct TestApp {
    pub addr: SocketAddr,
    pub http: reqwest::Client,
    pub clock: Arc<ManualClock>,
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

/// Spawns fraud after `configure` has adjusted the test configuration.
pub async fn spawn_app_with(configure: impl FnOnce(&mut Config)) -> TestApp {
    let database = TestDatabase::new().await;
    let keys = TestKeys::new();
    let mut config = Config::local();
    config.port = 0;
    config.common = test_common_config(&database.url, &keys);
    config.common.database_max_connections = 10;
    configure(&mut config);
    let clock = Arc::new(ManualClock::starting_now());
    let app = App::build(
        config,
        Dependencies {
            clock: clock.clone(),
            bus: None,
        },
    )
    .await
    .expect("fraud builds");
    let addr = app.local_addr();
    let shutdown = CancellationToken::new();
    tokio::spawn(app.run(shutdown.clone()));
    TestApp {
        addr,
        http: platform::http_client::client(),
        clock,
        shutdown,
        _keys: keys,
        _database: database,
    }
}

impl TestApp {
    pub async fn graphql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let url = format!("http://{}/graphql", self.addr);
        post_graphql(&self.http, &url, token, query, variables).await
    }

    /// The transaction service's token (scope `fraud:check`), at the service's time.
    pub fn service(&self) -> String {
        test_service_token_at("transaction", &[scopes::FRAUD_CHECK], self.clock.now())
    }

    pub fn user(&self, name: &str) -> String {
        test_access_token_at(name, Role::Nasabah, self.clock.now())
    }

    pub fn admin(&self) -> String {
        test_access_token_at("admin-1", Role::Admin, self.clock.now())
    }

    /// `checkFraud` as the transaction service; returns the whole response.
    pub async fn check(&self, user_id: &str, amount: f64, transaction_id: Option<&str>) -> Value {
        self.graphql(
            Some(&self.service()),
            "mutation($u: String!, $a: Float!, $t: String) {
                checkFraud(userId: $u, amount: $a, transactionId: $t, transactionType: \"PAYMENT\") {
                    is_fraud status reason rule log_id
                }
            }",
            json!({ "u": user_id, "a": amount, "t": transaction_id }),
        )
        .await
    }

    /// `checkFraud`'s status, asserting the call succeeded.
    pub async fn status(&self, user_id: &str, amount: f64) -> String {
        let body = self.check(user_id, amount, None).await;
        body["data"]["checkFraud"]["status"]
            .as_str()
            .unwrap_or_else(|| panic!("checkFraud failed: {body}"))
            .to_owned()
    }

    /// `getFraudLogs` as an admin.
    pub async fn logs(&self, arguments: &str) -> Value {
        let query = format!(
            "{{ getFraudLogs{arguments} {{ logId userId amount status reason rule transactionId checkedBy }} }}"
        );
        let body = self.graphql(Some(&self.admin()), &query, json!({})).await;
        body["data"]["getFraudLogs"].clone()
    }
}
