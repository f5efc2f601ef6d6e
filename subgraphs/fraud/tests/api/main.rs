//! The fraud subgraph over HTTP, end to end. One test binary; a fresh service and
//! database per test (SQLite, or PostgreSQL with `TEST_DATABASE_URL`).

mod checks;
mod helpers;
mod logs;
mod schema_contract;
