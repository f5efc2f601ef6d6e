//! GraphQL errors as the router reports them (spec §7.1.2): a message, locations,
//! a response path, and `extensions` with a stable `code`.

use serde::Serialize;
use serde_json::{Map, Value};

/// A location in the client's document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

impl From<async_graphql_parser::Pos> for Location {
    fn from(pos: async_graphql_parser::Pos) -> Self {
        Self {
            line: pos.line,
            column: pos.column,
        }
    }
}

/// One element of a response path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum PathElement {
    Key(String),
    Index(usize),
}

/// Stable codes the router itself produces (subgraph errors keep theirs).
pub mod codes {
    pub const PARSE_FAILED: &str = "GRAPHQL_PARSE_FAILED";
    pub const VALIDATION_FAILED: &str = "GRAPHQL_VALIDATION_FAILED";
    pub const BAD_USER_INPUT: &str = "BAD_USER_INPUT";
    pub const BAD_REQUEST: &str = "BAD_REQUEST";
    pub const OPERATION_NOT_FOUND: &str = "OPERATION_RESOLUTION_FAILURE";
    pub const METHOD_NOT_ALLOWED: &str = "METHOD_NOT_ALLOWED";
    pub const UNAUTHENTICATED: &str = "UNAUTHENTICATED";
    pub const CSRF: &str = "CSRF_PREVENTION";
    pub const MAX_DEPTH: &str = "MAX_DEPTH_LIMIT";
    pub const MAX_ALIASES: &str = "MAX_ALIASES_LIMIT";
    pub const MAX_ROOT_FIELDS: &str = "MAX_ROOT_FIELDS_LIMIT";
    pub const MAX_TOKENS: &str = "MAX_TOKENS_LIMIT";
    pub const PAYLOAD_TOO_LARGE: &str = "PAYLOAD_TOO_LARGE";
    pub const INTROSPECTION_DISABLED: &str = "INTROSPECTION_DISABLED";
    pub const SUBGRAPH_REQUEST_FAILED: &str = "SUBREQUEST_HTTP_ERROR";
    pub const SUBGRAPH_TIMEOUT: &str = "SUBREQUEST_TIMEOUT";
    pub const SUBGRAPH_INVALID_RESPONSE: &str = "SUBREQUEST_INVALID_RESPONSE";
    pub const NON_NULL_VIOLATION: &str = "NON_NULL_VIOLATION";
    pub const SUBSCRIPTIONS_UNSUPPORTED: &str = "SUBSCRIPTIONS_UNSUPPORTED";
    pub const INTERNAL: &str = "INTERNAL_SERVER_ERROR";
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GraphQLError {
    pub message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<Location>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<Vec<PathElement>>,
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub extensions: Map<String, Value>,
}

impl GraphQLError {
    pub fn new(message: impl Into<String>, code: &str) -> Self {
        let mut extensions = Map::new();
        extensions.insert("code".into(), Value::String(code.into()));
        Self {
            message: message.into(),
            locations: Vec::new(),
            path: None,
            extensions,
        }
    }

    pub fn at(mut self, location: impl Into<Location>) -> Self {
        self.locations.push(location.into());
        self
    }

    pub fn with_path(mut self, path: Vec<PathElement>) -> Self {
        self.path = Some(path);
        self
    }

    pub fn with_extension(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.extensions.insert(key.into(), value.into());
        self
    }

    pub fn code(&self) -> Option<&str> {
        self.extensions.get("code").and_then(Value::as_str)
    }
}
