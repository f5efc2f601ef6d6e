//! Reading a supergraph SDL into a [`Supergraph`]: the spec prefixes from `@link`
//! (or Fed 1's `@core`), the subgraphs from `join__Graph`, then every type and field
//! with its join directives.

use std::collections::HashMap;

use async_graphql_parser::Positioned;
use async_graphql_parser::types::{
    BaseType, ConstDirective, EnumType, FieldDefinition, InputValueDefinition, ObjectType,
    SchemaDefinition, ServiceDocument, Type, TypeDefinition, TypeKind as AstKind,
    TypeSystemDefinition,
};
use async_graphql_value::ConstValue;
use indexmap::IndexMap;

use super::{
    DirectiveDef, EnumValueDef, FieldDef, FieldSet, Graph, GraphId, InputValueDef, JoinField,
    JoinType, Supergraph, TypeDef, TypeKind, TypeRef,
};

/// Why a supergraph could not be loaded, with where in the SDL when known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}{}", location.map(|(l, c)| format!(" (line {l}, column {c})")).unwrap_or_default())]
pub struct SupergraphError {
    pub message: String,
    pub location: Option<(usize, usize)>,
}

impl SupergraphError {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            location: None,
        }
    }

    fn at<T>(message: impl Into<String>, node: &Positioned<T>) -> Self {
        Self {
            message: message.into(),
            location: Some((node.pos.line, node.pos.column)),
        }
    }
}

/// The names the spec directives go by in this supergraph (`@link(as:)` may rename).
struct Names {
    join: String,
    link: String,
    inaccessible: String,
    /// Prefixes of definitions that belong to specs, not to the API.
    spec_prefixes: Vec<String>,
}

impl Names {
    fn join(&self, directive: &str) -> String {
        format!("{}__{directive}", self.join)
    }

    fn is_spec_definition(&self, name: &str) -> bool {
        self.spec_prefixes
            .iter()
            .any(|p| name.starts_with(p.as_str()))
            || matches!(
                name,
                "link" | "core" | "inaccessible" | "tag" | "join__Graph"
            )
            || name == self.inaccessible
    }
}

pub(super) fn parse(sdl: &str) -> Result<Supergraph, SupergraphError> {
    let document = async_graphql_parser::parse_schema(sdl)
        .map_err(|e| SupergraphError::new(format!("the supergraph is not valid SDL: {e}")))?;
    let schemas: Vec<&Positioned<SchemaDefinition>> = document
        .definitions
        .iter()
        .filter_map(|d| match d {
            TypeSystemDefinition::Schema(schema) => Some(schema),
            _ => None,
        })
        .collect();
    let names = spec_names(&schemas)?;
    let graphs = graphs(&document, &names)?;
    let graph_ids: HashMap<String, GraphId> = graphs
        .iter()
        .enumerate()
        .map(|(id, g)| (g.enum_value.clone(), id))
        .collect();

    let mut types: IndexMap<String, TypeDef> = IndexMap::new();
    let mut directives = Vec::new();
    for definition in &document.definitions {
        match definition {
            TypeSystemDefinition::Type(ty) => {
                let name = ty.node.name.node.as_str();
                if names.is_spec_definition(name) {
                    continue;
                }
                let parsed = type_def(ty, &names, &graph_ids)?;
                match types.get_mut(name) {
                    Some(existing) => merge_extension(existing, parsed),
                    None => {
                        types.insert(name.to_owned(), parsed);
                    }
                }
            }
            TypeSystemDefinition::Directive(directive) => {
                let name = directive.node.name.node.as_str();
                if names.is_spec_definition(name) {
                    continue;
                }
                directives.push(DirectiveDef {
                    name: name.to_owned(),
                    description: directive.node.description.as_ref().map(|d| d.node.clone()),
                    arguments: directive
                        .node
                        .arguments
                        .iter()
                        .map(|a| (a.node.name.node.to_string(), input_value(a, &names)))
                        .collect(),
                    locations: directive
                        .node
                        .locations
                        .iter()
                        .map(|l| format!("{:?}", l.node))
                        .collect(),
                    repeatable: directive.node.is_repeatable,
                });
            }
            TypeSystemDefinition::Schema(_) => {}
        }
    }

    let root = |field: fn(&SchemaDefinition) -> &Option<Positioned<async_graphql_value::Name>>,
                default: &str| {
        schemas
            .iter()
            .find_map(|s| field(&s.node).as_ref().map(|n| n.node.to_string()))
            .or_else(|| types.contains_key(default).then(|| default.to_owned()))
    };
    let query_type = root(|s| &s.query, "Query")
        .ok_or_else(|| SupergraphError::new("the supergraph has no Query type"))?;
    let mutation_type = root(|s| &s.mutation, "Mutation");
    let subscription_type = root(|s| &s.subscription, "Subscription");

    add_builtin_types(&mut types);
    let mut supergraph = Supergraph {
        graphs,
        types,
        query_type,
        mutation_type,
        subscription_type,
        directives,
        possible_types: HashMap::new(),
    };
    check_references(&supergraph)?;
    supergraph.index_possible_types();
    Ok(supergraph)
}

