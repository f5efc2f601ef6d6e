//! Shaping the response: the merged subgraph data is walked along the client's
//! operation, so the response holds exactly the fields asked for, in order, under
//! their aliases, with `__typename` and fragments resolved, and nulls propagated
//! per the GraphQL spec (§6.4.4): a null in a non-null position makes the nearest
//! nullable ancestor null, with an error unless one is already reported there.

use indexmap::IndexMap;
use serde_json::{Map, Value};

use super::introspection;
use crate::error::{GraphQLError, PathElement, codes};
use crate::operation::{Field, Operation, Selection, SelectionSet};
use crate::supergraph::{Supergraph, TypeKind, TypeRef};

/// The position must become null, and so must its nearest nullable ancestor.
struct Bubble;

/// A step of the path being projected, borrowing the operation's response keys:
/// only an error turns it into an owned [`PathElement`].
#[derive(Debug, Clone, Copy)]
enum Step<'o> {
    Key(&'o str),
    Index(usize),
}

impl Step<'_> {
    fn is(&self, element: &PathElement) -> bool {
        match (self, element) {
            (Step::Key(a), PathElement::Key(b)) => *a == b,
            (Step::Index(a), PathElement::Index(b)) => a == b,
            _ => false,
        }
    }
}

fn owned_path(path: &[Step<'_>]) -> Vec<PathElement> {
    path.iter()
        .map(|step| match step {
            Step::Key(key) => PathElement::Key((*key).to_owned()),
            Step::Index(index) => PathElement::Index(*index),
        })
        .collect()
}

pub struct Projector<'a> {
    schema: &'a Supergraph,
    variables: &'a Map<String, Value>,
    errors: &'a mut Vec<GraphQLError>,
}

impl<'a> Projector<'a> {
    pub fn new(
        schema: &'a Supergraph,
        variables: &'a Map<String, Value>,
        errors: &'a mut Vec<GraphQLError>,
    ) -> Self {
        Self {
            schema,
            variables,
            errors,
        }
    }

    /// The response `data` for `operation` from the merged `data`.
    pub fn project(&mut self, operation: &Operation, data: &Value) -> Value {
        let empty = Map::new();
        let root = data.as_object().unwrap_or(&empty);
        match self.object(
            &operation.root_type,
            &[&operation.selection],
            root,
            &mut Vec::new(),
        ) {
            Ok(object) => Value::Object(object),
            Err(Bubble) => Value::Null,
        }
    }

    fn object<'o>(
        &mut self,
        typename: &str,
        sets: &[&'o SelectionSet],
        object: &Map<String, Value>,
        path: &mut Vec<Step<'o>>,
    ) -> Result<Map<String, Value>, Bubble> {
        let mut fields: IndexMap<&'o str, Vec<&'o Field>> = IndexMap::new();
        for set in sets {
            self.collect(typename, set, &mut fields);
        }
        let mut out = Map::with_capacity(fields.len());
        for (key, group) in fields {
            let field = group[0];
            path.push(Step::Key(key));
            let value = match field.name.as_str() {
                "__typename" => Ok(Value::String(typename.to_owned())),
                "__schema" if path.len() == 1 => Ok(introspection::schema(
                    self.schema,
                    &field.selection,
                    self.variables,
                )),
                "__type" if path.len() == 1 => Ok(introspection::type_by_name(
                    self.schema,
                    field,
                    self.variables,
                )),
                _ => {
                    let raw = object.get(key).unwrap_or(&Value::Null);
                    let subsets: Vec<&'o SelectionSet> =
                        group.iter().map(|f| &f.selection).collect();
                    self.complete(&field.ty, raw, &subsets, field, path)
                }
            };
            path.pop();
            out.insert(key.to_owned(), value?);
        }
        Ok(out)
    }

