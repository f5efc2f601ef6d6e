//! Integration tests of the platform crate: token verification, events.

mod events;
mod tokens;
