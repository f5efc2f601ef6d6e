//! The supergraph: every type and field of the federated schema, and for each,
//! which subgraphs can resolve it (Apollo's join spec, v0.1 to v0.5).

pub mod fieldset;
mod parse;

use std::collections::{HashMap, HashSet};

use async_graphql_value::ConstValue;
use indexmap::IndexMap;

pub use fieldset::{FieldSet, FieldSetItem};
pub use parse::SupergraphError;
pub(crate) use parse::type_ref as type_ref_of;

/// Index of a subgraph in [`Supergraph::graphs`].
pub type GraphId = usize;

/// A subgraph, as the supergraph names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Graph {
    /// `name:` of `@join__graph` (e.g. `accounts`).
    pub name: String,
    /// The `join__Graph` enum value (e.g. `ACCOUNTS`).
    pub enum_value: String,
    pub url: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeKind {
    Scalar,
    Object,
    Interface,
    Union,
    Enum,
    InputObject,
}

/// A type reference: `String`, `[Int!]!`, …
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeRef {
    Named(String),
    List(Box<TypeRef>),
    NonNull(Box<TypeRef>),
}

impl TypeRef {
    /// The named type under the wrappers.
    pub fn name(&self) -> &str {
        match self {
            Self::Named(name) => name,
            Self::List(inner) | Self::NonNull(inner) => inner.name(),
        }
    }

    pub fn is_non_null(&self) -> bool {
        matches!(self, Self::NonNull(_))
    }

    /// Whether a list is somewhere in the wrappers.
    pub fn is_list(&self) -> bool {
        match self {
            Self::Named(_) => false,
            Self::List(_) => true,
            Self::NonNull(inner) => inner.is_list(),
        }
    }

    /// Parses `[Int!]!` notation.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        if let Some(inner) = text.strip_suffix('!') {
            return Some(Self::NonNull(Box::new(Self::parse(inner)?)));
        }
        if let Some(inner) = text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
            return Some(Self::List(Box::new(Self::parse(inner)?)));
        }
        (!text.is_empty()).then(|| Self::Named(text.to_owned()))
    }
}

impl std::fmt::Display for TypeRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Named(name) => f.write_str(name),
            Self::List(inner) => write!(f, "[{inner}]"),
            Self::NonNull(inner) => write!(f, "{inner}!"),
        }
    }
}

/// An argument or an input field.
#[derive(Debug, Clone, PartialEq)]
pub struct InputValueDef {
    pub name: String,
    pub description: Option<String>,
    pub ty: TypeRef,
    pub default_value: Option<ConstValue>,
    pub deprecation: Option<String>,
    pub inaccessible: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumValueDef {
    pub name: String,
    pub description: Option<String>,
    pub deprecation: Option<String>,
    pub inaccessible: bool,
}

/// `@join__type`: the type is defined in `graph`, maybe with a key.
#[derive(Debug, Clone, PartialEq)]
pub struct JoinType {
    pub graph: GraphId,
    pub key: Option<FieldSet>,
    /// The key as written, for printing plans.
    pub key_text: Option<String>,
    pub extension: bool,
    pub resolvable: bool,
    pub interface_object: bool,
}

/// `@join__field`: how one subgraph defines a field.
#[derive(Debug, Clone, PartialEq)]
pub struct JoinField {
    /// `None`: the field is resolved through no subgraph directly on this type
    /// (e.g. a field an `@interfaceObject` adds to an interface's implementations).
    pub graph: Option<GraphId>,
    pub requires: Option<FieldSet>,
    pub provides: Option<FieldSet>,
    /// The field's type in that subgraph, when it differs.
    pub ty: Option<TypeRef>,
    pub external: bool,
    pub override_from: Option<String>,
    pub used_overridden: bool,
    pub override_label: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FieldDef {
    pub name: String,
    pub description: Option<String>,
    pub arguments: IndexMap<String, InputValueDef>,
    pub ty: TypeRef,
    pub deprecation: Option<String>,
    pub inaccessible: bool,
    pub joins: Vec<JoinField>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    pub kind: TypeKind,
    pub description: Option<String>,
    pub inaccessible: bool,
    pub specified_by: Option<String>,
    pub fields: IndexMap<String, FieldDef>,
    pub input_fields: IndexMap<String, InputValueDef>,
    pub enum_values: Vec<EnumValueDef>,
    /// Interfaces implemented (over all subgraphs).
    pub interfaces: Vec<String>,
    /// Union members (over all subgraphs).
    pub members: Vec<String>,
    pub join_types: Vec<JoinType>,
    /// `@join__implements(graph:, interface:)`.
    pub implements_in: Vec<(GraphId, String)>,
    /// `@join__unionMember(graph:, member:)`.
    pub members_in: Vec<(GraphId, String)>,
    /// `@join__owner` (join v0.1): the subgraph that owns fields without
    /// `@join__field`.
    pub owner: Option<GraphId>,
}

/// A directive definition kept in the API schema (for introspection).
#[derive(Debug, Clone, PartialEq)]
pub struct DirectiveDef {
    pub name: String,
    pub description: Option<String>,
    pub arguments: IndexMap<String, InputValueDef>,
    pub locations: Vec<String>,
    pub repeatable: bool,
}

/// The whole supergraph.
#[derive(Debug, Clone)]
pub struct Supergraph {
    pub graphs: Vec<Graph>,
    pub types: IndexMap<String, TypeDef>,
    pub query_type: String,
    pub mutation_type: Option<String>,
    pub subscription_type: Option<String>,
    pub directives: Vec<DirectiveDef>,
    /// Abstract type → the object types that can stand for it.
    possible_types: HashMap<String, Vec<String>>,
}

impl Supergraph {
    /// Parses a supergraph SDL.
    pub fn parse(sdl: &str) -> Result<Self, SupergraphError> {
        parse::parse(sdl)
    }

