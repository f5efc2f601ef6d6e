//! `spawn_app()`: the history subgraph on port 0 with a test database and test keys,
//! on a given event bus; tokens; publishing transaction events as the transaction
//! service would.

use std::net::SocketAddr;
use std::time::Duration;

use history::{App, Config, Dependencies};
use platform::auth::Role;
use platform::auth::service::scopes;
use platform::events::{Envelope, EventBus, InProcessBus};
use platform::testing::{
    TestDatabase, TestKeys, post_graphql, test_access_token, test_common_config, test_service_token,
};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

pub struct TestApp {
    pub addr: SocketAddr,
    pub http: reqwest::Client,
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

/// History on the in-process bus.
pub async fn spawn_app() -> TestApp {
    spawn_app_on(EventBus::InProcess(InProcessBus::new())).await
}

/// History consuming from `bus`.
pub async fn spawn_app_on(bus: EventBus) -> TestApp {
    let database = TestDatabase::new().await;
    let keys = TestKeys::new();
    let mut config = Config::local();
    config.port = 0;
    config.common = test_common_config(&database.url, &keys);
    let app = App::build(
        config,
        Dependencies {
            clock: std::sync::Arc::new(platform::SystemClock),
            bus: Some(bus.clone()),
        },
    )
    .await
    .expect("history builds");
    let addr = app.local_addr();
    let shutdown = CancellationToken::new();
    tokio::spawn(app.run(shutdown.clone()));
    TestApp {
        addr,
        http: platform::http_client::client(),
        bus,
        shutdown,
        _keys: keys,
        _database: database,
    }
}

pub fn user(name: &str) -> String {
    test_access_token(name, Role::Nasabah)
}

pub fn admin() -> String {
    test_access_token("admin-1", Role::Admin)
}

pub fn history_writer() -> String {
    test_service_token("transaction", &[scopes::HISTORY_WRITE])
}

/// A transaction event as the transaction service publishes it.
pub fn transaction_event(topic: &str, payload: Value) -> Envelope {
    Envelope {
        id: uuid::Uuid::now_v7().to_string(),
        topic: topic.to_owned(),
        source: "transaction".into(),
        aggregate_id: payload["transaction_id"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        occurred_at: chrono::Utc::now(),
        payload,
    }
}

/// A successful payment of `amount` by `user` at `created_at`.
pub fn payment(id: &str, user: &str, amount: i64, created_at: &str) -> Envelope {
    transaction_event(
        "transaction.succeeded",
        json!({
            "transaction_id": id, "user_id": user, "wallet_id": format!("w-{user}"),
            "amount": amount, "type": "PAYMENT", "status": "SUCCESS",
            "va_number": "DS-8800123", "created_at": created_at
        }),
    )
}

impl TestApp {
    pub async fn graphql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let url = format!("http://{}/graphql", self.addr);
        post_graphql(&self.http, &url, token, query, variables).await
    }

    /// `myHistory` of a token's user.
    pub async fn my_history(&self, token: &str) -> Value {
        let body = self
            .graphql(
                Some(token),
                "{ myHistory { historyId transactionId userId amount type direction status vaNumber createdAt } }",
                json!({}),
            )
            .await;
        body["data"]["myHistory"].clone()
    }

    /// Publishes `event` (on NATS the consumer is asynchronous, so callers wait
    /// for its effect with [`TestApp::wait_for_history`]).
    pub async fn publish(&self, event: &Envelope) {
        self.bus.publish(event).await.expect("published");
    }

    /// Waits until `token`'s user has `count` entries.
    pub async fn wait_for_history(&self, token: &str, count: usize) -> Value {
        for _ in 0..100 {
            let history = self.my_history(token).await;
            if history.as_array().map(Vec::len) == Some(count) {
                return history;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "history never reached {count} entries: {}",
            self.my_history(token).await
        );
    }
}
