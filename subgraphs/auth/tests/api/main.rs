//! The auth subgraph over HTTP, end to end. One test binary; a fresh service and
//! database per test (SQLite, or PostgreSQL with `TEST_DATABASE_URL`).

mod binary;
mod biometric;
mod events;
mod helpers;
mod lockout;
mod otp;
mod registration;
mod schema_contract;
mod service_credentials;
mod sessions;
mod tokens;
