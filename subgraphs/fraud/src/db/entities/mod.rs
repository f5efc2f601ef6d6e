//! The fraud tables.

pub mod fraud_log;
pub mod fraud_profile;
