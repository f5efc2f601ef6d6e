//! The federation router. Modules follow the request pipeline:
//!
//! - [`supergraph`]: the supergraph SDL (Apollo join spec) as a model — types,
//!   fields, and which subgraph can resolve what.
//! - `compose`: subgraph SDLs → supergraph SDL.
//! - `operation`: parse → validate against the API schema → normalise.
//! - `planner`: the query plan (fetches per subgraph, in parallel or in sequence).
//! - `executor`: run the plan, merge the results, shape the response.
//! - `server`: GraphQL over HTTP.

pub mod error;
pub mod executor;
pub mod operation;
pub mod planner;
pub mod supergraph;
