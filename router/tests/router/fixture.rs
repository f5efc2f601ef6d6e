//! Fixture subgraphs: any subgraph SDL served over JSON data, strictly — a field
//! the subgraph does not define, or an `@external` field nobody supplied, is an
//! error, so a plan that asks the wrong subgraph fails. Every request is recorded.
//!
//! Data of a subgraph:
//! - `"Query"` / `"Mutation"`: the root values. A field with arguments is looked up
//!   as `field(name:json,…)` (arguments sorted), then as `field`.
//! - `"entities"`: `{ TypeName: [rows] }`; `_entities` finds a row by any key the
//!   subgraph declares, and objects met while resolving are completed from their
//!   row.
//! - Special values: `{"$error": "msg"}` (a field error), `{"$from": "a.b"}` (a value
//!   of the parent object, e.g. a `@requires` input; list items by index: `a.2.b`),
//!   `{"$format": "… {a.b} …"}`, `{"$row": {"type": "T", "where": {"id": …}}}` (the
//!   row of `T` in `"entities"` with those values, which may be special too; with
//!   `"field": "f"`, that row's `f`).
//! - `"$delay_ms"`: the subgraph answers that late.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_graphql_parser::types::{
    DocumentOperations, ExecutableDocument, Selection, SelectionSet,
};
use async_graphql_value::Value as Gql;
use axum::Json;
use axum::extract::{Path, State};
use axum::routing::post;
use router::compose::subgraph::{SubgraphSchema, read};
use router::compose::{SubgraphInput, compose};
use router::config::RouterConfig;
use router::server::RouterApp;
use router::supergraph::{FieldSet, FieldSetItem, TypeKind, TypeRef};
use serde_json::{Map, Value, json};
use tokio_util::sync::CancellationToken;

/// One subgraph of a fixture.
#[derive(Clone)]
pub struct FixtureSubgraph {
    pub name: &'static str,
    pub sdl: String,
    pub data: Value,
}

/// A set of subgraphs.
#[derive(Clone)]
pub struct Fixture {
    pub subgraphs: Vec<FixtureSubgraph>,
}

/// Builds a subgraph; the SDL is prefixed with the Federation 2 `@link` unless it
/// already has one (or `fed1` is used).
pub fn subgraph(name: &'static str, sdl: &str, data: Value) -> FixtureSubgraph {
    let sdl = if sdl.contains("@link(") || sdl.contains("# fed1") {
        sdl.to_owned()
    } else {
        format!(
            "extend schema @link(url: \"https://specs.apollo.dev/federation/v2.5\", import: [\"@key\", \"@external\", \"@requires\", \"@provides\", \"@shareable\", \"@override\", \"@inaccessible\", \"@interfaceObject\", \"@tag\"])\n{sdl}"
        )
    };
    FixtureSubgraph { name, sdl, data }
}

type Log = Arc<Mutex<Vec<(String, Value)>>>;

/// A fixture with its subgraphs and the router running.
pub struct Running {
    pub url: String,
    log: Log,
    shutdown: CancellationToken,
    http: reqwest::Client,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

impl Fixture {
    pub fn new(subgraphs: Vec<FixtureSubgraph>) -> Self {
        Self { subgraphs }
    }

    /// The inputs for composition (URLs are placeholders the router overrides).
    pub fn inputs(&self) -> Vec<SubgraphInput> {
        self.subgraphs
            .iter()
            .map(|s| SubgraphInput {
                name: s.name.into(),
                url: format!("http://{}.invalid/graphql", s.name),
                sdl: s.sdl.clone(),
            })
            .collect()
    }

    pub async fn start(self) -> Running {
        self.start_with(|_| {}).await
    }