/// Finds the join spec (required), link, inaccessible and the other spec prefixes.
fn spec_names(schemas: &[&Positioned<SchemaDefinition>]) -> Result<Names, SupergraphError> {
    let mut names = Names {
        join: String::new(),
        link: "link".into(),
        inaccessible: "inaccessible".into(),
        spec_prefixes: vec!["link__".into(), "core__".into(), "join__".into()],
    };
    for schema in schemas {
        for directive in &schema.node.directives {
            let kind = directive.node.name.node.as_str();
            if kind != "link" && kind != "core" {
                continue;
            }
            let url_arg = if kind == "link" { "url" } else { "feature" };
            let Some(url) = string_arg(directive, url_arg) else {
                continue;
            };
            let Some((spec, _version)) = spec_of(&url) else {
                continue;
            };
            let alias = string_arg(directive, "as").unwrap_or_else(|| spec.clone());
            match spec.as_str() {
                "join" => names.join = alias.clone(),
                "link" | "core" => names.link = alias.clone(),
                "inaccessible" => names.inaccessible = alias.clone(),
                _ => {}
            }
            names.spec_prefixes.push(format!("{alias}__"));
        }
    }
    if names.join.is_empty() {
        return Err(SupergraphError::new(
            "not a supergraph: no @link (or @core) to the join spec (https://specs.apollo.dev/join/…)",
        ));
    }
    Ok(names)
}

/// `https://specs.apollo.dev/join/v0.3` → (`join`, `v0.3`).
fn spec_of(url: &str) -> Option<(String, String)> {
    let mut parts = url.trim_end_matches('/').rsplit('/');
    let version = parts.next()?;
    let name = parts.next()?;
    version
        .starts_with('v')
        .then(|| (name.to_owned(), version.to_owned()))
}

fn graphs(document: &ServiceDocument, names: &Names) -> Result<Vec<Graph>, SupergraphError> {
    let enum_name = names.join("Graph");
    let directive_name = names.join("graph");
    let graph_enum = document
        .definitions
        .iter()
        .find_map(|d| match d {
            TypeSystemDefinition::Type(t) if t.node.name.node == enum_name => Some(t),
            _ => None,
        })
        .ok_or_else(|| SupergraphError::new(format!("the supergraph has no `{enum_name}` enum")))?;
    let AstKind::Enum(EnumType { values }) = &graph_enum.node.kind else {
        return Err(SupergraphError::at(
            format!("`{enum_name}` must be an enum"),
            graph_enum,
        ));
    };
    values
        .iter()
        .map(|value| {
            let directive = value
                .node
                .directives
                .iter()
                .find(|d| d.node.name.node == directive_name)
                .ok_or_else(|| {
                    SupergraphError::at(
                        format!("`{}` has no @{directive_name}", value.node.value.node),
                        value,
                    )
                })?;
            Ok(Graph {
                enum_value: value.node.value.node.to_string(),
                name: string_arg(directive, "name")
                    .ok_or_else(|| SupergraphError::at("@join__graph needs `name`", directive))?,
                url: string_arg(directive, "url").unwrap_or_default(),
            })
        })
        .collect()
}

