//! Identity for every subgraph: the token claims auth issues, their verification
//! (RS256 only), the caller a resolver sees, and service credentials for calls
//! between subgraphs.

pub mod caller;
pub mod claims;
pub mod keys;
pub mod service;
pub mod verify;

pub use caller::{Caller, ServicePrincipal, UserPrincipal};
pub use claims::{Claims, Role, TokenType};
pub use verify::{TokenError, TokenVerifier};
