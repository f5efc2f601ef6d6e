//! Validation of an operation against the API schema (GraphQL spec §5): fields and
//! arguments exist and are accessible, leaf and composite selections, fragments
//! (known, possible, used, acyclic), variables (defined, used, of input types, in
//! allowed positions), directives, literal values, and fields that share a response
//! key being mergeable. Messages follow graphql-js.

use std::collections::{BTreeSet, HashMap, HashSet};

use async_graphql_parser::types::{
    ExecutableDocument, Field, FragmentDefinition, OperationDefinition, Selection, SelectionSet,
};
use async_graphql_parser::{Pos, Positioned};
use async_graphql_value::{Name, Value};

use super::values::{self, ValueCheck};
use crate::error::{GraphQLError, codes};
use crate::supergraph::{Supergraph, TypeKind, TypeRef};

/// What validation learnt about the operation.
#[derive(Debug, Default)]
pub(super) struct Facts {
    pub condition_variables: BTreeSet<String>,
    pub introspection: bool,
    pub selects_data: bool,
}

/// Fields by response key, each with the type it is selected on.
type FieldsByKey<'a> = Vec<(&'a str, Vec<(String, &'a Positioned<Field>)>)>;

struct Validator<'a> {
    schema: &'a Supergraph,
    document: &'a ExecutableDocument,
    errors: Vec<GraphQLError>,
    /// The operation's variables: type and whether a default is given.
    variables: HashMap<&'a str, (TypeRef, bool)>,
    used_variables: HashSet<String>,
    /// Fragments already walked for this operation.
    walked_fragments: HashSet<&'a str>,
    root_type: String,
    facts: Facts,
}

pub(super) fn validate(
    schema: &Supergraph,
    document: &ExecutableDocument,
    operation: &OperationDefinition,
) -> Result<Facts, Vec<GraphQLError>> {
    use async_graphql_parser::types::OperationType;
    let root_type = match operation.ty {
        OperationType::Query => Some(schema.query_type.clone()),
        OperationType::Mutation => schema.mutation_type.clone(),
        OperationType::Subscription => schema.subscription_type.clone(),
    };
    let Some(root_type) = root_type else {
        let kind = match operation.ty {
            OperationType::Mutation => "mutation",
            _ => "subscription",
        };
        return Err(vec![error(
            format!("Schema is not configured to execute {kind} operation."),
            operation.selection_set.pos,
        )]);
    };
    let mut validator = Validator {
        schema,
        document,
        errors: Vec::new(),
        variables: HashMap::new(),
        used_variables: HashSet::new(),
        walked_fragments: HashSet::new(),
        root_type: root_type.clone(),
        facts: Facts::default(),
    };
    validator.fragment_definitions();
    validator.variable_definitions(operation);
    validator.directives(&operation.directives, "QUERY");
    validator.selection_set(&root_type, &operation.selection_set);
    validator.merge_check(&root_type, &[&operation.selection_set.node]);
    validator.unused_variables(operation);
    validator.unused_fragments();
    if operation.ty == OperationType::Subscription {
        validator.single_root_field(operation);
    }
    if validator.errors.is_empty() {
        Ok(validator.facts)
    } else {
        Err(validator.errors)
    }
}

fn error(message: impl Into<String>, pos: Pos) -> GraphQLError {
    GraphQLError::new(message, codes::VALIDATION_FAILED).at(pos)
}

impl<'a> Validator<'a> {
    fn report(&mut self, message: impl Into<String>, pos: Pos) {
        self.errors.push(error(message, pos));
    }

    fn kind_of(&self, type_name: &str) -> Option<TypeKind> {
        self.schema.api_type(type_name).map(|t| t.kind)
    }

    fn is_composite(&self, type_name: &str) -> bool {
        matches!(
            self.kind_of(type_name),
            Some(TypeKind::Object | TypeKind::Interface | TypeKind::Union)
        )
    }

    fn is_input(&self, type_name: &str) -> bool {
        matches!(
            self.kind_of(type_name),
            Some(TypeKind::Scalar | TypeKind::Enum | TypeKind::InputObject)
        )
    }

