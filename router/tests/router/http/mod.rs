//! GraphQL over HTTP, end to end: a real subgraph (async-graphql, the way the
//! product's subgraphs are written) behind the router, over loopback.
//!
//! The probe subgraph records what reaches it (headers, content type) so a test
//! can tell whether the router called it at all.

mod identity;
mod limits;
mod process;
mod protocol;
mod sharing;
mod uploads;

use std::io::Read as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_graphql::registry::SDLExportOptions;
use async_graphql::{Context, EmptySubscription, Object, Schema, SimpleObject, Upload};
use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::post;
use platform::auth::TokenVerifier;
use router::compose::{SubgraphInput, compose};
use router::config::RouterConfig;
use router::server::RouterApp;
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

/// What one request to the probe carried.
#[derive(Debug, Clone)]
pub struct Seen {
    pub authorization: Option<String>,
    pub request_id: Option<String>,
    pub content_type: Option<String>,
    pub idempotency_key: Option<String>,
    pub merchant_key: Option<String>,
}

#[derive(Default)]
struct Probe {
    seen: Mutex<Vec<Seen>>,
    slow_calls: AtomicUsize,
    bumps: AtomicUsize,
}

struct Query;

#[Object]
impl Query {
    async fn hello(&self) -> &'static str {
        "world"
    }

    /// Answers after `ms` milliseconds with how many `slow` fields it has resolved.
    async fn slow(&self, ctx: &Context<'_>, #[graphql(default = 300)] ms: u64) -> usize {
        tokio::time::sleep(Duration::from_millis(ms)).await;
        ctx.data_unchecked::<Arc<Probe>>()
            .slow_calls
            .fetch_add(1, Ordering::SeqCst)
            + 1
    }

    /// A node whose children go as deep as a query asks.
    async fn node(&self) -> Node {
        Node(1)
    }
}

struct Node(i32);

#[Object]
impl Node {
    async fn level(&self) -> i32 {
        self.0
    }

    async fn child(&self) -> Node {
        Node(self.0 + 1)
    }
}

#[derive(SimpleObject)]
struct File {
    name: String,
    content_type: Option<String>,
    text: String,
}

struct Mutation;

#[Object]
impl Mutation {
    /// Counts calls: mutations must never be shared.
    async fn bump(&self, ctx: &Context<'_>) -> usize {
        tokio::time::sleep(Duration::from_millis(50)).await;
        ctx.data_unchecked::<Arc<Probe>>()
            .bumps
            .fetch_add(1, Ordering::SeqCst)
            + 1
    }

    async fn upload(&self, ctx: &Context<'_>, file: Upload) -> async_graphql::Result<File> {
        read(ctx, &file)
    }

    async fn upload_many(
        &self,
        ctx: &Context<'_>,
        label: String,
        files: Vec<Upload>,
    ) -> async_graphql::Result<Vec<File>> {
        files
            .iter()
            .map(|f| {
                read(ctx, f).map(|mut file| {
                    file.name = format!("{label}/{}", file.name);
                    file
                })
            })
            .collect()
    }
}

fn read(ctx: &Context<'_>, upload: &Upload) -> async_graphql::Result<File> {
    let value = upload
        .value(ctx)
        .map_err(|e| async_graphql::Error::new(e.to_string()))?;
    let name = value.filename.clone();
    let content_type = value.content_type.clone();
    let mut text = String::new();
    value
        .into_read()
        .read_to_string(&mut text)
        .map_err(|e| async_graphql::Error::new(e.to_string()))?;
    Ok(File {
        name,
        content_type,
        text,
    })
}

type ProbeSchema = Schema<Query, Mutation, EmptySubscription>;

fn schema(probe: Arc<Probe>) -> ProbeSchema {
    Schema::build(Query, Mutation, EmptySubscription)
        .enable_federation()
        .data(probe)
        .finish()
}

