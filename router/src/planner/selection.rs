//! Selection sets as sent to a subgraph: built up field by field while planning,
//! printed compactly into the subgraph's operation and prettily into plans.

use std::collections::BTreeSet;

use async_graphql_value::Value;

use crate::operation::values::print_value;

/// A selection set of a subgraph operation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SelSet {
    pub items: Vec<SelItem>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SelItem {
    Field(SelField),
    Fragment { on: String, set: SelSet },
}

#[derive(Debug, Clone, PartialEq)]
pub struct SelField {
    pub alias: Option<String>,
    pub name: String,
    pub arguments: Vec<(String, Value)>,
    /// `None` for a leaf.
    pub set: Option<SelSet>,
}

impl SelField {
    pub fn response_key(&self) -> &str {
        self.alias.as_deref().unwrap_or(&self.name)
    }
}

/// A step from a selection set into one of its items.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Step {
    /// Into the field with this response key.
    Field(String),
    /// Into the inline fragment on this type.
    Fragment(String),
}

impl SelSet {
    /// How many fields the set selects, nested ones included.
    pub fn size(&self) -> usize {
        self.items
            .iter()
            .map(|item| match item {
                SelItem::Field(field) => 1 + field.set.as_ref().map_or(0, SelSet::size),
                SelItem::Fragment { set, .. } => set.size(),
            })
            .sum()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The field with `alias`/`name`, added when missing. A field already there
    /// under the same response key is the same field (the planner aliases
    /// internal fields that would clash).
    pub fn field_mut(
        &mut self,
        alias: Option<&str>,
        name: &str,
        arguments: &[(String, Value)],
        composite: bool,
    ) -> &mut SelField {
        let key = alias.unwrap_or(name);
        let position = self
            .items
            .iter()
            .position(|item| matches!(item, SelItem::Field(field) if field.response_key() == key));
        let index = match position {
            Some(index) => index,
            None => {
                self.items.push(SelItem::Field(SelField {
                    alias: alias.filter(|a| *a != name).map(str::to_owned),
                    name: name.to_owned(),
                    arguments: arguments.to_vec(),
                    set: composite.then(SelSet::default),
                }));
                self.items.len() - 1
            }
        };
        match &mut self.items[index] {
            SelItem::Field(field) => field,
            SelItem::Fragment { .. } => unreachable!("found by field position"),
        }
    }

    /// The inline fragment on `on`, added when missing.
    pub fn fragment_mut(&mut self, on: &str) -> &mut SelSet {
        let position = self
            .items
            .iter()
            .position(|item| matches!(item, SelItem::Fragment { on: o, .. } if o == on));
        let index = match position {
            Some(index) => index,
            None => {
                self.items.push(SelItem::Fragment {
                    on: on.to_owned(),
                    set: SelSet::default(),
                });
                self.items.len() - 1
            }
        };
        match &mut self.items[index] {
            SelItem::Fragment { set, .. } => set,
            SelItem::Field(_) => unreachable!("found by fragment position"),
        }
    }

    /// The selection set reached by `path` (each step created when missing).
    pub fn at_mut(&mut self, path: &[Step]) -> &mut SelSet {
        let mut current = self;
        for step in path {
            current = match step {
                Step::Fragment(on) => current.fragment_mut(on),
                Step::Field(key) => {
                    let field = current
                        .items
                        .iter_mut()
                        .find_map(|item| match item {
                            SelItem::Field(f) if f.response_key() == key => Some(f),
                            _ => None,
                        })
                        .expect("a planned path leads through fields already added");
                    field.set.get_or_insert_with(SelSet::default)
                }
            };
        }
        current
    }

    /// The field under response key `key`, if any.
    pub fn field(&self, key: &str) -> Option<&SelField> {
        self.items.iter().find_map(|item| match item {
            SelItem::Field(f) if f.response_key() == key => Some(f),
            _ => None,
        })
    }

    /// Adds everything of `other`.
    pub fn merge(&mut self, other: &SelSet) {
        for item in &other.items {
            match item {
                SelItem::Field(field) => {
                    let target = self.field_mut(
                        field.alias.as_deref(),
                        &field.name,
                        &field.arguments,
                        field.set.is_some(),
                    );
                    if let (Some(target), Some(source)) = (&mut target.set, &field.set) {
                        target.merge(source);
                    }
                }
                SelItem::Fragment { on, set } => self.fragment_mut(on).merge(set),
            }
        }
    }

    /// Gives every empty sub-selection `__typename` (a composite field must select
    /// something, e.g. when `@skip` removed all its fields).
    pub fn fill_empty(&mut self) {
        for item in &mut self.items {
            let set = match item {
                SelItem::Field(field) => match &mut field.set {
                    Some(set) => set,
                    None => continue,
                },
                SelItem::Fragment { set, .. } => set,
            };
            if set.is_empty() {
                set.field_mut(None, "__typename", &[], false);
            } else {
                set.fill_empty();
            }
        }
    }

    /// The variables the selection's arguments use.
    pub fn variables(&self, out: &mut BTreeSet<String>) {
        for item in &self.items {
            match item {
                SelItem::Field(field) => {
                    for (_, value) in &field.arguments {
                        collect_variables(value, out);
                    }
                    if let Some(set) = &field.set {
                        set.variables(out);
                    }
                }
                SelItem::Fragment { set, .. } => set.variables(out),
            }
        }
    }

    /// `{ a b { c } ... on T { d } }`
    pub fn print_compact(&self, out: &mut String) {
        out.push('{');
        for item in &self.items {
            out.push(' ');
            match item {
                SelItem::Field(field) => {
                    print_field_head(field, out);
                    if let Some(set) = &field.set {
                        out.push(' ');
                        set.print_compact(out);
                    }
                }
                SelItem::Fragment { on, set } => {
                    out.push_str("... on ");
                    out.push_str(on);
                    out.push(' ');
                    set.print_compact(out);
                }
            }
        }
        out.push_str(" }");
    }

    /// One item a line, indented by `indent` levels of two spaces.
    pub fn print_pretty(&self, indent: usize, out: &mut String) {
        out.push_str("{\n");
        for item in &self.items {
            push_indent(indent + 1, out);
            match item {
                SelItem::Field(field) => {
                    print_field_head(field, out);
                    if let Some(set) = &field.set {
                        out.push(' ');
                        set.print_pretty(indent + 1, out);
                    }
                }
                SelItem::Fragment { on, set } => {
                    out.push_str("... on ");
                    out.push_str(on);
                    out.push(' ');
                    set.print_pretty(indent + 1, out);
                }
            }
            out.push('\n');
        }
        push_indent(indent, out);
        out.push('}');
    }
}

fn print_field_head(field: &SelField, out: &mut String) {
    if let Some(alias) = &field.alias {
        out.push_str(alias);
        out.push_str(": ");
    }
    out.push_str(&field.name);
    if !field.arguments.is_empty() {
        out.push('(');
        for (i, (name, value)) in field.arguments.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(name);
            out.push_str(": ");
            out.push_str(&print_value(value));
        }
        out.push(')');
    }
}

