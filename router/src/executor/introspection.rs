//! Introspection (`__schema`, `__type`) answered by the router from the API schema:
//! the supergraph without join/link plumbing and without `@inaccessible` types,
//! fields, arguments and enum values.

use async_graphql_value::Value as GqlValue;
use serde_json::{Map, Value};

use crate::operation::{Field, Selection, SelectionSet};
use crate::supergraph::{
    DirectiveDef, EnumValueDef, FieldDef, InputValueDef, Supergraph, TypeDef, TypeKind, TypeRef,
};

/// `__schema { … }`
pub fn schema(
    schema: &Supergraph,
    selection: &SelectionSet,
    variables: &Map<String, Value>,
) -> Value {
    Resolver { schema, variables }.resolve(&Node::Schema, selection)
}

/// `__type(name: …) { … }`
pub fn type_by_name(schema: &Supergraph, field: &Field, variables: &Map<String, Value>) -> Value {
    let resolver = Resolver { schema, variables };
    let name = field
        .arguments
        .iter()
        .find(|(n, _)| n == "name")
        .and_then(|(_, v)| resolver.argument(v).as_str().map(str::to_owned));
    match name.and_then(|n| schema.api_type(&n)) {
        Some(def) => resolver.resolve(&Node::Type(Ty::Named(def)), &field.selection),
        None => Value::Null,
    }
}

/// The built-in directives every schema has.
fn builtin_directives() -> Vec<DirectiveDef> {
    let boolean = |name: &str, description: &str| InputValueDef {
        name: name.into(),
        description: Some(description.into()),
        ty: TypeRef::NonNull(Box::new(TypeRef::Named("Boolean".into()))),
        default_value: None,
        deprecation: None,
        inaccessible: false,
    };
    let string = |name: &str, required: bool, default: Option<&str>| InputValueDef {
        name: name.into(),
        description: None,
        ty: if required {
            TypeRef::NonNull(Box::new(TypeRef::Named("String".into())))
        } else {
            TypeRef::Named("String".into())
        },
        default_value: default.map(|d| async_graphql_value::ConstValue::String(d.into())),
        deprecation: None,
        inaccessible: false,
    };
    let fields = ["FIELD", "FRAGMENT_SPREAD", "INLINE_FRAGMENT"];
    vec![
        DirectiveDef {
            name: "include".into(),
            description: Some("Directs the executor to include this field or fragment only when the `if` argument is true.".into()),
            arguments: [("if".to_owned(), boolean("if", "Included when true."))].into_iter().collect(),
            locations: fields.iter().map(|l| (*l).to_owned()).collect(),
            repeatable: false,
        },
        DirectiveDef {
            name: "skip".into(),
            description: Some("Directs the executor to skip this field or fragment when the `if` argument is true.".into()),
            arguments: [("if".to_owned(), boolean("if", "Skipped when true."))].into_iter().collect(),
            locations: fields.iter().map(|l| (*l).to_owned()).collect(),
            repeatable: false,
        },
        DirectiveDef {
            name: "deprecated".into(),
            description: Some("Marks an element of a GraphQL schema as no longer supported.".into()),
            arguments: [("reason".to_owned(), string("reason", false, Some("No longer supported")))].into_iter().collect(),
            locations: ["FIELD_DEFINITION", "ARGUMENT_DEFINITION", "INPUT_FIELD_DEFINITION", "ENUM_VALUE"]
                .iter()
                .map(|l| (*l).to_owned())
                .collect(),
            repeatable: false,
        },
        DirectiveDef {
            name: "specifiedBy".into(),
            description: Some("Exposes a URL that specifies the behavior of this scalar.".into()),
            arguments: [("url".to_owned(), string("url", true, None))].into_iter().collect(),
            locations: vec!["SCALAR".into()],
            repeatable: false,
        },
    ]
}

