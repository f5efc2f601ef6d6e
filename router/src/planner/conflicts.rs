//! Fields that share a response key in a subgraph operation but not a type in
//! that subgraph (e.g. `... on User { id } ... on Admin { id }` where the
//! subgraph declares `User.id: ID!` and `Admin.id: ID`). GraphQL validation
//! (FieldsInSetCanMerge) would make the subgraph refuse the operation, so all
//! but one of the types get an alias, and the executor renames the answers back
//! before merging them.

use super::selection::{SelField, SelItem, SelSet, Step};
use crate::supergraph::{GraphId, Supergraph, TypeKind, TypeRef};

/// After a fetch: the objects at `path` (keys, and type conditions checked
/// against `__typename`) have `alias` renamed to `key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rename {
    pub path: Vec<RenameStep>,
    pub alias: String,
    pub key: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenameStep {
    Key(String),
    Type(String),
}

/// A field of the selection with the type of the object it is selected on and
/// the path to its selection set.
struct Entry<'s> {
    parent: String,
    field: &'s SelField,
    path: Vec<Step>,
}

/// A field to alias: in the set at `path`, the field answering `key`.
struct Decision {
    path: Vec<Step>,
    key: String,
    alias: String,
}

/// Aliases the conflicting fields of `selection` (selected on `root` in
/// `graph`) and returns how to rename the answers.
pub fn resolve(
    schema: &Supergraph,
    graph: GraphId,
    root: &str,
    selection: &mut SelSet,
) -> Vec<Rename> {
    let mut decisions = Vec::new();
    let mut entries = Vec::new();
    collect(selection, root, &[], &mut entries);
    let checker = Checker { schema, graph };
    checker.find(entries, &mut decisions);
    decisions
        .into_iter()
        .map(|decision| apply(selection, decision))
        .collect()
}

fn collect<'s>(set: &'s SelSet, parent: &str, path: &[Step], out: &mut Vec<Entry<'s>>) {
    for item in &set.items {
        match item {
            SelItem::Field(field) => out.push(Entry {
                parent: parent.to_owned(),
                field,
                path: path.to_vec(),
            }),
            SelItem::Fragment { on, set } => {
                let mut inner = path.to_vec();
                inner.push(Step::Fragment(on.clone()));
                collect(set, on, &inner, out);
            }
        }
    }
}

struct Checker<'a> {
    schema: &'a Supergraph,
    graph: GraphId,
}

impl Checker<'_> {
    /// The field's type as this subgraph declares it.
    fn subgraph_type(&self, entry: &Entry<'_>) -> Option<TypeRef> {
        if entry.field.name == "__typename" {
            return Some(TypeRef::NonNull(Box::new(TypeRef::Named("String".into()))));
        }
        self.schema
            .join_field(&entry.parent, &entry.field.name, self.graph)
            .and_then(|j| j.ty.clone())
            .or_else(|| {
                self.schema
                    .field(&entry.parent, &entry.field.name)
                    .map(|f| f.ty.clone())
            })
    }

    /// Whether two types give the same response shape (leaves equal, objects
    /// alike, lists and non-null alike).
    fn same_shape(&self, a: &TypeRef, b: &TypeRef) -> bool {
        match (a, b) {
            (TypeRef::NonNull(a), TypeRef::NonNull(b)) | (TypeRef::List(a), TypeRef::List(b)) => {
                self.same_shape(a, b)
            }
            (TypeRef::Named(a), TypeRef::Named(b)) => {
                let leaf = |name: &str| {
                    self.schema
                        .ty(name)
                        .is_none_or(|t| matches!(t.kind, TypeKind::Scalar | TypeKind::Enum))
                };
                if leaf(a) || leaf(b) { a == b } else { true }
            }
            _ => false,
        }
    }

    /// Groups `entries` by response key; within a key, each distinct shape but
    /// the first gets an alias; sub-selections that stay merged are checked
    /// together.
    fn find(&self, entries: Vec<Entry<'_>>, decisions: &mut Vec<Decision>) {
        let mut by_key: Vec<(String, Vec<Entry<'_>>)> = Vec::new();
        for entry in entries {
            let key = entry.field.response_key().to_owned();
            match by_key.iter_mut().find(|(k, _)| *k == key) {
                Some((_, group)) => group.push(entry),
                None => by_key.push((key, vec![entry])),
            }
        }
        for (key, group) in by_key {
            // Classes of one shape each, in order of appearance.
            let mut classes: Vec<(Option<TypeRef>, Vec<Entry<'_>>)> = Vec::new();
            for entry in group {
                let ty = self.subgraph_type(&entry);
                let class = classes.iter_mut().find(|(t, _)| match (t, &ty) {
                    (Some(a), Some(b)) => self.same_shape(a, b),
                    _ => true,
                });
                match class {
                    Some((_, members)) => members.push(entry),
                    None => classes.push((ty, vec![entry])),
                }
            }
            for (index, (ty, members)) in classes.into_iter().enumerate() {
                let response_key = if index == 0 {
                    key.clone()
                } else {
                    let alias = format!("_child_{index}_{key}");
                    for member in &members {
                        decisions.push(Decision {
                            path: member.path.clone(),
                            key: key.clone(),
                            alias: alias.clone(),
                        });
                    }
                    alias
                };
                let child_type = ty.as_ref().map(|t| t.name().to_owned()).unwrap_or_default();
                let mut children = Vec::new();
                for member in &members {
                    if let Some(set) = &member.field.set {
                        let mut path = member.path.clone();
                        path.push(Step::Field(response_key.clone()));
                        collect(set, &child_type, &path, &mut children);
                    }
                }
                if !children.is_empty() {
                    self.find(children, decisions);
                }
            }
        }
    }
}

/// Aliases the field and makes sure every object on its path says its type.
fn apply(selection: &mut SelSet, decision: Decision) -> Rename {
    for (index, step) in decision.path.iter().enumerate() {
        if matches!(step, Step::Fragment(_)) {
            selection
                .at_mut(&decision.path[..index])
                .field_mut(None, "__typename", &[], false);
        }
    }
    let set = selection.at_mut(&decision.path);
    for item in &mut set.items {
        if let SelItem::Field(field) = item
            && field.response_key() == decision.key
        {
            field.alias = Some(decision.alias.clone());
        }
    }
    Rename {
        path: decision
            .path
            .into_iter()
            .map(|step| match step {
                Step::Field(key) => RenameStep::Key(key),
                Step::Fragment(on) => RenameStep::Type(on),
            })
            .collect(),
        alias: decision.alias,
        key: decision.key,
    }
}
