//! The history subgraph: the audit trail of money movements. Entries come from the
//! transaction service's events (not from direct calls), are never changed, and
//! can only be hidden from their owner's own view.

pub mod app;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod graphql;

pub use app::{App, Dependencies};
pub use config::Config;