enum Ty<'a> {
    Named(&'a TypeDef),
    List(Box<Ty<'a>>),
    NonNull(Box<Ty<'a>>),
}

enum Node<'a> {
    Schema,
    Type(Ty<'a>),
    Field(&'a FieldDef),
    InputValue(&'a InputValueDef),
    EnumValue(&'a EnumValueDef),
    Directive(DirectiveDef),
}

impl Node<'_> {
    fn typename(&self) -> &'static str {
        match self {
            Self::Schema => "__Schema",
            Self::Type(_) => "__Type",
            Self::Field(_) => "__Field",
            Self::InputValue(_) => "__InputValue",
            Self::EnumValue(_) => "__EnumValue",
            Self::Directive(_) => "__Directive",
        }
    }
}

struct Resolver<'a> {
    schema: &'a Supergraph,
    variables: &'a Map<String, Value>,
}

impl<'a> Resolver<'a> {
    fn argument(&self, value: &GqlValue) -> Value {
        match value {
            GqlValue::Variable(name) => self
                .variables
                .get(name.as_str())
                .cloned()
                .unwrap_or(Value::Null),
            other => other.clone().into_json().unwrap_or(Value::Null),
        }
    }

    fn include_deprecated(&self, field: &Field) -> bool {
        field
            .arguments
            .iter()
            .find(|(n, _)| n == "includeDeprecated")
            .is_some_and(|(_, v)| self.argument(v).as_bool() == Some(true))
    }

    fn resolve(&self, node: &Node<'a>, selection: &SelectionSet) -> Value {
        let mut out = Map::new();
        self.fill(node, selection, &mut out);
        Value::Object(out)
    }

    fn fill(&self, node: &Node<'a>, selection: &SelectionSet, out: &mut Map<String, Value>) {
        for item in &selection.items {
            match item {
                Selection::Fragment(fragment) => {
                    if fragment
                        .type_condition
                        .as_deref()
                        .is_none_or(|on| on == node.typename())
                    {
                        self.fill(node, &fragment.selection, out);
                    }
                }
                Selection::Field(field) => {
                    let value = self.field(node, field);
                    match out.get_mut(field.response_key()) {
                        Some(existing) => super::merge::deep_merge(existing, value),
                        None => {
                            out.insert(field.response_key().to_owned(), value);
                        }
                    }
                }
            }
        }
    }

    fn list<T>(
        &self,
        items: impl IntoIterator<Item = T>,
        make: impl Fn(T) -> Node<'a>,
        selection: &SelectionSet,
    ) -> Value {
        Value::Array(
            items
                .into_iter()
                .map(|i| self.resolve(&make(i), selection))
                .collect(),
        )
    }

    fn type_ref(&self, ty: &TypeRef) -> Option<Ty<'a>> {
        Some(match ty {
            TypeRef::Named(name) => Ty::Named(self.schema.api_type(name)?),
            TypeRef::List(inner) => Ty::List(Box::new(self.type_ref(inner)?)),
            TypeRef::NonNull(inner) => Ty::NonNull(Box::new(self.type_ref(inner)?)),
        })
    }

    fn field(&self, node: &Node<'a>, field: &Field) -> Value {
        let set = &field.selection;
        if field.name == "__typename" {
            return Value::String(node.typename().into());
        }
        match node {
            Node::Schema => match field.name.as_str() {
                "types" => self.list(
                    self.schema.types.values().filter(|t| !t.inaccessible),
                    |t| Node::Type(Ty::Named(t)),
                    set,
                ),
                "queryType" => self.named_type(Some(&self.schema.query_type), set),
                "mutationType" => self.named_type(self.schema.mutation_type.as_ref(), set),
                "subscriptionType" => self.named_type(self.schema.subscription_type.as_ref(), set),
                "directives" => {
                    let mut directives = builtin_directives();
                    directives.extend(self.schema.directives.iter().cloned());
                    Value::Array(
                        directives
                            .into_iter()
                            .map(|d| self.resolve(&Node::Directive(d), set))
                            .collect(),
                    )
                }
                _ => Value::Null,
            },
            Node::Type(ty) => self.type_field(ty, field),
            Node::Field(def) => match field.name.as_str() {
                "name" => Value::String(def.name.clone()),
                "description" => opt(&def.description),
                "args" => {
                    let all = self.include_deprecated(field);
                    self.list(
                        def.arguments
                            .values()
                            .filter(|a| !a.inaccessible && (all || a.deprecation.is_none())),
                        Node::InputValue,
                        set,
                    )
                }
                "type" => self.type_value(&def.ty, set),
                "isDeprecated" => Value::Bool(def.deprecation.is_some()),
                "deprecationReason" => opt(&def.deprecation),
                _ => Value::Null,
            },
            Node::InputValue(def) => match field.name.as_str() {
                "name" => Value::String(def.name.clone()),
                "description" => opt(&def.description),
                "type" => self.type_value(&def.ty, set),
                "defaultValue" => def
                    .default_value
                    .as_ref()
                    .map(|v| {
                        Value::String(crate::operation::values::print_value(
                            &v.clone().into_value(),
                        ))
                    })
                    .unwrap_or(Value::Null),
                "isDeprecated" => Value::Bool(def.deprecation.is_some()),
                "deprecationReason" => opt(&def.deprecation),
                _ => Value::Null,
            },
            Node::EnumValue(def) => match field.name.as_str() {
                "name" => Value::String(def.name.clone()),
                "description" => opt(&def.description),
                "isDeprecated" => Value::Bool(def.deprecation.is_some()),
                "deprecationReason" => opt(&def.deprecation),
                _ => Value::Null,
            },
            Node::Directive(def) => match field.name.as_str() {
                "name" => Value::String(def.name.clone()),
                "description" => opt(&def.description),
                "isRepeatable" => Value::Bool(def.repeatable),
                "locations" => Value::Array(
                    def.locations
                        .iter()
                        .map(|l| Value::String(location_name(l)))
                        .collect(),
                ),
                "args" => self.list(def.arguments.values(), Node::InputValue, set),
                _ => Value::Null,
            },
        }
    }

    fn named_type(&self, name: Option<&String>, set: &SelectionSet) -> Value {
        match name.and_then(|n| self.schema.api_type(n)) {
            Some(def) => self.resolve(&Node::Type(Ty::Named(def)), set),
            None => Value::Null,
        }
    }

    fn type_value(&self, ty: &TypeRef, set: &SelectionSet) -> Value {
        match self.type_ref(ty) {
            Some(ty) => self.resolve(&Node::Type(ty), set),
            None => Value::Null,
        }
    }

    fn type_field(&self, ty: &Ty<'a>, field: &Field) -> Value {
        let set = &field.selection;
        let def = match ty {
            Ty::Named(def) => *def,
            Ty::List(inner) | Ty::NonNull(inner) => {
                return match field.name.as_str() {
                    "kind" => Value::String(
                        if matches!(ty, Ty::List(_)) {
                            "LIST"
                        } else {
                            "NON_NULL"
                        }
                        .into(),
                    ),
                    "ofType" => self.resolve(&Node::Type(clone_ty(inner)), set),
                    _ => Value::Null,
                };
            }
        };
        let all = self.include_deprecated(field);
        match field.name.as_str() {
            "kind" => Value::String(kind_name(def.kind).into()),
            "name" => Value::String(def.name.clone()),
            "description" => opt(&def.description),
            "specifiedByURL" => opt(&def.specified_by),
            "fields" if matches!(def.kind, TypeKind::Object | TypeKind::Interface) => self.list(
                def.fields.values().filter(|f| {
                    !f.inaccessible
                        && self.schema.api_type(f.ty.name()).is_some()
                        && (all || f.deprecation.is_none())
                }),
                Node::Field,
                set,
            ),
            "interfaces" if matches!(def.kind, TypeKind::Object | TypeKind::Interface) => self
                .list(
                    def.interfaces
                        .iter()
                        .filter_map(|i| self.schema.api_type(i)),
                    |t| Node::Type(Ty::Named(t)),
                    set,
                ),
            "possibleTypes" if matches!(def.kind, TypeKind::Interface | TypeKind::Union) => self
                .list(
                    self.schema
                        .possible_types(&def.name)
                        .into_iter()
                        .filter_map(|t| self.schema.api_type(t)),
                    |t| Node::Type(Ty::Named(t)),
                    set,
                ),
            "enumValues" if def.kind == TypeKind::Enum => self.list(
                def.enum_values
                    .iter()
                    .filter(|v| !v.inaccessible && (all || v.deprecation.is_none())),
                Node::EnumValue,
                set,
            ),
            "inputFields" if def.kind == TypeKind::InputObject => self.list(
                def.input_fields
                    .values()
                    .filter(|f| !f.inaccessible && (all || f.deprecation.is_none())),
                Node::InputValue,
                set,
            ),
            "isOneOf" if def.kind == TypeKind::InputObject => Value::Bool(false),
            _ => Value::Null,
        }
    }
}

fn clone_ty<'a>(ty: &Ty<'a>) -> Ty<'a> {
    match ty {
        Ty::Named(def) => Ty::Named(def),
        Ty::List(inner) => Ty::List(Box::new(clone_ty(inner))),
        Ty::NonNull(inner) => Ty::NonNull(Box::new(clone_ty(inner))),
    }
}

fn opt(value: &Option<String>) -> Value {
    value.clone().map(Value::String).unwrap_or(Value::Null)
}

fn kind_name(kind: TypeKind) -> &'static str {
    match kind {
        TypeKind::Scalar => "SCALAR",
        TypeKind::Object => "OBJECT",
        TypeKind::Interface => "INTERFACE",
        TypeKind::Union => "UNION",
        TypeKind::Enum => "ENUM",
        TypeKind::InputObject => "INPUT_OBJECT",
    }
}

/// `FieldDefinition` (parser's debug name) or `FIELD` → `FIELD_DEFINITION` / `FIELD`.
fn location_name(location: &str) -> String {
    if location.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
        return location.to_owned();
    }
    let mut out = String::new();
    for (i, c) in location.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}
