//! Helpers for the subgraphs' tests (feature `testing`): a fresh database per test
//! (SQLite file, or PostgreSQL when `TEST_DATABASE_URL` is set), a test key pair, the
//! NATS URL when `TEST_NATS_URL` is set, and the schema-contract assertion.

use std::path::Path;
use std::sync::OnceLock;

use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use sea_orm_migration::{MigrationTrait, MigratorTrait};

use crate::auth::keys::{PemPair, SigningKey, VerificationKey, generate_pem_pair};
use crate::config::CommonConfig;
use crate::events::EventBus;

/// A database that exists for one test.
#[derive(Debug)]
pub struct TestDatabase {
    pub url: String,
    /// Keeps the SQLite file's folder alive.
    _dir: Option<tempfile::TempDir>,
    /// PostgreSQL: (admin URL, database name) to drop afterwards.
    postgres: Option<(String, String)>,
}

impl TestDatabase {
    /// A fresh, empty database.
    pub async fn new() -> Self {
        match std::env::var("TEST_DATABASE_URL") {
            Ok(admin_url) if !admin_url.is_empty() => Self::postgres(admin_url).await,
            _ => Self::sqlite(),
        }
    }

    /// Whether tests run against PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        self.postgres.is_some()
    }

    fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("temporary folder for a test database");
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
        Self {
            url,
            _dir: Some(dir),
            postgres: None,
        }
    }

    async fn postgres(admin_url: String) -> Self {
        let name = format!("t_{}", uuid::Uuid::new_v4().simple());
        let admin = Database::connect(&admin_url)
            .await
            .expect("TEST_DATABASE_URL must reach a PostgreSQL server");
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create the test database");
        let _ = admin.close().await;
        Self {
            url: with_database(&admin_url, &name),
            _dir: None,
            postgres: Some((admin_url, name)),
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some((admin_url, name)) = self.postgres.take() else {
            return;
        };
        // Drop runs outside any async context guarantee; use a thread of its own.
        let _ = std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            runtime.block_on(async move {
                if let Ok(admin) = Database::connect(&admin_url).await {
                    let _ = admin
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await;
                    let _ = admin.close().await;
                }
            });
        })
        .join();
    }
}

/// `url` with its database name replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    let mut out = format!("{}/{name}", &base[..path_start]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

/// The NATS server for event tests, when `TEST_NATS_URL` is set.
pub fn nats_url() -> Option<String> {
    std::env::var("TEST_NATS_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

/// Migrates only the event tables (outbox and inbox).
struct EventTables;

impl MigratorTrait for EventTables {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![Box::new(crate::events::migration::Migration)]
    }
}

/// A fresh database holding only the event tables, for a test producer or consumer.
/// Keep the [`TestDatabase`] alive as long as the connection is used.
pub async fn event_database() -> (TestDatabase, DatabaseConnection) {
    let database = TestDatabase::new().await;
    let db = crate::db::connect_and_migrate::<EventTables>(&database.url, 5)
        .await
        .expect("a migrated event database");
    (database, db)
}

/// Every bus the environment offers: the in-process bus always, NATS JetStream (on a
/// stream and subjects of its own) when `TEST_NATS_URL` is set.
pub async fn event_buses() -> Vec<EventBus> {
    let mut buses = vec![EventBus::InProcess(crate::events::InProcessBus::new())];
    if let Some(url) = nats_url() {
        let suffix = uuid::Uuid::new_v4().simple().to_string();
        let mut config = CommonConfig::local().events;
        config.bus_url = Some(url);
        config.stream = format!("TEST_{suffix}");
        config.subject_prefix = format!("t{suffix}");
        buses.push(
            EventBus::from_config(&config)
                .await
                .expect("TEST_NATS_URL must reach a NATS server with JetStream"),
        );
    }
    buses
}

/// Deletes the NATS stream of a bus from [`event_buses`].
pub async fn clean_up_bus(bus: &EventBus) {
    if let EventBus::Nats(nats) = bus {
        let _ = nats.delete_stream().await;
    }
}

fn test_pem_pair() -> &'static PemPair {
    static PAIR: OnceLock<PemPair> = OnceLock::new();
    PAIR.get_or_init(|| generate_pem_pair(2048).expect("generate the test key pair"))
}

