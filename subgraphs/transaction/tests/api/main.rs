//! The transaction subgraph over HTTP, end to end, with the real auth, wallet and
//! fraud subgraphs and a marketplace double. One test binary; fresh services and
//! databases per test (SQLite, or PostgreSQL with `TEST_DATABASE_URL`).

mod concurrency;
mod helpers;
mod idempotency;
mod invoices;
mod marketplace_va;
mod recovery;
mod schema_contract;
mod transactions;
