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

pub use fetch::{Endpoint, FORWARDED_HEADERS, SubgraphClient, SubgraphResponse, Upload, caller};
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
    /// Absent for request errors (nothing was executed); `null` when execution
    /// nulled the whole result.
    #[serde(skip_serializing_if = "Option::is_none")]
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

/// What every fetch of one execution shares.
struct Context<'r> {
    variables: &'r Map<String, Value>,
    headers: &'r HeaderMap,
    uploads: &'r [Upload],
}

/// A fetch ready to send.
struct Ready<'p> {
    fetch: &'p FetchNode,
    /// Entity fetches: where their objects are.
    path: Option<&'p [FlattenStep]>,
    body: Bytes,
    /// Entity fetches: the representations sent.
    representations: Option<Representations>,
    /// Files whose variables the fetch uses.
    uploads: Vec<&'p Upload>,
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
        self.execute_with_uploads(operation, plan, variables, headers, &[])
            .await
    }

    /// [`Executor::execute`] with uploaded files, forwarded to the fetches that use
    /// their variables.
    pub async fn execute_with_uploads(
        &self,
        operation: &Operation,
        plan: &QueryPlan,
        variables: &Map<String, Value>,
        headers: &HeaderMap,
        uploads: &[Upload],
    ) -> Response {
        let mut state = State {
            data: Value::Object(Map::new()),
            errors: Vec::new(),
        };
        if let Some(root) = &plan.root {
            let context = Context {
                variables,
                headers,
                uploads,
            };
            self.run(root, &mut state, &context).await;
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
        context: &'a Context<'a>,
    ) -> futures::future::BoxFuture<'a, ()> {
        Box::pin(async move {
            match node {
                PlanNode::Sequence(nodes) => {
                    for node in nodes {
                        self.run(node, state, context).await;
                    }
                }
                PlanNode::Parallel(nodes) if nodes.iter().all(|n| fetch_of(n).is_some()) => {
                    let ready: Vec<Ready<'a>> = nodes
                        .iter()
                        .filter_map(|n| {
                            let (fetch, path) = fetch_of(n)?;
                            self.prepare(fetch, path, state, context)
                        })
                        .collect();
                    let sent = join_all(ready.iter().map(|r| self.send(r, context.headers))).await;
                    for (ready, outcome) in ready.into_iter().zip(sent) {
                        self.apply(ready, outcome, state);
                    }
                }
                PlanNode::Parallel(nodes) => {
                    for node in nodes {
                        self.run(node, state, context).await;
                    }
                }
                PlanNode::Fetch(_) | PlanNode::Flatten { .. } => {
                    let Some((fetch, path)) = fetch_of(node) else {
                        return;
                    };
                    if let Some(ready) = self.prepare(fetch, path, state, context) {
                        let outcome = self.send(&ready, context.headers).await;
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
        path: Option<&'p [FlattenStep]>,
        state: &State,
        context: &Context<'p>,
    ) -> Option<Ready<'p>> {
        let representations = match (&fetch.requires, path) {
            (Some(requires), Some(path)) => {
                let reps = merge::representations(
                    &self.schema,
                    fetch.graph,
                    &state.data,
                    path,
                    requires,
                    fetch.representation_typename.as_deref(),
                );
                if reps.is_empty() {
                    return None;
                }
                Some(reps)
            }
            _ => None,
        };
        let body = request_body(fetch, context.variables, representations.as_ref());
        let uploads = context
            .uploads
            .iter()
            .filter(|u| fetch.variable_usages.iter().any(|v| v == u.variable()))
            .collect();
        Some(Ready {
            fetch,
            path,
            body: Bytes::from(body),
            representations,
            uploads,
        })
    }

    async fn send(
        &self,
        ready: &Ready<'_>,
        headers: &HeaderMap,
    ) -> Result<Arc<SubgraphResponse>, GraphQLError> {
        if !ready.uploads.is_empty() {
            return self
                .client
                .send_with_uploads(
                    ready.fetch.graph,
                    ready.body.clone(),
                    &ready.uploads,
                    headers,
                )
                .await;
        }
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
        // The response is ours alone unless a shared fetch handed it to others too.
        let SubgraphResponse { mut data, errors } =
            Arc::try_unwrap(response).unwrap_or_else(|shared| (*shared).clone());
        if !ready.fetch.renames.is_empty()
            && let Some(data) = &mut data
        {
            let answers = match ready.representations {
                Some(_) => data.get_mut("_entities"),
                None => Some(data),
            };
            if let Some(answers) = answers {
                merge::apply_renames(&self.schema, answers, &ready.fetch.renames);
            }
        }
        let (Some(reps), Some(path)) = (ready.representations, ready.path) else {
            for error in &errors {
                state
                    .errors
                    .push(subgraph_error(error, service, |path| path.to_vec()));
            }
            if let Some(data) = data {
                merge::deep_merge(&mut state.data, data);
            }
            return;
        };
        for error in &errors {
            match entity_error_positions(error, &reps, path) {
                Some(paths) => {
                    for full in paths {
                        state.errors.push(subgraph_error(error, service, |_| full));
                    }
                }
                None => state
                    .errors
                    .push(subgraph_error(error, service, |_| Vec::new())),
            }
        }
        let Some(Value::Object(mut data)) = data else {
            return;
        };
        let Some(Value::Array(entities)) = data.remove("_entities") else {
            return;
        };
        for (entity, positions) in entities.into_iter().zip(&reps.positions) {
            if entity.is_null() {
                continue;
            }
            // Each object gets its copy; the last one takes the entity itself.
            let Some((last, others)) = positions.split_last() else {
                continue;
            };
            for position in others {
                if let Some(target) = merge::at_mut(&mut state.data, path, position) {
                    merge::deep_merge(target, entity.clone());
                }
            }
            if let Some(target) = merge::at_mut(&mut state.data, path, last) {
                merge::deep_merge(target, entity);
            }
        }
    }
}

/// The JSON body of a fetch: its query, operation name and the variables it uses
/// (with the representations, already in JSON, for an entity fetch).
fn request_body(
    fetch: &FetchNode,
    variables: &Map<String, Value>,
    representations: Option<&Representations>,
) -> Vec<u8> {
    fn json(out: &mut Vec<u8>, value: &impl serde::Serialize) {
        serde_json::to_writer(out, value).expect("strings and JSON values serialise");
    }
    let mut out = Vec::with_capacity(
        fetch.operation.len() + 64 + representations.map_or(0, |r| r.json.len()),
    );
    out.extend_from_slice(b"{\"query\":");
    json(&mut out, &fetch.operation.as_str());
    if let Some(name) = &fetch.operation_name {
        out.extend_from_slice(b",\"operationName\":");
        json(&mut out, &name.as_str());
    }
    out.extend_from_slice(b",\"variables\":{");
    let mut first = true;
    for name in &fetch.variable_usages {
        let Some(value) = variables.get(name) else {
            continue;
        };
        if !first {
            out.push(b',');
        }
        first = false;
        json(&mut out, &name.as_str());
        out.push(b':');
        json(&mut out, value);
    }
    if let Some(reps) = representations {
        if !first {
            out.push(b',');
        }
        out.extend_from_slice(b"\"representations\":");
        out.extend_from_slice(&reps.json);
    }
    out.extend_from_slice(b"}}");
    out
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

/// For an error at `["_entities", i, …rest]`: the response path of each object
/// representation `i` stands for, with the rest of the path.
fn entity_error_positions(
    error: &Value,
    reps: &Representations,
    path: &[FlattenStep],
) -> Option<Vec<Vec<PathElement>>> {
    let error_path = error.get("path")?.as_array()?;
    if error_path.first()?.as_str()? != "_entities" {
        return None;
    }
    let index = usize::try_from(error_path.get(1)?.as_u64()?).ok()?;
    let rest: Vec<PathElement> = error_path[2..].iter().filter_map(path_element).collect();
    Some(
        reps.positions
            .get(index)?
            .iter()
            .map(|position| {
                let mut full = position.to_path(path);
                full.extend(rest.iter().cloned());
                full
            })
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
