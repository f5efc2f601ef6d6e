//! One subgraph's SDL as composition sees it: its federation version and directive
//! names (`@link` imports, renames, `federation__` prefixes), its types and fields
//! with their federation directives, and without the federation plumbing
//! (`_Service`, `_Any`, `_entities`, …).

use std::collections::HashMap;

use async_graphql_parser::Positioned;
use async_graphql_parser::types::{
    ConstDirective, FieldDefinition, InputValueDefinition, ServiceDocument, TypeKind as AstKind,
    TypeSystemDefinition,
};
use async_graphql_value::ConstValue;
use indexmap::IndexMap;

use super::CompositionError;
use crate::supergraph::{FieldSet, FieldSetItem, TypeKind, TypeRef, type_ref_of};

/// The federation directives composition understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fed {
    Key,
    Requires,
    Provides,
    External,
    Shareable,
    Override,
    Inaccessible,
    Tag,
    InterfaceObject,
    Extends,
    ComposeDirective,
}

const FED_NAMES: [(&str, Fed); 11] = [
    ("key", Fed::Key),
    ("requires", Fed::Requires),
    ("provides", Fed::Provides),
    ("external", Fed::External),
    ("shareable", Fed::Shareable),
    ("override", Fed::Override),
    ("inaccessible", Fed::Inaccessible),
    ("tag", Fed::Tag),
    ("interfaceObject", Fed::InterfaceObject),
    ("extends", Fed::Extends),
    ("composeDirective", Fed::ComposeDirective),
];

#[derive(Debug, Clone)]
pub struct SubgraphSchema {
    pub name: String,
    pub url: String,
    /// Federation 2 (`@link` to the federation spec); Federation 1 otherwise.
    pub fed2: bool,
    pub types: IndexMap<String, SubType>,
    /// The (type, field) pairs some key selects, nested ones included: they are
    /// shareable without saying so.
    pub key_fields: std::collections::BTreeSet<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct Key {
    pub fields: String,
    pub resolvable: bool,
    /// Declared on a type extension (`extend type`, or `@extends`).
    pub of_extension: bool,
}

#[derive(Debug, Clone)]
pub struct SubType {
    pub name: String,
    pub kind: TypeKind,
    pub description: Option<String>,
    pub extension: bool,
    pub keys: Vec<Key>,
    pub shareable: bool,
    pub interface_object: bool,
    pub inaccessible: bool,
    pub specified_by: Option<String>,
    pub interfaces: Vec<String>,
    pub members: Vec<String>,
    pub fields: IndexMap<String, SubField>,
    pub input_fields: IndexMap<String, SubArgument>,
    pub enum_values: IndexMap<String, SubEnumValue>,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone)]
pub struct SubField {
    pub name: String,
    pub description: Option<String>,
    pub ty: TypeRef,
    pub arguments: IndexMap<String, SubArgument>,
    pub external: bool,
    pub requires: Option<String>,
    pub provides: Option<String>,
    pub shareable: bool,
    pub override_from: Option<String>,
    pub override_label: Option<String>,
    pub inaccessible: bool,
    pub deprecation: Option<String>,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone)]
pub struct SubArgument {
    pub name: String,
    pub description: Option<String>,
    pub ty: TypeRef,
    pub default_value: Option<ConstValue>,
    pub inaccessible: bool,
    pub deprecation: Option<String>,
}

#[derive(Debug, Clone)]
pub struct SubEnumValue {
    pub description: Option<String>,
    pub inaccessible: bool,
    pub deprecation: Option<String>,
}

/// Types and fields that are federation plumbing, not part of the API.
fn is_plumbing_type(name: &str) -> bool {
    matches!(
        name,
        "_Service"
            | "_Entity"
            | "_Any"
            | "FieldSet"
            | "_FieldSet"
            | "link__Import"
            | "link__Purpose"
            | "federation__FieldSet"
            | "federation__Scope"
            | "federation__Policy"
            | "federation__ContextFieldValue"
    ) || name.starts_with("federation__")
        || name.starts_with("link__")
}

