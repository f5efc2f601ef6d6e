//! The history subgraph over HTTP, end to end. One test binary; a fresh service and
//! database per test (SQLite, or PostgreSQL with `TEST_DATABASE_URL`; events on the
//! in-process bus, and on NATS JetStream too with `TEST_NATS_URL`).

mod entries;
mod events;
mod helpers;
mod schema_contract;
