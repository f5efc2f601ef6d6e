//! Integration tests of the platform crate: token verification, events.

mod errors;
mod events;
mod tokens;
