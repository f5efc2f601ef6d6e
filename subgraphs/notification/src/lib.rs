//! The notification subgraph: services never send messages themselves; they publish
//! events, and this service turns each into messages — by template, in Indonesian —
//! and delivers each (event, channel, recipient) once, over email, SMS, WhatsApp or
//! in-app.

pub mod app;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod graphql;

pub use app::{App, Dependencies};
pub use config::Config;