    /// Definitions of fragments: on known composite types, no cycles.
    fn fragment_definitions(&mut self) {
        let mut names: Vec<&Name> = self.document.fragments.keys().collect();
        names.sort();
        for name in names {
            let fragment = &self.document.fragments[name];
            let on = &fragment.node.type_condition.node.on;
            if self.kind_of(&on.node).is_none() {
                self.report(format!("Unknown type \"{}\".", on.node), on.pos);
            } else if !self.is_composite(&on.node) {
                self.report(
                    format!(
                        "Fragment \"{name}\" cannot condition on non composite type \"{}\".",
                        on.node
                    ),
                    on.pos,
                );
            }
            self.directives(&fragment.node.directives, "FRAGMENT_DEFINITION");
            let mut stack = vec![name.as_str()];
            if let Some(cycle) = self.find_cycle(&fragment.node.selection_set.node, &mut stack) {
                self.report(
                    format!(
                        "Cannot spread fragment \"{name}\" within itself via {}.",
                        cycle.join(", ")
                    ),
                    fragment.pos,
                );
            }
        }
    }

    /// A path of fragment names from the top of `stack` back to its bottom.
    fn find_cycle(&self, set: &'a SelectionSet, stack: &mut Vec<&'a str>) -> Option<Vec<String>> {
        for item in &set.items {
            let (inner, spread) = match &item.node {
                Selection::Field(field) => (Some(&field.node.selection_set.node), None),
                Selection::InlineFragment(fragment) => {
                    (Some(&fragment.node.selection_set.node), None)
                }
                Selection::FragmentSpread(spread) => {
                    (None, Some(spread.node.fragment_name.node.as_str()))
                }
            };
            if let Some(inner) = inner
                && let Some(cycle) = self.find_cycle(inner, stack)
            {
                return Some(cycle);
            }
            if let Some(name) = spread {
                if stack.first() == Some(&name) {
                    return Some(
                        stack[1..]
                            .iter()
                            .map(|s| (*s).to_owned())
                            .chain([name.to_owned()])
                            .collect(),
                    );
                }
                if stack.contains(&name) {
                    continue;
                }
                if let Some(fragment) = self.document.fragments.get(name) {
                    stack.push(name);
                    let found = self.find_cycle(&fragment.node.selection_set.node, stack);
                    stack.pop();
                    if found.is_some() {
                        return found;
                    }
                }
            }
        }
        None
    }

    fn variable_definitions(&mut self, operation: &'a OperationDefinition) {
        for definition in &operation.variable_definitions {
            let name = definition.node.name.node.as_str();
            let ty = crate::supergraph::type_ref_of(&definition.node.var_type.node);
            if self.variables.contains_key(name) {
                self.report(
                    format!("There can be only one variable named \"${name}\"."),
                    definition.pos,
                );
                continue;
            }
            if !self.is_input(ty.name()) {
                if self.kind_of(ty.name()).is_none() {
                    self.report(
                        format!("Unknown type \"{}\".", ty.name()),
                        definition.node.var_type.pos,
                    );
                } else {
                    self.report(
                        format!("Variable \"${name}\" cannot be non-input type \"{ty}\"."),
                        definition.node.var_type.pos,
                    );
                }
                continue;
            }
            if let Some(default) = &definition.node.default_value {
                let value = default.node.clone().into_value();
                if let Err(problem) =
                    values::check_literal(self.schema, &value, &ty, false, &mut NoVariables)
                {
                    self.report(
                        format!("Variable \"${name}\" has an invalid default value: {problem}"),
                        default.pos,
                    );
                }
            }
            self.directives(&definition.node.directives, "VARIABLE_DEFINITION");
            self.variables
                .insert(name, (ty, definition.node.default_value.is_some()));
        }
    }

    fn unused_variables(&mut self, operation: &OperationDefinition) {
        for definition in &operation.variable_definitions {
            let name = definition.node.name.node.as_str();
            if !self.used_variables.contains(name) {
                self.report(
                    format!("Variable \"${name}\" is never used."),
                    definition.pos,
                );
            }
        }
    }

