//! The client's operation: parsed, validated against the API schema (the
//! supergraph without `@inaccessible` elements), then normalised for a request —
//! named fragments inlined, `@skip`/`@include` applied with the request's variables.
//!
//! [`prepare`] runs once per distinct document (and is cached by the server);
//! [`Prepared::normalize`] runs per request and is cheap.

mod normalize;
mod validate;
pub mod values;

use std::collections::BTreeSet;

use async_graphql_parser::types::{DocumentOperations, ExecutableDocument, OperationType};
use async_graphql_parser::{Pos, Positioned};
use async_graphql_value::{ConstValue, Value};

use crate::error::{GraphQLError, codes};
use crate::supergraph::{Supergraph, TypeRef};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OperationKind {
    Query,
    Mutation,
    Subscription,
}

impl OperationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Query => "query",
            Self::Mutation => "mutation",
            Self::Subscription => "subscription",
        }
    }
}

/// A declared variable.
#[derive(Debug, Clone, PartialEq)]
pub struct VariableDefinition {
    pub name: String,
    pub ty: TypeRef,
    pub default_value: Option<ConstValue>,
}

/// A validated document with its chosen operation.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub(crate) document: ExecutableDocument,
    /// The chosen operation's name (when the document names it).
    pub name: Option<String>,
    pub kind: OperationKind,
    pub variables: Vec<VariableDefinition>,
    /// Variables that `@skip`/`@include` read: the plan depends on their values.
    pub condition_variables: BTreeSet<String>,
    /// Whether the operation touches `__schema`/`__type`.
    pub introspection: bool,
    /// Whether it selects anything besides introspection and `__typename`.
    pub selects_data: bool,
}

/// A normalised selection set.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SelectionSet {
    pub items: Vec<Selection>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Selection {
    Field(Field),
    Fragment(Fragment),
}

/// A field, with what the schema says about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub alias: Option<String>,
    pub name: String,
    /// Arguments as written (may hold variables).
    pub arguments: Vec<(String, Value)>,
    /// The type the field is selected on.
    pub parent_type: String,
    /// The field's output type (for `__typename`: `String!`).
    pub ty: TypeRef,
    pub selection: SelectionSet,
    pub pos: Pos,
}

impl Field {
    /// The key of the field in the response.
    pub fn response_key(&self) -> &str {
        self.alias.as_deref().unwrap_or(&self.name)
    }
}

/// An inline fragment (named fragments become these).
#[derive(Debug, Clone, PartialEq)]
pub struct Fragment {
    pub type_condition: Option<String>,
    pub selection: SelectionSet,
}

/// An operation ready to plan and execute.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub kind: OperationKind,
    pub name: Option<String>,
    pub root_type: String,
    pub variables: Vec<VariableDefinition>,
    pub selection: SelectionSet,
}

impl Operation {
    /// A text two operations share exactly when they plan alike: kind, name,
    /// variables and the normalised selection, without source positions. Two
    /// documents that differ only in layout, fragment structure or unused parts
    /// share one plan.
    pub fn signature(&self) -> String {
        let mut out = String::with_capacity(256);
        out.push_str(self.kind.as_str());
        if let Some(name) = &self.name {
            out.push(' ');
            out.push_str(name);
        }
        out.push('(');
        for variable in &self.variables {
            out.push_str(&format!("${}:{}", variable.name, variable.ty));
            if let Some(default) = &variable.default_value {
                out.push_str(&format!("={default}"));
            }
            out.push(',');
        }
        out.push(')');
        sign_selection(&self.selection, &mut out);
        out
    }
}

fn sign_selection(set: &SelectionSet, out: &mut String) {
    out.push('{');
    for item in &set.items {
        match item {
            Selection::Field(field) => {
                if let Some(alias) = &field.alias {
                    out.push_str(alias);
                    out.push(':');
                }
                out.push_str(&field.name);
                if !field.arguments.is_empty() {
                    out.push('(');
                    for (name, value) in &field.arguments {
                        out.push_str(name);
                        out.push(':');
                        out.push_str(&values::print_value(value));
                        out.push(',');
                    }
                    out.push(')');
                }
                if !field.selection.items.is_empty() {
                    sign_selection(&field.selection, out);
                }
            }
            Selection::Fragment(fragment) => {
                out.push_str("...");
                if let Some(on) = &fragment.type_condition {
                    out.push_str(on);
                }
                sign_selection(&fragment.selection, out);
            }
        }
        out.push(' ');
    }
    out.push('}');
}