/// Reads a subgraph's SDL.
pub fn read(name: &str, url: &str, sdl: &str) -> Result<SubgraphSchema, Vec<CompositionError>> {
    let document = async_graphql_parser::parse_schema(sdl).map_err(|e| {
        let (line, column) = e
            .positions()
            .next()
            .map(|p| (p.line, p.column))
            .unwrap_or((0, 0));
        vec![
            CompositionError::new(
                "INVALID_GRAPHQL",
                format!("[{name}] the SDL does not parse: {e}"),
            )
            .at(name, line, column),
        ]
    })?;
    let names = directive_names(&document);
    let mut roots: HashMap<String, String> = HashMap::new();
    for definition in &document.definitions {
        if let TypeSystemDefinition::Schema(schema) = definition {
            for (field, root) in [
                (&schema.node.query, "Query"),
                (&schema.node.mutation, "Mutation"),
                (&schema.node.subscription, "Subscription"),
            ] {
                if let Some(type_name) = field {
                    roots.insert(type_name.node.to_string(), root.to_owned());
                }
            }
        }
    }
    let rename = |type_name: &str| {
        roots
            .get(type_name)
            .cloned()
            .unwrap_or_else(|| type_name.to_owned())
    };
    let mut types: IndexMap<String, SubType> = IndexMap::new();
    for definition in &document.definitions {
        let TypeSystemDefinition::Type(ty) = definition else {
            continue;
        };
        let original = ty.node.name.node.as_str();
        if is_plumbing_type(original) {
            continue;
        }
        let mut sub = read_type(ty, &names, &rename);
        if sub.name == "Query" {
            sub.fields.shift_remove("_service");
            sub.fields.shift_remove("_entities");
        }
        match types.get_mut(&sub.name) {
            Some(existing) => {
                existing.fields.extend(sub.fields);
                existing.input_fields.extend(sub.input_fields);
                existing.enum_values.extend(sub.enum_values);
                existing.keys.extend(sub.keys);
                existing.interfaces.extend(sub.interfaces);
                existing.members.extend(sub.members);
                existing.shareable |= sub.shareable;
                existing.inaccessible |= sub.inaccessible;
                existing.interface_object |= sub.interface_object;
                existing.extension &= sub.extension;
            }
            None => {
                types.insert(sub.name.clone(), sub);
            }
        }
    }
    resolve_fake_externals(&mut types);
    // Every subgraph has a Query root (federation gives it `_service`), even when
    // its SDL shows none.
    if !types.contains_key("Query") {
        types.insert("Query".into(), empty_object("Query"));
    }
    let mut key_fields = Vec::new();
    for ty in types.values() {
        for key in &ty.keys {
            if let Ok(set) = FieldSet::parse(&key.fields) {
                key_target_fields(&types, &ty.name, &set, &mut key_fields);
            }
        }
    }
    Ok(SubgraphSchema {
        name: name.to_owned(),
        url: url.to_owned(),
        fed2: names.fed2,
        types,
        key_fields: key_fields.into_iter().collect(),
    })
}

/// Key fields a type extension marks `@external` are the subgraph's own all the
/// same (Apollo's "fake externals", in Federation 1 and 2 alike): an extension had
/// to mark its key fields external, yet it resolves them.
fn resolve_fake_externals(types: &mut IndexMap<String, SubType>) {
    let mut fake: Vec<(String, String)> = Vec::new();
    for ty in types.values() {
        for key in ty.keys.iter().filter(|k| k.of_extension) {
            if let Ok(set) = FieldSet::parse(&key.fields) {
                key_target_fields(types, &ty.name, &set, &mut fake);
            }
        }
    }
    for (type_name, field) in fake {
        if let Some(field) = types
            .get_mut(&type_name)
            .and_then(|t| t.fields.get_mut(&field))
        {
            field.external = false;
        }
    }
}

/// The (type, field) pairs a key's field set selects, nested ones included.
fn key_target_fields(
    types: &IndexMap<String, SubType>,
    type_name: &str,
    set: &FieldSet,
    out: &mut Vec<(String, String)>,
) {
    for item in &set.items {
        match item {
            FieldSetItem::Field {
                name, selection, ..
            } => {
                out.push((type_name.to_owned(), name.clone()));
                let Some(field) = types.get(type_name).and_then(|t| t.fields.get(name)) else {
                    continue;
                };
                if !selection.is_empty() {
                    key_target_fields(types, field.ty.name(), selection, out);
                }
            }
            FieldSetItem::Fragment {
                type_condition,
                selection,
            } => {
                let on = type_condition.as_deref().unwrap_or(type_name);
                key_target_fields(types, on, selection, out);
            }
        }
    }
}

fn empty_object(name: &str) -> SubType {
    SubType {
        name: name.to_owned(),
        kind: TypeKind::Object,
        description: None,
        extension: false,
        keys: Vec::new(),
        shareable: false,
        interface_object: false,
        inaccessible: false,
        specified_by: None,
        interfaces: Vec::new(),
        members: Vec::new(),
        fields: IndexMap::new(),
        input_fields: IndexMap::new(),
        enum_values: IndexMap::new(),
        line: 0,
        column: 0,
    }
}