    /// Fragments no operation of the document uses.
    fn unused_fragments(&mut self) {
        let mut used = HashSet::new();
        let mut pending: Vec<&SelectionSet> = self
            .document
            .operations
            .iter()
            .map(|(_, op)| &op.node.selection_set.node)
            .collect();
        while let Some(set) = pending.pop() {
            for item in &set.items {
                match &item.node {
                    Selection::Field(field) => pending.push(&field.node.selection_set.node),
                    Selection::InlineFragment(fragment) => {
                        pending.push(&fragment.node.selection_set.node)
                    }
                    Selection::FragmentSpread(spread) => {
                        let name = spread.node.fragment_name.node.as_str();
                        if used.insert(name)
                            && let Some(fragment) = self.document.fragments.get(name)
                        {
                            pending.push(&fragment.node.selection_set.node);
                        }
                    }
                }
            }
        }
        let mut unused: Vec<(&Name, Pos)> = self
            .document
            .fragments
            .iter()
            .filter(|(name, _)| !used.contains(name.as_str()))
            .map(|(name, f)| (name, f.pos))
            .collect();
        unused.sort_by_key(|(_, pos)| (pos.line, pos.column));
        for (name, pos) in unused {
            self.report(format!("Fragment \"{name}\" is never used."), pos);
        }
    }

    fn single_root_field(&mut self, operation: &OperationDefinition) {
        if operation.selection_set.node.items.len() != 1 {
            self.report(
                "Subscription operations must select only one top level field.",
                operation.selection_set.pos,
            );
        }
    }

    /// `@skip`/`@include` (the only executable directives served) on a location.
    fn directives(
        &mut self,
        directives: &'a [Positioned<async_graphql_parser::types::Directive>],
        location: &str,
    ) {
        let mut seen = HashSet::new();
        for directive in directives {
            let name = directive.node.name.node.as_str();
            if !matches!(name, "skip" | "include") {
                self.report(format!("Unknown directive \"@{name}\"."), directive.pos);
                continue;
            }
            if !matches!(location, "FIELD" | "FRAGMENT_SPREAD" | "INLINE_FRAGMENT") {
                self.report(
                    format!("Directive \"@{name}\" may not be used on {location}."),
                    directive.pos,
                );
                continue;
            }
            if !seen.insert(name) {
                self.report(
                    format!("The directive \"@{name}\" can only be used once at this location."),
                    directive.pos,
                );
            }
            let mut condition = None;
            for (argument, value) in &directive.node.arguments {
                if argument.node != "if" {
                    self.report(
                        format!(
                            "Unknown argument \"{}\" on directive \"@{name}\".",
                            argument.node
                        ),
                        argument.pos,
                    );
                    continue;
                }
                condition = Some(value);
            }
            let Some(value) = condition else {
                self.report(
                    format!("Directive \"@{name}\" argument \"if\" of type \"Boolean!\" is required, but it was not provided."),
                    directive.pos,
                );
                continue;
            };
            if let Value::Variable(variable) = &value.node {
                self.facts.condition_variables.insert(variable.to_string());
            }
            self.value(
                &value.node,
                &TypeRef::NonNull(Box::new(TypeRef::Named("Boolean".into()))),
                false,
                value.pos,
                || format!("Argument \"if\" of directive \"@{name}\""),
            );
        }
    }

