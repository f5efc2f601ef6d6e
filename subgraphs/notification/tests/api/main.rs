//! The notification subgraph over HTTP and its event consumers, on a real database
//! (SQLite, or PostgreSQL with `TEST_DATABASE_URL`) and every event bus the
//! environment offers (in-process, NATS with `TEST_NATS_URL`).

mod crash;
mod delivery;
mod events;
mod helpers;
mod notifications;
mod providers;
mod schema_contract;
mod templates;