fn type_def(
    ty: &Positioned<TypeDefinition>,
    names: &Names,
    graphs: &HashMap<String, GraphId>,
) -> Result<TypeDef, SupergraphError> {
    let node = &ty.node;
    let kind = match &node.kind {
        AstKind::Scalar => TypeKind::Scalar,
        AstKind::Object(_) => TypeKind::Object,
        AstKind::Interface(_) => TypeKind::Interface,
        AstKind::Union(_) => TypeKind::Union,
        AstKind::Enum(_) => TypeKind::Enum,
        AstKind::InputObject(_) => TypeKind::InputObject,
    };
    let mut def = TypeDef {
        name: node.name.node.to_string(),
        kind,
        description: node.description.as_ref().map(|d| d.node.clone()),
        inaccessible: has_directive(&node.directives, &names.inaccessible),
        specified_by: node
            .directives
            .iter()
            .find(|d| d.node.name.node == "specifiedBy")
            .and_then(|d| string_arg(d, "url")),
        fields: IndexMap::new(),
        input_fields: IndexMap::new(),
        enum_values: Vec::new(),
        interfaces: Vec::new(),
        members: Vec::new(),
        join_types: Vec::new(),
        implements_in: Vec::new(),
        members_in: Vec::new(),
        owner: None,
    };
    for directive in &node.directives {
        let name = directive.node.name.node.as_str();
        if name == names.join("type") {
            let key_text = string_arg(directive, "key");
            let key = key_text
                .as_deref()
                .map(FieldSet::parse)
                .transpose()
                .map_err(|e| SupergraphError::at(e, directive))?;
            def.join_types.push(JoinType {
                graph: graph_arg(directive, "graph", graphs)?,
                key,
                key_text,
                extension: bool_arg(directive, "extension").unwrap_or(false),
                resolvable: bool_arg(directive, "resolvable").unwrap_or(true),
                interface_object: bool_arg(directive, "isInterfaceObject").unwrap_or(false),
            });
        } else if name == names.join("owner") {
            def.owner = Some(graph_arg(directive, "graph", graphs)?);
        } else if name == names.join("implements") {
            let interface = string_arg(directive, "interface").ok_or_else(|| {
                SupergraphError::at("@join__implements needs `interface`", directive)
            })?;
            def.implements_in
                .push((graph_arg(directive, "graph", graphs)?, interface));
        } else if name == names.join("unionMember") {
            let member = string_arg(directive, "member").ok_or_else(|| {
                SupergraphError::at("@join__unionMember needs `member`", directive)
            })?;
            def.members_in
                .push((graph_arg(directive, "graph", graphs)?, member));
        }
    }
    match &node.kind {
        AstKind::Object(ObjectType { implements, fields }) => {
            def.interfaces = implements.iter().map(|i| i.node.to_string()).collect();
            def.fields = field_defs(fields, names, graphs)?;
        }
        AstKind::Interface(interface) => {
            def.interfaces = interface
                .implements
                .iter()
                .map(|i| i.node.to_string())
                .collect();
            def.fields = field_defs(&interface.fields, names, graphs)?;
        }
        AstKind::Union(union) => {
            def.members = union.members.iter().map(|m| m.node.to_string()).collect();
        }
        AstKind::Enum(EnumType { values }) => {
            def.enum_values = values
                .iter()
                .map(|v| EnumValueDef {
                    name: v.node.value.node.to_string(),
                    description: v.node.description.as_ref().map(|d| d.node.clone()),
                    deprecation: deprecation(&v.node.directives),
                    inaccessible: has_directive(&v.node.directives, &names.inaccessible),
                })
                .collect();
        }
        AstKind::InputObject(input) => {
            def.input_fields = input
                .fields
                .iter()
                .map(|f| (f.node.name.node.to_string(), input_value(f, names)))
                .collect();
        }
        AstKind::Scalar => {}
    }
    Ok(def)
}