    pub fn graph_id(&self, name: &str) -> Option<GraphId> {
        self.graphs.iter().position(|g| g.name == name)
    }

    pub fn graph(&self, id: GraphId) -> &Graph {
        &self.graphs[id]
    }

    pub fn ty(&self, name: &str) -> Option<&TypeDef> {
        self.types.get(name)
    }

    pub fn field(&self, type_name: &str, field: &str) -> Option<&FieldDef> {
        self.types.get(type_name)?.fields.get(field)
    }

    pub fn is_abstract(&self, type_name: &str) -> bool {
        self.types
            .get(type_name)
            .is_some_and(|t| matches!(t.kind, TypeKind::Interface | TypeKind::Union))
    }

    pub fn is_composite(&self, type_name: &str) -> bool {
        self.types.get(type_name).is_some_and(|t| {
            matches!(
                t.kind,
                TypeKind::Object | TypeKind::Interface | TypeKind::Union
            )
        })
    }

    /// The object types an abstract type (or an object type itself) can be.
    pub fn possible_types<'a>(&'a self, type_name: &'a str) -> Vec<&'a str> {
        match self.possible_types.get(type_name) {
            Some(types) => types.iter().map(String::as_str).collect(),
            None => vec![type_name],
        }
    }

    /// Whether an object of `object_type` matches a fragment on `condition`.
    pub fn type_matches(&self, object_type: &str, condition: &str) -> bool {
        object_type == condition
            || self
                .possible_types
                .get(condition)
                .is_some_and(|types| types.iter().any(|t| t == object_type))
    }

    /// The interfaces and unions an object type belongs to.
    pub fn supertypes(&self, object_type: &str) -> Vec<String> {
        self.possible_types
            .iter()
            .filter(|(_, members)| members.iter().any(|m| m == object_type))
            .map(|(name, _)| name.clone())
            .collect()
    }

    /// Whether `type_name` is defined in `graph`. A type no `@join__type` mentions
    /// is in every subgraph (join v0.1 value types, built-in scalars).
    pub fn type_in_graph(&self, type_name: &str, graph: GraphId) -> bool {
        match self.types.get(type_name) {
            Some(t) if t.join_types.is_empty() => true,
            Some(t) => t.join_types.iter().any(|j| j.graph == graph),
            None => is_builtin_scalar(type_name),
        }
    }

    /// Whether `graph` declares `type_name` as an `@interfaceObject`.
    pub fn is_interface_object_in(&self, type_name: &str, graph: GraphId) -> bool {
        self.types.get(type_name).is_some_and(|t| {
            t.join_types
                .iter()
                .any(|j| j.graph == graph && j.interface_object)
        })
    }

    /// The subgraphs that can resolve `type_name.field` for a client's selection.
    pub fn field_graphs(&self, type_name: &str, field: &str) -> Vec<GraphId> {
        let Some(parent) = self.types.get(type_name) else {
            return Vec::new();
        };
        let Some(def) = parent.fields.get(field) else {
            return Vec::new();
        };
        if def.joins.is_empty() {
            if let Some(owner) = parent.owner {
                return vec![owner];
            }
            return (0..self.graphs.len())
                .filter(|g| self.type_in_graph(type_name, *g))
                .collect();
        }
        let mut graphs: Vec<GraphId> = def
            .joins
            .iter()
            .filter(|j| !j.external && !j.used_overridden)
            .filter_map(|j| j.graph)
            .filter(|g| self.type_in_graph(type_name, *g))
            .collect();
        graphs.dedup();
        graphs
    }

    /// The `@join__field` of `type_name.field` in `graph`, if any.
    pub fn join_field(&self, type_name: &str, field: &str, graph: GraphId) -> Option<&JoinField> {
        self.field(type_name, field)?
            .joins
            .iter()
            .find(|j| j.graph == Some(graph))
    }

