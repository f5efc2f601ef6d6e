//! `spawn_app()`: the notification subgraph on port 0 with a test database, test
//! keys and a sink folder of its own, on a given event bus; tokens; publishing
//! events as their producers would.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use notification::domain::Channels;
use notification::domain::channels::Sink;
use notification::{App, Config, Dependencies};
use platform::auth::Role;
use platform::events::{Envelope, EventBus, InProcessBus};
use platform::testing::{
    TestDatabase, TestKeys, post_graphql, test_access_token, test_common_config,
};
use sea_orm::DatabaseConnection;
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

pub struct TestApp {
    pub addr: SocketAddr,
    pub http: reqwest::Client,
    pub bus: EventBus,
    pub db: DatabaseConnection,
    pub sink: PathBuf,
    shutdown: CancellationToken,
    _sink_dir: tempfile::TempDir,
    pub keys: TestKeys,
    pub database: TestDatabase,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

/// Notification on the in-process bus, every channel to its sink.
pub async fn spawn_app() -> TestApp {
    spawn_app_on(EventBus::InProcess(InProcessBus::new())).await
}

/// Notification consuming from `bus`, every channel to its sink.
pub async fn spawn_app_on(bus: EventBus) -> TestApp {
    spawn_app_with(bus, |_| None, |_| {}).await
}

/// Notification on the in-process bus with the channels `channels(sink)` gives
/// (`None`: the sink) and its configuration adjusted by `configure`.
pub async fn spawn_app_with(
    bus: EventBus,
    channels: impl FnOnce(&std::path::Path) -> Option<Channels>,
    configure: impl FnOnce(&mut Config),
) -> TestApp {
    let database = TestDatabase::new().await;
    let keys = TestKeys::new();
    let sink_dir = tempfile::tempdir().expect("a sink folder");
    let mut config = Config::local();
    config.port = 0;
    config.common = test_common_config(&database.url, &keys);
    config.delivery.sink_dir = Some(sink_dir.path().to_owned());
    config.delivery.poll_ms = 50;
    config.delivery.retry_base_ms = 20;
    configure(&mut config);
    let deps = Dependencies {
        clock: std::sync::Arc::new(platform::SystemClock),
        bus: Some(bus.clone()),
    };
    let app = match channels(sink_dir.path()) {
        Some(channels) => App::build_with(config, deps, channels).await,
        None => App::build(config, deps).await,
    }
    .expect("notification builds");
    let addr = app.local_addr();
    let db = app.db().clone();
    let shutdown = CancellationToken::new();
    tokio::spawn(app.run(shutdown.clone()));
    TestApp {
        addr,
        http: platform::http_client::client(),
        bus,
        db,
        sink: sink_dir.path().to_owned(),
        shutdown,
        _sink_dir: sink_dir,
        keys,
        database,
    }
}

pub fn user(name: &str) -> String {
    test_access_token(name, Role::Nasabah)
}

pub fn admin() -> String {
    test_access_token("admin-1", Role::Admin)
}

/// An event as its producer publishes it.
pub fn event(topic: &str, source: &str, payload: Value) -> Envelope {
    Envelope {
        id: uuid::Uuid::now_v7().to_string(),
        topic: topic.to_owned(),
        source: source.to_owned(),
        aggregate_id: payload["user_id"].as_str().unwrap_or_default().to_owned(),
        occurred_at: chrono::Utc::now(),
        payload,
    }
}

/// The OTP auth publishes for `user` on `channel` (`EMAIL` or `PHONE`).
pub fn otp(user: &str, channel: &str, destination: &str, code: &str) -> Envelope {
    event(
        "auth.otp.requested",
        "auth",
        json!({
            "otp_id": uuid::Uuid::new_v4().to_string(), "user_id": user, "channel": channel,
            "destination": destination, "code": code, "expires_at": "2026-11-21T03:05:00Z",
            "purpose": format!("VERIFY_{channel}"), "locale": "id", "fullname": "Naruto Uzumaki"
        }),
    )
}

/// A successful payment of `amount` by `user`.
pub fn payment(user: &str, transaction_id: &str, amount: i64) -> Envelope {
    event(
        "transaction.succeeded",
        "transaction",
        json!({
            "transaction_id": transaction_id, "user_id": user, "wallet_id": "w-1",
            "amount": amount, "type": "PAYMENT", "status": "SUCCESS",
            "va_number": "DS-8800123", "created_at": "2026-11-21T08:00:00Z"
        }),
    )
}

impl TestApp {
    /// Stops the service; its database stays (for a binary to take over).
    pub fn stop(&self) {
        self.shutdown.cancel();
    }