/// The test signing key (generated once per test binary).
pub fn test_signing_key() -> SigningKey {
    SigningKey::from_pem(&test_pem_pair().private_pem, "test key").expect("test key loads")
}

/// The public half of [`test_signing_key`].
pub fn test_verification_key() -> VerificationKey {
    VerificationKey::from_pem(&test_pem_pair().public_pem, "test key").expect("test key loads")
}

/// An access token of user `user_id` with `role`, signed by [`test_signing_key`]
/// for the local issuer and audience, valid for ten minutes.
pub fn test_access_token(user_id: &str, role: crate::auth::Role) -> String {
    test_access_token_at(user_id, role, chrono::Utc::now())
}

/// [`test_access_token`] issued at `now` (for services on a manual clock).
pub fn test_access_token_at(
    user_id: &str,
    role: crate::auth::Role,
    now: chrono::DateTime<chrono::Utc>,
) -> String {
    let tokens = CommonConfig::local().tokens;
    let now = now.timestamp();
    let claims = crate::auth::Claims {
        iss: tokens.issuer,
        sub: user_id.to_owned(),
        aud: tokens.audience,
        exp: now + 600,
        iat: now,
        nbf: Some(now),
        jti: format!("test-{user_id}-{now}"),
        typ: crate::auth::TokenType::Access,
        role: Some(role),
        username: Some(user_id.to_owned()),
        amr: vec!["pwd".into()],
        scope: None,
    };
    test_signing_key()
        .sign(&claims)
        .expect("the test key signs")
}

/// A service token of client `client_id` with `scopes`, signed by
/// [`test_signing_key`] for the local issuer and internal audience, valid for ten
/// minutes.
pub fn test_service_token(client_id: &str, scopes: &[&str]) -> String {
    test_service_token_at(client_id, scopes, chrono::Utc::now())
}

/// [`test_service_token`] issued at `now` (for services on a manual clock).
pub fn test_service_token_at(
    client_id: &str,
    scopes: &[&str],
    now: chrono::DateTime<chrono::Utc>,
) -> String {
    let tokens = CommonConfig::local().tokens;
    let now = now.timestamp();
    let claims = crate::auth::Claims {
        iss: tokens.issuer,
        sub: format!("{}{client_id}", crate::auth::claims::SERVICE_SUBJECT_PREFIX),
        aud: tokens.service_audience,
        exp: now + 600,
        iat: now,
        nbf: Some(now),
        jti: format!("test-svc-{client_id}-{now}"),
        typ: crate::auth::TokenType::Service,
        role: None,
        username: None,
        amr: Vec::new(),
        scope: Some(scopes.join(" ")),
    };
    test_signing_key()
        .sign(&claims)
        .expect("the test key signs")
}

/// The test key pair's PEM texts.
pub fn test_key_pems() -> (&'static str, &'static str) {
    let pair = test_pem_pair();
    (&pair.private_pem, &pair.public_pem)
}

/// The test key pair written to a temporary folder, for services that read PEM
/// files. Keep it alive as long as the service runs.
#[derive(Debug)]
pub struct TestKeys {
    dir: tempfile::TempDir,
}

impl TestKeys {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("key folder");
        let (private_pem, public_pem) = test_key_pems();
        std::fs::write(dir.path().join("private.pem"), private_pem).expect("write key");
        std::fs::write(dir.path().join("public.pem"), public_pem).expect("write key");
        Self { dir }
    }

    pub fn private_key_path(&self) -> std::path::PathBuf {
        self.dir.path().join("private.pem")
    }

    pub fn public_key_path(&self) -> std::path::PathBuf {
        self.dir.path().join("public.pem")
    }
}

