//! The wallet subgraph: wallets, the balance ledger (every movement with the
//! balance before and after), atomic race-free debits, idempotent movements and the
//! e-money limits by KYC level.

pub mod app;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod graphql;

pub use app::{App, Dependencies};
pub use config::Config;