    /// Composes (with our composer), serves the subgraphs and the router.
    pub async fn start_with(self, configure: impl FnOnce(&mut RouterConfig)) -> Running {
        let supergraph =
            compose(&self.inputs()).unwrap_or_else(|e| panic!("fixture composes: {e:#?}"));
        let log: Log = Arc::new(Mutex::new(Vec::new()));
        let engines: HashMap<String, Arc<Engine>> = self
            .subgraphs
            .iter()
            .map(|s| {
                let schema =
                    read(s.name, "", &s.sdl).unwrap_or_else(|e| panic!("{} reads: {e:?}", s.name));
                (
                    s.name.to_owned(),
                    Arc::new(Engine {
                        name: s.name.to_owned(),
                        schema,
                        sdl: s.sdl.clone(),
                        data: s.data.clone(),
                        log: log.clone(),
                    }),
                )
            })
            .collect();
        let app = axum::Router::new()
            .route("/{name}", post(serve))
            .with_state(Arc::new(engines));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let shutdown = CancellationToken::new();
        let stop = shutdown.clone();
        tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(stop.cancelled_owned())
                .await
        });
        let mut config = RouterConfig::local();
        config.port = 0;
        config.verify_tokens = false;
        config.csrf = false;
        config.dedupe_requests = false;
        config.dedupe_subgraph_requests = false;
        config.subgraph_timeout = Duration::from_secs(5);
        for s in &self.subgraphs {
            config.subgraphs.entry(s.name.to_owned()).or_default().url =
                Some(format!("http://{addr}/{}", s.name));
        }
        configure(&mut config);
        let router = RouterApp::from_supergraph(config, &supergraph, None)
            .await
            .expect("router builds");
        let url = format!("http://{}/graphql", router.local_addr());
        tokio::spawn(router.run(shutdown.clone()));
        Running {
            url,
            log,
            shutdown,
            http: platform::http_client::client(),
        }
    }
}

impl Running {
    /// Sends a query; returns the response body and the plan.
    pub async fn query(&self, query: &str, variables: Value) -> (Value, String) {
        let mut response: Value = self
            .http
            .post(&self.url)
            .header("x-query-plan", "true")
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("the router answers")
            .json()
            .await
            .expect("JSON");
        let plan = response
            .as_object_mut()
            .and_then(|o| o.remove("extensions"))
            .and_then(|e| {
                e.get("queryPlan")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            })
            .unwrap_or_default();
        (response, plan)
    }

    /// The requests each subgraph received, in order.
    pub fn requests(&self) -> Vec<(String, Value)> {
        self.log.lock().expect("log").clone()
    }

    /// How many requests `subgraph` received.
    pub fn count(&self, subgraph: &str) -> usize {
        self.requests()
            .iter()
            .filter(|(s, _)| s == subgraph)
            .count()
    }

    pub fn clear(&self) {
        self.log.lock().expect("log").clear();
    }
}

struct Engine {
    name: String,
    schema: SubgraphSchema,
    sdl: String,
    data: Value,
    log: Log,
}

