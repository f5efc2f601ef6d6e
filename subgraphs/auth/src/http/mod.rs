//! Auth's plain-HTTP endpoints: the JWKS and the OAuth token endpoint.

pub mod jwks;
pub mod oauth;
