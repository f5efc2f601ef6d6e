//! Building a plan: the operation is walked once, each field placed in a *fetch
//! group* — one request to one subgraph, either at the root or as an `_entities`
//! call merged at a response path.
//!
//! - A field the current group's subgraph can resolve (it owns it, or a parent
//!   field `@provides` it) joins the group.
//! - Otherwise the planner hops: to a subgraph that resolves the field through a key
//!   the current subgraph can supply (breadth-first over keys when it takes more
//!   than one hop), or whose key fields other subgraphs supply first. The key
//!   fields and `__typename` join the current group; the field goes to the entity
//!   group, which depends on it.
//! - A field no key reaches (a value type below an entity) is planned through the
//!   nearest enclosing entity, or, below a shared root field, by asking that root
//!   field of the subgraph that resolves it.
//! - A root field goes to whichever existing or new root fetch makes the plan
//!   cheapest.
//! - `@requires` fields are planned at the parent position first (possibly in other
//!   groups); the entity group depends on every group that supplies them.
//! - Interfaces: a field the subgraph resolves on the interface stays there;
//!   otherwise it is planned per concrete type the subgraph can return.
//!   `@interfaceObject` types hop with the interface's name as `__typename`.
//! - Internal fields (keys, requirements) that would clash with a client's response
//!   key get an alias.
//!
//! Groups then become a plan: by dependency levels, in parallel within a level;
//! fields that would conflict in a subgraph's validation are aliased there
//! ([`super::conflicts`]).
//! Mutation root fields each get a segment of their own, run strictly in order.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::sync::Arc;

use async_graphql_value::Value;

use super::selection::{SelSet, Step};
use super::{FetchNode, FlattenStep, PlanNode, QueryPlan};
use crate::operation::values::print_value;
use crate::operation::{Field, Fragment, Operation, OperationKind, Selection, SelectionSet};
use crate::supergraph::{FieldSet, FieldSetItem, GraphId, JoinType, Supergraph, TypeRef};

/// The operation cannot be planned against this supergraph.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PlanError(pub String);

/// Guards against requirement chains that never end.
const MAX_DEPTH: usize = 48;

/// Plans `operation`.
pub fn plan(schema: &Supergraph, operation: &Operation) -> Result<QueryPlan, PlanError> {
    let mut planner = Planner::new(schema, operation);
    planner.plan_root(operation)?;
    Ok(planner.into_plan(operation))
}

#[derive(Debug, Clone)]
struct Group {
    graph: GraphId,
    /// `None` for a root group; else the merge path of an entity group.
    merge_path: Option<Vec<FlattenStep>>,
    selection: SelSet,
    requires: SelSet,
    typename_override: Option<String>,
    deps: BTreeSet<usize>,
    /// Mutation segment (one per root mutation field).
    segment: usize,
    /// Off while the group's own requirements are planned.
    reusable: bool,
}

/// A field's signature: name and printed arguments.
type Signature = (String, String);

#[derive(Clone)]
struct Planner<'a> {
    schema: &'a Supergraph,
    groups: Vec<Group>,
    /// Groups that received selections, in order (to learn who supplies
    /// requirements).
    touched: Vec<usize>,
    /// Client fields by response position: key → signature.
    client_keys: HashMap<Vec<FlattenStep>, HashMap<String, Signature>>,
    /// Internal fields placed by response position: signature → response key.
    internal_keys: HashMap<Vec<FlattenStep>, HashMap<Signature, String>>,
    aliases: usize,
    segment: usize,
    depth: usize,
    /// Root fields may be asked again of another subgraph (queries, never
    /// mutations).
    query: bool,
}

/// Where the planner stands.
#[derive(Debug, Clone)]
struct Ctx {
    group: usize,
    /// The type of the objects at this position.
    parent_type: String,
    /// Where in the group's selection fields go.
    path: Vec<Step>,
    /// Where in the response.
    response_path: Vec<FlattenStep>,
    /// Fields of `parent_type` a parent field `@provides` here.
    provided: Option<FieldSet>,
    /// The object this one was reached from, and the field that led here.
    up: Option<Arc<Up>>,
    /// In an entity group: the position the hop came from (the same objects in
    /// the group that found them).
    origin: Option<Arc<Ctx>>,
}

/// One step up from a position: the enclosing object's position and the field
/// (without its selection) that leads down from it.
#[derive(Debug)]
struct Up {
    ctx: Ctx,
    field: Field,
}

/// Where a root field is planned.
#[derive(Debug, Clone, Copy)]
enum RootChoice {
    Existing(usize),
    New(GraphId),
}

/// One hop of an entity route.
#[derive(Debug, Clone)]
struct Hop {
    graph: GraphId,
    /// The type the entity is resolved as (the object type, or an interface).
    entity_type: String,
    key: FieldSet,
    typename_override: Option<String>,
}

fn signature(name: &str, arguments: &[(String, Value)]) -> Signature {
    let args = arguments
        .iter()
        .map(|(n, v)| format!("{n}:{}", print_value(v)))
        .collect::<Vec<_>>()
        .join(",");
    (name.to_owned(), args)
}

fn with_lists(mut path: Vec<FlattenStep>, key: &str, ty: &TypeRef) -> Vec<FlattenStep> {
    path.push(FlattenStep::Key(key.to_owned()));
    let mut current = ty;
    loop {
        match current {
            TypeRef::NonNull(inner) => current = inner,
            TypeRef::List(inner) => {
                path.push(FlattenStep::List);
                current = inner;
            }
            TypeRef::Named(_) => break,
        }
    }
    path
}

impl<'a> Planner<'a> {
    fn new(schema: &'a Supergraph, operation: &Operation) -> Self {
        let mut planner = Self {
            schema,
            groups: Vec::new(),
            touched: Vec::new(),
            client_keys: HashMap::new(),
            internal_keys: HashMap::new(),
            aliases: 0,
            segment: 0,
            depth: 0,
            query: operation.kind == OperationKind::Query,
        };
        planner.index_client_keys(&operation.selection, &[]);
        planner
    }