    pub async fn graphql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let url = format!("http://{}/graphql", self.addr);
        post_graphql(&self.http, &url, token, query, variables).await
    }

    pub async fn publish(&self, event: &Envelope) {
        self.bus.publish(event).await.expect("published");
    }

    /// The sink's messages once there are `n` (panics after 10 s).
    pub async fn wait_for_sink(&self, n: usize) -> Vec<Value> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let found = Sink::read_all(&self.sink).expect("the sink reads");
            if found.len() >= n {
                return found;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{} of {n} messages in the sink: {found:?}",
                found.len()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// `myNotifications` of a token's user once it holds `n` (panics after 10 s).
    pub async fn wait_for_notifications(&self, token: &str, n: usize) -> Value {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let body = self
                .graphql(
                    Some(token),
                    "{ myNotifications { notifications { notificationId code title body read readAt createdAt } unreadCount hasNextPage endCursor } }",
                    json!({}),
                )
                .await;
            let page = &body["data"]["myNotifications"];
            let held = page["notifications"].as_array().map_or(0, Vec::len);
            if held >= n {
                return page.clone();
            }
            assert!(tokio::time::Instant::now() < deadline, "{body}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Every message row, oldest first.
    pub async fn messages(&self) -> Vec<notification::db::entities::message::Model> {
        use sea_orm::{EntityTrait, QueryOrder};
        notification::db::entities::message::Entity::find()
            .order_by_asc(notification::db::entities::message::Column::Id)
            .all(&self.db)
            .await
            .expect("read messages")
    }
}

/// One request an HTTP provider double got.
#[derive(Debug, Clone)]
pub struct ProviderRequest {
    pub headers: axum::http::HeaderMap,
    pub body: Value,
    /// Answered 200 (not refused, not held).
    pub accepted: bool,
}

impl ProviderRequest {
    pub fn idempotency_key(&self) -> &str {
        self.headers
            .get("idempotency-key")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

/// An HTTP provider (SMS gateway, WhatsApp Cloud API) for the tests: never answers
/// while `hang` is set, answers 503 to the next `fail` requests, else 200; keeps
/// every request it got, in order.
#[derive(Clone)]
pub struct Provider {
    pub addr: SocketAddr,
    pub fail: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    pub hang: std::sync::Arc<std::sync::atomic::AtomicBool>,
    requests: std::sync::Arc<std::sync::Mutex<Vec<ProviderRequest>>>,
}

impl Provider {
    /// A provider taking `POST path`, refusing the first `fail` requests.
    pub async fn start(path: &str, fail: usize) -> Self {
        use std::sync::atomic::Ordering;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let provider = Self {
            addr: listener.local_addr().expect("address"),
            fail: std::sync::Arc::new(fail.into()),
            hang: std::sync::Arc::default(),
            requests: std::sync::Arc::default(),
        };
        let state = provider.clone();
        let app = axum::Router::new().route(
            path,
            axum::routing::post(
                move |headers: axum::http::HeaderMap, body: axum::Json<Value>| {
                    let state = state.clone();
                    async move {
                        let hang = state.hang.load(Ordering::SeqCst);
                        let refuse = !hang
                            && state
                                .fail
                                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                                    n.checked_sub(1)
                                })
                                .is_ok();
                        state
                            .requests
                            .lock()
                            .expect("requests")
                            .push(ProviderRequest {
                                headers,
                                body: body.0,
                                accepted: !hang && !refuse,
                            });
                        if hang {
                            std::future::pending::<()>().await;
                        }
                        if refuse {
                            (axum::http::StatusCode::SERVICE_UNAVAILABLE, "busy")
                        } else {
                            (axum::http::StatusCode::OK, "{\"status\":\"queued\"}")
                        }
                    }
                },
            ),
        );
        tokio::spawn(async move { axum::serve(listener, app).await });
        provider
    }

    /// Every request so far, in order.
    pub fn requests(&self) -> Vec<ProviderRequest> {
        self.requests.lock().expect("requests").clone()
    }

    /// The messages it took: accepted requests, one per `Idempotency-Key`.
    pub fn taken(&self) -> Vec<ProviderRequest> {
        let mut seen = std::collections::HashSet::new();
        self.requests()
            .into_iter()
            .filter(|r| r.accepted && seen.insert(r.idempotency_key().to_owned()))
            .collect()
    }
}
