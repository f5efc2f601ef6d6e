//! `/graphql` over HTTP (GraphQL-over-HTTP): POST with JSON (or a multipart
//! upload), GET for queries, `application/graphql-response+json` or
//! `application/json` answers with the status codes each calls for; CSRF
//! prevention; bearer tokens verified before any subgraph is called; limits; the
//! document and plan caches; identical in-flight queries sharing one execution.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

use super::RouterState;
use super::limits;
use crate::dedupe::InFlight;
use crate::error::{GraphQLError, codes};
use crate::executor::Response as GraphQLResponse;
use crate::operation::{self, OperationKind, Prepared};
use crate::planner::{self, QueryPlan};

/// A GraphQL request, from a JSON body, a GET query string or a multipart upload.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub query: String,
    pub operation_name: Option<String>,
    pub variables: Map<String, Value>,
    /// Multipart uploads: the files, by the variable path they replace.
    pub uploads: Vec<crate::executor::Upload>,
}

/// What the client accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Media {
    /// `application/graphql-response+json`: request errors are 4xx.
    GraphQLResponse,
    /// `application/json`: GraphQL responses are 200.
    Json,
}

impl Media {
    fn content_type(self) -> &'static str {
        match self {
            Self::GraphQLResponse => "application/graphql-response+json; charset=utf-8",
            Self::Json => "application/json; charset=utf-8",
        }
    }
}

/// The media type to answer in, or `None` when the client accepts neither.
fn negotiate(headers: &HeaderMap) -> Option<Media> {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Some(Media::Json);
    };
    let mut json = false;
    for part in accept.split(',') {
        let mut pieces = part.split(';');
        let media = pieces
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let refused = pieces.any(|p| {
            let p = p.trim().replace(' ', "");
            p == "q=0" || p == "q=0.0" || p == "q=0.00" || p == "q=0.000"
        });
        if refused {
            continue;
        }
        match media.as_str() {
            "application/graphql-response+json" => return Some(Media::GraphQLResponse),
            "application/json" | "application/*" | "*/*" => json = true,
            _ => {}
        }
    }
    json.then_some(Media::Json)
}

/// An answer with a body of GraphQL errors.
fn error_response(status: StatusCode, media: Media, errors: Vec<GraphQLError>) -> Response {
    let body = GraphQLResponse { errors, data: None };
    json_response(
        status,
        media,
        &serde_json::to_vec(&body).expect("responses serialise"),
    )
}

fn json_response(status: StatusCode, media: Media, body: &[u8]) -> Response {
    let mut response = (status, Body::from(body.to_vec())).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(media.content_type()),
    );
    response
}

/// A request error: 400 with `application/graphql-response+json`, 200 with
/// `application/json` (GraphQL-over-HTTP §6.4.1 / §6.4.2).
fn request_error(media: Media, errors: Vec<GraphQLError>) -> Response {
    let status = match media {
        Media::GraphQLResponse => StatusCode::BAD_REQUEST,
        Media::Json => StatusCode::OK,
    };
    error_response(status, media, errors)
}

pub async fn post(
    State(state): State<Arc<RouterState>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let Some(media) = negotiate(&headers) else {
        return not_acceptable();
    };
    if let Some(blocked) = csrf(&state, &headers, media) {
        return blocked;
    }
    let bytes = match axum::body::to_bytes(body, state.config.limits.max_body_bytes).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return error_response(
                StatusCode::PAYLOAD_TOO_LARGE,
                media,
                vec![GraphQLError::new(
                    format!(
                        "The request body is larger than {} bytes.",
                        state.config.limits.max_body_bytes
                    ),
                    codes::PAYLOAD_TOO_LARGE,
                )],
            );
        }
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let request = match essence.as_str() {
        "application/json" | "application/graphql-response+json" => parse_json_body(&bytes),
        "multipart/form-data" => super::upload::parse(&content_type, bytes).await,
        _ => {
            return error_response(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                media,
                vec![GraphQLError::new(
                    "Send the request as `application/json` (or `multipart/form-data` for uploads).",
                    codes::BAD_REQUEST,
                )],
            );
        }
    };
    match request {
        Ok(request) => handle(state, headers, Method::POST, request, media).await,
        Err(error) => error_response(StatusCode::BAD_REQUEST, media, vec![error]),
    }
}