    fn index_client_keys(&mut self, set: &SelectionSet, path: &[FlattenStep]) {
        for item in &set.items {
            match item {
                Selection::Field(field) => {
                    self.client_keys.entry(path.to_vec()).or_default().insert(
                        field.response_key().to_owned(),
                        signature(&field.name, &field.arguments),
                    );
                    let child = with_lists(path.to_vec(), field.response_key(), &field.ty);
                    self.index_client_keys(&field.selection, &child);
                }
                Selection::Fragment(fragment) => self.index_client_keys(&fragment.selection, path),
            }
        }
    }

    // ---- the root

    fn plan_root(&mut self, operation: &Operation) -> Result<(), PlanError> {
        let root = operation.root_type.clone();
        let fields = root_fields(&operation.selection);
        for field in fields {
            if matches!(field.name.as_str(), "__typename" | "__schema" | "__type") {
                continue;
            }
            let candidates = self.schema.field_graphs(&root, &field.name);
            if candidates.is_empty() {
                return Err(PlanError(format!(
                    "no subgraph can resolve {root}.{}",
                    field.name
                )));
            }
            if operation.kind == OperationKind::Mutation {
                self.segment += 1;
            }
            let group = match self.cheapest_root_group(&root, field, &candidates)? {
                RootChoice::Existing(group) => group,
                RootChoice::New(graph) => self.root_group(graph),
            };
            self.plan_field(&self.root_ctx(group, &root), field)?;
        }
        Ok(())
    }

    fn root_ctx(&self, group: usize, root: &str) -> Ctx {
        Ctx {
            group,
            parent_type: root.to_owned(),
            path: Vec::new(),
            response_path: Vec::new(),
            provided: None,
            up: None,
            origin: None,
        }
    }

    fn root_group(&mut self, graph: GraphId) -> usize {
        self.groups.push(Group {
            graph,
            merge_path: None,
            selection: SelSet::default(),
            requires: SelSet::default(),
            typename_override: None,
            deps: BTreeSet::new(),
            segment: self.segment,
            reusable: true,
        });
        self.groups.len() - 1
    }

    /// Where a root field goes: a root fetch already planned (not across
    /// mutation fields) or a new one, whichever makes the plan cheapest; ties go
    /// to an existing fetch.
    fn cheapest_root_group(
        &self,
        root: &str,
        field: &Field,
        candidates: &[GraphId],
    ) -> Result<RootChoice, PlanError> {
        let mut options: Vec<RootChoice> = self
            .groups
            .iter()
            .enumerate()
            .filter(|(_, g)| {
                g.merge_path.is_none() && g.segment == self.segment && candidates.contains(&g.graph)
            })
            .map(|(index, _)| RootChoice::Existing(index))
            .collect();
        options.extend(candidates.iter().map(|&graph| RootChoice::New(graph)));
        if options.len() == 1 {
            return Ok(options[0]);
        }
        let mut best: Option<((usize, usize, usize), RootChoice)> = None;
        for option in options {
            let mut trial = self.clone();
            let group = match option {
                RootChoice::Existing(group) => group,
                RootChoice::New(graph) => trial.root_group(graph),
            };
            if trial
                .plan_field(&trial.root_ctx(group, root), field)
                .is_err()
            {
                continue;
            }
            let cost = trial.cost();
            if best.is_none_or(|(c, _)| cost < c) {
                best = Some((cost, option));
            }
        }
        best.map(|(_, choice)| choice).ok_or_else(|| {
            PlanError(format!(
                "no subgraph can resolve {root}.{} with its selection",
                field.name
            ))
        })
    }

    /// Fetches, then depth of the dependency chain, then how much entity
    /// fetches select (fewer objects asked of other subgraphs).
    fn cost(&self) -> (usize, usize, usize) {
        let levels = self.levels();
        let entity_fields = self
            .groups
            .iter()
            .filter(|g| g.merge_path.is_some())
            .map(|g| g.selection.size())
            .sum();
        (
            self.groups.len(),
            levels.iter().copied().max().unwrap_or(0),
            entity_fields,
        )
    }

    // ---- fields and fragments

    fn plan_set(&mut self, ctx: &Ctx, set: &SelectionSet) -> Result<(), PlanError> {
        for item in &set.items {
            match item {
                Selection::Field(field) => self.plan_field(ctx, field)?,
                Selection::Fragment(fragment) => self.plan_fragment(ctx, fragment)?,
            }
        }
        Ok(())
    }

    fn graph_of(&self, ctx: &Ctx) -> GraphId {
        self.groups[ctx.group].graph
    }

