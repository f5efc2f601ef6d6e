//! The notification domain.

pub mod templates;
