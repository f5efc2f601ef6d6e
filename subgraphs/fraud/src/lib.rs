//! The fraud subgraph: every transaction's risk check (amount thresholds and
//! velocity rules, configurable), each logged; the fraud logs admins review.

pub mod app;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod graphql;

pub use app::{App, Dependencies};
pub use config::Config;