    fn plan_field(&mut self, ctx: &Ctx, field: &Field) -> Result<(), PlanError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(PlanError(format!(
                "planning {}.{} does not terminate (circular @requires?)",
                ctx.parent_type, field.name
            )));
        }
        let result = self.plan_field_inner(ctx, field);
        self.depth -= 1;
        result
    }

    fn plan_field_inner(&mut self, ctx: &Ctx, field: &Field) -> Result<(), PlanError> {
        let graph = self.graph_of(ctx);
        let parent = ctx.parent_type.as_str();
        let interface_object_here = self.schema.is_interface_object_in(parent, graph);
        if field.name == "__typename" && !interface_object_here {
            self.add_field(ctx, field);
            return Ok(());
        }
        // A field with @requires is only resolved through `_entities`, even by this
        // subgraph: the representation carries what it requires.
        let requires_here = self.requires_in(parent, &field.name, graph);
        // An interface field is this subgraph's only when every object it can
        // return here resolves it (an implementation may mark it @external).
        let every_object_resolves = !self.schema.is_abstract(parent)
            || interface_object_here
            || self
                .schema
                .possible_types_in(parent, graph)
                .into_iter()
                .all(|t| {
                    !self.requires_in(t, &field.name, graph)
                        && self.can_resolve(graph, t, &field.name, ctx.provided.as_ref())
                });
        if field.name != "__typename"
            && !requires_here
            && every_object_resolves
            && self.can_resolve(graph, parent, &field.name, ctx.provided.as_ref())
        {
            return self.add_and_descend(ctx, field);
        }
        let possible = self.schema.possible_types_in(parent, graph);
        // Resolved per concrete type the subgraph can return here (with none, only
        // a hop elsewhere could resolve it).
        if self.schema.is_abstract(parent) && !interface_object_here && !possible.is_empty() {
            for concrete in possible {
                let inner = self.inside_fragment(ctx, concrete);
                let mut typed = field.clone();
                typed.parent_type = concrete.to_owned();
                self.plan_field(&inner, &typed)?;
            }
            return Ok(());
        }
        self.jump(ctx, field)
    }

    fn requires_in(&self, type_name: &str, field: &str, graph: GraphId) -> bool {
        self.schema
            .join_field(type_name, field, graph)
            .is_some_and(|j| j.requires.is_some())
    }

    /// Whether `graph` can return `type_name.field` at a position where `provided`
    /// holds.
    fn can_resolve(
        &self,
        graph: GraphId,
        type_name: &str,
        field: &str,
        provided: Option<&FieldSet>,
    ) -> bool {
        if field == "__typename" {
            return !self.schema.is_interface_object_in(type_name, graph);
        }
        if self.schema.field_graphs(type_name, field).contains(&graph) {
            return true;
        }
        if !self.schema.field_defined_in(type_name, field, graph) {
            return false;
        }
        provided.is_some_and(|p| p.field_names().contains(&field))
    }

    /// Adds a field the group resolves and plans its selection below it.
    fn add_and_descend(&mut self, ctx: &Ctx, field: &Field) -> Result<(), PlanError> {
        self.add_field(ctx, field);
        let named = field.ty.name();
        if !self.schema.is_composite(named) {
            return Ok(());
        }
        let graph = self.graph_of(ctx);
        let mut provided = ctx
            .provided
            .as_ref()
            .and_then(|p| p.sub_selection(&field.name));
        if let Some(more) = self
            .schema
            .join_field(&ctx.parent_type, &field.name, graph)
            .and_then(|j| j.provides.as_ref())
        {
            provided
                .get_or_insert_with(FieldSet::default)
                .items
                .extend(more.items.iter().cloned());
        }
        let key = field.response_key();
        let mut path = ctx.path.clone();
        path.push(Step::Field(key.to_owned()));
        let inner = Ctx {
            group: ctx.group,
            parent_type: named.to_owned(),
            path,
            response_path: with_lists(ctx.response_path.clone(), key, &field.ty),
            provided,
            up: Some(Arc::new(Up {
                ctx: ctx.clone(),
                field: Field {
                    selection: SelectionSet::default(),
                    arguments: field.arguments.clone(),
                    alias: field.alias.clone(),
                    name: field.name.clone(),
                    parent_type: field.parent_type.clone(),
                    ty: field.ty.clone(),
                    pos: field.pos,
                },
            })),
            origin: None,
        };
        if self.schema.is_abstract(named) {
            self.add_typename(&inner);
        }
        self.plan_set(&inner, &field.selection)
    }

    fn add_field(&mut self, ctx: &Ctx, field: &Field) {
        let composite = self.schema.is_composite(field.ty.name());
        self.groups[ctx.group]
            .selection
            .at_mut(&ctx.path)
            .field_mut(
                field.alias.as_deref(),
                &field.name,
                &field.arguments,
                composite,
            );
        self.touched.push(ctx.group);
    }

    fn add_typename(&mut self, ctx: &Ctx) {
        self.groups[ctx.group]
            .selection
            .at_mut(&ctx.path)
            .field_mut(None, "__typename", &[], false);
    }

    /// The position inside `... on concrete` (same group and response position).
    fn inside_fragment(&self, ctx: &Ctx, on: &str) -> Ctx {
        let mut path = ctx.path.clone();
        path.push(Step::Fragment(on.to_owned()));
        Ctx {
            group: ctx.group,
            parent_type: on.to_owned(),
            path,
            response_path: ctx.response_path.clone(),
            provided: ctx
                .provided
                .as_ref()
                .map(|p| p.for_type(on, &self.schema.supertypes(on))),
            up: ctx.up.clone(),
            origin: ctx.origin.clone(),
        }
    }

    fn plan_fragment(&mut self, ctx: &Ctx, fragment: &Fragment) -> Result<(), PlanError> {
        let Some(on) = fragment.type_condition.as_deref() else {
            return self.plan_set(ctx, &fragment.selection);
        };
        let graph = self.graph_of(ctx);
        let parent = ctx.parent_type.as_str();
        if self.schema.is_interface_object_in(parent, graph) {
            // This subgraph does not know the concrete types: ask one that does.
            let route = self.route_to_concrete_type(ctx)?;
            let inner = self.follow(ctx, &route)?;
            return self.plan_fragment(&inner, fragment);
        }
        let here: Vec<&str> = if self.schema.is_abstract(parent) {
            self.schema.possible_types_in(parent, graph)
        } else {
            vec![parent]
        };
        let matching: Vec<String> = here
            .into_iter()
            .filter(|t| self.schema.type_matches(t, on))
            .map(str::to_owned)
            .collect();
        if matching.is_empty() {
            // Nothing this subgraph returns here can be of that type.
            return Ok(());
        }
        // The subgraph can take `... on X` as written only when, in its own schema,
        // every matching object is an X (an object may implement an interface
        // in another subgraph only).
        let knows = self.schema.type_in_graph(on, graph)
            && (!self.schema.is_abstract(on) || {
                let members = self.schema.possible_types_in(on, graph);
                matching.iter().all(|t| members.contains(&t.as_str()))
            });
        if knows {
            let inner = self.inside_fragment(ctx, on);
            if self.schema.is_abstract(on) {
                self.add_typename(&inner);
            }
            return self.plan_set(&inner, &fragment.selection);
        }
        for concrete in matching {
            let inner = self.inside_fragment(ctx, &concrete);
            self.plan_set(&inner, &fragment.selection)?;
        }
        Ok(())
    }

    // ---- hops to entities

    /// Plans a field the current subgraph cannot resolve, through entity hops.
    fn jump(&mut self, ctx: &Ctx, field: &Field) -> Result<(), PlanError> {
        let route = match self.route(ctx, &field.name) {
            Ok(route) => route,
            Err(unreachable) => {
                return match self.through_parent_entity(ctx, field) {
                    Some(planned) => planned,
                    None => Err(unreachable),
                };
            }
        };
        let last = route.last().cloned().expect("a route has at least one hop");
        let before_last = if route.len() > 1 {
            self.follow(ctx, &route[..route.len() - 1])?
        } else {
            ctx.clone()
        };
        let inner = self.hop(&before_last, &last)?;
        if let Some(requires) = self
            .schema
            .join_field(&last.entity_type, &field.name, last.graph)
            .and_then(|j| j.requires.clone())
        {
            self.plan_requirements(&before_last, inner.group, &last.entity_type, &requires)?;
        }
        let mut typed = field.clone();
        typed.parent_type = last.entity_type.clone();
        let resolvable = field.name == "__typename"
            || self.can_resolve(last.graph, &last.entity_type, &field.name, None);
        if !resolvable {
            return Err(PlanError(format!(
                "{}.{} is not resolvable in subgraph {} after a hop",
                last.entity_type,
                field.name,
                self.schema.graph(last.graph).name
            )));
        }
        if field.name == "__typename" {
            self.add_field(&inner, &typed);
            return Ok(());
        }
        self.add_and_descend(&inner, &typed)
    }

    /// A field no key reaches here (e.g. of a value type only another subgraph
    /// resolves below an entity): go up to an enclosing object from which a hop
    /// reaches a subgraph that resolves the whole way down, hop there, and select
    /// the way down again. `None` when no ancestor allows it.
    fn through_parent_entity(&mut self, ctx: &Ctx, field: &Field) -> Option<Result<(), PlanError>> {
        let mut chain: Vec<Arc<Up>> = Vec::new();
        let mut current = ctx.up.clone();
        while let Some(up) = current {
            chain.push(up.clone());
            let targets: Vec<(GraphId, String)> = self
                .schema
                .field_graphs(&ctx.parent_type, &field.name)
                .into_iter()
                .filter(|graph| {
                    chain.iter().all(|link| {
                        self.schema
                            .field_graphs(&link.ctx.parent_type, &link.field.name)
                            .contains(graph)
                    })
                })
                .map(|graph| (graph, up.ctx.parent_type.clone()))
                .collect();
            if let Some(&(graph, _)) = targets.first()
                && self.is_query_root(&up.ctx)
                && !narrowed(&chain, ctx)
            {
                // A shared root field: ask it of that subgraph too.
                let start = self.root_position(graph, &up.ctx.parent_type);
                return Some(self.down_again(ctx, &start, &[], &chain, field));
            }
            if !targets.is_empty() {
                // From where the objects were first found first: a hop from there
                // runs beside the fetches that came after it.
                for start in same_objects(&up.ctx).into_iter().rev() {
                    if let Some(route) = self.shortest_route(start, &up.field.name, &targets) {
                        let start = start.clone();
                        return Some(self.down_again(ctx, &start, &route, &chain, field));
                    }
                }
            }
            current = up.ctx.up.clone();
        }
        None
    }

    /// Whether `ctx` is the root of a query (where any subgraph can start).
    fn is_query_root(&self, ctx: &Ctx) -> bool {
        self.query
            && ctx.up.is_none()
            && ctx.path.is_empty()
            && self.groups[ctx.group].merge_path.is_none()
    }

    /// The root position in `graph`: its root fetch, made when there is none.
    fn root_position(&mut self, graph: GraphId, root: &str) -> Ctx {
        let existing = self
            .groups
            .iter()
            .position(|g| g.merge_path.is_none() && g.segment == self.segment && g.graph == graph);
        let group = existing.unwrap_or_else(|| self.root_group(graph));
        self.root_ctx(group, root)
    }

    /// Hops from `ancestor` along `route`, selects `chain` (nearest link first)
    /// down to the position of `ctx` in the new group, and plans `field` there.
    fn down_again(
        &mut self,
        ctx: &Ctx,
        ancestor: &Ctx,
        route: &[Hop],
        chain: &[Arc<Up>],
        field: &Field,
    ) -> Result<(), PlanError> {
        let mut position = self.follow(ancestor, route)?;
        for (index, link) in chain.iter().enumerate().rev() {
            self.add_field(&position, &link.field);
            let key = link.field.response_key();
            let mut path = position.path.clone();
            path.push(Step::Field(key.to_owned()));
            let declared = link.field.ty.name().to_owned();
            let below = if index == 0 {
                ctx.parent_type.clone()
            } else {
                chain[index - 1].ctx.parent_type.clone()
            };
            position = Ctx {
                group: position.group,
                parent_type: declared.clone(),
                path,
                response_path: with_lists(position.response_path.clone(), key, &link.field.ty),
                provided: None,
                up: Some(link.clone()),
                origin: None,
            };
            if self.schema.is_abstract(&declared) {
                self.add_typename(&position);
            }
            if below != declared {
                position = self.inside_fragment(&position, &below);
            }
        }
        self.plan_field(&position, field)
    }

    /// Follows hops, returning the position in the last entity group.
    fn follow(&mut self, ctx: &Ctx, route: &[Hop]) -> Result<Ctx, PlanError> {
        let mut current = ctx.clone();
        for hop in route {
            current = self.hop(&current, hop)?;
        }
        Ok(current)
    }

    /// The subgraphs (and entity types) where `field` of the objects at `ctx` can be
    /// resolved, as a shortest route of hops from the current subgraph.
    fn route(&self, ctx: &Ctx, field: &str) -> Result<Vec<Hop>, PlanError> {
        let parent = ctx.parent_type.as_str();
        let mut targets: Vec<(GraphId, String)> = Vec::new();
        if field == "__typename" {
            for graph in 0..self.schema.graphs.len() {
                if self.schema.type_in_graph(parent, graph)
                    && !self.schema.is_interface_object_in(parent, graph)
                {
                    targets.push((graph, parent.to_owned()));
                }
            }
        } else {
            for graph in self.schema.field_graphs(parent, field) {
                targets.push((graph, parent.to_owned()));
            }
            // Fields an @interfaceObject adds: resolved on the interface.
            if let Some(def) = self.schema.ty(parent) {
                for interface in &def.interfaces {
                    for graph in self.schema.field_graphs(interface, field) {
                        if self.schema.is_interface_object_in(interface, graph) {
                            targets.push((graph, interface.clone()));
                        }
                    }
                }
            }
        }
        if targets.is_empty() {
            return Err(PlanError(format!(
                "no subgraph can resolve {parent}.{field}"
            )));
        }
        self.shortest_route(ctx, field, &targets).ok_or_else(|| {
            let names: Vec<&str> = targets
                .iter()
                .map(|(g, _)| self.schema.graph(*g).name.as_str())
                .collect();
            PlanError(format!(
                "cannot reach {parent}.{field} (in {}) from subgraph {}: no usable @key",
                names.join(", "),
                self.schema.graph(self.graph_of(ctx)).name
            ))
        })
    }

    /// From an `@interfaceObject` position to a subgraph where the interface is real.
    fn route_to_concrete_type(&self, ctx: &Ctx) -> Result<Vec<Hop>, PlanError> {
        self.route(ctx, "__typename")
    }

    /// Breadth-first over subgraphs linked by keys; existing groups first.
    fn shortest_route(
        &self,
        ctx: &Ctx,
        field: &str,
        targets: &[(GraphId, String)],
    ) -> Option<Vec<Hop>> {
        let start = self.graph_of(ctx);
        let parent = ctx.parent_type.as_str();
        // Direct hops, preferring a group that already exists at this position.
        let mut direct: Vec<Hop> = Vec::new();
        for (graph, entity_type) in targets {
            if *graph == start
                && entity_type == parent
                && !self.requires_in(entity_type, field, *graph)
            {
                continue;
            }
            for key in self.usable_keys(entity_type, *graph) {
                if self.can_supply(start, parent, &key.0, ctx.provided.as_ref()) {
                    direct.push(Hop {
                        graph: *graph,
                        entity_type: entity_type.clone(),
                        key: key.0,
                        typename_override: key.1,
                    });
                    break;
                }
            }
        }
        if !direct.is_empty() {
            let existing = direct.iter().position(|hop| {
                self.find_group(
                    &ctx.response_path,
                    hop.graph,
                    hop.typename_override.as_deref(),
                    ctx.group,
                )
                .is_some()
            });
            let chosen = existing.unwrap_or(0);
            return Some(vec![direct.swap_remove(chosen)]);
        }
        // Several hops: through subgraphs that resolve the object's type by key.
        let mut queue: VecDeque<(GraphId, Vec<Hop>)> = VecDeque::from([(start, Vec::new())]);
        let mut seen = BTreeSet::from([start]);
        while let Some((graph, route)) = queue.pop_front() {
            if route.len() >= 4 {
                continue;
            }
            for next in 0..self.schema.graphs.len() {
                if seen.contains(&next) {
                    continue;
                }
                for (key, _) in self.usable_keys(parent, next) {
                    let provided = if route.is_empty() {
                        ctx.provided.as_ref()
                    } else {
                        None
                    };
                    if !self.can_supply(graph, parent, &key, provided) {
                        continue;
                    }
                    let mut extended = route.clone();
                    extended.push(Hop {
                        graph: next,
                        entity_type: parent.to_owned(),
                        key,
                        typename_override: None,
                    });
                    for (target, entity_type) in targets {
                        for (target_key, typename_override) in
                            self.usable_keys(entity_type, *target)
                        {
                            if self.can_supply(next, parent, &target_key, None) {
                                let mut full = extended.clone();
                                full.push(Hop {
                                    graph: *target,
                                    entity_type: entity_type.clone(),
                                    key: target_key,
                                    typename_override,
                                });
                                return Some(full);
                            }
                        }
                    }
                    seen.insert(next);
                    queue.push_back((next, extended));
                    break;
                }
            }
        }
        // A key whose missing fields other subgraphs supply: they are fetched
        // first (the hop plans the key like a requirement), then the target.
        for (graph, entity_type) in targets {
            if *graph == start && entity_type == parent {
                continue;
            }
            for (key, typename_override) in self.usable_keys(entity_type, *graph) {
                // A key that needs the very field sought cannot be gathered for it.
                if key.field_names().contains(&field) {
                    continue;
                }
                if self.can_gather(
                    start,
                    parent,
                    &key,
                    *graph,
                    ctx.provided.as_ref(),
                    Some(ctx),
                ) {
                    return Some(vec![Hop {
                        graph: *graph,
                        entity_type: entity_type.clone(),
                        key,
                        typename_override,
                    }]);
                }
            }
        }
        None
    }

    /// Whether the fields of `key` (for objects of `type_name` in `start`) can be
    /// gathered: each from `start`, or through one hop to a subgraph other than
    /// `target` that resolves it (and all below it) and whose key `start` supplies,
    /// or (at the position `ctx`) through an enclosing entity.
    fn can_gather(
        &self,
        start: GraphId,
        type_name: &str,
        key: &FieldSet,
        target: GraphId,
        provided: Option<&FieldSet>,
        ctx: Option<&Ctx>,
    ) -> bool {
        key.items.iter().all(|item| match item {
            FieldSetItem::Field {
                name, selection, ..
            } => {
                let field_type = self.schema.field(type_name, name).map(|f| f.ty.name());
                if self.can_resolve(start, type_name, name, provided) {
                    let Some(field_type) = field_type.filter(|_| !selection.is_empty()) else {
                        return true;
                    };
                    let inner = provided.and_then(|p| p.sub_selection(name));
                    return self.can_gather(
                        start,
                        field_type,
                        selection,
                        target,
                        inner.as_ref(),
                        None,
                    );
                }
                if selection.is_empty()
                    && ctx.is_some_and(|ctx| self.parent_entity_supplies(ctx, name, target))
                {
                    return true;
                }
                (0..self.schema.graphs.len()).any(|graph| {
                    graph != target
                        && graph != start
                        && self.can_resolve(graph, type_name, name, None)
                        && (selection.is_empty()
                            || field_type
                                .is_some_and(|t| self.can_supply(graph, t, selection, None)))
                        && self
                            .usable_keys(type_name, graph)
                            .iter()
                            .any(|(k, _)| self.can_supply(start, type_name, k, provided))
                })
            }
            FieldSetItem::Fragment {
                type_condition,
                selection,
            } => {
                let on = type_condition.as_deref().unwrap_or(type_name);
                self.can_gather(start, on, selection, target, provided, None)
            }
        })
    }

    /// Whether a subgraph other than `target` gives `field` of the objects at `ctx`
    /// when reached through an enclosing entity (see
    /// [`Planner::through_parent_entity`]).
    fn parent_entity_supplies(&self, ctx: &Ctx, field: &str, target: GraphId) -> bool {
        let mut chain: Vec<&Up> = Vec::new();
        let mut current = ctx.up.as_deref();
        while let Some(up) = current {
            chain.push(up);
            let reachable = self
                .schema
                .field_graphs(&ctx.parent_type, field)
                .into_iter()
                .filter(|graph| {
                    *graph != target
                        && chain.iter().all(|link| {
                            self.schema
                                .field_graphs(&link.ctx.parent_type, &link.field.name)
                                .contains(graph)
                        })
                })
                .any(|graph| {
                    (self.is_query_root(&up.ctx) && !narrowed_refs(&chain, ctx))
                        || same_objects(&up.ctx).into_iter().any(|start| {
                            self.shortest_route(
                                start,
                                &up.field.name,
                                &[(graph, up.ctx.parent_type.clone())],
                            )
                            .is_some()
                        })
                });
            if reachable {
                return true;
            }
            current = up.ctx.up.as_deref();
        }
        false
    }

    /// Resolvable keys of `entity_type` in `graph`, with the `__typename` its
    /// representations must carry when it is an `@interfaceObject` there.
    fn usable_keys(&self, entity_type: &str, graph: GraphId) -> Vec<(FieldSet, Option<String>)> {
        let interface_object = self.schema.is_interface_object_in(entity_type, graph)
            || self.schema.is_abstract(entity_type);
        self.schema
            .resolvable_keys(entity_type, graph)
            .into_iter()
            .filter_map(|j: &JoinType| j.key.clone())
            .map(|key| (key, interface_object.then(|| entity_type.to_owned())))
            .collect()
    }

    /// Whether `graph` can supply every field of `key` for objects of `type_name`.
    fn can_supply(
        &self,
        graph: GraphId,
        type_name: &str,
        key: &FieldSet,
        provided: Option<&FieldSet>,
    ) -> bool {
        key.items.iter().all(|item| match item {
            FieldSetItem::Field {
                name, selection, ..
            } => {
                if !self.can_resolve(graph, type_name, name, provided) {
                    return false;
                }
                if selection.is_empty() {
                    return true;
                }
                let Some(field_type) = self
                    .schema
                    .field(type_name, name)
                    .map(|f| f.ty.name().to_owned())
                else {
                    return false;
                };
                let inner_provided = provided.and_then(|p| p.sub_selection(name));
                self.can_supply(graph, &field_type, selection, inner_provided.as_ref())
            }
            FieldSetItem::Fragment {
                type_condition,
                selection,
            } => {
                let on = type_condition.as_deref().unwrap_or(type_name);
                self.can_supply(graph, on, selection, provided)
            }
        })
    }

    /// Takes one hop: key fields and `__typename` join the current group, and the
    /// position moves into the entity group (created or reused).
    fn hop(&mut self, ctx: &Ctx, hop: &Hop) -> Result<Ctx, PlanError> {
        self.add_typename(ctx);
        let key_selection = self.internal_selection(&ctx.parent_type, &hop.key, &ctx.response_path);
        let before = self.touched.len();
        self.plan_set(ctx, &key_selection)?;
        let suppliers: BTreeSet<usize> = self.touched[before..].iter().copied().collect();
        let group = match self.find_group(
            &ctx.response_path,
            hop.graph,
            hop.typename_override.as_deref(),
            ctx.group,
        ) {
            Some(group) => group,
            None => self.entity_group(
                hop.graph,
                ctx.response_path.clone(),
                hop.typename_override.clone(),
            ),
        };
        let deps = &mut self.groups[group].deps;
        deps.insert(ctx.group);
        deps.extend(suppliers.into_iter().filter(|g| *g != group));
        let requires = self.groups[group].requires.fragment_mut(&hop.entity_type);
        requires.field_mut(None, "__typename", &[], false);
        requires.merge(&selection_shape(&key_selection));
        let mut path = vec![Step::Fragment(hop.entity_type.clone())];
        // The concrete type, from a subgraph that knows it (an @interfaceObject
        // would answer with the interface's name).
        if self.schema.is_abstract(&hop.entity_type)
            && !self
                .schema
                .is_interface_object_in(&hop.entity_type, hop.graph)
        {
            let inner = self.groups[group].selection.at_mut(&path);
            inner.field_mut(None, "__typename", &[], false);
        }
        path.shrink_to_fit();
        Ok(Ctx {
            group,
            parent_type: hop.entity_type.clone(),
            path,
            response_path: ctx.response_path.clone(),
            provided: None,
            up: ctx.up.clone(),
            origin: Some(Arc::new(ctx.clone())),
        })
    }

    fn entity_group(
        &mut self,
        graph: GraphId,
        merge_path: Vec<FlattenStep>,
        typename_override: Option<String>,
    ) -> usize {
        self.groups.push(Group {
            graph,
            merge_path: Some(merge_path),
            selection: SelSet::default(),
            requires: SelSet::default(),
            typename_override,
            deps: BTreeSet::new(),
            segment: self.segment,
            reusable: true,
        });
        self.groups.len() - 1
    }

    /// An entity group for `graph` at `path` that a child of `parent` may join
    /// without creating a cycle.
    fn find_group(
        &self,
        path: &[FlattenStep],
        graph: GraphId,
        typename_override: Option<&str>,
        parent: usize,
    ) -> Option<usize> {
        self.groups.iter().enumerate().position(|(index, g)| {
            index != parent
                && g.reusable
                && g.graph == graph
                && g.segment == self.segment
                && g.merge_path.as_deref() == Some(path)
                && g.typename_override.as_deref() == typename_override
                && !self.depends_on(parent, index)
        })
    }

    /// Whether `group` depends (transitively) on `other`.
    fn depends_on(&self, group: usize, other: usize) -> bool {
        let mut pending = vec![group];
        let mut seen = BTreeSet::new();
        while let Some(current) = pending.pop() {
            if current == other {
                return true;
            }
            if seen.insert(current) {
                pending.extend(self.groups[current].deps.iter().copied());
            }
        }
        false
    }

    /// Plans the fields a `@requires` needs at the parent position; the entity group
    /// depends on every group that supplies them and sends them in its
    /// representations.
    fn plan_requirements(
        &mut self,
        ctx: &Ctx,
        group: usize,
        entity_type: &str,
        requires: &FieldSet,
    ) -> Result<(), PlanError> {
        let selection = self.internal_selection(&ctx.parent_type, requires, &ctx.response_path);
        let before = self.touched.len();
        self.groups[group].reusable = false;
        let planned = self.plan_set(ctx, &selection);
        self.groups[group].reusable = true;
        planned?;
        let suppliers: BTreeSet<usize> = self.touched[before..]
            .iter()
            .copied()
            .filter(|g| *g != group)
            .collect();
        if suppliers.iter().any(|s| self.depends_on(*s, group)) {
            return Err(PlanError(format!(
                "the @requires of a field on {entity_type} depends on its own fetch"
            )));
        }
        self.groups[group].deps.extend(suppliers);
        self.groups[group]
            .requires
            .fragment_mut(entity_type)
            .merge(&selection_shape(&selection));
        Ok(())
    }

    /// A field set as an internal selection over `type_name` at `response_path`,
    /// each field aliased where it would clash with a client or internal field.
    fn internal_selection(
        &mut self,
        type_name: &str,
        set: &FieldSet,
        response_path: &[FlattenStep],
    ) -> SelectionSet {
        let mut items = Vec::new();
        for item in &set.items {
            match item {
                FieldSetItem::Field {
                    name,
                    arguments,
                    selection,
                } => {
                    let ty = if name == "__typename" {
                        TypeRef::NonNull(Box::new(TypeRef::Named("String".into())))
                    } else {
                        match self.schema.field(type_name, name) {
                            Some(def) => def.ty.clone(),
                            None => continue,
                        }
                    };
                    let key = self.internal_key(response_path, name, arguments);
                    let child_path = with_lists(response_path.to_vec(), &key, &ty);
                    let inner = self.internal_selection(ty.name(), selection, &child_path);
                    items.push(Selection::Field(Field {
                        alias: (key != *name).then_some(key),
                        name: name.clone(),
                        arguments: arguments.clone(),
                        parent_type: type_name.to_owned(),
                        ty,
                        selection: inner,
                        pos: Default::default(),
                    }));
                }
                FieldSetItem::Fragment {
                    type_condition,
                    selection,
                } => {
                    let on = type_condition
                        .clone()
                        .unwrap_or_else(|| type_name.to_owned());
                    let inner = self.internal_selection(&on, selection, response_path);
                    if on == type_name {
                        items.extend(inner.items);
                    } else {
                        items.push(Selection::Fragment(Fragment {
                            type_condition: Some(on),
                            selection: inner,
                        }));
                    }
                }
            }
        }
        SelectionSet { items }
    }

    /// The response key an internal field uses at a position: its name unless a
    /// client field or another internal field already uses that key differently.
    fn internal_key(
        &mut self,
        path: &[FlattenStep],
        name: &str,
        arguments: &[(String, Value)],
    ) -> String {
        let sig = signature(name, arguments);
        if let Some(key) = self.internal_keys.get(path).and_then(|m| m.get(&sig)) {
            return key.clone();
        }
        // The client selects the very same field here: share its response key.
        let client_key = self.client_keys.get(path).and_then(|m| {
            m.iter()
                .filter(|(_, client)| **client == sig)
                .map(|(key, _)| key)
                .min()
                .cloned()
        });
        if let Some(key) = client_key {
            self.internal_keys
                .entry(path.to_vec())
                .or_default()
                .insert(sig, key.clone());
            return key;
        }
        let client_clash = self
            .client_keys
            .get(path)
            .and_then(|m| m.get(name))
            .is_some_and(|client| *client != sig);
        let internal_clash = self
            .internal_keys
            .get(path)
            .is_some_and(|m| m.iter().any(|(other, key)| key == name && *other != sig));
        let key = if client_clash || internal_clash {
            self.aliases += 1;
            format!("_internal_{}_{name}", self.aliases)
        } else {
            name.to_owned()
        };
        self.internal_keys
            .entry(path.to_vec())
            .or_default()
            .insert(sig, key.clone());
        key
    }

    // ---- the plan

    /// Dependency level of each group (0 for groups that depend on nothing).
    fn levels(&self) -> Vec<usize> {
        let mut levels = vec![0; self.groups.len()];
        // Groups are created after what they depend on, except for reuse; iterate
        // to a fixed point (the planner never lets dependencies form a cycle, and
        // the bound keeps a bug from hanging a request).
        for _ in 0..=self.groups.len() {
            let mut changed = false;
            for (index, group) in self.groups.iter().enumerate() {
                let level = group.deps.iter().map(|d| levels[*d] + 1).max().unwrap_or(0);
                if level > levels[index] {
                    levels[index] = level;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        levels
    }

    fn into_plan(mut self, operation: &Operation) -> QueryPlan {
        for group in &mut self.groups {
            group.selection.fill_empty();
        }
        let levels = self.levels();
        let mut segments: Vec<PlanNode> = Vec::new();
        let segment_ids: BTreeSet<usize> = self.groups.iter().map(|g| g.segment).collect();
        let mut fetch_index = 0;
        for segment in segment_ids {
            let max_level = self
                .groups
                .iter()
                .enumerate()
                .filter(|(_, g)| g.segment == segment)
                .map(|(i, _)| levels[i])
                .max()
                .unwrap_or(0);
            let mut stages = Vec::new();
            for level in 0..=max_level {
                let mut nodes = Vec::new();
                for (index, group) in self.groups.iter().enumerate() {
                    if group.segment != segment
                        || levels[index] != level
                        || group.selection.is_empty()
                    {
                        continue;
                    }
                    fetch_index += 1;
                    nodes.push(self.node(group, operation, fetch_index));
                }
                match nodes.len() {
                    0 => {}
                    1 => stages.push(nodes.pop().expect("one node")),
                    _ => stages.push(PlanNode::Parallel(nodes)),
                }
            }
            match stages.len() {
                0 => {}
                1 => segments.push(stages.pop().expect("one stage")),
                _ => segments.push(PlanNode::Sequence(stages)),
            }
        }
        let root = match segments.len() {
            0 => None,
            1 => segments.pop(),
            _ => Some(PlanNode::Sequence(segments)),
        };
        QueryPlan { root }
    }

    fn node(&self, group: &Group, operation: &Operation, index: usize) -> PlanNode {
        let service = self.schema.graph(group.graph).name.clone();
        let mut used = BTreeSet::new();
        group.selection.variables(&mut used);
        let variable_usages: Vec<String> = used.into_iter().collect();
        let definitions: Vec<String> = variable_usages
            .iter()
            .filter_map(|name| {
                operation
                    .variables
                    .iter()
                    .find(|v| &v.name == name)
                    .map(|v| format!("${}: {}", v.name, v.ty))
            })
            .collect();
        let operation_name = operation
            .name
            .as_ref()
            .map(|name| format!("{name}__{}__{index}", sanitize(&service)));
        let mut selection = group.selection.clone();
        let root = if group.merge_path.is_some() {
            "_Entity"
        } else {
            operation.root_type.as_str()
        };
        let renames = super::conflicts::resolve(self.schema, group.graph, root, &mut selection);
        let mut text = String::new();
        let kind = if group.merge_path.is_some() {
            OperationKind::Query
        } else {
            operation.kind
        };
        text.push_str(kind.as_str());
        if let Some(name) = &operation_name {
            text.push(' ');
            text.push_str(name);
        }
        let mut arguments = Vec::new();
        if group.merge_path.is_some() {
            arguments.push("$representations: [_Any!]!".to_owned());
        }
        arguments.extend(definitions);
        if !arguments.is_empty() {
            text.push('(');
            text.push_str(&arguments.join(", "));
            text.push(')');
        }
        text.push(' ');
        if group.merge_path.is_some() {
            text.push_str("{ _entities(representations: $representations) ");
            selection.print_compact(&mut text);
            text.push_str(" }");
        } else {
            selection.print_compact(&mut text);
        }
        let fetch = FetchNode {
            graph: group.graph,
            service,
            kind,
            requires: group.merge_path.as_ref().map(|_| group.requires.clone()),
            representation_typename: group.typename_override.clone(),
            selection,
            operation: text,
            operation_name,
            variable_usages,
            renames,
        };
        match &group.merge_path {
            None => PlanNode::Fetch(Box::new(fetch)),
            Some(path) => PlanNode::Flatten {
                path: path.clone(),
                node: Box::new(PlanNode::Fetch(Box::new(fetch))),
            },
        }
    }
}

/// Whether a type condition narrowed the objects anywhere on the way from the
/// chain's top down to `ctx` (splitting a shared root then is not done: which
/// subgraph may answer depends on the concrete type).
fn narrowed(chain: &[Arc<Up>], ctx: &Ctx) -> bool {
    let links: Vec<&Up> = chain.iter().map(Arc::as_ref).collect();
    narrowed_refs(&links, ctx)
}

fn narrowed_refs(chain: &[&Up], ctx: &Ctx) -> bool {
    chain.iter().enumerate().any(|(index, link)| {
        let below = if index == 0 {
            &ctx.parent_type
        } else {
            &chain[index - 1].ctx.parent_type
        };
        link.field.ty.name() != below
    })
}

/// `ctx` and the positions of the same objects in the groups its entity group
/// was reached from, nearest first.
fn same_objects(ctx: &Ctx) -> Vec<&Ctx> {
    let mut out = vec![ctx];
    let mut current = ctx.origin.as_deref();
    while let Some(origin) = current {
        out.push(origin);
        current = origin.origin.as_deref();
    }
    out
}

/// Root fields, looking through fragments on the root type.
fn root_fields(set: &SelectionSet) -> Vec<&Field> {
    let mut fields = Vec::new();
    for item in &set.items {
        match item {
            Selection::Field(field) => fields.push(field),
            Selection::Fragment(fragment) => fields.extend(root_fields(&fragment.selection)),
        }
    }
    fields
}

/// The shape of an internal selection (aliases kept): what a representation takes
/// from each object.
fn selection_shape(set: &SelectionSet) -> SelSet {
    let mut shape = SelSet::default();
    for item in &set.items {
        match item {
            Selection::Field(field) => {
                let inner = selection_shape(&field.selection);
                let target = shape.field_mut(
                    field.alias.as_deref(),
                    &field.name,
                    &field.arguments,
                    !inner.is_empty(),
                );
                if let Some(set) = &mut target.set {
                    set.merge(&inner);
                }
            }
            Selection::Fragment(fragment) => {
                let on = fragment.type_condition.as_deref().unwrap_or_default();
                shape
                    .fragment_mut(on)
                    .merge(&selection_shape(&fragment.selection));
            }
        }
    }
    shape
}

/// A subgraph name usable in an operation name.
fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}