async fn serve(
    State(engines): State<Arc<HashMap<String, Arc<Engine>>>>,
    Path(name): Path<String>,
    Json(body): Json<Value>,
) -> Json<Value> {
    let Some(engine) = engines.get(&name) else {
        return Json(json!({ "errors": [{ "message": format!("no subgraph {name}") }] }));
    };
    engine
        .log
        .lock()
        .expect("log")
        .push((engine.name.clone(), body.clone()));
    if let Some(ms) = engine.data.get("$delay_ms").and_then(Value::as_u64) {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    Json(engine.execute(&body))
}

fn error(message: impl Into<String>) -> Value {
    json!({ "message": message.into() })
}

impl Engine {
    fn execute(&self, body: &Value) -> Value {
        let query = body
            .get("query")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let variables = body
            .get("variables")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let document = match async_graphql_parser::parse_query(query) {
            Ok(document) => document,
            Err(e) => {
                return json!({ "errors": [error(format!("[{}] syntax error: {e}", self.name))] });
            }
        };
        let (root, set) = match &document.operations {
            DocumentOperations::Single(op) => (op.node.ty, &op.node.selection_set.node),
            DocumentOperations::Multiple(ops) => {
                let op = ops.values().next().expect("one operation");
                (op.node.ty, &op.node.selection_set.node)
            }
        };
        let root_type = match root {
            async_graphql_parser::types::OperationType::Mutation => "Mutation",
            _ => "Query",
        };
        let mut problems = Vec::new();
        self.validate(root_type, set, &document, &mut problems);
        if problems.is_empty() {
            self.check_merge(vec![(root_type.to_owned(), set)], &document, &mut problems);
        }
        if !problems.is_empty() {
            return json!({ "errors": problems.into_iter().map(error).collect::<Vec<_>>() });
        }
        let mut exec = Exec {
            engine: self,
            variables: &variables,
            document: &document,
            errors: Vec::new(),
        };
        let root_value = self
            .data
            .get(root_type)
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let data = match exec.object(root_type, &root_value, &[set], &mut Vec::new()) {
            Ok(map) => Value::Object(map),
            Err(()) => Value::Null,
        };
        let mut response = Map::new();
        if !exec.errors.is_empty() {
            response.insert("errors".into(), Value::Array(exec.errors));
        }
        response.insert("data".into(), data);
        Value::Object(response)
    }

    fn type_matches(&self, object_type: &str, condition: &str) -> bool {
        object_type == condition
            || self
                .schema
                .types
                .get(object_type)
                .is_some_and(|t| t.interfaces.iter().any(|i| i == condition))
            || self
                .schema
                .types
                .get(condition)
                .is_some_and(|t| t.members.iter().any(|m| m == object_type))
    }

    /// Refuses fields and types this subgraph does not define, as a real subgraph's
    /// validation would.
    /// Fields sharing a response key must give the same response shape
    /// (FieldsInSetCanMerge, as a real subgraph validates it): the same leaf
    /// type, alike lists and non-null; their sub-selections are checked together.
    fn check_merge(
        &self,
        sets: Vec<(String, &SelectionSet)>,
        document: &ExecutableDocument,
        problems: &mut Vec<String>,
    ) {
        let mut fields: Vec<(String, String, &async_graphql_parser::types::Field)> = Vec::new();
        for (parent, set) in sets {
            self.merge_fields(&parent, set, document, &mut fields);
        }
        let mut keys: Vec<String> = Vec::new();
        for (key, _, _) in &fields {
            if !keys.contains(key) {
                keys.push(key.clone());
            }
        }
        for key in keys {
            let group: Vec<&(String, String, &async_graphql_parser::types::Field)> =
                fields.iter().filter(|(k, _, _)| *k == key).collect();
            let typed: Vec<(TypeRef, &async_graphql_parser::types::Field)> = group
                .iter()
                .filter_map(|(_, parent, field)| {
                    self.field_type(parent, field).map(|t| (t, *field))
                })
                .collect();
            if let Some((first, _)) = typed.first()
                && let Some((other, _)) = typed.iter().find(|(t, _)| !self.same_shape(first, t))
            {
                problems.push(format!(
                    "[{}] Fields \"{key}\" conflict because they return conflicting types \"{first}\" and \"{other}\". Use different aliases on the fields to fetch both if this was intentional.",
                    self.name
                ));
                continue;
            }
            let children: Vec<(String, &SelectionSet)> = typed
                .iter()
                .map(|(t, field)| (t.name().to_owned(), &field.selection_set.node))
                .filter(|(_, set)| !set.items.is_empty())
                .collect();
            if !children.is_empty() {
                self.check_merge(children, document, problems);
            }
        }
    }

    fn merge_fields<'d>(
        &self,
        parent: &str,
        set: &'d SelectionSet,
        document: &'d ExecutableDocument,
        out: &mut Vec<(String, String, &'d async_graphql_parser::types::Field)>,
    ) {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    let key = field
                        .node
                        .alias
                        .as_ref()
                        .unwrap_or(&field.node.name)
                        .node
                        .to_string();
                    out.push((key, parent.to_owned(), &field.node));
                }
                Selection::InlineFragment(fragment) => {
                    let on = fragment
                        .node
                        .type_condition
                        .as_ref()
                        .map_or(parent.to_owned(), |c| c.node.on.node.to_string());
                    self.merge_fields(&on, &fragment.node.selection_set.node, document, out);
                }
                Selection::FragmentSpread(spread) => {
                    if let Some(fragment) = document.fragments.get(&spread.node.fragment_name.node)
                    {
                        let on = fragment.node.type_condition.node.on.node.to_string();
                        self.merge_fields(&on, &fragment.node.selection_set.node, document, out);
                    }
                }
            }
        }
    }

    fn field_type(
        &self,
        parent: &str,
        field: &async_graphql_parser::types::Field,
    ) -> Option<TypeRef> {
        match field.name.node.as_str() {
            "__typename" => Some(TypeRef::NonNull(Box::new(TypeRef::Named("String".into())))),
            "_entities" => Some(TypeRef::NonNull(Box::new(TypeRef::List(Box::new(
                TypeRef::Named("_Entity".into()),
            ))))),
            name => self
                .schema
                .types
                .get(parent)
                .and_then(|t| t.fields.get(name))
                .map(|f| f.ty.clone()),
        }
    }

    fn same_shape(&self, a: &TypeRef, b: &TypeRef) -> bool {
        match (a, b) {
            (TypeRef::NonNull(a), TypeRef::NonNull(b)) | (TypeRef::List(a), TypeRef::List(b)) => {
                self.same_shape(a, b)
            }
            (TypeRef::Named(a), TypeRef::Named(b)) => {
                let leaf = |name: &str| {
                    self.schema
                        .types
                        .get(name)
                        .is_none_or(|t| matches!(t.kind, TypeKind::Scalar | TypeKind::Enum))
                };
                if leaf(a) || leaf(b) { a == b } else { true }
            }
            _ => false,
        }
    }

    fn validate(
        &self,
        type_name: &str,
        set: &SelectionSet,
        document: &ExecutableDocument,
        problems: &mut Vec<String>,
    ) {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    let name = field.node.name.node.as_str();
                    if name == "__typename"
                        || (type_name == "Query" && (name == "_service" || name == "_entities"))
                    {
                        if name == "_entities" {
                            for inner in &field.node.selection_set.node.items {
                                if let Selection::InlineFragment(fragment) = &inner.node {
                                    let on = fragment
                                        .node
                                        .type_condition
                                        .as_ref()
                                        .map(|c| c.node.on.node.to_string())
                                        .unwrap_or_default();
                                    self.validate(
                                        &on,
                                        &fragment.node.selection_set.node,
                                        document,
                                        problems,
                                    );
                                }
                            }
                        }
                        continue;
                    }
                    let Some(def) = self
                        .schema
                        .types
                        .get(type_name)
                        .and_then(|t| t.fields.get(name))
                    else {
                        problems.push(format!(
                            "[{}] Cannot query field \"{name}\" on type \"{type_name}\".",
                            self.name
                        ));
                        continue;
                    };
                    self.validate(
                        def.ty.name(),
                        &field.node.selection_set.node,
                        document,
                        problems,
                    );
                }
                Selection::InlineFragment(fragment) => {
                    let on = fragment
                        .node
                        .type_condition
                        .as_ref()
                        .map_or(type_name.to_owned(), |c| c.node.on.node.to_string());
                    if !self.schema.types.contains_key(&on) {
                        problems.push(format!("[{}] Unknown type \"{on}\".", self.name));
                        continue;
                    }
                    self.validate(&on, &fragment.node.selection_set.node, document, problems);
                }
                Selection::FragmentSpread(spread) => {
                    if let Some(fragment) = document.fragments.get(&spread.node.fragment_name.node)
                    {
                        let on = fragment.node.type_condition.node.on.node.to_string();
                        self.validate(&on, &fragment.node.selection_set.node, document, problems);
                    }
                }
            }
        }
    }

    fn is_key_field(&self, type_name: &str, field: &str) -> bool {
        self.schema.types.get(type_name).is_some_and(|t| {
            t.keys
                .iter()
                .any(|k| FieldSet::parse(&k.fields).is_ok_and(|s| s.field_names().contains(&field)))
        })
    }

    /// The entity row of `type_name` matching `object` by one of the keys.
    fn row(&self, type_name: &str, object: &Map<String, Value>) -> Option<Map<String, Value>> {
        let rows = self.data.get("entities")?.get(type_name)?.as_array()?;
        let keys = &self.schema.types.get(type_name)?.keys;
        rows.iter().filter_map(Value::as_object).find_map(|row| {
            let matches = keys.iter().any(|key| {
                FieldSet::parse(&key.fields).is_ok_and(|set| key_matches(&set, object, row))
            });
            matches.then(|| row.clone())
        })
    }
}