    /// Whether `graph` knows `type_name.field` (resolvable or `@external`).
    pub fn field_defined_in(&self, type_name: &str, field: &str, graph: GraphId) -> bool {
        let Some(def) = self.field(type_name, field) else {
            return field == "__typename";
        };
        if def.joins.is_empty() {
            return self.field_graphs(type_name, field).contains(&graph);
        }
        def.joins.iter().any(|j| j.graph == Some(graph))
    }

    /// The keys `graph` can resolve `type_name` entities by.
    pub fn resolvable_keys(&self, type_name: &str, graph: GraphId) -> Vec<&JoinType> {
        self.types
            .get(type_name)
            .map(|t| {
                t.join_types
                    .iter()
                    .filter(|j| j.graph == graph && j.resolvable && j.key.is_some())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Every key of `type_name` declared in `graph` (resolvable or not).
    pub fn keys_in(&self, type_name: &str, graph: GraphId) -> Vec<&JoinType> {
        self.types
            .get(type_name)
            .map(|t| {
                t.join_types
                    .iter()
                    .filter(|j| j.graph == graph && j.key.is_some())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Whether `field` is part of a key of `type_name` in `graph`: a subgraph can
    /// always return its own key fields for its entities.
    pub fn is_key_field_in(&self, type_name: &str, field: &str, graph: GraphId) -> bool {
        self.keys_in(type_name, graph).iter().any(|j| {
            j.key
                .as_ref()
                .is_some_and(|k| k.field_names().contains(&field))
        })
    }

    /// The object types `graph` can return where `abstract_type` is expected.
    pub fn possible_types_in<'a>(&'a self, abstract_type: &'a str, graph: GraphId) -> Vec<&'a str> {
        let Some(def) = self.types.get(abstract_type) else {
            return Vec::new();
        };
        match def.kind {
            TypeKind::Union => {
                if def.members_in.is_empty() {
                    def.members
                        .iter()
                        .filter(|m| self.type_in_graph(m, graph))
                        .map(String::as_str)
                        .collect()
                } else {
                    def.members_in
                        .iter()
                        .filter(|(g, _)| *g == graph)
                        .map(|(_, m)| m.as_str())
                        .collect()
                }
            }
            TypeKind::Interface => self
                .possible_types(abstract_type)
                .into_iter()
                .filter(|t| {
                    self.type_in_graph(t, graph) && self.implements_in(t, abstract_type, graph)
                })
                .collect(),
            _ => vec![abstract_type],
        }
    }

    /// Whether object `type_name` implements `interface` in `graph`.
    pub fn implements_in(&self, type_name: &str, interface: &str, graph: GraphId) -> bool {
        let Some(def) = self.types.get(type_name) else {
            return false;
        };
        if def.implements_in.is_empty() {
            def.interfaces.iter().any(|i| i == interface)
        } else {
            def.implements_in
                .iter()
                .any(|(g, i)| *g == graph && i == interface)
        }
    }

    /// A type as clients see it: `None` when unknown or `@inaccessible`.
    pub fn api_type(&self, name: &str) -> Option<&TypeDef> {
        self.types.get(name).filter(|t| !t.inaccessible)
    }

    /// A field as clients see it: `None` when unknown or `@inaccessible` (itself or
    /// its type).
    pub fn api_field(&self, type_name: &str, field: &str) -> Option<&FieldDef> {
        let def = self.api_type(type_name)?.fields.get(field)?;
        (!def.inaccessible && self.api_type(def.ty.name()).is_some()).then_some(def)
    }

    fn index_possible_types(&mut self) {
        let mut possible: HashMap<String, Vec<String>> = HashMap::new();
        for def in self.types.values() {
            match def.kind {
                TypeKind::Union => {
                    possible
                        .entry(def.name.clone())
                        .or_default()
                        .extend(def.members.iter().cloned());
                }
                TypeKind::Object | TypeKind::Interface => {
                    for interface in &def.interfaces {
                        if def.kind == TypeKind::Object {
                            possible
                                .entry(interface.clone())
                                .or_default()
                                .push(def.name.clone());
                        }
                    }
                }
                _ => {}
            }
        }
        // Interfaces with no implementation still have an (empty) entry.
        for def in self.types.values() {
            if matches!(def.kind, TypeKind::Interface | TypeKind::Union) {
                possible.entry(def.name.clone()).or_default();
            }
        }
        for members in possible.values_mut() {
            let mut seen = HashSet::new();
            members.retain(|m| seen.insert(m.clone()));
        }
        self.possible_types = possible;
    }
}

/// The scalars every schema has.
pub fn is_builtin_scalar(name: &str) -> bool {
    matches!(name, "String" | "Int" | "Float" | "Boolean" | "ID")
}