/// What each directive name means in this subgraph.
struct Names {
    fed2: bool,
    by_name: HashMap<String, Fed>,
}

impl Names {
    fn of(&self, directive: &Positioned<ConstDirective>) -> Option<Fed> {
        self.by_name.get(directive.node.name.node.as_str()).copied()
    }
}

fn directive_names(document: &ServiceDocument) -> Names {
    let mut fed2 = false;
    let mut by_name: HashMap<String, Fed> = HashMap::new();
    let mut prefix = "federation".to_owned();
    let mut inaccessible_alias = None;
    for definition in &document.definitions {
        let TypeSystemDefinition::Schema(schema) = definition else {
            continue;
        };
        for directive in &schema.node.directives {
            if directive.node.name.node != "link" {
                continue;
            }
            let Some(url) = string_argument(directive, "url") else {
                continue;
            };
            if url.contains("/inaccessible/") {
                inaccessible_alias = string_argument(directive, "as");
            }
            if !url.contains("specs.apollo.dev/federation/") {
                continue;
            }
            fed2 = true;
            if let Some(alias) = string_argument(directive, "as") {
                prefix = alias;
            }
            if let Some(ConstValue::List(imports)) =
                directive.node.get_argument("import").map(|v| &v.node)
            {
                for import in imports {
                    let (name, alias) = match import {
                        ConstValue::String(name) => (name.clone(), name.clone()),
                        ConstValue::Object(fields) => {
                            let get = |k: &str| match fields.get(k) {
                                Some(ConstValue::String(s)) => Some(s.clone()),
                                _ => None,
                            };
                            match get("name") {
                                Some(name) => {
                                    let alias = get("as").unwrap_or_else(|| name.clone());
                                    (name, alias)
                                }
                                None => continue,
                            }
                        }
                        _ => continue,
                    };
                    let plain = name.trim_start_matches('@');
                    if let Some((_, fed)) = FED_NAMES.iter().find(|(n, _)| *n == plain) {
                        by_name.insert(alias.trim_start_matches('@').to_owned(), *fed);
                    }
                }
            }
        }
    }
    for (name, fed) in FED_NAMES {
        // Every federation directive is reachable under its namespaced name.
        by_name.entry(format!("{prefix}__{name}")).or_insert(fed);
        // Federation 1 has no imports: the plain names are the directives.
        if !fed2 {
            by_name.entry(name.to_owned()).or_insert(fed);
        }
    }
    if let Some(alias) = inaccessible_alias {
        by_name.insert(alias, Fed::Inaccessible);
    }
    Names { fed2, by_name }
}

fn read_type(
    ty: &Positioned<async_graphql_parser::types::TypeDefinition>,
    names: &Names,
    rename: &dyn Fn(&str) -> String,
) -> SubType {
    let node = &ty.node;
    let kind = match &node.kind {
        AstKind::Scalar => TypeKind::Scalar,
        AstKind::Object(_) => TypeKind::Object,
        AstKind::Interface(_) => TypeKind::Interface,
        AstKind::Union(_) => TypeKind::Union,
        AstKind::Enum(_) => TypeKind::Enum,
        AstKind::InputObject(_) => TypeKind::InputObject,
    };
    let mut sub = SubType {
        name: rename(node.name.node.as_str()),
        kind,
        description: node.description.as_ref().map(|d| d.node.clone()),
        extension: node.extend,
        keys: Vec::new(),
        shareable: false,
        interface_object: false,
        inaccessible: false,
        specified_by: None,
        interfaces: Vec::new(),
        members: Vec::new(),
        fields: IndexMap::new(),
        input_fields: IndexMap::new(),
        enum_values: IndexMap::new(),
        line: ty.pos.line,
        column: ty.pos.column,
    };
    for directive in &node.directives {
        if directive.node.name.node == "specifiedBy" {
            sub.specified_by = string_argument(directive, "url");
        }
        match names.of(directive) {
            Some(Fed::Key) => {
                if let Some(fields) = string_argument(directive, "fields") {
                    let resolvable =
                        match directive.node.get_argument("resolvable").map(|v| &v.node) {
                            Some(ConstValue::Boolean(b)) => *b,
                            _ => true,
                        };
                    sub.keys.push(Key {
                        fields,
                        resolvable,
                        of_extension: false,
                    });
                }
            }
            Some(Fed::Shareable) => sub.shareable = true,
            Some(Fed::InterfaceObject) => sub.interface_object = true,
            Some(Fed::Inaccessible) => sub.inaccessible = true,
            Some(Fed::Extends) => sub.extension = true,
            _ => {}
        }
    }
    let of_extension = sub.extension;
    for key in &mut sub.keys {
        key.of_extension = of_extension;
    }
    match &node.kind {
        AstKind::Object(object) => {
            sub.interfaces = object
                .implements
                .iter()
                .map(|i| i.node.to_string())
                .collect();
            sub.fields = fields(&object.fields, names, rename);
        }
        AstKind::Interface(interface) => {
            sub.interfaces = interface
                .implements
                .iter()
                .map(|i| i.node.to_string())
                .collect();
            sub.fields = fields(&interface.fields, names, rename);
        }
        AstKind::Union(union) => {
            sub.members = union.members.iter().map(|m| m.node.to_string()).collect()
        }
        AstKind::Enum(e) => {
            for value in &e.values {
                let inaccessible = value
                    .node
                    .directives
                    .iter()
                    .any(|d| names.of(d) == Some(Fed::Inaccessible));
                sub.enum_values.insert(
                    value.node.value.node.to_string(),
                    SubEnumValue {
                        description: value.node.description.as_ref().map(|d| d.node.clone()),
                        inaccessible,
                        deprecation: deprecation(&value.node.directives),
                    },
                );
            }
        }
        AstKind::InputObject(input) => {
            sub.input_fields = input
                .fields
                .iter()
                .map(|f| (f.node.name.node.to_string(), argument(f, names, rename)))
                .collect();
        }
        AstKind::Scalar => {}
    }
    sub
}

