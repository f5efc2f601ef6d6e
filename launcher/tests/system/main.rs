//! The whole system through the router, as a client sees it: every subgraph the
//! launcher starts, one `/graphql`. Runs on SQLite + the in-process bus, or on
//! PostgreSQL + NATS when `TEST_DATABASE_URL` / `TEST_NATS_URL` are set.

mod api_guide;
mod federation;
mod helpers;
mod notifications;
mod public_api;
