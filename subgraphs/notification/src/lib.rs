//! The notification subgraph: services never send messages themselves; they publish
//! events, and this service turns each into messages — by template, in Indonesian —
//! and delivers each (event, channel) once, over email, SMS, WhatsApp or in-app.
//!
//! Built in steps (issue 5). This step: the templates (stored by code and channel,
//! Indonesian defaults, strict rendering) and the message table.

pub mod db;
pub mod domain;
