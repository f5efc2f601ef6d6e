//! The transaction tables.

pub mod callback;
pub mod invoice;
pub mod merchant;
pub mod transaction;
