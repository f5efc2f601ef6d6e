//! The wallet subgraph over HTTP, end to end. One test binary; a fresh service and
//! database per test (SQLite, or PostgreSQL with `TEST_DATABASE_URL`).

mod concurrency;
mod helpers;
mod internal;
mod limits;
mod schema_contract;
mod wallets;