fn field_defs(
    fields: &[Positioned<FieldDefinition>],
    names: &Names,
    graphs: &HashMap<String, GraphId>,
) -> Result<IndexMap<String, FieldDef>, SupergraphError> {
    let join_field = names.join("field");
    fields
        .iter()
        .map(|field| {
            let node = &field.node;
            let joins = node
                .directives
                .iter()
                .filter(|d| d.node.name.node == join_field)
                .map(|d| join_field_of(d, graphs))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((
                node.name.node.to_string(),
                FieldDef {
                    name: node.name.node.to_string(),
                    description: node.description.as_ref().map(|d| d.node.clone()),
                    arguments: node
                        .arguments
                        .iter()
                        .map(|a| (a.node.name.node.to_string(), input_value(a, names)))
                        .collect(),
                    ty: type_ref(&node.ty.node),
                    deprecation: deprecation(&node.directives),
                    inaccessible: has_directive(&node.directives, &names.inaccessible),
                    joins,
                },
            ))
        })
        .collect()
}

fn join_field_of(
    directive: &Positioned<ConstDirective>,
    graphs: &HashMap<String, GraphId>,
) -> Result<JoinField, SupergraphError> {
    let field_set = |arg: &str| {
        string_arg(directive, arg)
            .as_deref()
            .map(FieldSet::parse)
            .transpose()
            .map_err(|e| SupergraphError::at(e, directive))
    };
    let graph = match directive.node.get_argument("graph") {
        Some(_) => Some(graph_arg(directive, "graph", graphs)?),
        None => None,
    };
    Ok(JoinField {
        graph,
        requires: field_set("requires")?,
        provides: field_set("provides")?,
        ty: string_arg(directive, "type").and_then(|t| TypeRef::parse(&t)),
        external: bool_arg(directive, "external").unwrap_or(false),
        override_from: string_arg(directive, "override"),
        used_overridden: bool_arg(directive, "usedOverridden").unwrap_or(false),
        override_label: string_arg(directive, "overrideLabel"),
    })
}

fn input_value(value: &Positioned<InputValueDefinition>, names: &Names) -> InputValueDef {
    let node = &value.node;
    InputValueDef {
        name: node.name.node.to_string(),
        description: node.description.as_ref().map(|d| d.node.clone()),
        ty: type_ref(&node.ty.node),
        default_value: node.default_value.as_ref().map(|v| v.node.clone()),
        deprecation: deprecation(&node.directives),
        inaccessible: has_directive(&node.directives, &names.inaccessible),
    }
}

pub(crate) fn type_ref(ty: &Type) -> TypeRef {
    let base = match &ty.base {
        BaseType::Named(name) => TypeRef::Named(name.to_string()),
        BaseType::List(inner) => TypeRef::List(Box::new(type_ref(inner))),
    };
    if ty.nullable {
        base
    } else {
        TypeRef::NonNull(Box::new(base))
    }
}

/// The built-in scalars and the introspection types (`__Schema`, `__Type`, …):
/// clients select them, and `__schema { types }` lists them.
fn add_builtin_types(types: &mut IndexMap<String, TypeDef>) {
    const BUILTIN: &str = include_str!("introspection.graphql");
    let document = async_graphql_parser::parse_schema(BUILTIN).expect("the built-in SDL is valid");
    let names = Names {
        join: "join".into(),
        link: "link".into(),
        inaccessible: "inaccessible".into(),
        spec_prefixes: Vec::new(),
    };
    for definition in &document.definitions {
        if let TypeSystemDefinition::Type(ty) = definition {
            if types.contains_key(ty.node.name.node.as_str()) {
                continue;
            }
            let def = type_def(ty, &names, &HashMap::new()).expect("the built-in SDL is valid");
            types.insert(def.name.clone(), def);
        }
    }
}

/// A repeated definition (`extend type`) adds to the first.
fn merge_extension(existing: &mut TypeDef, extra: TypeDef) {
    existing.fields.extend(extra.fields);
    existing.input_fields.extend(extra.input_fields);
    existing.enum_values.extend(extra.enum_values);
    existing.interfaces.extend(extra.interfaces);
    existing.members.extend(extra.members);
    existing.join_types.extend(extra.join_types);
    existing.implements_in.extend(extra.implements_in);
    existing.members_in.extend(extra.members_in);
    existing.owner = existing.owner.or(extra.owner);
    existing.inaccessible |= extra.inaccessible;
}

