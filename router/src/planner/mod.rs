//! Query planning: which subgraph fetches answer an operation, and in what order.
//!
//! A plan is a tree of [`PlanNode`]s: `Fetch` (one request to one subgraph),
//! `Flatten` (a fetch whose results merge at a path of the response, e.g. an
//! `_entities` call for every `Product` under `topProducts.@`), `Sequence` and
//! `Parallel`. Its text form ([`QueryPlan`]'s `Display`) is stable: snapshot tests
//! compare it and the server shows it on request.

mod builder;
pub mod conflicts;
pub mod selection;

use std::fmt;

pub use builder::{PlanError, plan};
use selection::{SelSet, push_indent};

use crate::operation::OperationKind;
use crate::supergraph::GraphId;

/// A plan for one normalised operation.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryPlan {
    /// `None` when nothing needs a subgraph (introspection, `__typename`).
    pub root: Option<PlanNode>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PlanNode {
    Fetch(Box<FetchNode>),
    Flatten {
        path: Vec<FlattenStep>,
        node: Box<PlanNode>,
    },
    Sequence(Vec<PlanNode>),
    Parallel(Vec<PlanNode>),
}

/// A step of a flatten path: a response key, or into every item of a list (`@`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FlattenStep {
    Key(String),
    List,
}

/// One request to one subgraph.
#[derive(Debug, Clone, PartialEq)]
pub struct FetchNode {
    pub graph: GraphId,
    pub service: String,
    pub kind: OperationKind,
    /// For entity fetches: the shape of each representation, per type.
    pub requires: Option<SelSet>,
    /// Entity fetches to an `@interfaceObject`: representations carry the
    /// interface's name as `__typename`.
    pub representation_typename: Option<String>,
    /// What is selected (under `_entities` for entity fetches).
    pub selection: SelSet,
    /// The subgraph operation's text.
    pub operation: String,
    pub operation_name: Option<String>,
    /// The client variables the operation uses.
    pub variable_usages: Vec<String>,
    /// Answers to rename after the fetch (fields aliased for the subgraph's
    /// validation, see [`conflicts`]).
    pub renames: Vec<conflicts::Rename>,
}

impl fmt::Display for QueryPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::from("QueryPlan {\n");
        if let Some(root) = &self.root {
            root.print(1, &mut out);
        }
        out.push('}');
        f.write_str(&out)
    }
}

impl PlanNode {
    fn print(&self, indent: usize, out: &mut String) {
        push_indent(indent, out);
        match self {
            Self::Fetch(fetch) => fetch.print(indent, out),
            Self::Flatten { path, node } => {
                out.push_str("Flatten(path: \"");
                out.push_str(&print_path(path));
                out.push_str("\") {\n");
                node.print(indent + 1, out);
                push_indent(indent, out);
                out.push_str("},\n");
            }
            Self::Sequence(nodes) | Self::Parallel(nodes) => {
                out.push_str(if matches!(self, Self::Sequence(_)) {
                    "Sequence {\n"
                } else {
                    "Parallel {\n"
                });
                for node in nodes {
                    node.print(indent + 1, out);
                }
                push_indent(indent, out);
                out.push_str("},\n");
            }
        }
    }

    /// Every fetch of the plan, in order.
    pub fn fetches(&self) -> Vec<&FetchNode> {
        match self {
            Self::Fetch(fetch) => vec![fetch],
            Self::Flatten { node, .. } => node.fetches(),
            Self::Sequence(nodes) | Self::Parallel(nodes) => {
                nodes.iter().flat_map(PlanNode::fetches).collect()
            }
        }
    }
}

impl FetchNode {
    fn print(&self, indent: usize, out: &mut String) {
        out.push_str(&format!("Fetch(service: \"{}\") {{\n", self.service));
        push_indent(indent + 1, out);
        if let Some(requires) = &self.requires {
            requires.print_pretty(indent + 1, out);
            out.push_str(" =>\n");
            push_indent(indent + 1, out);
        }
        if self.kind == OperationKind::Mutation {
            out.push_str("mutation ");
        }
        self.selection.print_pretty(indent + 1, out);
        out.push('\n');
        push_indent(indent, out);
        out.push_str("},\n");
    }
}

/// `topProducts.@.reviews`
pub fn print_path(path: &[FlattenStep]) -> String {
    path.iter()
        .map(|step| match step {
            FlattenStep::Key(key) => key.as_str(),
            FlattenStep::List => "@",
        })
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use crate::operation::prepare;
    use crate::supergraph::Supergraph;

    #[test]
    fn the_benchmark_query_plans() {
        let schema = Supergraph::parse(include_str!("../../../bench/supergraph.graphql"))
            .expect("supergraph");
        let prepared =
            prepare(&schema, include_str!("../../../bench/query.graphql"), None).expect("valid");
        let operation = prepared.normalize(&schema, &serde_json::Map::new());
        let plan = super::plan(&schema, &operation).expect("plans");
        println!("{plan}");
        for fetch in plan.root.as_ref().expect("fetches").fetches() {
            println!("{}: {}", fetch.service, fetch.operation);
        }
    }
}
