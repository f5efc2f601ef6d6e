//! The wallet tables.

pub mod ledger_entry;
pub mod monthly_incoming;
pub mod movement;
pub mod owner;
pub mod wallet;
