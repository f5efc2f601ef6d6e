//! The response being assembled: finding the objects at a flatten path, building
//! their representations, and merging subgraph results back in place.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::error::PathElement;
use crate::planner::FlattenStep;
use crate::planner::conflicts::{Rename, RenameStep};
use crate::planner::selection::{SelItem, SelSet};
use crate::supergraph::{GraphId, Supergraph};

/// Where an object sits below a flatten path: the index taken at each list on the
/// way (the path's keys are known from the path itself), so positions are cheap to
/// keep for every object an entity fetch touches.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Position(Vec<usize>);

impl Position {
    /// The full response path of the object at this position below `path`.
    pub fn to_path(&self, path: &[FlattenStep]) -> Vec<PathElement> {
        let mut indices = self.0.iter();
        let mut out = Vec::with_capacity(path.len() + 1);
        for step in path {
            match step {
                FlattenStep::Key(key) => out.push(PathElement::Key(key.clone())),
                FlattenStep::List => {
                    if let Some(&index) = indices.next() {
                        out.push(PathElement::Index(index));
                    }
                }
            }
        }
        out.extend(indices.map(|&index| PathElement::Index(index)));
        out
    }
}

/// The objects at `path` (nulls and non-objects skipped), with their positions.
pub fn objects_at<'v>(
    data: &'v Value,
    path: &[FlattenStep],
) -> Vec<(Position, &'v Map<String, Value>)> {
    let mut found = Vec::new();
    walk(data, path, &mut Vec::new(), &mut found);
    found
}

fn walk<'v>(
    value: &'v Value,
    path: &[FlattenStep],
    indices: &mut Vec<usize>,
    found: &mut Vec<(Position, &'v Map<String, Value>)>,
) {
    match (path.first(), value) {
        (None, Value::Object(object)) => found.push((Position(indices.clone()), object)),
        (None, Value::Array(items)) => {
            // Lists of lists end up here when a path stops at a list.
            for (index, item) in items.iter().enumerate() {
                indices.push(index);
                walk(item, path, indices, found);
                indices.pop();
            }
        }
        (Some(FlattenStep::Key(key)), Value::Object(object)) => {
            if let Some(next) = object.get(key) {
                walk(next, &path[1..], indices, found);
            }
        }
        (Some(FlattenStep::List), Value::Array(items)) => {
            for (index, item) in items.iter().enumerate() {
                indices.push(index);
                walk(item, &path[1..], indices, found);
                indices.pop();
            }
        }
        _ => {}
    }
}

/// Representations for an entity fetch: one per distinct object, already in
/// JSON, with the positions each stands for.
#[derive(Debug, Default)]
pub struct Representations {
    /// The JSON array sent as `$representations`.
    pub json: Vec<u8>,
    /// For each representation, the objects it stands for.
    pub positions: Vec<Vec<Position>>,
}

impl Representations {
    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }
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
    let mut reps = Representations {
        json: b"[".to_vec(),
        positions: Vec::new(),
    };
    // Each distinct representation once, found by its JSON text.
    let mut index: HashMap<Vec<u8>, usize> = HashMap::new();
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
        let text = serde_json::to_vec(&rep).expect("JSON values serialise");
        match index.get(&text) {
            Some(&i) => reps.positions[i].push(position),
            None => {
                if !reps.positions.is_empty() {
                    reps.json.push(b',');
                }
                reps.json.extend_from_slice(&text);
                index.insert(text, reps.positions.len());
                reps.positions.push(vec![position]);
            }
        }
    }
    reps.json.push(b']');
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

/// The value at `position` below `path`, if it exists.
pub fn at_mut<'v>(
    data: &'v mut Value,
    path: &[FlattenStep],
    position: &Position,
) -> Option<&'v mut Value> {
    let mut indices = position.0.iter();
    let mut current = data;
    for step in path {
        current = match step {
            FlattenStep::Key(key) => current.as_object_mut()?.get_mut(key.as_str())?,
            FlattenStep::List => current.as_array_mut()?.get_mut(*indices.next()?)?,
        };
    }
    for &index in indices {
        current = current.as_array_mut()?.get_mut(index)?;
    }
    Some(current)
}

/// Renames aliased answers back (see [`crate::planner::conflicts`]): in the
/// objects at each rename's path, `alias` becomes `key`.
pub fn apply_renames(schema: &Supergraph, data: &mut Value, renames: &[Rename]) {
    for rename in renames {
        rename_at(schema, data, &rename.path, rename);
    }
}

fn rename_at(schema: &Supergraph, value: &mut Value, steps: &[RenameStep], rename: &Rename) {
    match value {
        Value::Array(items) => {
            for item in items {
                rename_at(schema, item, steps, rename);
            }
        }
        Value::Object(object) => match steps.split_first() {
            None => {
                if let Some(answer) = object.remove(&rename.alias) {
                    object.insert(rename.key.clone(), answer);
                }
            }
            Some((RenameStep::Key(key), rest)) => {
                if let Some(child) = object.get_mut(key.as_str()) {
                    rename_at(schema, child, rest, rename);
                }
            }
            Some((RenameStep::Type(on), rest)) => {
                let matches = object
                    .get("__typename")
                    .and_then(Value::as_str)
                    .is_some_and(|t| schema.type_matches(t, on));
                if matches {
                    rename_at(schema, value, rest, rename);
                }
            }
        },
        _ => {}
    }
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
