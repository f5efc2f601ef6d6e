//! Field sets: the selections inside `@key(fields:)`, `@requires(fields:)` and
//! `@provides(fields:)` — e.g. `"id organization { id }"` or
//! `"... on Book { isbn }"`.

use async_graphql_parser::types::{Selection, SelectionSet};
use async_graphql_value::Value;

/// One item of a field set.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldSetItem {
    Field {
        name: String,
        /// Arguments, as written (requires may pass arguments).
        arguments: Vec<(String, Value)>,
        selection: FieldSet,
    },
    Fragment {
        type_condition: Option<String>,
        selection: FieldSet,
    },
}

/// A parsed field set.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldSet {
    pub items: Vec<FieldSetItem>,
}

impl FieldSet {
    /// Parses the text of a field set.
    pub fn parse(text: &str) -> Result<Self, String> {
        let document = async_graphql_parser::parse_query(format!("{{ {text} }}"))
            .map_err(|e| format!("invalid field set `{text}`: {e}"))?;
        let operation = document
            .operations
            .iter()
            .next()
            .map(|(_, op)| op)
            .ok_or_else(|| format!("invalid field set `{text}`"))?;
        Ok(Self::from_selection_set(&operation.node.selection_set.node))
    }

    fn from_selection_set(set: &SelectionSet) -> Self {
        let items = set
            .items
            .iter()
            .filter_map(|item| match &item.node {
                Selection::Field(field) => Some(FieldSetItem::Field {
                    name: field.node.name.node.to_string(),
                    arguments: field
                        .node
                        .arguments
                        .iter()
                        .map(|(name, value)| (name.node.to_string(), value.node.clone()))
                        .collect(),
                    selection: Self::from_selection_set(&field.node.selection_set.node),
                }),
                Selection::InlineFragment(fragment) => Some(FieldSetItem::Fragment {
                    type_condition: fragment
                        .node
                        .type_condition
                        .as_ref()
                        .map(|c| c.node.on.node.to_string()),
                    selection: Self::from_selection_set(&fragment.node.selection_set.node),
                }),
                // Field sets cannot name fragments.
                Selection::FragmentSpread(_) => None,
            })
            .collect();
        Self { items }
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The top-level field names (fragments looked into).
    pub fn field_names(&self) -> Vec<&str> {
        let mut names = Vec::new();
        for item in &self.items {
            match item {
                FieldSetItem::Field { name, .. } => names.push(name.as_str()),
                FieldSetItem::Fragment { selection, .. } => names.extend(selection.field_names()),
            }
        }
        names
    }

    /// The sub-selection of field `name` (merged over fragments), if selected.
    pub fn sub_selection(&self, name: &str) -> Option<FieldSet> {
        let mut found: Option<FieldSet> = None;
        for item in &self.items {
            match item {
                FieldSetItem::Field {
                    name: field,
                    selection,
                    ..
                } if field == name => {
                    found
                        .get_or_insert_with(FieldSet::default)
                        .items
                        .extend(selection.items.iter().cloned());
                }
                FieldSetItem::Fragment { selection, .. } => {
                    if let Some(sub) = selection.sub_selection(name) {
                        found
                            .get_or_insert_with(FieldSet::default)
                            .items
                            .extend(sub.items);
                    }
                }
                FieldSetItem::Field { .. } => {}
            }
        }
        found
    }

    /// The selection that applies to objects of `type_name` whose possible supertypes
    /// are `supertypes`: the unconditioned items plus matching fragments, flattened.
    pub fn for_type(&self, type_name: &str, supertypes: &[String]) -> FieldSet {
        let mut items = Vec::new();
        for item in &self.items {
            match item {
                FieldSetItem::Field { .. } => items.push(item.clone()),
                FieldSetItem::Fragment {
                    type_condition,
                    selection,
                } => {
                    let applies = match type_condition {
                        None => true,
                        Some(on) => on == type_name || supertypes.iter().any(|s| s == on),
                    };
                    if applies {
                        items.extend(selection.for_type(type_name, supertypes).items);
                    }
                }
            }
        }
        FieldSet { items }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_sets_parse_nested_selections_fragments_and_arguments() {
        let set = FieldSet::parse(
            "id organization { id } ... on Book { isbn } comments(limit: 3) { id }",
        )
        .expect("parses");
        assert_eq!(
            set.field_names(),
            vec!["id", "organization", "isbn", "comments"]
        );
        assert_eq!(
            set.sub_selection("organization")
                .expect("selected")
                .field_names(),
            vec!["id"]
        );
        assert_eq!(
            set.for_type("Movie", &[]).field_names(),
            vec!["id", "organization", "comments"]
        );
        assert_eq!(
            set.for_type("Book", &[]).field_names(),
            vec!["id", "organization", "isbn", "comments"]
        );
        let FieldSetItem::Field { arguments, .. } = &set.items[3] else {
            panic!("a field");
        };
        assert_eq!(arguments[0].0, "limit");
        assert!(FieldSet::parse("id {").is_err());
    }
}