pub(crate) fn push_indent(indent: usize, out: &mut String) {
    for _ in 0..indent {
        out.push_str("  ");
    }
}

fn collect_variables(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Variable(name) => {
            out.insert(name.to_string());
        }
        Value::List(items) => items.iter().for_each(|v| collect_variables(v, out)),
        Value::Object(fields) => fields.values().for_each(|v| collect_variables(v, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_fragments_merge_by_key() {
        let mut set = SelSet::default();
        set.field_mut(None, "a", &[], false);
        set.field_mut(None, "b", &[], true)
            .set
            .as_mut()
            .expect("set")
            .field_mut(None, "c", &[], false);
        set.at_mut(&[Step::Field("b".into())])
            .field_mut(None, "d", &[], false);
        set.fragment_mut("T").field_mut(
            Some("x"),
            "y",
            &[(
                "n".into(),
                Value::Variable(async_graphql_value::Name::new("v")),
            )],
            false,
        );
        set.field_mut(None, "a", &[], false);
        let mut out = String::new();
        set.print_compact(&mut out);
        assert_eq!(out, "{ a b { c d } ... on T { x: y(n: $v) } }");
        let mut vars = BTreeSet::new();
        set.variables(&mut vars);
        assert_eq!(vars.into_iter().collect::<Vec<_>>(), vec!["v"]);
    }
}
