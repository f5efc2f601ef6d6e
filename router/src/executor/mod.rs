//! Running a plan: fetches in the order the plan gives (a parallel stage's fetches
//! concurrently), each result merged into the response at its path, then the
//! response shaped along the client's operation.

mod fetch;
pub mod introspection;
mod merge;
mod project;

use std::sync::Arc;

use bytes::Bytes;
use futures::future::join_all;
use http::HeaderMap;
use serde_json::{Map, Value};

pub use fetch::{Endpoint, FORWARDED_HEADERS, SubgraphClient, SubgraphResponse};
use merge::Representations;

use crate::error::{GraphQLError, PathElement};
use crate::operation::{Operation, OperationKind};
use crate::planner::{FetchNode, FlattenStep, PlanNode, QueryPlan};
use crate::supergraph::Supergraph;

/// A GraphQL response.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Response {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<GraphQLError>,
    pub data: Option<Value>,
}

/// Runs plans against the subgraphs of one supergraph.
#[derive(Debug)]
pub struct Executor {
    schema: Arc<Supergraph>,
    client: SubgraphClient,
}

/// The response under construction.
struct State {
    data: Value,
    errors: Vec<GraphQLError>,
}

/// A fetch ready to send.
struct Ready<'p> {
    fetch: &'p FetchNode,
    body: Bytes,
    /// Entity fetches: the representations sent.
    representations: Option<Representations>,
}

impl Executor {
    pub fn new(schema: Arc<Supergraph>, client: SubgraphClient) -> Self {
        Self { schema, client }
    }

    pub fn schema(&self) -> &Arc<Supergraph> {
        &self.schema
    }

    /// Runs `plan` for `operation` with coerced `variables`; `headers` are the
    /// client's (some are forwarded).
    pub async fn execute(
        &self,
        operation: &Operation,
        plan: &QueryPlan,
        variables: &Map<String, Value>,
        headers: &HeaderMap,
    ) -> Response {
        let mut state = State {
            data: Value::Object(Map::new()),
            errors: Vec::new(),
        };
        if let Some(root) = &plan.root {
            self.run(root, &mut state, variables, headers).await;
        }
        let mut errors = state.errors;
        let data = project::Projector::new(&self.schema, variables, &mut errors)
            .project(operation, &state.data);
        Response {
            errors,
            data: Some(data),
        }
    }

