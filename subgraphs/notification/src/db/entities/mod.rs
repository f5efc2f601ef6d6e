//! The notification tables.

pub mod message;
pub mod preference;
pub mod template;
