//! The notification database: sea-orm entities and migrations.

pub mod entities;
pub mod migration;

pub use migration::Migrator;