fn fields(
    defs: &[Positioned<FieldDefinition>],
    names: &Names,
    rename: &dyn Fn(&str) -> String,
) -> IndexMap<String, SubField> {
    defs.iter()
        .map(|field| {
            let node = &field.node;
            let mut sub = SubField {
                name: node.name.node.to_string(),
                description: node.description.as_ref().map(|d| d.node.clone()),
                ty: renamed(type_ref_of(&node.ty.node), rename),
                arguments: node
                    .arguments
                    .iter()
                    .map(|a| (a.node.name.node.to_string(), argument(a, names, rename)))
                    .collect(),
                external: false,
                requires: None,
                provides: None,
                shareable: false,
                override_from: None,
                override_label: None,
                inaccessible: false,
                deprecation: deprecation(&node.directives),
                line: field.pos.line,
                column: field.pos.column,
            };
            for directive in &node.directives {
                match names.of(directive) {
                    Some(Fed::External) => sub.external = true,
                    Some(Fed::Requires) => sub.requires = string_argument(directive, "fields"),
                    Some(Fed::Provides) => sub.provides = string_argument(directive, "fields"),
                    Some(Fed::Shareable) => sub.shareable = true,
                    Some(Fed::Override) => {
                        sub.override_from = string_argument(directive, "from");
                        sub.override_label = string_argument(directive, "label");
                    }
                    Some(Fed::Inaccessible) => sub.inaccessible = true,
                    _ => {}
                }
            }
            (sub.name.clone(), sub)
        })
        .collect()
}

fn argument(
    value: &Positioned<InputValueDefinition>,
    names: &Names,
    rename: &dyn Fn(&str) -> String,
) -> SubArgument {
    let node = &value.node;
    SubArgument {
        name: node.name.node.to_string(),
        description: node.description.as_ref().map(|d| d.node.clone()),
        ty: renamed(type_ref_of(&node.ty.node), rename),
        default_value: node.default_value.as_ref().map(|v| v.node.clone()),
        inaccessible: node
            .directives
            .iter()
            .any(|d| names.of(d) == Some(Fed::Inaccessible)),
        deprecation: deprecation(&node.directives),
    }
}

/// A type reference with renamed root types applied.
fn renamed(ty: TypeRef, rename: &dyn Fn(&str) -> String) -> TypeRef {
    match ty {
        TypeRef::Named(name) => TypeRef::Named(rename(&name)),
        TypeRef::List(inner) => TypeRef::List(Box::new(renamed(*inner, rename))),
        TypeRef::NonNull(inner) => TypeRef::NonNull(Box::new(renamed(*inner, rename))),
    }
}

fn deprecation(directives: &[Positioned<ConstDirective>]) -> Option<String> {
    directives
        .iter()
        .find(|d| d.node.name.node == "deprecated")
        .map(|d| string_argument(d, "reason").unwrap_or_else(|| "No longer supported".into()))
}

fn string_argument(directive: &Positioned<ConstDirective>, name: &str) -> Option<String> {
    match directive.node.get_argument(name).map(|v| &v.node) {
        Some(ConstValue::String(s)) => Some(s.clone()),
        _ => None,
    }
}
