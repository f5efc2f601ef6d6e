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
    let tokens = CommonConfig::local().tokens;
    let now = chrono::Utc::now().timestamp();
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

/// The test key pair's PEM texts.
pub fn test_key_pems() -> (&'static str, &'static str) {
    let pair = test_pem_pair();
    (&pair.private_pem, &pair.public_pem)
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