impl Engine {
    /// Whether an object of `concrete` may stand where `declared` is expected in
    /// this subgraph's schema.
    fn possible(&self, declared: &str, concrete: &str) -> bool {
        let Some(def) = self.schema.types.get(declared) else {
            return false;
        };
        match def.kind {
            TypeKind::Union => def.members.iter().any(|m| m == concrete),
            TypeKind::Interface => {
                declared == concrete
                    || self
                        .schema
                        .types
                        .get(concrete)
                        .is_some_and(|t| t.interfaces.iter().any(|i| i == declared))
            }
            _ => declared == concrete,
        }
    }
}

/// Whether `object` and `row` agree on every field of `key` (nested included).
fn key_matches(key: &FieldSet, object: &Map<String, Value>, row: &Map<String, Value>) -> bool {
    key.items.iter().all(|item| match item {
        FieldSetItem::Field {
            name, selection, ..
        } => match (object.get(name), row.get(name)) {
            (Some(a), Some(b)) => value_matches(selection, a, b),
            _ => false,
        },
        FieldSetItem::Fragment { selection, .. } => key_matches(selection, object, row),
    })
}

/// The first field of `set` that `object` lacks (nested selections included).
fn first_missing(set: &FieldSet, object: &Map<String, Value>) -> Option<String> {
    set.items.iter().find_map(|item| match item {
        FieldSetItem::Field {
            name, selection, ..
        } => match object.get(name) {
            None => Some(name.clone()),
            Some(value) if !selection.is_empty() => {
                missing_below(selection, value).map(|inner| format!("{name}.{inner}"))
            }
            Some(_) => None,
        },
        // Fragments apply to some types only; what they select may be absent.
        FieldSetItem::Fragment { .. } => None,
    })
}