pub async fn get(
    State(state): State<Arc<RouterState>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let params: HashMap<String, String> = query
        .as_deref()
        .map(|q| url_decoded_pairs(q).into_iter().collect())
        .unwrap_or_default();
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    if !params.contains_key("query") && wants_html {
        return super::graphiql::page();
    }
    let Some(media) = negotiate(&headers) else {
        return not_acceptable();
    };
    if let Some(blocked) = csrf(&state, &headers, media) {
        return blocked;
    }
    let Some(query) = params.get("query").cloned() else {
        return error_response(
            StatusCode::BAD_REQUEST,
            media,
            vec![GraphQLError::new(
                "A GET request needs a `query` parameter.",
                codes::BAD_REQUEST,
            )],
        );
    };
    let variables = match params
        .get("variables")
        .map(|v| serde_json::from_str::<Value>(v))
    {
        None => Map::new(),
        Some(Ok(Value::Object(map))) => map,
        Some(Ok(Value::Null)) => Map::new(),
        Some(_) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                media,
                vec![GraphQLError::new(
                    "`variables` must be a JSON object.",
                    codes::BAD_REQUEST,
                )],
            );
        }
    };
    let request = Request {
        query,
        operation_name: params
            .get("operationName")
            .filter(|n| !n.is_empty())
            .cloned(),
        variables,
        uploads: Vec::new(),
    };
    handle(state, headers, Method::GET, request, media).await
}

fn not_acceptable() -> Response {
    let mut response = (
        StatusCode::NOT_ACCEPTABLE,
        "Accept application/graphql-response+json or application/json.",
    )
        .into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

pub(super) fn parse_json_body(bytes: &Bytes) -> Result<Request, GraphQLError> {
    let bad = |message: &str| GraphQLError::new(message, codes::BAD_REQUEST);
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| bad(&format!("The body is not valid JSON: {e}")))?;
    let Value::Object(mut object) = value else {
        return Err(bad(
            "The body must be a JSON object (batched requests are not supported).",
        ));
    };
    let query = match object.remove("query") {
        Some(Value::String(query)) => query,
        _ => return Err(bad("The body needs a `query` string.")),
    };
    let operation_name = match object.remove("operationName") {
        None | Some(Value::Null) => None,
        Some(Value::String(name)) => Some(name),
        Some(_) => return Err(bad("`operationName` must be a string.")),
    };
    let variables = match object.remove("variables") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(map)) => map,
        Some(_) => return Err(bad("`variables` must be a JSON object.")),
    };
    Ok(Request {
        query,
        operation_name,
        variables,
        uploads: Vec::new(),
    })
}

/// Apollo Router's CSRF prevention: a request that a browser would send without
/// a preflight (no content type, or a "simple" one) must carry a header only a
/// script can set.
fn csrf(state: &RouterState, headers: &HeaderMap, media: Media) -> Option<Response> {
    if !state.config.csrf {
        return None;
    }
    let preflighted = ["x-apollo-operation-name", "apollo-require-preflight"]
        .iter()
        .any(|name| headers.get(*name).is_some_and(|v| !v.is_empty()));
    if preflighted {
        return None;
    }
    let simple = match headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    {
        None => true,
        Some(content_type) => matches!(
            content_type
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
                .as_str(),
            "application/x-www-form-urlencoded" | "multipart/form-data" | "text/plain"
        ),
    };
    simple.then(|| {
        error_response(
            StatusCode::BAD_REQUEST,
            media,
            vec![GraphQLError::new(
                "This request has been blocked as a potential Cross-Site Request Forgery (CSRF). Send a `Content-Type` that is not application/x-www-form-urlencoded, multipart/form-data or text/plain, or a non-empty `Apollo-Require-Preflight` or `X-Apollo-Operation-Name` header.",
                codes::CSRF,
            )],
        )
    })
}

