//! Limits that keep hostile operations cheap to refuse: lexical tokens (counted
//! before parsing), field depth, aliases and root fields (counted with fragments
//! expanded, stopping as soon as a limit is passed).

use std::collections::HashSet;

use async_graphql_parser::types::{ExecutableDocument, Selection, SelectionSet};

use crate::config::Limits;
use crate::error::{GraphQLError, codes};

/// Counts lexical tokens (GraphQL spec §2.1) up to `max + 1`.
pub fn count_tokens(source: &str, max: usize) -> usize {
    let bytes = source.as_bytes();
    let mut count = 0;
    let mut i = 0;
    while i < bytes.len() && count <= max {
        match bytes[i] {
            b' ' | b'\t' | b'\n' | b'\r' | b',' => i += 1,
            0xEF if bytes[i..].starts_with(&[0xEF, 0xBB, 0xBF]) => i += 3,
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            b'"' => {
                count += 1;
                if bytes[i..].starts_with(b"\"\"\"") {
                    i += 3;
                    while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
                        i += if bytes[i..].starts_with(b"\\\"\"\"") {
                            4
                        } else {
                            1
                        };
                    }
                    i += 3;
                } else {
                    i += 1;
                    while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                        i += if bytes[i] == b'\\' { 2 } else { 1 };
                    }
                    i += 1;
                }
            }
            b'.' if bytes[i..].starts_with(b"...") => {
                count += 1;
                i += 3;
            }
            b'-' | b'0'..=b'9' => {
                count += 1;
                i += 1;
                while i < bytes.len() {
                    let exponent_sign =
                        matches!(bytes[i], b'+' | b'-') && matches!(bytes[i - 1], b'e' | b'E');
                    if !(bytes[i].is_ascii_digit()
                        || matches!(bytes[i], b'.' | b'e' | b'E')
                        || exponent_sign)
                    {
                        break;
                    }
                    i += 1;
                }
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                count += 1;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
            }
            _ => {
                count += 1;
                i += 1;
            }
        }
    }
    count
}

/// What an operation measures.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Measures {
    pub depth: usize,
    pub aliases: usize,
    pub root_fields: usize,
}

/// Measures the chosen operation, stopping early once a limit is passed.
pub fn measure(
    document: &ExecutableDocument,
    selection: &SelectionSet,
    limits: &Limits,
) -> Measures {
    let mut measures = Measures::default();
    let mut walker = Walker {
        document,
        limits,
        measures: &mut measures,
        stack: HashSet::new(),
    };
    walker.root_fields(selection);
    walker.walk(selection, 1);
    measures
}

struct Walker<'a, 'm> {
    document: &'a ExecutableDocument,
    limits: &'a Limits,
    measures: &'m mut Measures,
    /// Fragments being expanded (cycles are a validation error, not a hang).
    stack: HashSet<&'a str>,
}

impl<'a> Walker<'a, '_> {
    fn over(&self) -> bool {
        self.measures.depth > self.limits.max_depth
            || self.measures.aliases > self.limits.max_aliases
    }

    fn root_fields(&mut self, set: &'a SelectionSet) {
        for item in &set.items {
            match &item.node {
                Selection::Field(_) => self.measures.root_fields += 1,
                Selection::InlineFragment(fragment) => {
                    self.root_fields(&fragment.node.selection_set.node)
                }
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.as_str();
                    if let Some(fragment) = self.document.fragments.get(name)
                        && self.stack.insert(name)
                    {
                        self.root_fields(&fragment.node.selection_set.node);
                        self.stack.remove(name);
                    }
                }
            }
        }
    }

    fn walk(&mut self, set: &'a SelectionSet, depth: usize) {
        for item in &set.items {
            if self.over() {
                return;
            }
            match &item.node {
                Selection::Field(field) => {
                    self.measures.depth = self.measures.depth.max(depth);
                    if field.node.alias.is_some() {
                        self.measures.aliases += 1;
                    }
                    self.walk(&field.node.selection_set.node, depth + 1);
                }
                Selection::InlineFragment(fragment) => {
                    self.walk(&fragment.node.selection_set.node, depth)
                }
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.as_str();
                    if let Some(fragment) = self.document.fragments.get(name)
                        && self.stack.insert(name)
                    {
                        self.walk(&fragment.node.selection_set.node, depth);
                        self.stack.remove(name);
                    }
                }
            }
        }
    }
}

/// The first limit `measures` passes, as a client error.
pub fn check(measures: &Measures, limits: &Limits) -> Option<GraphQLError> {
    if measures.depth > limits.max_depth {
        return Some(GraphQLError::new(
            format!(
                "The operation is nested more than {} levels deep.",
                limits.max_depth
            ),
            codes::MAX_DEPTH,
        ));
    }
    if measures.aliases > limits.max_aliases {
        return Some(GraphQLError::new(
            format!(
                "The operation uses more than {} aliases.",
                limits.max_aliases
            ),
            codes::MAX_ALIASES,
        ));
    }
    if measures.root_fields > limits.max_root_fields {
        return Some(GraphQLError::new(
            format!(
                "The operation selects more than {} root fields.",
                limits.max_root_fields
            ),
            codes::MAX_ROOT_FIELDS,
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_counted_like_the_lexer() {
        assert_eq!(count_tokens("{ a }", 100), 3);
        assert_eq!(
            count_tokens(
                "query Q($v: Int = -1.5e3) { a(x: $v, s: \"a\\\"b\") @skip(if: true) ...F }",
                100
            ),
            31
        );
        assert_eq!(count_tokens("# comment\n{ a, b }", 100), 4);
        assert_eq!(
            count_tokens("{ a(s: \"\"\"block \\\"\"\" string\"\"\") }", 100),
            8
        );
        assert_eq!(
            count_tokens(&"{ a }".repeat(1000), 10),
            11,
            "stops just past the limit"
        );
    }

    #[test]
    fn depth_aliases_and_root_fields_follow_fragments() {
        let document = async_graphql_parser::parse_query(
            "{ a: me { ...F } b: me { id } c: users { id } } fragment F on User { reviews { x: id } }",
        )
        .expect("parses");
        let selection = &document
            .operations
            .iter()
            .next()
            .expect("op")
            .1
            .node
            .selection_set
            .node;
        let limits = Limits {
            max_depth: 10,
            max_aliases: 10,
            max_root_fields: 10,
            max_tokens: 100,
            max_body_bytes: 1000,
        };
        assert_eq!(
            measure(&document, selection, &limits),
            Measures {
                depth: 3,
                aliases: 4,
                root_fields: 3
            }
        );
    }

    #[test]
    fn cyclic_fragments_do_not_hang() {
        let document = async_graphql_parser::parse_query(
            "{ me { ...A } } fragment A on User { ...B } fragment B on User { ...A }",
        )
        .expect("parses");
        let selection = &document
            .operations
            .iter()
            .next()
            .expect("op")
            .1
            .node
            .selection_set
            .node;
        let limits = Limits {
            max_depth: 5,
            max_aliases: 5,
            max_root_fields: 5,
            max_tokens: 100,
            max_body_bytes: 1000,
        };
        assert_eq!(measure(&document, selection, &limits).depth, 1);
    }
}