    fn selection_set(&mut self, parent: &str, set: &'a Positioned<SelectionSet>) {
        for item in &set.node.items {
            match &item.node {
                Selection::Field(field) => {
                    self.directives(&field.node.directives, "FIELD");
                    self.field(parent, field);
                }
                Selection::InlineFragment(fragment) => {
                    self.directives(&fragment.node.directives, "INLINE_FRAGMENT");
                    let on = match &fragment.node.type_condition {
                        Some(condition) => {
                            let on = &condition.node.on;
                            if self.kind_of(&on.node).is_none() {
                                self.report(format!("Unknown type \"{}\".", on.node), on.pos);
                                continue;
                            }
                            if !self.is_composite(&on.node) {
                                self.report(
                                    format!(
                                        "Fragment cannot condition on non composite type \"{}\".",
                                        on.node
                                    ),
                                    on.pos,
                                );
                                continue;
                            }
                            if !self.overlaps(parent, &on.node) {
                                self.report(
                                    format!("Fragment cannot be spread here as objects of type \"{parent}\" can never be of type \"{}\".", on.node),
                                    item.pos,
                                );
                                continue;
                            }
                            on.node.as_str()
                        }
                        None => parent,
                    };
                    self.selection_set(on, &fragment.node.selection_set);
                }
                Selection::FragmentSpread(spread) => {
                    self.directives(&spread.node.directives, "FRAGMENT_SPREAD");
                    let name = spread.node.fragment_name.node.as_str();
                    let Some(fragment) = self.document.fragments.get(name) else {
                        self.report(format!("Unknown fragment \"{name}\"."), spread.pos);
                        continue;
                    };
                    let on = fragment.node.type_condition.node.on.node.as_str();
                    if !self.is_composite(on) {
                        continue; // reported with the definition
                    }
                    if !self.overlaps(parent, on) {
                        self.report(
                            format!("Fragment \"{name}\" cannot be spread here as objects of type \"{parent}\" can never be of type \"{on}\"."),
                            spread.pos,
                        );
                        continue;
                    }
                    if self.walked_fragments.insert(name) {
                        self.walk_fragment(fragment);
                    }
                }
            }
        }
    }

    fn walk_fragment(&mut self, fragment: &'a Positioned<FragmentDefinition>) {
        let on = fragment.node.type_condition.node.on.node.as_str();
        self.selection_set(on, &fragment.node.selection_set);
    }

    /// Whether objects of `a` can be of `b` (their possible types intersect).
    fn overlaps(&self, a: &str, b: &str) -> bool {
        let left = self.schema.possible_types(a);
        let right = self.schema.possible_types(b);
        left.iter().any(|t| right.contains(t))
    }

    fn field(&mut self, parent: &str, field: &'a Positioned<Field>) {
        let node = &field.node;
        let name = node.name.node.as_str();
        let field_type: TypeRef;
        let arguments: Vec<(String, TypeRef, bool)>;
        if name == "__typename" {
            if !node.arguments.is_empty() {
                self.report("Unknown argument on field \"__typename\".", field.pos);
            }
            field_type = TypeRef::NonNull(Box::new(TypeRef::Named("String".into())));
            arguments = Vec::new();
        } else if parent == self.root_type && (name == "__schema" || name == "__type") {
            self.facts.introspection = true;
            if name == "__schema" {
                field_type = TypeRef::NonNull(Box::new(TypeRef::Named("__Schema".into())));
                arguments = Vec::new();
            } else {
                field_type = TypeRef::Named("__Type".into());
                arguments = vec![(
                    "name".into(),
                    TypeRef::NonNull(Box::new(TypeRef::Named("String".into()))),
                    false,
                )];
            }
        } else {
            let Some(def) = self.schema.api_field(parent, name) else {
                self.report(
                    format!("Cannot query field \"{name}\" on type \"{parent}\"."),
                    field.pos,
                );
                return;
            };
            if parent == self.root_type {
                self.facts.selects_data = true;
            }
            field_type = def.ty.clone();
            arguments = def
                .arguments
                .values()
                .filter(|a| !a.inaccessible)
                .map(|a| (a.name.clone(), a.ty.clone(), a.default_value.is_some()))
                .collect();
        }
        self.arguments(parent, name, &node.arguments, &arguments, field.pos);

        let named = field_type.name().to_owned();
        let has_selection = !node.selection_set.node.items.is_empty();
        if self.is_composite(&named) {
            if !has_selection {
                self.report(
                    format!("Field \"{name}\" of type \"{field_type}\" must have a selection of subfields. Did you mean \"{name} {{ ... }}\"?"),
                    field.pos,
                );
                return;
            }
            self.selection_set(&named, &node.selection_set);
        } else if has_selection {
            self.report(
                format!("Field \"{name}\" must not have a selection since type \"{field_type}\" has no subfields."),
                node.selection_set.pos,
            );
        }
    }