/// Parses and validates `query`, choosing the operation named `operation_name`.
pub fn prepare(
    schema: &Supergraph,
    query: &str,
    operation_name: Option<&str>,
) -> Result<Prepared, Vec<GraphQLError>> {
    let document = async_graphql_parser::parse_query(query).map_err(|e| {
        let mut error = GraphQLError::new(format!("Syntax error: {e}"), codes::PARSE_FAILED);
        if let Some(pos) = e.positions().next() {
            error = error.at(pos);
        }
        vec![error]
    })?;
    let (name, operation) = choose_operation(&document, operation_name)?;
    let kind = match operation.node.ty {
        OperationType::Query => OperationKind::Query,
        OperationType::Mutation => OperationKind::Mutation,
        OperationType::Subscription => OperationKind::Subscription,
    };
    let facts = validate::validate(schema, &document, &operation.node)?;
    let variables = operation
        .node
        .variable_definitions
        .iter()
        .map(|v| VariableDefinition {
            name: v.node.name.node.to_string(),
            ty: crate::supergraph::type_ref_of(&v.node.var_type.node),
            default_value: v.node.default_value.as_ref().map(|d| d.node.clone()),
        })
        .collect();
    Ok(Prepared {
        name,
        kind,
        variables,
        condition_variables: facts.condition_variables,
        introspection: facts.introspection,
        selects_data: facts.selects_data,
        document,
    })
}

fn choose_operation<'a>(
    document: &'a ExecutableDocument,
    wanted: Option<&str>,
) -> Result<
    (
        Option<String>,
        &'a Positioned<async_graphql_parser::types::OperationDefinition>,
    ),
    Vec<GraphQLError>,
> {
    let not_found = |message: String| vec![GraphQLError::new(message, codes::OPERATION_NOT_FOUND)];
    match (&document.operations, wanted) {
        (DocumentOperations::Single(op), None) => Ok((None, op)),
        (DocumentOperations::Single(_), Some(name)) => {
            Err(not_found(format!("Unknown operation named \"{name}\".")))
        }
        (DocumentOperations::Multiple(ops), Some(name)) => ops
            .get(name)
            .map(|op| (Some(name.to_owned()), op))
            .ok_or_else(|| not_found(format!("Unknown operation named \"{name}\"."))),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => {
            let (name, op) = ops.iter().next().expect("one operation");
            Ok((Some(name.to_string()), op))
        }
        (DocumentOperations::Multiple(_), None) => Err(not_found(
            "Must provide operation name if query contains multiple operations.".into(),
        )),
    }
}

impl Prepared {
    /// The operation for a request's (coerced) variables.
    pub fn normalize(
        &self,
        schema: &Supergraph,
        variables: &serde_json::Map<String, serde_json::Value>,
    ) -> Operation {
        normalize::normalize(self, schema, variables)
    }

