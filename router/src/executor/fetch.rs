//! Requests to subgraphs: pooled keep-alive HTTP, per-subgraph timeouts, the
//! client's `Authorization` and `x-request-id` forwarded, and (optionally)
//! identical in-flight requests shared.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::HeaderMap;
use serde_json::Value;

use crate::dedupe::InFlight;
use crate::error::{GraphQLError, codes};

/// Where a subgraph answers and how long it may take.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub name: String,
    pub url: String,
    pub timeout: Duration,
}

/// A file of a multipart upload, and the variable path it fills.
#[derive(Debug, Clone)]
pub struct Upload {
    /// E.g. `["file"]` or `["files", "0"]`.
    pub path: Vec<String>,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub bytes: Bytes,
}

impl Upload {
    /// The variable the file belongs to.
    pub fn variable(&self) -> &str {
        &self.path[0]
    }
}

/// A subgraph's answer, parsed.
#[derive(Debug, Clone)]
pub struct SubgraphResponse {
    pub data: Option<Value>,
    pub errors: Vec<Value>,
}

type Outcome = Result<Arc<SubgraphResponse>, GraphQLError>;
/// Subgraph, request body, who calls ([`caller`]).
type DedupeKey = (usize, Bytes, Option<Bytes>);

/// Sends subgraph requests.
pub struct SubgraphClient {
    http: reqwest::Client,
    endpoints: Vec<Endpoint>,
    /// Identical requests in flight share one answer (queries only).
    dedupe: Option<InFlight<DedupeKey, Outcome>>,
}

impl std::fmt::Debug for SubgraphClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SubgraphClient")
            .field("endpoints", &self.endpoints)
            .field("dedupe", &self.dedupe.is_some())
            .finish()
    }
}

/// Headers a subgraph receives from the client's request.
pub const FORWARDED_HEADERS: [&str; 4] = [
    "authorization",
    "x-request-id",
    "idempotency-key",
    "x-merchant-key",
];

/// Forwarded headers that say who is calling: requests that differ in one of
/// them never share an answer.
const CALLER_HEADERS: [&str; 2] = ["authorization", "x-merchant-key"];

/// The caller's credentials, as one key (`None` for an anonymous request).
pub fn caller(headers: &HeaderMap) -> Option<Bytes> {
    let mut key = Vec::new();
    for name in CALLER_HEADERS {
        if let Some(value) = headers.get(name) {
            key.extend_from_slice(name.as_bytes());
            key.push(b':');
            key.extend_from_slice(value.as_bytes());
            // A header value cannot hold a NUL byte, so the parts cannot run together.
            key.push(0);
        }
    }
    (!key.is_empty()).then(|| Bytes::from(key))
}

impl SubgraphClient {
    pub fn new(http: reqwest::Client, endpoints: Vec<Endpoint>, dedupe: bool) -> Self {
        Self {
            http,
            endpoints,
            dedupe: dedupe.then(InFlight::new),
        }
    }

    pub fn endpoint(&self, graph: usize) -> &Endpoint {
        &self.endpoints[graph]
    }

    /// Sends `body` to subgraph `graph`; `shareable` requests may share an
    /// identical one in flight.
    pub async fn send(
        &self,
        graph: usize,
        body: Bytes,
        headers: &HeaderMap,
        shareable: bool,
    ) -> Outcome {
        let Some(dedupe) = self.dedupe.as_ref().filter(|_| shareable) else {
            return self.request(graph, body, headers).await;
        };
        let key = (graph, body.clone(), caller(headers));
        dedupe
            .run(key, || self.request_owned(graph, body, headers.clone()))
            .await
    }