/// Every field, argument and member refers to a type that exists.
fn check_references(supergraph: &Supergraph) -> Result<(), SupergraphError> {
    let known = |name: &str| supergraph.types.contains_key(name) || super::is_builtin_scalar(name);
    for def in supergraph.types.values() {
        for field in def.fields.values() {
            if !known(field.ty.name()) {
                return Err(SupergraphError::new(format!(
                    "{}.{} has unknown type `{}`",
                    def.name,
                    field.name,
                    field.ty.name()
                )));
            }
            for argument in field.arguments.values() {
                if !known(argument.ty.name()) {
                    return Err(SupergraphError::new(format!(
                        "argument `{}` of {}.{} has unknown type `{}`",
                        argument.name,
                        def.name,
                        field.name,
                        argument.ty.name()
                    )));
                }
            }
        }
        for member in def.members.iter().chain(def.interfaces.iter()) {
            if !known(member) {
                return Err(SupergraphError::new(format!(
                    "{} refers to unknown type `{member}`",
                    def.name
                )));
            }
        }
    }
    if !supergraph.types.contains_key(&supergraph.query_type) {
        return Err(SupergraphError::new(format!(
            "the query type `{}` is not defined",
            supergraph.query_type
        )));
    }
    Ok(())
}

fn has_directive(directives: &[Positioned<ConstDirective>], name: &str) -> bool {
    directives.iter().any(|d| d.node.name.node == name)
}

fn deprecation(directives: &[Positioned<ConstDirective>]) -> Option<String> {
    directives
        .iter()
        .find(|d| d.node.name.node == "deprecated")
        .map(|d| string_arg(d, "reason").unwrap_or_else(|| "No longer supported".to_owned()))
}

fn string_arg(directive: &Positioned<ConstDirective>, name: &str) -> Option<String> {
    match directive.node.get_argument(name).map(|v| &v.node) {
        Some(ConstValue::String(s)) => Some(s.clone()),
        Some(ConstValue::Enum(e)) => Some(e.to_string()),
        _ => None,
    }
}

fn bool_arg(directive: &Positioned<ConstDirective>, name: &str) -> Option<bool> {
    match directive.node.get_argument(name).map(|v| &v.node) {
        Some(ConstValue::Boolean(b)) => Some(*b),
        _ => None,
    }
}

fn graph_arg(
    directive: &Positioned<ConstDirective>,
    name: &str,
    graphs: &HashMap<String, GraphId>,
) -> Result<GraphId, SupergraphError> {
    let value = string_arg(directive, name).ok_or_else(|| {
        SupergraphError::at(
            format!("@{} needs `{name}`", directive.node.name.node),
            directive,
        )
    })?;
    graphs
        .get(&value)
        .copied()
        .ok_or_else(|| SupergraphError::at(format!("unknown subgraph `{value}`"), directive))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BENCH: &str = include_str!("../../../bench/supergraph.graphql");

    #[test]
    fn the_benchmark_supergraph_loads() {
        let supergraph = Supergraph::parse(BENCH).expect("loads");
        let names: Vec<&str> = supergraph.graphs.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(names, ["accounts", "inventory", "products", "reviews"]);
        let inventory = supergraph.graph_id("inventory").expect("graph");
        let products = supergraph.graph_id("products").expect("graph");
        let reviews = supergraph.graph_id("reviews").expect("graph");
        assert_eq!(supergraph.field_graphs("Product", "weight"), vec![products]);
        assert_eq!(supergraph.field_graphs("Product", "upc").len(), 3);
        let requires = supergraph
            .join_field("Product", "shippingEstimate", inventory)
            .and_then(|j| j.requires.as_ref())
            .expect("requires");
        assert_eq!(requires.field_names(), vec!["price", "weight"]);
        assert!(
            supergraph
                .join_field("Review", "author", reviews)
                .and_then(|j| j.provides.as_ref())
                .is_some()
        );
        assert_eq!(supergraph.resolvable_keys("User", reviews).len(), 1);
        assert!(supergraph.is_key_field_in("Product", "upc", inventory));
        assert_eq!(supergraph.query_type, "Query");
        assert!(!supergraph.types.contains_key("join__Graph"));
        assert!(!supergraph.types.contains_key("link__Purpose"));
    }

    #[test]
    fn a_document_without_the_join_spec_is_refused() {
        let err = Supergraph::parse("type Query { a: Int }").expect_err("not a supergraph");
        assert!(err.message.contains("join spec"), "{err}");
    }
}
