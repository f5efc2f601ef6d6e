//! Auth's GraphQL schema. `schema/auth.graphql` is its contract; the contract test
//! fails when [`sdl`] differs from it.

mod mutation;
mod query;
mod types;

use std::sync::Arc;

use async_graphql::{EmptySubscription, Schema, SchemaBuilder};
use platform::auth::TokenVerifier;

use crate::domain::AuthService;
pub use mutation::Mutation;
pub use query::Query;

pub type AuthSchema = Schema<Query, Mutation, EmptySubscription>;

fn builder() -> SchemaBuilder<Query, Mutation, EmptySubscription> {
    Schema::build(Query, Mutation, EmptySubscription)
        .enable_federation()
        .limit_depth(16)
}

/// The executable schema.
pub fn schema(service: Arc<AuthService>, verifier: TokenVerifier) -> AuthSchema {
    builder().data(service).data(verifier).finish()
}

/// The SDL auth serves at `{ _service { sdl } }`.
pub fn sdl() -> String {
    platform::graphql::federation_sdl(&builder().finish())
}