    /// Fields that apply to an object of `typename`, by response key.
    fn collect<'s>(
        &self,
        typename: &str,
        set: &'s SelectionSet,
        fields: &mut IndexMap<&'s str, Vec<&'s Field>>,
    ) {
        for item in &set.items {
            match item {
                Selection::Field(field) => {
                    fields.entry(field.response_key()).or_default().push(field)
                }
                Selection::Fragment(fragment) => {
                    let applies = fragment
                        .type_condition
                        .as_deref()
                        .is_none_or(|on| self.schema.type_matches(typename, on));
                    if applies {
                        self.collect(typename, &fragment.selection, fields);
                    }
                }
            }
        }
    }

    fn complete<'o>(
        &mut self,
        ty: &TypeRef,
        raw: &Value,
        sets: &[&'o SelectionSet],
        field: &Field,
        path: &mut Vec<Step<'o>>,
    ) -> Result<Value, Bubble> {
        match ty {
            TypeRef::NonNull(inner) => {
                let value = self.complete(inner, raw, sets, field, path)?;
                if value.is_null() {
                    self.null_violation(field, path);
                    return Err(Bubble);
                }
                Ok(value)
            }
            TypeRef::List(inner) => match raw {
                Value::Null => Ok(Value::Null),
                Value::Array(items) => {
                    let mut out = Vec::with_capacity(items.len());
                    for (index, item) in items.iter().enumerate() {
                        path.push(Step::Index(index));
                        let completed = self.complete(inner, item, sets, field, path);
                        path.pop();
                        match completed {
                            Ok(value) => out.push(value),
                            Err(Bubble) => return Ok(Value::Null),
                        }
                    }
                    Ok(Value::Array(out))
                }
                _ => {
                    self.invalid(field, path, "a list");
                    Ok(Value::Null)
                }
            },
            TypeRef::Named(name) => {
                if raw.is_null() {
                    return Ok(Value::Null);
                }
                let kind = self.schema.ty(name).map(|t| t.kind);
                match kind {
                    Some(TypeKind::Object | TypeKind::Interface | TypeKind::Union) => {
                        let Value::Object(object) = raw else {
                            self.invalid(field, path, "an object");
                            return Ok(Value::Null);
                        };
                        let typename = if kind == Some(TypeKind::Object) {
                            name.as_str()
                        } else {
                            match object.get("__typename").and_then(Value::as_str) {
                                // An object of a type hidden from the API is not
                                // shown (nor its type name).
                                Some(t)
                                    if (self.schema.type_matches(t, name) || t == name)
                                        && !self.schema.ty(t).is_some_and(|d| d.inaccessible) =>
                                {
                                    t
                                }
                                _ => {
                                    self.invalid(field, path, "an object with a known __typename");
                                    return Ok(Value::Null);
                                }
                            }
                        };
                        match self.object(typename, sets, object, path) {
                            Ok(object) => Ok(Value::Object(object)),
                            Err(Bubble) => Ok(Value::Null),
                        }
                    }
                    Some(TypeKind::Enum) => {
                        let accessible = raw.as_str().is_some_and(|v| {
                            self.schema.ty(name).is_some_and(|t| {
                                t.enum_values.iter().any(|e| e.name == v && !e.inaccessible)
                            })
                        });
                        if accessible {
                            Ok(raw.clone())
                        } else {
                            self.invalid(field, path, &format!("a value of enum {name}"));
                            Ok(Value::Null)
                        }
                    }
                    _ => Ok(raw.clone()),
                }
            }
        }
    }

    /// Reports a null in a non-null position, unless an error at or below it already
    /// explains the null.
    fn null_violation(&mut self, field: &Field, path: &[Step<'_>]) {
        let explained = self.errors.iter().any(|e| {
            e.path.as_ref().is_some_and(|p| {
                p.len() >= path.len() && path.iter().zip(p).all(|(step, element)| step.is(element))
            })
        });
        if explained {
            return;
        }
        self.errors.push(
            GraphQLError::new(
                format!(
                    "Cannot return null for non-nullable field {}.{}.",
                    field.parent_type, field.name
                ),
                codes::NON_NULL_VIOLATION,
            )
            .with_path(owned_path(path)),
        );
    }

    fn invalid(&mut self, field: &Field, path: &[Step<'_>], expected: &str) {
        self.errors.push(
            GraphQLError::new(
                format!(
                    "Subgraph returned an invalid value for {}.{}: expected {expected}.",
                    field.parent_type, field.name
                ),
                codes::SUBGRAPH_INVALID_RESPONSE,
            )
            .with_path(owned_path(path)),
        );
    }
}