    fn request_owned(
        &self,
        graph: usize,
        body: Bytes,
        headers: HeaderMap,
    ) -> impl Future<Output = Outcome> + Send + 'static {
        let http = self.http.clone();
        let endpoint = self.endpoints[graph].clone();
        async move { request(&http, &endpoint, Payload::Json(body), &headers).await }
    }

    async fn request(&self, graph: usize, body: Bytes, headers: &HeaderMap) -> Outcome {
        request(
            &self.http,
            &self.endpoints[graph],
            Payload::Json(body),
            headers,
        )
        .await
    }

    /// Sends a request with files, as a GraphQL multipart request (never shared).
    pub async fn send_with_uploads(
        &self,
        graph: usize,
        body: Bytes,
        uploads: &[&Upload],
        headers: &HeaderMap,
    ) -> Outcome {
        let mut map = serde_json::Map::new();
        let mut form = reqwest::multipart::Form::new().part(
            "operations",
            reqwest::multipart::Part::bytes(body.to_vec())
                .mime_str("application/json")
                .expect("a valid mime type"),
        );
        for (index, upload) in uploads.iter().enumerate() {
            map.insert(
                index.to_string(),
                Value::Array(vec![Value::String(format!(
                    "variables.{}",
                    upload.path.join(".")
                ))]),
            );
        }
        form = form.text("map", Value::Object(map).to_string());
        for (index, upload) in uploads.iter().enumerate() {
            let mut part = reqwest::multipart::Part::bytes(upload.bytes.to_vec());
            if let Some(name) = &upload.filename {
                part = part.file_name(name.clone());
            }
            if let Some(mime) = &upload.content_type {
                part = part
                    .mime_str(mime)
                    .unwrap_or_else(|_| reqwest::multipart::Part::bytes(upload.bytes.to_vec()));
            }
            form = form.part(index.to_string(), part);
        }
        request(
            &self.http,
            &self.endpoints[graph],
            Payload::Multipart(form),
            headers,
        )
        .await
    }
}

/// A request body.
enum Payload {
    Json(Bytes),
    Multipart(reqwest::multipart::Form),
}

async fn request(
    http: &reqwest::Client,
    endpoint: &Endpoint,
    payload: Payload,
    headers: &HeaderMap,
) -> Outcome {
    let failure = |code: &str, message: String| {
        GraphQLError::new(message, code).with_extension("serviceName", endpoint.name.clone())
    };
    let mut request = http
        .post(&endpoint.url)
        .header(
            http::header::ACCEPT,
            "application/graphql-response+json, application/json",
        )
        .timeout(endpoint.timeout);
    request = match payload {
        Payload::Json(body) => request
            .header(http::header::CONTENT_TYPE, "application/json")
            .body(body),
        // Subgraphs that guard against CSRF want the preflight header on uploads.
        Payload::Multipart(form) => request
            .header("apollo-require-preflight", "true")
            .multipart(form),
    };
    for name in FORWARDED_HEADERS {
        if let Some(value) = headers.get(name) {
            request = request.header(name, value);
        }
    }
    let response = request.send().await.map_err(|e| {
        if e.is_timeout() {
            failure(
                codes::SUBGRAPH_TIMEOUT,
                format!(
                    "Subgraph \"{}\" did not answer within {} ms.",
                    endpoint.name,
                    endpoint.timeout.as_millis()
                ),
            )
        } else {
            failure(
                codes::SUBGRAPH_REQUEST_FAILED,
                format!("HTTP fetch failed from \"{}\": {e}", endpoint.name),
            )
        }
    })?;
    let status = response.status();
    let bytes = response.bytes().await.map_err(|e| {
        let code = if e.is_timeout() {
            codes::SUBGRAPH_TIMEOUT
        } else {
            codes::SUBGRAPH_REQUEST_FAILED
        };
        failure(
            code,
            format!("HTTP fetch failed from \"{}\": {e}", endpoint.name),
        )
    })?;
    let parsed: Result<Value, _> = serde_json::from_slice(&bytes);
    match parsed {
        Ok(Value::Object(mut object))
            if object.contains_key("data") || object.contains_key("errors") =>
        {
            let data = object.remove("data").filter(|d| !d.is_null());
            let errors = match object.remove("errors") {
                Some(Value::Array(errors)) => errors,
                _ => Vec::new(),
            };
            Ok(Arc::new(SubgraphResponse { data, errors }))
        }
        _ if !status.is_success() => Err(failure(
            codes::SUBGRAPH_REQUEST_FAILED,
            format!("HTTP fetch failed from \"{}\": {status}", endpoint.name),
        )),
        _ => Err(failure(
            codes::SUBGRAPH_INVALID_RESPONSE,
            format!(
                "Subgraph \"{}\" answered with something that is not a GraphQL response.",
                endpoint.name
            ),
        )),
    }
}