    fn arguments(
        &mut self,
        parent: &str,
        field: &str,
        given: &'a [(Positioned<Name>, Positioned<Value>)],
        defined: &[(String, TypeRef, bool)],
        pos: Pos,
    ) {
        let mut seen = HashSet::new();
        for (name, value) in given {
            if !seen.insert(name.node.as_str()) {
                self.report(
                    format!("There can be only one argument named \"{}\".", name.node),
                    name.pos,
                );
                continue;
            }
            let Some((_, ty, has_default)) =
                defined.iter().find(|(n, _, _)| n == name.node.as_str())
            else {
                self.report(
                    format!(
                        "Unknown argument \"{}\" on field \"{parent}.{field}\".",
                        name.node
                    ),
                    name.pos,
                );
                continue;
            };
            let argument = name.node.to_string();
            self.value(&value.node, ty, *has_default, value.pos, || {
                format!("Argument \"{argument}\"")
            });
        }
        for (name, ty, has_default) in defined {
            if ty.is_non_null() && !has_default && !seen.contains(name.as_str()) {
                self.report(
                    format!("Field \"{field}\" argument \"{name}\" of type \"{ty}\" is required, but it was not provided."),
                    pos,
                );
            }
        }
    }

    /// Checks a literal (or variable) against the type of its position.
    fn value(
        &mut self,
        value: &Value,
        ty: &TypeRef,
        has_default: bool,
        pos: Pos,
        what: impl FnOnce() -> String,
    ) {
        let schema = self.schema;
        let mut usage = VariableUsage {
            validator: self,
            pos,
        };
        if let Err(problem) = values::check_literal(schema, value, ty, has_default, &mut usage) {
            let what = what();
            self.report(format!("{what} has an invalid value: {problem}"), pos);
        }
    }

