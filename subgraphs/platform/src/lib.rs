//! The shared platform of every Dompet Sawit subgraph: configuration, telemetry,
//! database connection and migrations, token verification, service credentials,
//! the client-facing error type and the event outbox/bus. It holds no domain logic.

pub mod auth;
pub mod clock;
pub mod config;
pub mod db;
pub mod error;
pub mod events;
pub mod graphql;
pub mod http_client;
pub mod idempotency;
pub mod money;
pub mod pagination;
pub mod server;
pub mod service;
pub mod telemetry;

#[cfg(feature = "testing")]
pub mod testing;

pub use clock::{Clock, SharedClock, SystemClock};
pub use error::{ApiError, ApiResult, ErrorCode};
pub use money::Rupiah;
