//! The response being assembled: finding the objects at a flatten path, building
//! their representations, and merging subgraph results back in place.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::error::PathElement;
use crate::planner::FlattenStep;
use crate::planner::selection::{SelItem, SelSet};
use crate::supergraph::{GraphId, Supergraph};

/// The objects at `path` (nulls and non-objects skipped), with their positions.
pub fn objects_at<'v>(
    data: &'v Value,
    path: &[FlattenStep],
) -> Vec<(Vec<PathElement>, &'v Map<String, Value>)> {
    let mut found = Vec::new();
    walk(data, path, &mut Vec::new(), &mut found);
    found
}

fn walk<'v>(
    value: &'v Value,
    path: &[FlattenStep],
    position: &mut Vec<PathElement>,
    found: &mut Vec<(Vec<PathElement>, &'v Map<String, Value>)>,
) {
    match (path.first(), value) {
        (None, Value::Object(object)) => found.push((position.clone(), object)),
        (None, Value::Array(items)) => {
            // Lists of lists end up here when a path stops at a list.
            for (index, item) in items.iter().enumerate() {
                position.push(PathElement::Index(index));
                walk(item, path, position, found);
                position.pop();
            }
        }
        (Some(FlattenStep::Key(key)), Value::Object(object)) => {
            if let Some(next) = object.get(key) {
                position.push(PathElement::Key(key.clone()));
                walk(next, &path[1..], position, found);
                position.pop();
            }
        }
        (Some(FlattenStep::List), Value::Array(items)) => {
            for (index, item) in items.iter().enumerate() {
                position.push(PathElement::Index(index));
                walk(item, &path[1..], position, found);
                position.pop();
            }
        }
        _ => {}
    }
}

/// Representations for an entity fetch: one per distinct object, with the
/// positions each stands for.
#[derive(Debug, Default)]
pub struct Representations {
    pub values: Vec<Value>,
    pub positions: Vec<Vec<Vec<PathElement>>>,
}

/// Builds the representations of the objects at `path` that match `requires`,
/// for an entity fetch to subgraph `graph`.
pub fn representations(
    schema: &Supergraph,
    graph: GraphId,
    data: &Value,
    path: &[FlattenStep],
    requires: &SelSet,
    typename_override: Option<&str>,
) -> Representations {
    let mut reps = Representations::default();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (position, object) in objects_at(data, path) {
        let Some(typename) = object.get("__typename").and_then(Value::as_str) else {
            continue;
        };
        let Some(mut rep) = represent(schema, graph, typename, object, requires) else {
            continue;
        };
        if let Some(name) = typename_override {
            rep.insert("__typename".into(), Value::String(name.to_owned()));
        }
        let rep = Value::Object(rep);
        let canonical = rep.to_string();
        match index.get(&canonical) {
            Some(&i) => reps.positions[i].push(position),
            None => {
                index.insert(canonical, reps.values.len());
                reps.values.push(rep);
                reps.positions.push(vec![position]);
            }
        }
    }
    reps
}

/// The representation of one object, or `None` when it does not match any type
/// condition or lacks a needed value.
fn represent(
    schema: &Supergraph,
    graph: GraphId,
    typename: &str,
    object: &Map<String, Value>,
    requires: &SelSet,
) -> Option<Map<String, Value>> {
    let mut rep = Map::new();
    let mut matched = false;
    let shaper = Shaper { schema, graph };
    for item in &requires.items {
        let SelItem::Fragment { on, set } = item else {
            continue;
        };
        if !schema.type_matches(typename, on) {
            continue;
        }
        matched = true;
        shaper.shape_into(on, typename, object, set, &mut rep)?;
    }
    matched.then_some(rep)
}

/// Copies representation fields out of response objects.
struct Shaper<'s> {
    schema: &'s Supergraph,
    /// The subgraph the representation is for.
    graph: GraphId,
}

impl Shaper<'_> {
    /// Copies the fields of `shape` from `object` (read under their response keys,
    /// written under their names). `entity_type` is the type the subgraph
    /// resolves the object as.
    fn shape_into(
        &self,
        entity_type: &str,
        typename: &str,
        object: &Map<String, Value>,
        shape: &SelSet,
        out: &mut Map<String, Value>,
    ) -> Option<()> {
        for item in &shape.items {
            match item {
                SelItem::Field(field) => {
                    let value = object.get(field.response_key())?;
                    if value.is_null()
                        && self.non_null_in_target(entity_type, typename, &field.name)
                    {
                        // A null key (or a failed fetch) cannot make a valid
                        // representation: the object is left out.
                        return None;
                    }
                    let copied = match &field.set {
                        Some(sub) => self.shape_value(value, sub)?,
                        None => value.clone(),
                    };
                    out.insert(field.name.clone(), copied);
                }
                SelItem::Fragment { on, set } => {
                    if self.schema.type_matches(typename, on) {
                        self.shape_into(entity_type, typename, object, set, out)?;
                    }
                }
            }
        }
        Some(())
    }

    /// Whether the target subgraph declares the field non-null.
    fn non_null_in_target(&self, entity_type: &str, typename: &str, field: &str) -> bool {
        [entity_type, typename].iter().any(|ty| {
            match self
                .schema
                .join_field(ty, field, self.graph)
                .and_then(|j| j.ty.as_ref())
            {
                Some(own) => own.is_non_null(),
                None => self
                    .schema
                    .field(ty, field)
                    .is_some_and(|f| f.ty.is_non_null()),
            }
        })
    }

    fn shape_value(&self, value: &Value, shape: &SelSet) -> Option<Value> {
        match value {
            Value::Object(object) => {
                let typename = object
                    .get("__typename")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let mut out = Map::new();
                self.shape_into(typename, typename, object, shape, &mut out)?;
                Some(Value::Object(out))
            }
            Value::Array(items) => items
                .iter()
                .map(|item| self.shape_value(item, shape))
                .collect::<Option<Vec<_>>>()
                .map(Value::Array),
            other => Some(other.clone()),
        }
    }
}

/// The value at `position`, if it exists.
pub fn at_mut<'v>(data: &'v mut Value, position: &[PathElement]) -> Option<&'v mut Value> {
    let mut current = data;
    for element in position {
        current = match element {
            PathElement::Key(key) => current.as_object_mut()?.get_mut(key)?,
            PathElement::Index(index) => current.as_array_mut()?.get_mut(*index)?,
        };
    }
    Some(current)
}

/// Merges `source` into `target`: objects key by key, equal-length lists item by
/// item, anything else replaced.
pub fn deep_merge(target: &mut Value, source: Value) {
    match (target, source) {
        (Value::Object(target), Value::Object(source)) => {
            for (key, value) in source {
                match target.get_mut(&key) {
                    Some(existing) => deep_merge(existing, value),
                    None => {
                        target.insert(key, value);
                    }
                }
            }
        }
        (Value::Array(target), Value::Array(source)) if target.len() == source.len() => {
            for (existing, value) in target.iter_mut().zip(source) {
                deep_merge(existing, value);
            }
        }
        (target, source) => {
            if !source.is_null() || target.is_null() {
                *target = source;
            }
        }
    }
}
