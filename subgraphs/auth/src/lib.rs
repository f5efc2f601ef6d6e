//! The auth subgraph: users, credentials, tokens (RS256), OTP verification,
//! biometric login, service credentials and the JWKS every other service verifies
//! tokens with.

pub mod app;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod graphql;
pub mod http;

pub use app::{App, Dependencies};
pub use config::Config;
