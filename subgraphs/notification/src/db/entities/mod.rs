//! The notification tables.

pub mod message;
pub mod template;
