//! The notification subgraph's GraphQL schema. `schema/notification.graphql` is its
//! contract; the contract test fails when [`sdl`] differs from it.

mod mutation;
mod query;
mod types;

use std::sync::Arc;

use async_graphql::{EmptySubscription, Schema, SchemaBuilder};

use crate::domain::NotificationService;
pub use mutation::Mutation;
pub use query::Query;

pub type NotificationSchema = Schema<Query, Mutation, EmptySubscription>;

fn builder() -> SchemaBuilder<Query, Mutation, EmptySubscription> {
    Schema::build(Query, Mutation, EmptySubscription)
        .enable_federation()
        .limit_depth(16)
}

/// The executable schema.
pub fn schema(service: Arc<NotificationService>) -> NotificationSchema {
    builder().data(service).finish()
}

/// The SDL the notification subgraph serves at `{ _service { sdl } }`.
pub fn sdl() -> String {
    platform::graphql::federation_sdl(&builder().finish())
}