    /// Fields with the same response key in one selection set must be the same
    /// field with the same arguments, returning types of the same shape
    /// (FieldsInSetCanMerge); their sub-selections merge, so they are checked
    /// together.
    fn merge_check(&mut self, parent: &str, sets: &[&'a SelectionSet]) {
        let mut by_key: FieldsByKey<'a> = Vec::new();
        for set in sets {
            self.collect_fields(parent, set, &mut by_key, &mut HashSet::new());
        }
        for (key, fields) in &by_key {
            for pair in fields.windows(2) {
                let (parent_a, a) = &pair[0];
                let (parent_b, b) = &pair[1];
                if let Some(problem) = self.conflict(parent_a, a, parent_b, b) {
                    self.report(
                        format!("Fields \"{key}\" conflict because {problem}. Use different aliases on the fields to fetch both if this was intentional."),
                        b.pos,
                    );
                }
            }
            // The merged sub-selections, under the first field's type.
            let (first_parent, first) = &fields[0];
            let Some(ty) = self.field_type(first_parent, &first.node.name.node) else {
                continue;
            };
            let named = ty.name().to_owned();
            if self.is_composite(&named) {
                let subsets: Vec<&'a SelectionSet> = fields
                    .iter()
                    .map(|(_, f)| &f.node.selection_set.node)
                    .collect();
                self.merge_check(&named, &subsets);
            }
        }
    }

    fn collect_fields(
        &self,
        parent: &str,
        set: &'a SelectionSet,
        by_key: &mut FieldsByKey<'a>,
        visited: &mut HashSet<&'a str>,
    ) {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    let key = field.node.response_key().node.as_str();
                    match by_key.iter_mut().find(|(k, _)| *k == key) {
                        Some((_, fields)) => fields.push((parent.to_owned(), field)),
                        None => by_key.push((key, vec![(parent.to_owned(), field)])),
                    }
                }
                Selection::InlineFragment(fragment) => {
                    let on = fragment
                        .node
                        .type_condition
                        .as_ref()
                        .map_or(parent, |c| c.node.on.node.as_str());
                    self.collect_fields(on, &fragment.node.selection_set.node, by_key, visited);
                }
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.as_str();
                    if !visited.insert(name) {
                        continue;
                    }
                    if let Some(fragment) = self.document.fragments.get(name) {
                        let on = fragment.node.type_condition.node.on.node.as_str();
                        self.collect_fields(on, &fragment.node.selection_set.node, by_key, visited);
                    }
                }
            }
        }
    }

    fn field_type(&self, parent: &str, name: &str) -> Option<TypeRef> {
        match name {
            "__typename" => Some(TypeRef::NonNull(Box::new(TypeRef::Named("String".into())))),
            "__schema" => Some(TypeRef::NonNull(Box::new(TypeRef::Named(
                "__Schema".into(),
            )))),
            "__type" => Some(TypeRef::Named("__Type".into())),
            _ => self.schema.api_field(parent, name).map(|f| f.ty.clone()),
        }
    }

    fn conflict(
        &self,
        parent_a: &str,
        a: &Positioned<Field>,
        parent_b: &str,
        b: &Positioned<Field>,
    ) -> Option<String> {
        let (name_a, name_b) = (&a.node.name.node, &b.node.name.node);
        let type_a = self.field_type(parent_a, name_a)?;
        let type_b = self.field_type(parent_b, name_b)?;
        // Fields of two different object types never apply to the same object.
        let exclusive = parent_a != parent_b
            && self.kind_of(parent_a) == Some(TypeKind::Object)
            && self.kind_of(parent_b) == Some(TypeKind::Object);
        if !exclusive {
            if name_a != name_b {
                return Some(format!(
                    "\"{name_a}\" and \"{name_b}\" are different fields"
                ));
            }
            if !same_arguments(&a.node.arguments, &b.node.arguments) {
                return Some("they have differing arguments".into());
            }
        }
        if !self.same_shape(&type_a, &type_b) {
            return Some(format!(
                "they return conflicting types \"{type_a}\" and \"{type_b}\""
            ));
        }
        None
    }

    fn same_shape(&self, a: &TypeRef, b: &TypeRef) -> bool {
        match (a, b) {
            (TypeRef::NonNull(a), TypeRef::NonNull(b)) | (TypeRef::List(a), TypeRef::List(b)) => {
                self.same_shape(a, b)
            }
            (TypeRef::Named(a), TypeRef::Named(b)) => {
                a == b || (self.is_composite(a) && self.is_composite(b))
            }
            _ => false,
        }
    }
}

fn same_arguments(
    a: &[(Positioned<Name>, Positioned<Value>)],
    b: &[(Positioned<Name>, Positioned<Value>)],
) -> bool {
    a.len() == b.len()
        && a.iter().all(|(name, value)| {
            b.iter().any(|(other, other_value)| {
                other.node == name.node && other_value.node == value.node
            })
        })
}

/// Records variable usages met while checking a value, and checks each usage is
/// allowed in its position (spec §5.8.5).
struct VariableUsage<'v, 'a> {
    validator: &'v mut Validator<'a>,
    pos: Pos,
}

impl ValueCheck for VariableUsage<'_, '_> {
    fn variable(&mut self, name: &str, location: &TypeRef, location_has_default: bool) {
        self.validator.used_variables.insert(name.to_owned());
        let Some((var_type, has_default)) = self.validator.variables.get(name).cloned() else {
            self.validator
                .report(format!("Variable \"${name}\" is not defined."), self.pos);
            return;
        };
        if !values::usage_allowed(&var_type, has_default, location, location_has_default) {
            self.validator.report(
                format!("Variable \"${name}\" of type \"{var_type}\" used in position expecting type \"{location}\"."),
                self.pos,
            );
        }
    }
}

/// For default values, where variables may not appear.
struct NoVariables;

impl ValueCheck for NoVariables {
    fn variable(&mut self, _: &str, _: &TypeRef, _: bool) {}
}
