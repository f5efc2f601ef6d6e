//! The router end to end: fixture supergraphs and subgraphs, the benchmark's
//! response, GraphQL over HTTP.

mod bench_response;
mod compose;
mod fixture;
mod http;
mod scenarios;
mod supergraph_compare;