/// A planned operation, cached on the document and the values of its
/// `@skip`/`@include` variables.
#[derive(Debug)]
pub struct Planned {
    pub operation: operation::Operation,
    pub plan: Arc<QueryPlan>,
}

type DocumentKey = (String, Option<String>);
type DocumentEntry = Arc<Result<Prepared, Vec<GraphQLError>>>;
/// Request (query, operation name, variables), who calls, plan shown.
type RequestKey = (Vec<u8>, Option<bytes::Bytes>, bool);
type PlanKey = (String, Option<String>, Vec<bool>);

/// Bounded caches (cleared when full: plans are cheap to rebuild, and hostile
/// traffic cannot grow them without end).
#[derive(Debug)]
pub struct Caches {
    documents: Mutex<HashMap<DocumentKey, DocumentEntry>>,
    /// Plans by document, operation name and `@skip`/`@include` values (the
    /// fast path), and by normalised operation (shared between documents).
    plans: Mutex<HashMap<PlanKey, Result<Arc<Planned>, String>>>,
    plans_by_signature: Mutex<HashMap<String, Result<Arc<QueryPlan>, String>>>,
    plans_built: std::sync::atomic::AtomicUsize,
    /// Identical queries in flight: one execution, one answer.
    in_flight: InFlight<RequestKey, (StatusCode, Arc<Vec<u8>>)>,
}

const CACHE_CAPACITY: usize = 2048;

impl Caches {
    /// How many plans the planner has made (the rest came from the caches).
    pub fn plans_built(&self) -> usize {
        self.plans_built.load(std::sync::atomic::Ordering::Relaxed)
    }

    pub fn new() -> Self {
        Self {
            documents: Mutex::new(HashMap::new()),
            plans: Mutex::new(HashMap::new()),
            plans_by_signature: Mutex::new(HashMap::new()),
            plans_built: Default::default(),
            in_flight: InFlight::new(),
        }
    }
}

impl Default for Caches {
    fn default() -> Self {
        Self::new()
    }
}

fn cached<K: std::hash::Hash + Eq, V: Clone>(
    map: &Mutex<HashMap<K, V>>,
    key: K,
    make: impl FnOnce() -> V,
) -> V {
    if let Some(found) = map.lock().expect("cache lock poisoned").get(&key) {
        return found.clone();
    }
    let made = make();
    let mut map = map.lock().expect("cache lock poisoned");
    if map.len() >= CACHE_CAPACITY {
        map.clear();
    }
    map.insert(key, made.clone());
    made
}

