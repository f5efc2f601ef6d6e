//! The transaction subgraph: `createTransaction` as a saga with persisted state
//! (validate → fraud check → move money → record → event), idempotency keys, crash
//! recovery; VA invoices for registered merchants; payments of marketplace VAs and
//! the callbacks that tell the marketplace.

pub mod app;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod graphql;
#[cfg(feature = "testing")]
pub mod testing;

pub use app::{App, Dependencies};
pub use config::Config;
