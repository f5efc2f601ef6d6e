//! The federation router. Modules follow the request pipeline:
//!
//! - [`supergraph`]: the supergraph SDL (Apollo join spec) as a model — types,
//!   fields, and which subgraph can resolve what.
//! - `compose`: subgraph SDLs → supergraph SDL.
//! - `operation`: parse → validate against the API schema → normalise.
//! - `planner`: the query plan (fetches per subgraph, in parallel or in sequence).
//! - `executor`: run the plan, merge the results, shape the response.
//! - `server`: GraphQL over HTTP.

// `GraphQLError` is the router's error everywhere; it is not boxed because errors
// are the rare path and boxing every `Result` would obscure the code.
#![allow(clippy::result_large_err)]

pub mod compose;
pub mod config;
pub mod dedupe;
pub mod error;
pub mod executor;
pub mod operation;
pub mod planner;
pub mod server;
pub mod supergraph;