async fn handle(
    state: Arc<RouterState>,
    headers: HeaderMap,
    method: Method,
    request: Request,
    media: Media,
) -> Response {
    // Identity first: an invalid token is refused before any work.
    if let Some(verifier) = &state.verifier
        && let platform::auth::Caller::Invalid(reason) =
            verifier.caller_from_headers(&headers).await
    {
        return error_response(
            StatusCode::UNAUTHORIZED,
            media,
            vec![GraphQLError::new(
                format!("Invalid access token: {reason}."),
                codes::UNAUTHENTICATED,
            )],
        );
    }
    let limits = state.config.limits;
    if limits::count_tokens(&request.query, limits.max_tokens) > limits.max_tokens {
        return request_error(
            media,
            vec![GraphQLError::new(
                format!("The document has more than {} tokens.", limits.max_tokens),
                codes::MAX_TOKENS,
            )],
        );
    }
    let key: DocumentKey = (request.query.clone(), request.operation_name.clone());
    let prepared = {
        let schema = state.schema.clone();
        let query = request.query.clone();
        let name = request.operation_name.clone();
        cached(&state.caches.documents, key, move || {
            // Limits are measured on the parsed document before validation work.
            Arc::new(prepare_with_limits(
                &schema,
                &query,
                name.as_deref(),
                &limits,
            ))
        })
    };
    let prepared = match prepared.as_ref() {
        Ok(prepared) => prepared,
        Err(errors) => return request_error(media, errors.clone()),
    };
    if method == Method::GET && prepared.kind != OperationKind::Query {
        let mut response = error_response(
            StatusCode::METHOD_NOT_ALLOWED,
            media,
            vec![GraphQLError::new(
                format!(
                    "A {} cannot be sent with GET; use POST.",
                    prepared.kind.as_str()
                ),
                codes::METHOD_NOT_ALLOWED,
            )],
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
        return response;
    }
    if prepared.kind == OperationKind::Subscription {
        return request_error(
            media,
            vec![GraphQLError::new(
                "Subscriptions are not supported by this router.",
                codes::SUBSCRIPTIONS_UNSUPPORTED,
            )],
        );
    }
    if prepared.introspection && !state.config.introspection {
        return request_error(
            media,
            vec![GraphQLError::new(
                "GraphQL introspection is disabled.",
                codes::INTROSPECTION_DISABLED,
            )],
        );
    }
    let coerced = if request.uploads.is_empty() {
        operation::values::coerce_variables(&state.schema, &prepared.variables, &request.variables)
    } else {
        let mut given = request.variables.clone();
        let stand_in = Value::String("<file>".into());
        super::upload::fill_file_paths(&mut given, &request.uploads, &stand_in);
        operation::values::coerce_variables(&state.schema, &prepared.variables, &given).map(
            |mut coerced| {
                super::upload::fill_file_paths(&mut coerced, &request.uploads, &Value::Null);
                coerced
            },
        )
    };
    let variables = match coerced {
        Ok(variables) => variables,
        Err(errors) => return request_error(media, errors),
    };
    let plan_key: PlanKey = (
        request.query.clone(),
        request.operation_name.clone(),
        prepared.condition_key(&variables),
    );
    let planned = {
        let schema = &state.schema;
        let variables = &variables;
        let caches = &state.caches;
        cached(&caches.plans, plan_key, move || {
            let operation = prepared.normalize(schema, variables);
            // Documents that normalise alike share one plan.
            let plan = cached(&caches.plans_by_signature, operation.signature(), || {
                caches
                    .plans_built
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                planner::plan(schema, &operation)
                    .map(Arc::new)
                    .map_err(|e| e.to_string())
            })?;
            Ok(Arc::new(Planned { operation, plan }))
        })
    };
    let planned = match planned {
        Ok(planned) => planned,
        Err(problem) => {
            tracing::error!(%problem, "query planning failed");
            return error_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                media,
                vec![GraphQLError::new(
                    format!("The operation could not be planned: {problem}"),
                    codes::INTERNAL,
                )],
            );
        }
    };
    let show_plan = state.config.expose_query_plan
        && headers
            .get("x-query-plan")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let shareable = state.config.dedupe_requests
        && prepared.kind == OperationKind::Query
        && request.uploads.is_empty();
    let (status, body) = if shareable {
        let key = (
            serde_json::to_vec(&(&request.query, &request.operation_name, &variables))
                .expect("serialises"),
            crate::executor::caller(&headers),
            show_plan,
        );
        execute_shared(
            state.clone(),
            key,
            planned,
            variables,
            headers,
            show_plan,
            request.uploads,
        )
        .await
    } else {
        let (status, body) = execute(
            &state,
            &planned,
            &variables,
            &headers,
            show_plan,
            &request.uploads,
        )
        .await;
        (status, Arc::new(body))
    };
    json_response(status, media, &body)
}