    fn run<'a>(
        &'a self,
        node: &'a PlanNode,
        state: &'a mut State,
        variables: &'a Map<String, Value>,
        headers: &'a HeaderMap,
    ) -> futures::future::BoxFuture<'a, ()> {
        Box::pin(async move {
            match node {
                PlanNode::Sequence(nodes) => {
                    for node in nodes {
                        self.run(node, state, variables, headers).await;
                    }
                }
                PlanNode::Parallel(nodes) if nodes.iter().all(|n| fetch_of(n).is_some()) => {
                    let ready: Vec<(Ready<'a>, Option<&'a [FlattenStep]>)> = nodes
                        .iter()
                        .filter_map(|n| {
                            let (fetch, path) = fetch_of(n)?;
                            self.prepare(fetch, path, state, variables)
                                .map(|r| (r, path))
                        })
                        .collect();
                    let sent = join_all(ready.iter().map(|(r, _)| self.send(r, headers))).await;
                    for ((ready, _), outcome) in ready.into_iter().zip(sent) {
                        self.apply(ready, outcome, state);
                    }
                }
                PlanNode::Parallel(nodes) => {
                    for node in nodes {
                        self.run(node, state, variables, headers).await;
                    }
                }
                PlanNode::Fetch(_) | PlanNode::Flatten { .. } => {
                    let Some((fetch, path)) = fetch_of(node) else {
                        return;
                    };
                    if let Some(ready) = self.prepare(fetch, path, state, variables) {
                        let outcome = self.send(&ready, headers).await;
                        self.apply(ready, outcome, state);
                    }
                }
            }
        })
    }

    /// The request body; `None` for an entity fetch with nothing to fetch.
    fn prepare<'p>(
        &self,
        fetch: &'p FetchNode,
        path: Option<&[FlattenStep]>,
        state: &State,
        variables: &Map<String, Value>,
    ) -> Option<Ready<'p>> {
        let mut fetch_variables = Map::new();
        for name in &fetch.variable_usages {
            if let Some(value) = variables.get(name) {
                fetch_variables.insert(name.clone(), value.clone());
            }
        }
        let representations = match (&fetch.requires, path) {
            (Some(requires), Some(path)) => {
                let reps = merge::representations(
                    &self.schema,
                    &state.data,
                    path,
                    requires,
                    fetch.representation_typename.as_deref(),
                );
                if reps.values.is_empty() {
                    return None;
                }
                fetch_variables.insert("representations".into(), Value::Array(reps.values.clone()));
                Some(reps)
            }
            _ => None,
        };
        let mut body = Map::new();
        body.insert("query".into(), Value::String(fetch.operation.clone()));
        if let Some(name) = &fetch.operation_name {
            body.insert("operationName".into(), Value::String(name.clone()));
        }
        body.insert("variables".into(), Value::Object(fetch_variables));
        let bytes = serde_json::to_vec(&Value::Object(body)).expect("JSON values serialise");
        Some(Ready {
            fetch,
            body: Bytes::from(bytes),
            representations,
        })
    }

    async fn send(
        &self,
        ready: &Ready<'_>,
        headers: &HeaderMap,
    ) -> Result<Arc<SubgraphResponse>, GraphQLError> {
        let shareable = ready.fetch.kind != OperationKind::Mutation;
        self.client
            .send(ready.fetch.graph, ready.body.clone(), headers, shareable)
            .await
    }

    fn apply(
        &self,
        ready: Ready<'_>,
        outcome: Result<Arc<SubgraphResponse>, GraphQLError>,
        state: &mut State,
    ) {
        let service = ready.fetch.service.as_str();
        let response = match outcome {
            Ok(response) => response,
            Err(error) => {
                state.errors.push(error);
                return;
            }
        };
        match ready.representations {
            None => {
                for error in &response.errors {
                    state
                        .errors
                        .push(subgraph_error(error, service, |path| path.to_vec()));
                }
                if let Some(data) = &response.data {
                    merge::deep_merge(&mut state.data, data.clone());
                }
            }
            Some(reps) => {
                for error in &response.errors {
                    let mapped = entity_error_positions(error, &reps);
                    match mapped {
                        Some(positions) => {
                            for (position, rest) in positions {
                                state.errors.push(subgraph_error(error, service, |_| {
                                    let mut path = position.clone();
                                    path.extend(rest.iter().cloned());
                                    path
                                }));
                            }
                        }
                        None => state
                            .errors
                            .push(subgraph_error(error, service, |_| Vec::new())),
                    }
                }
                let Some(Value::Array(entities)) =
                    response.data.as_ref().and_then(|d| d.get("_entities"))
                else {
                    return;
                };
                for (entity, positions) in entities.iter().zip(&reps.positions) {
                    if entity.is_null() {
                        continue;
                    }
                    for position in positions {
                        if let Some(target) = merge::at_mut(&mut state.data, position) {
                            merge::deep_merge(target, entity.clone());
                        }
                    }
                }
            }
        }
    }
}

fn fetch_of(node: &PlanNode) -> Option<(&FetchNode, Option<&[FlattenStep]>)> {
    match node {
        PlanNode::Fetch(fetch) => Some((fetch, None)),
        PlanNode::Flatten { path, node } => match node.as_ref() {
            PlanNode::Fetch(fetch) => Some((fetch, Some(path.as_slice()))),
            _ => None,
        },
        _ => None,
    }
}

/// For an error at `["_entities", i, …rest]`: each position of representation `i`
/// with the rest of the path.
fn entity_error_positions<'r>(
    error: &Value,
    reps: &'r Representations,
) -> Option<Vec<(&'r Vec<PathElement>, Vec<PathElement>)>> {
    let path = error.get("path")?.as_array()?;
    if path.first()?.as_str()? != "_entities" {
        return None;
    }
    let index = usize::try_from(path.get(1)?.as_u64()?).ok()?;
    let rest: Vec<PathElement> = path[2..].iter().filter_map(path_element).collect();
    Some(
        reps.positions
            .get(index)?
            .iter()
            .map(|p| (p, rest.clone()))
            .collect(),
    )
}

fn path_element(value: &Value) -> Option<PathElement> {
    match value {
        Value::String(key) => Some(PathElement::Key(key.clone())),
        Value::Number(n) => n
            .as_u64()
            .and_then(|i| usize::try_from(i).ok())
            .map(PathElement::Index),
        _ => None,
    }
}

/// A subgraph's error as the client sees it: message and extensions kept,
/// `serviceName` added, the path mapped into the client's response.
fn subgraph_error(
    error: &Value,
    service: &str,
    map_path: impl FnOnce(&[PathElement]) -> Vec<PathElement>,
) -> GraphQLError {
    let message = error
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or("Subgraph error")
        .to_owned();
    let original_path: Option<Vec<PathElement>> = error
        .get("path")
        .and_then(Value::as_array)
        .map(|p| p.iter().filter_map(path_element).collect());
    let mut extensions = error
        .get("extensions")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    extensions.insert("serviceName".into(), Value::String(service.to_owned()));
    let path = original_path
        .map(|p| map_path(&p))
        .filter(|p| !p.is_empty());
    GraphQLError {
        message,
        locations: Vec::new(),
        path,
        extensions,
    }
}