async fn serve_probe(
    State((schema, probe)): State<(ProbeSchema, Arc<Probe>)>,
    headers: HeaderMap,
    request: GraphQLRequest,
) -> GraphQLResponse {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    probe.seen.lock().expect("seen").push(Seen {
        authorization: header("authorization"),
        request_id: header("x-request-id"),
        content_type: header("content-type"),
        idempotency_key: header("idempotency-key"),
        merchant_key: header("x-merchant-key"),
    });
    schema.execute(request.into_inner()).await.into()
}

/// The probe subgraph and the router in front of it.
pub struct Served {
    pub url: String,
    pub http: reqwest::Client,
    pub state: Arc<router::server::RouterState>,
    probe: Arc<Probe>,
    shutdown: CancellationToken,
}

impl Drop for Served {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

/// The supergraph of the probe subgraph at `url`. It declares a subscription
/// (which the router refuses) by hand: async-graphql leaves subscriptions out of
/// its federation SDL.
pub fn probe_supergraph(url: &str) -> String {
    let sdl = schema(Arc::default())
        .sdl_with_options(SDLExportOptions::new().federation().compose_directive())
        + "\ntype Subscription {\n  ticks: Int!\n}\n";
    compose(&[SubgraphInput {
        name: "probe".into(),
        url: url.into(),
        sdl,
    }])
    .expect("the probe composes")
}

/// Serves the probe subgraph on `listener`.
pub fn serve_probe_on(listener: tokio::net::TcpListener, shutdown: CancellationToken) {
    let probe = Arc::new(Probe::default());
    spawn_probe(listener, probe, shutdown);
}

fn spawn_probe(listener: tokio::net::TcpListener, probe: Arc<Probe>, shutdown: CancellationToken) {
    let app = axum::Router::new()
        .route("/graphql", post(serve_probe))
        .with_state((schema(probe.clone()), probe));
    tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown.cancelled_owned())
            .await
    });
}

/// Starts the probe and a router over it; `configure` adjusts the router's
/// defaults (which are the development defaults: CSRF on, dedupe on).
pub async fn serve(
    verifier: Option<TokenVerifier>,
    configure: impl FnOnce(&mut RouterConfig),
) -> Served {
    let probe = Arc::new(Probe::default());
    let shutdown = CancellationToken::new();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let probe_url = format!("http://{}/graphql", listener.local_addr().expect("addr"));
    spawn_probe(listener, probe.clone(), shutdown.clone());
    let mut config = RouterConfig::local();
    config.port = 0;
    config.verify_tokens = verifier.is_some();
    configure(&mut config);
    let router = RouterApp::from_supergraph(config, &probe_supergraph(&probe_url), verifier)
        .await
        .expect("the router builds");
    let url = format!("http://{}/graphql", router.local_addr());
    let state = router.state();
    tokio::spawn(router.run(shutdown.clone()));
    Served {
        url,
        state,
        http: platform::http_client::client(),
        probe,
        shutdown,
    }
}

impl Served {
    /// What reached the probe so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.probe.seen.lock().expect("seen").clone()
    }

    /// A POST with a JSON body and the headers a script sends.
    pub fn post(&self, body: Value) -> reqwest::RequestBuilder {
        self.http
            .post(&self.url)
            .header("content-type", "application/json")
            .body(body.to_string())
    }

    /// A GET with `params` in the query string.
    pub fn get(&self, params: &[(&str, &str)]) -> reqwest::RequestBuilder {
        let url = reqwest::Url::parse_with_params(&self.url, params).expect("a URL");
        self.http.get(url)
    }

    /// POSTs `query`; the status and the JSON body.
    pub async fn query(&self, query: &str) -> (u16, Value) {
        send(self.post(json!({ "query": query }))).await
    }
}

/// Sends a request; the status and the JSON body (`Null` when it is not JSON).
pub async fn send(request: reqwest::RequestBuilder) -> (u16, Value) {
    let response = request.send().await.expect("the router answers");
    let status = response.status().as_u16();
    let body = response.bytes().await.expect("a body");
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

/// The `extensions.code` of the first error.
pub fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_default()
}