fn prepare_with_limits(
    schema: &crate::supergraph::Supergraph,
    query: &str,
    name: Option<&str>,
    limits: &crate::config::Limits,
) -> Result<Prepared, Vec<GraphQLError>> {
    if let Ok(document) = async_graphql_parser::parse_query(query) {
        let chosen = match (&document.operations, name) {
            (async_graphql_parser::types::DocumentOperations::Single(op), _) => Some(op),
            (async_graphql_parser::types::DocumentOperations::Multiple(ops), Some(name)) => {
                ops.get(name)
            }
            (async_graphql_parser::types::DocumentOperations::Multiple(ops), None)
                if ops.len() == 1 =>
            {
                ops.values().next()
            }
            _ => None,
        };
        if let Some(op) = chosen {
            let measures = limits::measure(&document, &op.node.selection_set.node, limits);
            if let Some(error) = limits::check(&measures, limits) {
                return Err(vec![error]);
            }
        }
    }
    operation::prepare(schema, query, name)
}

async fn execute_shared(
    state: Arc<RouterState>,
    key: RequestKey,
    planned: Arc<Planned>,
    variables: Map<String, Value>,
    headers: HeaderMap,
    show_plan: bool,
    uploads: Vec<crate::executor::Upload>,
) -> (StatusCode, Arc<Vec<u8>>) {
    let owned = state.clone();
    state
        .caches
        .in_flight
        .run(key, move || async move {
            let (status, body) =
                execute(&owned, &planned, &variables, &headers, show_plan, &uploads).await;
            (status, Arc::new(body))
        })
        .await
}

async fn execute(
    state: &RouterState,
    planned: &Planned,
    variables: &Map<String, Value>,
    headers: &HeaderMap,
    show_plan: bool,
    uploads: &[crate::executor::Upload],
) -> (StatusCode, Vec<u8>) {
    let response = state
        .executor
        .execute_with_uploads(
            &planned.operation,
            &planned.plan,
            variables,
            headers,
            uploads,
        )
        .await;
    let body = if show_plan {
        let mut value = serde_json::to_value(&response).expect("responses serialise");
        if let Value::Object(object) = &mut value {
            let mut extensions = Map::new();
            extensions.insert("queryPlan".into(), Value::String(planned.plan.to_string()));
            object.insert("extensions".into(), Value::Object(extensions));
        }
        serde_json::to_vec(&value).expect("responses serialise")
    } else {
        serde_json::to_vec(&response).expect("responses serialise")
    };
    (StatusCode::OK, body)
}

/// `a=1&b=x%20y` → pairs, with `+` as space and percent-decoding.
fn url_decoded_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(key), percent_decode(value))
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(high), Some(low)) => {
                    out.push(high * 16 + low);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_are_negotiated() {
        let mut headers = HeaderMap::new();
        assert_eq!(negotiate(&headers), Some(Media::Json));
        headers.insert(
            header::ACCEPT,
            HeaderValue::from_static("application/graphql-response+json, application/json"),
        );
        assert_eq!(negotiate(&headers), Some(Media::GraphQLResponse));
        headers.insert(
            header::ACCEPT,
            HeaderValue::from_static("application/json;q=0.9, */*"),
        );
        assert_eq!(negotiate(&headers), Some(Media::Json));
        headers.insert(header::ACCEPT, HeaderValue::from_static("text/xml"));
        assert_eq!(negotiate(&headers), None);
        headers.insert(
            header::ACCEPT,
            HeaderValue::from_static("application/graphql-response+json;q=0, application/json"),
        );
        assert_eq!(negotiate(&headers), Some(Media::Json));
    }

    #[test]
    fn query_strings_are_decoded() {
        assert_eq!(
            url_decoded_pairs("query=%7B%20me%20%7B%20id%20%7D%20%7D&operationName=&x=a+b"),
            vec![
                ("query".into(), "{ me { id } }".into()),
                ("operationName".into(), String::new()),
                ("x".into(), "a b".into())
            ]
        );
        assert_eq!(percent_decode("100%"), "100%");
    }
}
