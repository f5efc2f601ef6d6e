//! The history tables.

pub mod hidden_entry;
pub mod history_entry;