fn missing_below(set: &FieldSet, value: &Value) -> Option<String> {
    match value {
        Value::Object(object) => first_missing(set, object),
        Value::Array(items) => items.iter().find_map(|item| missing_below(set, item)),
        _ => None,
    }
}

/// A key field's value: leaves equal and not null, objects by their key fields,
/// lists item by item.
fn value_matches(selection: &FieldSet, a: &Value, b: &Value) -> bool {
    match (a, b) {
        (a, b) if selection.is_empty() => a == b && !a.is_null(),
        (Value::Object(a), Value::Object(b)) => key_matches(selection, a, b),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| value_matches(selection, a, b))
        }
        _ => false,
    }
}

struct Exec<'a> {
    engine: &'a Engine,
    variables: &'a Map<String, Value>,
    document: &'a ExecutableDocument,
    errors: Vec<Value>,
}

impl<'a> Exec<'a> {
    fn error_at(&mut self, message: String, path: &[Value]) {
        self.errors
            .push(json!({ "message": message, "path": path }));
    }

    fn argument(&self, value: &Gql) -> Value {
        match value {
            Gql::Variable(name) => self
                .variables
                .get(name.as_str())
                .cloned()
                .unwrap_or(Value::Null),
            Gql::List(items) => Value::Array(items.iter().map(|i| self.argument(i)).collect()),
            Gql::Object(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(k, v)| (k.to_string(), self.argument(v)))
                    .collect(),
            ),
            other => other.clone().into_json().unwrap_or(Value::Null),
        }
    }

    fn included(
        &self,
        directives: &[async_graphql_parser::Positioned<async_graphql_parser::types::Directive>],
    ) -> bool {
        directives.iter().all(|d| {
            let condition = d
                .node
                .get_argument("if")
                .map(|v| self.argument(&v.node))
                .and_then(|v| v.as_bool())
                .unwrap_or(false);
            match d.node.name.node.as_str() {
                "skip" => !condition,
                "include" => condition,
                _ => true,
            }
        })
    }

    fn collect(
        &self,
        type_name: &str,
        sets: &[&'a SelectionSet],
        fields: &mut Vec<(String, Vec<&'a async_graphql_parser::types::Field>)>,
    ) {
        for set in sets {
            for item in &set.items {
                if !self.included(item.node.directives()) {
                    continue;
                }
                match &item.node {
                    Selection::Field(field) => {
                        let key = field.node.response_key().node.to_string();
                        match fields.iter_mut().find(|(k, _)| *k == key) {
                            Some((_, group)) => group.push(&field.node),
                            None => fields.push((key, vec![&field.node])),
                        }
                    }
                    Selection::InlineFragment(fragment) => {
                        let applies =
                            fragment.node.type_condition.as_ref().is_none_or(|c| {
                                self.engine.type_matches(type_name, &c.node.on.node)
                            });
                        if applies {
                            self.collect(type_name, &[&fragment.node.selection_set.node], fields);
                        }
                    }
                    Selection::FragmentSpread(spread) => {
                        if let Some(fragment) =
                            self.document.fragments.get(&spread.node.fragment_name.node)
                            && self
                                .engine
                                .type_matches(type_name, &fragment.node.type_condition.node.on.node)
                        {
                            self.collect(type_name, &[&fragment.node.selection_set.node], fields);
                        }
                    }
                }
            }
        }
    }

    fn object(
        &mut self,
        type_name: &str,
        value: &Map<String, Value>,
        sets: &[&'a SelectionSet],
        path: &mut Vec<Value>,
    ) -> Result<Map<String, Value>, ()> {
        let mut fields = Vec::new();
        self.collect(type_name, sets, &mut fields);
        let mut out = Map::new();
        for (key, group) in fields {
            let field = group[0];
            let name = field.name.node.as_str();
            path.push(Value::String(key.clone()));
            let subsets: Vec<&'a SelectionSet> =
                group.iter().map(|f| &f.selection_set.node).collect();
            let result = match name {
                "__typename" => Ok(Value::String(type_name.to_owned())),
                "_service" => Ok(json!({ "sdl": self.engine.sdl })),
                "_entities" => Ok(self.entities(field, &subsets, path)),
                _ => {
                    let def = self
                        .engine
                        .schema
                        .types
                        .get(type_name)
                        .and_then(|t| t.fields.get(name))
                        .cloned()
                        .expect("validated");
                    let missing = def
                        .requires
                        .as_deref()
                        .and_then(|r| FieldSet::parse(r).ok())
                        .and_then(|set| first_missing(&set, value));
                    if let Some(missing) = missing {
                        self.error_at(
                            format!(
                                "[{}] @requires input {missing} of {type_name}.{name} was not supplied",
                                self.engine.name
                            ),
                            path,
                        );
                    }
                    let raw = self.field_value(type_name, value, field, &def, path);
                    self.complete(&def.ty, raw, &subsets, path)
                }
            };
            path.pop();
            out.insert(key, result?);
        }
        Ok(out)
    }

    fn field_value(
        &mut self,
        type_name: &str,
        parent: &Map<String, Value>,
        field: &async_graphql_parser::types::Field,
        def: &router::compose::subgraph::SubField,
        path: &[Value],
    ) -> Value {
        let name = field.name.node.as_str();
        let external = def.external;
        let mut raw = None;
        // Arguments as the subgraph sees them: defaults, then what was given.
        let mut given: Vec<(String, String)> = def
            .arguments
            .values()
            .filter_map(|a| {
                a.default_value.as_ref().map(|d| {
                    (
                        a.name.clone(),
                        d.clone().into_json().unwrap_or(Value::Null).to_string(),
                    )
                })
            })
            .collect();
        for (n, v) in &field.arguments {
            given.retain(|(existing, _)| existing != n.node.as_str());
            given.push((n.node.to_string(), self.argument(&v.node).to_string()));
        }
        if !given.is_empty() {
            let mut args = given;
            args.sort();
            let key = format!(
                "{name}({})",
                args.iter()
                    .map(|(n, v)| format!("{n}:{v}"))
                    .collect::<Vec<_>>()
                    .join(",")
            );
            raw = parent.get(&key).cloned();
        }
        let raw = match raw.or_else(|| parent.get(name).cloned()) {
            Some(raw) => raw,
            None => {
                if external && !self.engine.is_key_field(type_name, name) {
                    self.error_at(
                        format!(
                            "[{}] external field {type_name}.{name} was not supplied",
                            self.engine.name
                        ),
                        path,
                    );
                }
                return Value::Null;
            }
        };
        self.special(raw, parent, path)
    }

    fn special(&mut self, raw: Value, parent: &Map<String, Value>, path: &[Value]) -> Value {
        let Value::Object(object) = &raw else {
            return raw;
        };
        if let Some(message) = object.get("$error").and_then(Value::as_str) {
            self.error_at(message.to_owned(), path);
            return Value::Null;
        }
        if let Some(from) = object.get("$from").and_then(Value::as_str) {
            return lookup(parent, from).cloned().unwrap_or(Value::Null);
        }
        if let Some(Value::Object(query)) = object.get("$row") {
            let type_name = query
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let wanted: Map<String, Value> = query
                .get("where")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(|(k, v)| (k, self.special(v, parent, path)))
                .collect();
            return self
                .engine
                .data
                .get("entities")
                .and_then(|e| e.get(type_name))
                .and_then(Value::as_array)
                .and_then(|rows| {
                    rows.iter().find(|row| {
                        !wanted.values().any(Value::is_null)
                            && wanted.iter().all(|(k, v)| row.get(k) == Some(v))
                    })
                })
                .and_then(|row| match query.get("field").and_then(Value::as_str) {
                    Some(field) => row.get(field),
                    None => Some(row),
                })
                .cloned()
                .unwrap_or(Value::Null);
        }
        if let Some(template) = object.get("$format").and_then(Value::as_str) {
            let mut out = String::new();
            let mut rest = template;
            while let Some(start) = rest.find('{') {
                out.push_str(&rest[..start]);
                let end = rest[start..].find('}').map_or(rest.len(), |e| start + e);
                let value = lookup(parent, &rest[start + 1..end])
                    .cloned()
                    .unwrap_or(Value::Null);
                out.push_str(&match value {
                    Value::String(s) => s,
                    other => other.to_string(),
                });
                rest = rest.get(end + 1..).unwrap_or_default();
            }
            out.push_str(rest);
            return Value::String(out);
        }
        raw
    }

    fn complete(
        &mut self,
        ty: &TypeRef,
        raw: Value,
        sets: &[&'a SelectionSet],
        path: &mut Vec<Value>,
    ) -> Result<Value, ()> {
        match ty {
            TypeRef::NonNull(inner) => {
                let value = self.complete(inner, raw, sets, path)?;
                if value.is_null() {
                    let already = self.errors.iter().any(|e| {
                        e.get("path")
                            .and_then(Value::as_array)
                            .is_some_and(|p| p.starts_with(path))
                    });
                    if !already {
                        self.error_at("Cannot return null for non-nullable field".into(), path);
                    }
                    return Err(());
                }
                Ok(value)
            }
            TypeRef::List(inner) => match raw {
                Value::Array(items) => {
                    let mut out = Vec::new();
                    for (i, item) in items.into_iter().enumerate() {
                        path.push(Value::from(i));
                        let completed = self.complete(inner, item, sets, path);
                        path.pop();
                        match completed {
                            Ok(v) => out.push(v),
                            Err(()) => return Ok(Value::Null),
                        }
                    }
                    Ok(Value::Array(out))
                }
                _ => Ok(Value::Null),
            },
            TypeRef::Named(name) => {
                let Value::Object(object) = raw else {
                    return Ok(raw);
                };
                let declared = self.engine.schema.types.get(name).map(|t| t.kind);
                let concrete = match (object.get("__typename").and_then(Value::as_str), declared) {
                    (Some(t), _) => t.to_owned(),
                    (None, Some(TypeKind::Object)) => name.clone(),
                    _ => {
                        self.error_at(
                            format!("[{}] abstract value without __typename", self.engine.name),
                            path,
                        );
                        return Ok(Value::Null);
                    }
                };
                if !self.engine.possible(name, &concrete) {
                    self.error_at(
                        format!(
                            "[{}] Abstract type \"{name}\" must resolve to an Object type at runtime; \"{concrete}\" is not a possible type.",
                            self.engine.name
                        ),
                        path,
                    );
                    return Ok(Value::Null);
                }
                let mut merged = self.engine.row(&concrete, &object).unwrap_or_default();
                for (k, v) in object {
                    merged.insert(k, v);
                }
                match self.object(&concrete, &merged, sets, path) {
                    Ok(map) => Ok(Value::Object(map)),
                    Err(()) => Ok(Value::Null),
                }
            }
        }
    }

    fn entities(
        &mut self,
        field: &async_graphql_parser::types::Field,
        sets: &[&'a SelectionSet],
        path: &mut Vec<Value>,
    ) -> Value {
        let representations = field
            .arguments
            .iter()
            .find(|(n, _)| n.node == "representations")
            .map(|(_, v)| self.argument(&v.node))
            .unwrap_or(Value::Null);
        let Value::Array(representations) = representations else {
            return Value::Null;
        };
        let mut out = Vec::new();
        for (index, representation) in representations.into_iter().enumerate() {
            path.push(Value::from(index));
            let Value::Object(rep) = representation else {
                out.push(Value::Null);
                path.pop();
                continue;
            };
            let typename = rep
                .get("__typename")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let entity = match self.engine.row(&typename, &rep) {
                Some(row) => {
                    let concrete = row
                        .get("__typename")
                        .and_then(Value::as_str)
                        .unwrap_or(&typename)
                        .to_owned();
                    // An entity interface's row names the concrete type; complete it
                    // from that type's row.
                    let mut merged = if concrete == typename {
                        row
                    } else {
                        let mut concrete_row = self.engine.row(&concrete, &row).unwrap_or_default();
                        concrete_row.extend(row);
                        concrete_row
                    };
                    for (k, v) in rep {
                        if k != "__typename" {
                            merged.insert(k, v);
                        }
                    }
                    match self.object(&concrete, &merged, sets, path) {
                        Ok(map) => Value::Object(map),
                        Err(()) => Value::Null,
                    }
                }
                None => Value::Null,
            };
            out.push(entity);
            path.pop();
        }
        Value::Array(out)
    }
}

fn lookup<'v>(object: &'v Map<String, Value>, path: &str) -> Option<&'v Value> {
    let mut parts = path.split('.');
    let mut current = object.get(parts.next()?)?;
    for part in parts {
        current = match current {
            Value::Array(items) => items.get(part.parse::<usize>().ok()?)?,
            other => other.get(part)?,
        };
    }
    Some(current)
}
