//! From the validated document to the [`Operation`] of one request: named
//! fragments become inline fragments, fragments on the enclosing type are
//! flattened into it, and `@skip`/`@include` are applied with the request's
//! variables. Fields keep their order; merging by response key happens when the
//! response is shaped.

use async_graphql_parser::Positioned;
use async_graphql_parser::types::{
    Directive, DocumentOperations, ExecutableDocument, OperationDefinition,
    Selection as AstSelection, SelectionSet as AstSelectionSet,
};
use async_graphql_value::Value;
use serde_json::{Map, Value as Json};

use super::{Field, Fragment, Operation, OperationKind, Prepared, Selection, SelectionSet};
use crate::supergraph::{Supergraph, TypeRef};

pub(super) fn normalize(
    prepared: &Prepared,
    schema: &Supergraph,
    variables: &Map<String, Json>,
) -> Operation {
    let operation = find_operation(&prepared.document, prepared.name.as_deref());
    let root_type = match prepared.kind {
        OperationKind::Query => schema.query_type.clone(),
        OperationKind::Mutation => schema.mutation_type.clone().unwrap_or_default(),
        OperationKind::Subscription => schema.subscription_type.clone().unwrap_or_default(),
    };
    let normalizer = Normalizer {
        schema,
        document: &prepared.document,
        variables,
        root_type: &root_type,
    };
    let selection = normalizer.selection_set(&root_type, &operation.selection_set.node);
    Operation {
        kind: prepared.kind,
        name: prepared.name.clone(),
        root_type: root_type.clone(),
        variables: prepared.variables.clone(),
        selection,
    }
}

fn find_operation<'d>(
    document: &'d ExecutableDocument,
    name: Option<&str>,
) -> &'d OperationDefinition {
    match (&document.operations, name) {
        (DocumentOperations::Single(op), _) => &op.node,
        (DocumentOperations::Multiple(ops), Some(name)) => &ops[name].node,
        (DocumentOperations::Multiple(ops), None) => {
            &ops.values().next().expect("validated: one operation").node
        }
    }
}

struct Normalizer<'a> {
    schema: &'a Supergraph,
    document: &'a ExecutableDocument,
    variables: &'a Map<String, Json>,
    root_type: &'a str,
}

impl Normalizer<'_> {
    fn selection_set(&self, parent: &str, set: &AstSelectionSet) -> SelectionSet {
        let mut items = Vec::new();
        for item in &set.items {
            if !self.included(item.node.directives()) {
                continue;
            }
            match &item.node {
                AstSelection::Field(field) => {
                    let node = &field.node;
                    let name = node.name.node.to_string();
                    let ty = self.field_type(parent, &name);
                    let selection = self.selection_set(ty.name(), &node.selection_set.node);
                    items.push(Selection::Field(Field {
                        alias: node.alias.as_ref().map(|a| a.node.to_string()),
                        name,
                        arguments: node
                            .arguments
                            .iter()
                            .map(|(n, v)| (n.node.to_string(), v.node.clone()))
                            .collect(),
                        parent_type: parent.to_owned(),
                        ty,
                        selection,
                        pos: field.pos,
                    }));
                }
                AstSelection::InlineFragment(fragment) => {
                    let condition = fragment
                        .node
                        .type_condition
                        .as_ref()
                        .map(|c| c.node.on.node.to_string());
                    self.fragment(
                        parent,
                        condition,
                        &fragment.node.selection_set.node,
                        &mut items,
                    );
                }
                AstSelection::FragmentSpread(spread) => {
                    let fragment = &self.document.fragments[&spread.node.fragment_name.node];
                    let condition = Some(fragment.node.type_condition.node.on.node.to_string());
                    self.fragment(
                        parent,
                        condition,
                        &fragment.node.selection_set.node,
                        &mut items,
                    );
                }
            }
        }
        SelectionSet { items }
    }

    /// A fragment on the enclosing type (or without a condition) is flattened.
    fn fragment(
        &self,
        parent: &str,
        condition: Option<String>,
        set: &AstSelectionSet,
        items: &mut Vec<Selection>,
    ) {
        match condition {
            Some(on) if on != parent => {
                let selection = self.selection_set(&on, set);
                items.push(Selection::Fragment(Fragment {
                    type_condition: Some(on),
                    selection,
                }));
            }
            _ => items.extend(self.selection_set(parent, set).items),
        }
    }

    fn field_type(&self, parent: &str, name: &str) -> TypeRef {
        let non_null = |name: &str| TypeRef::NonNull(Box::new(TypeRef::Named(name.into())));
        match name {
            "__typename" => non_null("String"),
            "__schema" if parent == self.root_type => non_null("__Schema"),
            "__type" if parent == self.root_type => TypeRef::Named("__Type".into()),
            _ => self
                .schema
                .field(parent, name)
                .map(|f| f.ty.clone())
                .expect("validated: the field exists"),
        }
    }

    /// `@skip(if:)` and `@include(if:)` with literals or variables.
    fn included(&self, directives: &[Positioned<Directive>]) -> bool {
        directives.iter().all(|directive| {
            let condition = directive
                .node
                .get_argument("if")
                .map(|v| match &v.node {
                    Value::Boolean(b) => *b,
                    Value::Variable(name) => self
                        .variables
                        .get(name.as_str())
                        .and_then(Json::as_bool)
                        .unwrap_or(false),
                    _ => false,
                })
                .unwrap_or(false);
            match directive.node.name.node.as_str() {
                "skip" => !condition,
                "include" => condition,
                _ => true,
            }
        })
    }
}