impl Default for TestKeys {
    fn default() -> Self {
        Self::new()
    }
}

/// Settings for a subgraph under test: `database_url`, tokens verified with
/// `keys`, a small pool and a fast outbox relay.
pub fn test_common_config(database_url: &str, keys: &TestKeys) -> CommonConfig {
    let mut common = CommonConfig::local();
    common.database_url = Some(database_url.to_owned());
    common.database_max_connections = 5;
    common.events.outbox_poll_ms = 50;
    common.tokens.public_key_paths = vec![keys.public_key_path()];
    common
}

/// Posts a GraphQL request to `url` and returns the whole response body.
pub async fn post_graphql(
    http: &reqwest::Client,
    url: &str,
    token: Option<&str>,
    query: &str,
    variables: serde_json::Value,
) -> serde_json::Value {
    let mut request = http
        .post(url)
        .json(&serde_json::json!({ "query": query, "variables": variables }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("the service answers");
    response.json().await.expect("a JSON body")
}

/// `errors[0].extensions.code` of a response.
pub fn error_code(body: &serde_json::Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("expected an error, got {body}"))
}

/// A local port nothing listens on now (for a binary the test starts).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// Waits until a service on `port` answers `/health` (panics after 20 s).
pub async fn wait_until_serving(http: &reqwest::Client, port: u16) {
    let started = std::time::Instant::now();
    while http
        .get(format!("http://127.0.0.1:{port}/health"))
        .send()
        .await
        .is_err()
    {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "nothing served on port {port}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// The query a subgraph answers with its SDL.
pub const SERVICE_SDL: &str = "{ _service { sdl } }";

/// The schema-contract check of subgraph `name`, given its answer to
/// [`SERVICE_SDL`]: the served SDL is `exported` (its `graphql::sdl()`) and equals
/// the contract `schema/<name>.graphql`.
pub fn assert_served_contract(body: &serde_json::Value, exported: &str, name: &str) {
    let served = body["data"]["_service"]["sdl"]
        .as_str()
        .unwrap_or_else(|| panic!("no SDL in {body}"));
    assert_eq!(served, exported, "served SDL is the exported one");
    let contract = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../schema")
        .join(format!("{name}.graphql"));
    assert_schema_contract(served, &contract);
}

/// Fails, with a line diff, when the SDL a subgraph serves differs from its contract
/// file. With `UPDATE_SCHEMA=1` the file is rewritten instead (never silently).
pub fn assert_schema_contract(served: &str, contract: &Path) {
    let expected = std::fs::read_to_string(contract).unwrap_or_default();
    if expected == served {
        return;
    }
    if std::env::var("UPDATE_SCHEMA").is_ok_and(|v| v == "1") {
        std::fs::write(contract, served).expect("rewrite the schema contract");
        eprintln!("UPDATE_SCHEMA=1: rewrote {}", contract.display());
        return;
    }
    let diff = similar::TextDiff::from_lines(expected.as_str(), served);
    let mut report = String::new();
    for change in diff.iter_all_changes() {
        let sign = match change.tag() {
            similar::ChangeTag::Delete => '-',
            similar::ChangeTag::Insert => '+',
            similar::ChangeTag::Equal => continue,
        };
        report.push(sign);
        report.push_str(change.as_str().unwrap_or_default());
    }
    panic!(
        "the served SDL differs from the contract {} (- contract, + served).\n\
         Edit the contract first; run with UPDATE_SCHEMA=1 to accept the served SDL.\n{report}",
        contract.display()
    );
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn database_name_is_replaced_in_the_url() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/test", "t_1"),
            "postgres://postgres@127.0.0.1:5432/t_1"
        );
        assert_eq!(
            with_database("postgres://u:p@h/test?sslmode=disable", "t_2"),
            "postgres://u:p@h/t_2?sslmode=disable"
        );
        assert_eq!(with_database("postgres://h", "t_3"), "postgres://h/t_3");
    }
}