    /// The values of the condition variables, which with the document determine
    /// the normalised operation.
    pub fn condition_key(
        &self,
        variables: &serde_json::Map<String, serde_json::Value>,
    ) -> Vec<bool> {
        self.condition_variables
            .iter()
            .map(|name| {
                variables
                    .get(name)
                    .and_then(serde_json::Value::as_bool)
                    .unwrap_or(false)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> Supergraph {
        Supergraph::parse(include_str!("../../../bench/supergraph.graphql")).expect("supergraph")
    }

    fn errors(query: &str) -> Vec<String> {
        match prepare(&schema(), query, None) {
            Ok(_) => Vec::new(),
            Err(errors) => errors.into_iter().map(|e| e.message).collect(),
        }
    }

    #[test]
    fn the_benchmark_query_is_valid() {
        let prepared = prepare(
            &schema(),
            include_str!("../../../bench/query.graphql"),
            None,
        )
        .expect("valid");
        assert_eq!(prepared.name.as_deref(), Some("TestQuery"));
        assert!(prepared.selects_data && !prepared.introspection);
    }

    #[test]
    fn invalid_operations_are_reported_like_graphql_js() {
        let cases = [
            ("{ nope }", "Cannot query field \"nope\" on type \"Query\"."),
            (
                "{ me }",
                "Field \"me\" of type \"User\" must have a selection of subfields. Did you mean \"me { ... }\"?",
            ),
            (
                "{ me { id { x } } }",
                "Field \"id\" must not have a selection since type \"ID!\" has no subfields.",
            ),
            (
                "{ user { id } }",
                "Field \"user\" argument \"id\" of type \"ID!\" is required, but it was not provided.",
            ),
            (
                "{ user(id: 1, x: 2) { id } }",
                "Unknown argument \"x\" on field \"Query.user\".",
            ),
            (
                "{ topProducts(first: \"a\") { upc } }",
                "Argument \"first\" has an invalid value: expected type \"Int\", found \"a\"",
            ),
            (
                "query($a: Int) { me { id } }",
                "Variable \"$a\" is never used.",
            ),
            (
                "{ user(id: $id) { id } }",
                "Variable \"$id\" is not defined.",
            ),
            (
                "query($id: String!) { user(id: $id) { id } }",
                "Variable \"$id\" of type \"String!\" used in position expecting type \"ID!\".",
            ),
            (
                "{ me { ...P } } fragment P on Product { upc }",
                "Fragment \"P\" cannot be spread here as objects of type \"User\" can never be of type \"Product\".",
            ),
            (
                "{ me { id } } fragment U on User { id }",
                "Fragment \"U\" is never used.",
            ),
            (
                "{ me { ...A } } fragment A on User { ...B } fragment B on User { ...A }",
                "Cannot spread fragment \"A\" within itself via B, A.",
            ),
            (
                "{ me { id: name } me { id } }",
                "Fields \"id\" conflict because \"name\" and \"id\" are different fields. Use different aliases on the fields to fetch both if this was intentional.",
            ),
            ("{ me @defer { id } }", "Unknown directive \"@defer\"."),
            (
                "{ me @skip { id } }",
                "Directive \"@skip\" argument \"if\" of type \"Boolean!\" is required, but it was not provided.",
            ),
            (
                "mutation { x }",
                "Schema is not configured to execute mutation operation.",
            ),
        ];
        for (query, expected) in cases {
            let found = errors(query);
            assert!(
                found.iter().any(|m| m == expected),
                "{query}\n  expected: {expected}\n  found: {found:?}"
            );
        }
    }

    #[test]
    fn valid_edge_cases_pass() {
        for query in [
            "{ __typename me { __typename } }",
            "query($f: Int = 3) { topProducts(first: $f) { upc } }",
            "query($id: ID!) { a: user(id: $id) { id } b: user(id: \"2\") { id } }",
            "{ me { ... on User { id } ...U } } fragment U on User { name }",
            "query($s: Boolean!) { me @include(if: $s) { id } }",
            "{ __schema { types { name } } __type(name: \"User\") { fields { name } } }",
        ] {
            assert_eq!(errors(query), Vec::<String>::new(), "{query}");
        }
    }

    #[test]
    fn operations_are_chosen_by_name() {
        let doc = "query A { me { id } } query B { users { id } }";
        assert!(prepare(&schema(), doc, None).is_err());
        assert_eq!(
            prepare(&schema(), doc, Some("B"))
                .expect("B")
                .name
                .as_deref(),
            Some("B")
        );
        let err = prepare(&schema(), doc, Some("C")).expect_err("no C");
        assert_eq!(err[0].code(), Some(codes::OPERATION_NOT_FOUND));
        let err = prepare(&schema(), "{ me {", None).expect_err("syntax");
        assert_eq!(err[0].code(), Some(codes::PARSE_FAILED));
    }

    #[test]
    fn normalisation_inlines_fragments_and_applies_conditions() {
        let schema = schema();
        let prepared = prepare(
            &schema,
            "query($s: Boolean!) { me { ...U name @skip(if: $s) } } fragment U on User { id }",
            None,
        )
        .expect("valid");
        assert_eq!(
            prepared.condition_variables.iter().collect::<Vec<_>>(),
            vec!["s"]
        );
        let mut vars = serde_json::Map::new();
        vars.insert("s".into(), serde_json::Value::Bool(true));
        let op = prepared.normalize(&schema, &vars);
        let Selection::Field(me) = &op.selection.items[0] else {
            panic!("field")
        };
        let names: Vec<&str> = me
            .selection
            .items
            .iter()
            .map(|s| match s {
                Selection::Field(f) => f.name.as_str(),
                Selection::Fragment(_) => "fragment",
            })
            .collect();
        assert_eq!(names, ["id"]);
        vars.insert("s".into(), serde_json::Value::Bool(false));
        let op = prepared.normalize(&schema, &vars);
        let Selection::Field(me) = &op.selection.items[0] else {
            panic!("field")
        };
        assert_eq!(me.selection.items.len(), 2);
    }

    #[test]
    fn variables_are_coerced_with_defaults_and_errors() {
        let schema = schema();
        let prepared = prepare(
            &schema,
            "query($id: ID!, $f: Int = 5) { user(id: $id) { id } topProducts(first: $f) { upc } }",
            None,
        )
        .expect("valid");
        let provided: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(r#"{"id": 7}"#).expect("json");
        let coerced =
            values::coerce_variables(&schema, &prepared.variables, &provided).expect("coerces");
        assert_eq!(coerced["id"], "7");
        assert_eq!(coerced["f"], 5);
        let missing =
            values::coerce_variables(&schema, &prepared.variables, &serde_json::Map::new())
                .expect_err("id is required");
        assert!(
            missing[0]
                .message
                .contains("\"$id\" of required type \"ID!\" was not provided")
        );
        let bad: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(r#"{"id": "1", "f": 1.5}"#).expect("json");
        assert!(values::coerce_variables(&schema, &prepared.variables, &bad).is_err());
    }
}
