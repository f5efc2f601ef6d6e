//! Merging subgraph schemas type by type, with the join directives that record
//! which subgraph defines and resolves what, and the checks that make subgraphs
//! fail to compose.

use std::collections::{BTreeSet, HashMap};

use indexmap::IndexMap;

use super::CompositionError;
use super::subgraph::{SubArgument, SubField, SubType, SubgraphSchema};
use crate::operation::values::print_value;
use crate::supergraph::{FieldSet, FieldSetItem, TypeKind, TypeRef};

/// The composed supergraph, ready to print.
#[derive(Debug, Clone)]
pub struct Composed {
    /// (name, enum value, url)
    pub graphs: Vec<(String, String, String)>,
    pub types: Vec<CType>,
    pub uses_inaccessible: bool,
    pub mutation: bool,
    pub subscription: bool,
}

#[derive(Debug, Clone)]
pub struct CType {
    pub name: String,
    pub kind: TypeKind,
    pub description: Option<String>,
    pub interfaces: Vec<String>,
    pub members: Vec<String>,
    /// Printed directives of the type (`@join__type(…)`, …).
    pub directives: Vec<String>,
    pub fields: Vec<CField>,
    pub enum_values: Vec<CEnumValue>,
    pub input_fields: Vec<CArgument>,
}

#[derive(Debug, Clone)]
pub struct CField {
    pub name: String,
    pub description: Option<String>,
    pub arguments: Vec<CArgument>,
    pub ty: TypeRef,
    pub directives: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct CArgument {
    pub name: String,
    pub description: Option<String>,
    pub ty: TypeRef,
    pub default_value: Option<String>,
    pub directives: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct CEnumValue {
    pub name: String,
    pub description: Option<String>,
    pub directives: Vec<String>,
}

struct Merger<'a> {
    schemas: &'a [SubgraphSchema],
    enum_values: Vec<String>,
    errors: Vec<CompositionError>,
    uses_inaccessible: bool,
    /// Per subgraph: the (type, field) pairs its `@provides` name.
    provided: Vec<BTreeSet<(String, String)>>,
}

/// Collects the (type, field) pairs a field set names, starting at `type_name`.
fn field_set_fields(
    schema: &SubgraphSchema,
    type_name: &str,
    set: &FieldSet,
    out: &mut BTreeSet<(String, String)>,
) {
    for item in &set.items {
        match item {
            FieldSetItem::Field {
                name, selection, ..
            } => {
                out.insert((type_name.to_owned(), name.clone()));
                if let Some(field) = schema.types.get(type_name).and_then(|t| t.fields.get(name)) {
                    field_set_fields(schema, field.ty.name(), selection, out);
                }
            }
            FieldSetItem::Fragment {
                type_condition,
                selection,
            } => {
                let on = type_condition.as_deref().unwrap_or(type_name);
                field_set_fields(schema, on, selection, out);
            }
        }
    }
}

/// An interface field is external when every implementation in the subgraph
/// marks it `@external` (an interface field itself cannot be).
fn implementations_external(schema: &SubgraphSchema, ty: &SubType, field: &str) -> bool {
    if ty.kind != TypeKind::Interface {
        return false;
    }
    let mut implementations = schema
        .types
        .values()
        .filter(|t| t.interfaces.contains(&ty.name))
        .peekable();
    implementations.peek().is_some()
        && implementations.all(|t| t.fields.get(field).is_some_and(|f| f.external))
}

/// (type, field) pairs.
type FieldPairs = BTreeSet<(String, String)>;

/// The (type, field) pairs a subgraph's `@provides` name, and those its keys,
/// `@requires` and `@provides` name together (what makes an `@external` used).
fn federation_fields(schema: &SubgraphSchema) -> (FieldPairs, FieldPairs) {
    let mut provided = BTreeSet::new();
    let mut used = BTreeSet::new();
    for ty in schema.types.values() {
        for key in &ty.keys {
            if let Ok(set) = FieldSet::parse(&key.fields) {
                field_set_fields(schema, &ty.name, &set, &mut used);
            }
        }
        for field in ty.fields.values() {
            if let Some(set) = field
                .requires
                .as_deref()
                .and_then(|r| FieldSet::parse(r).ok())
            {
                field_set_fields(schema, &ty.name, &set, &mut used);
            }
            if let Some(set) = field
                .provides
                .as_deref()
                .and_then(|p| FieldSet::parse(p).ok())
            {
                field_set_fields(schema, field.ty.name(), &set, &mut provided);
            }
        }
    }
    used.extend(provided.iter().cloned());
    (provided, used)
}

/// `accounts-v2` → `ACCOUNTS_V2`, unique among the graphs.
fn enum_value_names(schemas: &[SubgraphSchema]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for schema in schemas {
        let mut name: String = schema
            .name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_uppercase()
                } else {
                    '_'
                }
            })
            .collect();
        if name.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            name.insert(0, '_');
        }
        let base = name.clone();
        let mut n = 1;
        while names.contains(&name) {
            n += 1;
            name = format!("{base}_{n}");
        }
        names.push(name);
    }
    names
}

pub fn merge(schemas: &[SubgraphSchema]) -> Result<Composed, Vec<CompositionError>> {
    let mut merger = Merger {
        schemas,
        enum_values: enum_value_names(schemas),
        errors: Vec::new(),
        uses_inaccessible: false,
        provided: schemas.iter().map(|s| federation_fields(s).0).collect(),
    };
    for (index, schema) in schemas.iter().enumerate() {
        merger.check_subgraph(index, schema);
    }
    let mut names: Vec<&str> = Vec::new();
    for schema in schemas {
        for name in schema.types.keys() {
            if !names.contains(&name.as_str()) {
                names.push(name);
            }
        }
    }
    let mut types: Vec<CType> = Vec::new();
    for name in &names {
        let defs: Vec<(usize, &SubType)> = schemas
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.types.get(*name).map(|t| (i, t)))
            .collect();
        if let Some(merged) = merger.merge_type(name, &defs) {
            types.push(merged);
        }
    }
    merger.propagate_interface_object_fields(&mut types);
    if !types.iter().any(|t| t.name == "Query") {
        merger.errors.push(CompositionError::new(
            "NO_QUERIES",
            "no subgraph defines a Query type with fields",
        ));
    }
    merger.check_references(&types);
    if !merger.errors.is_empty() {
        return Err(merger.errors);
    }
    Ok(Composed {
        graphs: schemas
            .iter()
            .zip(&merger.enum_values)
            .map(|(s, e)| (s.name.clone(), e.clone(), s.url.clone()))
            .collect(),
        mutation: types.iter().any(|t| t.name == "Mutation"),
        subscription: types.iter().any(|t| t.name == "Subscription"),
        types,
        uses_inaccessible: merger.uses_inaccessible,
    })
}

fn quote(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

impl Merger<'_> {
    fn graph(&self, index: usize) -> &str {
        &self.enum_values[index]
    }

    fn error(&mut self, code: &str, subgraph: usize, line: usize, column: usize, message: String) {
        let name = self.schemas[subgraph].name.clone();
        self.errors.push(
            CompositionError::new(code, format!("[{name}] {message}")).at(&name, line, column),
        );
    }

    /// Key, requires and provides field sets name fields that exist; requires and
    /// provides (Federation 2) name `@external` fields.
    fn check_subgraph(&mut self, index: usize, schema: &SubgraphSchema) {
        if schema.fed2 {
            self.check_unused_externals(index, schema);
        }
        for ty in schema.types.values() {
            for key in &ty.keys {
                match FieldSet::parse(&key.fields) {
                    Ok(set) => {
                        if let Err(missing) = self.fields_exist(schema, &ty.name, &set) {
                            self.error(
                                "KEY_FIELDS_SELECT_INVALID_TYPE",
                                index,
                                ty.line,
                                ty.column,
                                format!("@key(fields: {}) on \"{}\" selects \"{missing}\", which does not exist", quote(&key.fields), ty.name),
                            );
                        }
                    }
                    Err(e) => self.error("KEY_INVALID_FIELDS", index, ty.line, ty.column, e),
                }
            }
            for field in ty.fields.values() {
                self.check_field_sets(index, schema, ty, field);
            }
        }
    }

    /// Federation 2: an `@external` field must serve a key, a `@requires`, a
    /// `@provides`, or an interface of its type.
    fn check_unused_externals(&mut self, index: usize, schema: &SubgraphSchema) {
        let (_, used) = federation_fields(schema);
        for ty in schema.types.values() {
            if ty.interface_object {
                continue;
            }
            for field in ty.fields.values().filter(|f| f.external) {
                let for_interface = ty.interfaces.iter().any(|i| {
                    schema
                        .types
                        .get(i)
                        .is_some_and(|t| t.fields.contains_key(&field.name))
                });
                if !for_interface && !used.contains(&(ty.name.clone(), field.name.clone())) {
                    self.error(
                        "EXTERNAL_UNUSED",
                        index,
                        field.line,
                        field.column,
                        format!(
                            "field \"{}.{}\" is marked @external but no @key, @requires or @provides uses it; remove it or its @external",
                            ty.name, field.name
                        ),
                    );
                }
            }
        }
    }

    fn check_field_sets(
        &mut self,
        index: usize,
        schema: &SubgraphSchema,
        ty: &SubType,
        field: &SubField,
    ) {
        let checks = [
            ("requires", field.requires.as_ref(), ty.name.clone()),
            (
                "provides",
                field.provides.as_ref(),
                field.ty.name().to_owned(),
            ),
        ];
        for (directive, text, on) in checks {
            let Some(text) = text else {
                continue;
            };
            let code_invalid = if directive == "requires" {
                "REQUIRES_INVALID_FIELDS"
            } else {
                "PROVIDES_INVALID_FIELDS"
            };
            let set = match FieldSet::parse(text) {
                Ok(set) => set,
                Err(e) => {
                    self.error(code_invalid, index, field.line, field.column, e);
                    continue;
                }
            };
            if let Err(missing) = self.fields_exist(schema, &on, &set) {
                self.error(
                    code_invalid,
                    index,
                    field.line,
                    field.column,
                    format!("@{directive}(fields: {}) on \"{}.{}\" selects \"{missing}\", which does not exist", quote(text), ty.name, field.name),
                );
                continue;
            }
            if schema.fed2 {
                let not_external = self.first_not_external(schema, &on, &set);
                if let Some(name) = not_external {
                    let code = if directive == "requires" {
                        "REQUIRES_FIELDS_MISSING_EXTERNAL"
                    } else {
                        "PROVIDES_FIELDS_MISSING_EXTERNAL"
                    };
                    self.error(
                        code,
                        index,
                        field.line,
                        field.column,
                        format!("@{directive}(fields: {}) on \"{}.{}\" selects \"{name}\", which is not marked @external", quote(text), ty.name, field.name),
                    );
                }
            }
        }
    }

    /// `Err(field)` with the first field of `set` missing from `type_name`.
    fn fields_exist(
        &self,
        schema: &SubgraphSchema,
        type_name: &str,
        set: &FieldSet,
    ) -> Result<(), String> {
        for item in &set.items {
            match item {
                FieldSetItem::Field {
                    name, selection, ..
                } => {
                    if name == "__typename" {
                        continue;
                    }
                    let Some(field) = schema.types.get(type_name).and_then(|t| t.fields.get(name))
                    else {
                        return Err(format!("{type_name}.{name}"));
                    };
                    if !selection.is_empty() {
                        self.fields_exist(schema, field.ty.name(), selection)?;
                    }
                }
                FieldSetItem::Fragment {
                    type_condition,
                    selection,
                } => {
                    let on = type_condition.as_deref().unwrap_or(type_name);
                    if !schema.types.contains_key(on) {
                        return Err(on.to_owned());
                    }
                    self.fields_exist(schema, on, selection)?;
                }
            }
        }
        Ok(())
    }

    /// The first leaf-level field of `set` that is neither `@external` nor a key
    /// field of its type in this subgraph.
    fn first_not_external(
        &self,
        schema: &SubgraphSchema,
        type_name: &str,
        set: &FieldSet,
    ) -> Option<String> {
        for item in &set.items {
            match item {
                FieldSetItem::Field {
                    name, selection, ..
                } => {
                    let ty = schema.types.get(type_name)?;
                    let field = ty.fields.get(name)?;
                    let is_key = ty.keys.iter().any(|k| {
                        FieldSet::parse(&k.fields)
                            .is_ok_and(|s| s.field_names().contains(&name.as_str()))
                    });
                    let external = field.external || implementations_external(schema, ty, name);
                    if !external && !is_key && selection.is_empty() {
                        return Some(format!("{type_name}.{name}"));
                    }
                    if !selection.is_empty()
                        && !external
                        && let Some(found) =
                            self.first_not_external(schema, field.ty.name(), selection)
                    {
                        return Some(found);
                    }
                }
                FieldSetItem::Fragment {
                    type_condition,
                    selection,
                } => {
                    let on = type_condition.as_deref().unwrap_or(type_name);
                    if let Some(found) = self.first_not_external(schema, on, selection) {
                        return Some(found);
                    }
                }
            }
        }
        None
    }

    fn merge_type(&mut self, name: &str, defs: &[(usize, &SubType)]) -> Option<CType> {
        // An @interfaceObject is an interface seen as an object type.
        let kind_of = |def: &SubType| {
            if def.interface_object {
                TypeKind::Interface
            } else {
                def.kind
            }
        };
        let (first_graph, first) = defs[0];
        for (graph, def) in &defs[1..] {
            if kind_of(def) != kind_of(first) {
                self.error(
                    "TYPE_KIND_MISMATCH",
                    *graph,
                    def.line,
                    def.column,
                    format!(
                        "type \"{name}\" is {:?} here but {:?} in subgraph \"{}\"",
                        kind_of(def),
                        kind_of(first),
                        self.schemas[first_graph].name
                    ),
                );
                return None;
            }
        }
        let kind = kind_of(first);
        let inaccessible = defs.iter().any(|(_, d)| d.inaccessible);
        let mut ty = CType {
            name: name.to_owned(),
            kind,
            description: defs.iter().find_map(|(_, d)| d.description.clone()),
            interfaces: Vec::new(),
            members: Vec::new(),
            directives: Vec::new(),
            fields: Vec::new(),
            enum_values: Vec::new(),
            input_fields: Vec::new(),
        };
        for (graph, def) in defs {
            ty.directives.extend(self.join_types(*graph, def));
        }
        match kind {
            TypeKind::Object | TypeKind::Interface => self.merge_fields(&mut ty, defs),
            TypeKind::Union => {
                for (graph, def) in defs {
                    for member in &def.members {
                        if !ty.members.contains(member) {
                            ty.members.push(member.clone());
                        }
                        ty.directives.push(format!(
                            "@join__unionMember(graph: {}, member: {})",
                            self.graph(*graph),
                            quote(member)
                        ));
                    }
                }
            }
            TypeKind::Enum => self.merge_enum(&mut ty, defs),
            TypeKind::InputObject => self.merge_input(&mut ty, defs),
            TypeKind::Scalar => {
                if let Some(url) = defs.iter().find_map(|(_, d)| d.specified_by.clone()) {
                    ty.directives
                        .push(format!("@specifiedBy(url: {})", quote(&url)));
                }
            }
        }
        if inaccessible {
            self.uses_inaccessible = true;
            ty.directives.push("@inaccessible".into());
        }
        Some(ty)
    }

    fn join_types(&self, graph: usize, def: &SubType) -> Vec<String> {
        let g = self.graph(graph);
        let mut extra = String::new();
        if def.extension {
            extra.push_str(", extension: true");
        }
        if def.interface_object {
            extra.push_str(", isInterfaceObject: true");
        }
        let mut out = Vec::new();
        if def.keys.is_empty() {
            out.push(format!("@join__type(graph: {g}{extra})"));
        }
        for key in &def.keys {
            let resolvable = if key.resolvable {
                ""
            } else {
                ", resolvable: false"
            };
            out.push(format!(
                "@join__type(graph: {g}, key: {}{extra}{resolvable})",
                quote(&key.fields)
            ));
        }
        out
    }

    fn merge_fields(&mut self, ty: &mut CType, defs: &[(usize, &SubType)]) {
        for (graph, def) in defs {
            for interface in &def.interfaces {
                if !ty.interfaces.contains(interface) {
                    ty.interfaces.push(interface.clone());
                }
                ty.directives.push(format!(
                    "@join__implements(graph: {}, interface: {})",
                    self.graph(*graph),
                    quote(interface)
                ));
            }
        }
        let mut order: Vec<&str> = Vec::new();
        for (_, def) in defs {
            for name in def.fields.keys() {
                if !order.contains(&name.as_str()) {
                    order.push(name);
                }
            }
        }
        for name in order {
            let fields: Vec<(usize, &SubType, &SubField)> = defs
                .iter()
                .filter_map(|(g, d)| d.fields.get(name).map(|f| (*g, *d, f)))
                .collect();
            if let Some(field) = self.merge_field(&ty.name, defs.len(), &fields) {
                ty.fields.push(field);
            }
        }
    }

    fn merge_field(
        &mut self,
        type_name: &str,
        type_graphs: usize,
        fields: &[(usize, &SubType, &SubField)],
    ) -> Option<CField> {
        let name = &fields[0].2.name;
        let ty = self.merge_output_type(type_name, fields)?;
        self.check_sharing(type_name, fields);
        self.check_external(type_name, fields);
        let resolving: Vec<&(usize, &SubType, &SubField)> =
            fields.iter().filter(|(_, _, f)| !f.external).collect();
        let arguments = self.merge_arguments(
            type_name,
            name,
            if resolving.is_empty() {
                fields.iter().collect()
            } else {
                resolving
            },
        );
        let overridden = self.overridden(fields);
        let special = fields.len() != type_graphs
            || fields.iter().any(|(_, _, f)| {
                f.external
                    || f.requires.is_some()
                    || f.provides.is_some()
                    // An override from a subgraph that is not composed overrides
                    // nothing (it is still printed when the field needs its
                    // join__field for another reason).
                    || f
                        .override_from
                        .as_ref()
                        .is_some_and(|from| self.schemas.iter().any(|s| s.name == *from))
                    || f.ty != ty
            });
        let mut directives = Vec::new();
        if special {
            for (graph, def, field) in fields {
                let graph_name = &self.schemas[*graph].name;
                if overridden.contains(graph_name) {
                    if self.field_used_internally(def, name) {
                        directives.push(format!(
                            "@join__field(graph: {}, usedOverridden: true)",
                            self.graph(*graph)
                        ));
                    }
                    continue;
                }
                let mut parts = vec![format!("graph: {}", self.graph(*graph))];
                if let Some(requires) = &field.requires {
                    parts.push(format!("requires: {}", quote(requires)));
                }
                if let Some(provides) = &field.provides {
                    parts.push(format!("provides: {}", quote(provides)));
                }
                if field.ty != ty {
                    parts.push(format!("type: {}", quote(&field.ty.to_string())));
                }
                if field.external {
                    parts.push("external: true".into());
                }
                if let Some(from) = &field.override_from {
                    parts.push(format!("override: {}", quote(from)));
                    if let Some(label) = &field.override_label {
                        parts.push(format!("overrideLabel: {}", quote(label)));
                    }
                }
                directives.push(format!("@join__field({})", parts.join(", ")));
            }
        }
        if let Some(reason) = fields.iter().find_map(|(_, _, f)| f.deprecation.clone()) {
            directives.push(format!("@deprecated(reason: {})", quote(&reason)));
        }
        if fields.iter().any(|(_, _, f)| f.inaccessible) {
            self.uses_inaccessible = true;
            directives.push("@inaccessible".into());
        }
        Some(CField {
            name: name.clone(),
            description: fields.iter().find_map(|(_, _, f)| f.description.clone()),
            arguments,
            ty,
            directives,
        })
    }

    fn is_key_field(&self, def: &SubType, field: &str) -> bool {
        def.keys
            .iter()
            .any(|k| FieldSet::parse(&k.fields).is_ok_and(|s| s.field_names().contains(&field)))
    }

    /// Whether a subgraph still needs its overridden field (in a key or a
    /// `@requires` of its own).
    fn field_used_internally(&self, def: &SubType, field: &str) -> bool {
        self.is_key_field(def, field)
            || def.fields.values().any(|f| {
                f.requires
                    .as_deref()
                    .and_then(|r| FieldSet::parse(r).ok())
                    .is_some_and(|s| s.field_names().contains(&field))
            })
    }

    /// The merged output type: the same named type and list shape everywhere; a
    /// position is non-null only when it is non-null in every subgraph.
    fn merge_output_type(
        &mut self,
        type_name: &str,
        fields: &[(usize, &SubType, &SubField)],
    ) -> Option<TypeRef> {
        let mut merged = fields[0].2.ty.clone();
        for (graph, _, field) in &fields[1..] {
            match loosest(&merged, &field.ty) {
                Some(ty) => merged = ty,
                None => {
                    self.error(
                        "FIELD_TYPE_MISMATCH",
                        *graph,
                        field.line,
                        field.column,
                        format!(
                            "field \"{type_name}.{}\" has type \"{}\" here but \"{}\" in subgraph \"{}\"",
                            field.name,
                            field.ty,
                            fields[0].2.ty,
                            self.schemas[fields[0].0].name
                        ),
                    );
                    return None;
                }
            }
        }
        Some(merged)
    }

    /// Federation 2: a field resolved by several subgraphs must be `@shareable`
    /// (or a key field, or overridden) in each of them.
    /// The subgraphs whose field another one takes over with `@override`; an
    /// `@external` field is not taken over (it stays the source's input).
    fn overridden(&self, fields: &[(usize, &SubType, &SubField)]) -> BTreeSet<String> {
        fields
            .iter()
            .filter_map(|(_, _, f)| f.override_from.clone())
            .filter(|from| {
                !fields
                    .iter()
                    .any(|(g, _, f)| self.schemas[*g].name == *from && f.external)
            })
            .collect()
    }

    fn check_sharing(&mut self, type_name: &str, fields: &[(usize, &SubType, &SubField)]) {
        let overridden = self.overridden(fields);
        // A provided @external field is resolved by the providing subgraph too.
        // Only object fields are resolved; an interface's fields are its
        // implementations' (an @interfaceObject is an object in its subgraph).
        let resolving: Vec<&(usize, &SubType, &SubField)> = fields
            .iter()
            .filter(|(_, def, _)| def.kind != TypeKind::Interface || def.interface_object)
            .filter(|(g, def, f)| {
                let provided = self.provided[*g].contains(&(def.name.clone(), f.name.clone()));
                (!f.external || provided) && !overridden.contains(&self.schemas[*g].name)
            })
            .collect();
        if resolving.len() < 2 {
            return;
        }
        let unshared: Vec<&(usize, &SubType, &SubField)> = resolving
            .iter()
            .copied()
            .filter(|(g, def, f)| {
                self.schemas[*g].fed2
                    && !f.external
                    && !f.shareable
                    && !def.shareable
                    && !self.schemas[*g]
                        .key_fields
                        .contains(&(def.name.clone(), f.name.clone()))
            })
            .collect();
        if let Some((graph, _, field)) = unshared.first() {
            let names: Vec<&str> = resolving
                .iter()
                .map(|(g, _, _)| self.schemas[*g].name.as_str())
                .collect();
            self.error(
                "INVALID_FIELD_SHARING",
                *graph,
                field.line,
                field.column,
                format!(
                    "non-shareable field \"{type_name}.{}\" is resolved from several subgraphs ({}); mark it @shareable in each, or @override it",
                    field.name,
                    names.join(", ")
                ),
            );
        }
    }

    /// An `@external` field must be resolved by another subgraph.
    fn check_external(&mut self, type_name: &str, fields: &[(usize, &SubType, &SubField)]) {
        let resolved_somewhere = fields.iter().any(|(_, _, f)| !f.external);
        if resolved_somewhere {
            return;
        }
        for (graph, def, field) in fields {
            if def.interface_object
                || (!self.schemas[*graph].fed2 && self.is_key_field(def, &field.name))
            {
                continue;
            }
            self.error(
                "EXTERNAL_MISSING_ON_BASE",
                *graph,
                field.line,
                field.column,
                format!(
                    "field \"{type_name}.{}\" is marked @external but no subgraph resolves it",
                    field.name
                ),
            );
        }
    }

    /// Arguments every resolving subgraph declares; a required one missing from
    /// some subgraph is an error, an optional one is dropped.
    fn merge_arguments(
        &mut self,
        type_name: &str,
        field: &str,
        fields: Vec<&(usize, &SubType, &SubField)>,
    ) -> Vec<CArgument> {
        let mut order: Vec<&str> = Vec::new();
        for (_, _, f) in &fields {
            for name in f.arguments.keys() {
                if !order.contains(&name.as_str()) {
                    order.push(name);
                }
            }
        }
        let mut out = Vec::new();
        for name in order {
            let args: Vec<(usize, &SubArgument)> = fields
                .iter()
                .filter_map(|(g, _, f)| f.arguments.get(name).map(|a| (*g, a)))
                .collect();
            if args.len() < fields.len() {
                if let Some((graph, arg)) = args
                    .iter()
                    .find(|(_, a)| a.ty.is_non_null() && a.default_value.is_none())
                {
                    let field_def = fields
                        .iter()
                        .find(|(g, _, _)| g == graph)
                        .map(|(_, _, f)| *f);
                    let (line, column) = field_def.map(|f| (f.line, f.column)).unwrap_or((0, 0));
                    self.error(
                        "REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH",
                        *graph,
                        line,
                        column,
                        format!("argument \"{type_name}.{field}({})\" is required here but missing in other subgraphs that define the field", arg.name),
                    );
                }
                continue;
            }
            out.push(self.merge_argument(args));
        }
        out
    }

    /// An input value in several subgraphs: the strictest type (non-null when any is).
    fn merge_argument(&mut self, args: Vec<(usize, &SubArgument)>) -> CArgument {
        let mut ty = args[0].1.ty.clone();
        for (_, arg) in &args[1..] {
            if let Some(stricter) = strictest(&ty, &arg.ty) {
                ty = stricter;
            }
        }
        let mut directives = Vec::new();
        if let Some(reason) = args.iter().find_map(|(_, a)| a.deprecation.clone()) {
            directives.push(format!("@deprecated(reason: {})", quote(&reason)));
        }
        if args.iter().any(|(_, a)| a.inaccessible) {
            self.uses_inaccessible = true;
            directives.push("@inaccessible".into());
        }
        CArgument {
            name: args[0].1.name.clone(),
            description: args.iter().find_map(|(_, a)| a.description.clone()),
            ty,
            default_value: args
                .iter()
                .find_map(|(_, a)| a.default_value.as_ref())
                .map(|v| print_value(&v.clone().into_value())),
            directives,
        }
    }

    fn merge_enum(&mut self, ty: &mut CType, defs: &[(usize, &SubType)]) {
        let mut values: IndexMap<&str, Vec<usize>> = IndexMap::new();
        for (graph, def) in defs {
            for name in def.enum_values.keys() {
                values.entry(name.as_str()).or_default().push(*graph);
            }
        }
        let as_input = self.used_as_input(&ty.name);
        for (name, graphs) in &values {
            if as_input && graphs.len() < defs.len() {
                let (graph, def) = defs
                    .iter()
                    .find(|(g, _)| !graphs.contains(g))
                    .copied()
                    .unwrap_or(defs[0]);
                self.error(
                    "ENUM_VALUE_MISMATCH",
                    graph,
                    def.line,
                    def.column,
                    format!(
                        "enum \"{}\" is used as an input but its value \"{name}\" is not defined in every subgraph that defines it",
                        ty.name
                    ),
                );
            }
            let mut directives: Vec<String> = graphs
                .iter()
                .map(|g| format!("@join__enumValue(graph: {})", self.graph(*g)))
                .collect();
            let value_defs: Vec<_> = defs
                .iter()
                .filter_map(|(_, d)| d.enum_values.get(*name))
                .collect();
            if let Some(reason) = value_defs.iter().find_map(|v| v.deprecation.clone()) {
                directives.push(format!("@deprecated(reason: {})", quote(&reason)));
            }
            if value_defs.iter().any(|v| v.inaccessible) {
                self.uses_inaccessible = true;
                directives.push("@inaccessible".into());
            }
            ty.enum_values.push(CEnumValue {
                name: (*name).to_owned(),
                description: value_defs.iter().find_map(|v| v.description.clone()),
                directives,
            });
        }
    }

    fn used_as_input(&self, enum_name: &str) -> bool {
        self.schemas.iter().any(|s| {
            s.types.values().any(|t| {
                t.input_fields.values().any(|f| f.ty.name() == enum_name)
                    || t.fields
                        .values()
                        .any(|f| f.arguments.values().any(|a| a.ty.name() == enum_name))
            })
        })
    }

    /// Input fields every subgraph declares; a required one missing somewhere is an
    /// error, an optional one is dropped.
    fn merge_input(&mut self, ty: &mut CType, defs: &[(usize, &SubType)]) {
        let mut order: Vec<&str> = Vec::new();
        for (_, def) in defs {
            for name in def.input_fields.keys() {
                if !order.contains(&name.as_str()) {
                    order.push(name);
                }
            }
        }
        for name in order {
            let fields: Vec<(usize, &SubArgument)> = defs
                .iter()
                .filter_map(|(g, d)| d.input_fields.get(name).map(|f| (*g, f)))
                .collect();
            if fields.len() < defs.len() {
                if let Some((graph, field)) = fields
                    .iter()
                    .find(|(_, f)| f.ty.is_non_null() && f.default_value.is_none())
                {
                    let def = defs
                        .iter()
                        .find(|(g, _)| g == graph)
                        .map(|(_, d)| *d)
                        .unwrap_or(defs[0].1);
                    self.error(
                        "REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH",
                        *graph,
                        def.line,
                        def.column,
                        format!(
                            "input field \"{}.{}\" is required here but missing in other subgraphs",
                            ty.name, field.name
                        ),
                    );
                }
                continue;
            }
            ty.input_fields.push(self.merge_argument(fields));
        }
    }

    /// Fields an `@interfaceObject` adds to an interface are fields of every
    /// implementation too, resolved through the interface (`@join__field` without
    /// a graph).
    fn propagate_interface_object_fields(&mut self, types: &mut [CType]) {
        let mut added: HashMap<String, Vec<CField>> = HashMap::new();
        for schema in self.schemas {
            for def in schema.types.values().filter(|t| t.interface_object) {
                let extra: Vec<CField> = def
                    .fields
                    .values()
                    .filter(|f| !self.is_key_field(def, &f.name))
                    .map(|f| CField {
                        name: f.name.clone(),
                        description: f.description.clone(),
                        arguments: Vec::new(),
                        ty: f.ty.clone(),
                        directives: vec!["@join__field".into()],
                    })
                    .collect();
                added.entry(def.name.clone()).or_default().extend(extra);
            }
        }
        for ty in types.iter_mut() {
            if ty.kind != TypeKind::Object {
                continue;
            }
            for interface in ty.interfaces.clone() {
                let Some(fields) = added.get(&interface) else {
                    continue;
                };
                for field in fields {
                    if !ty.fields.iter().any(|f| f.name == field.name) {
                        ty.fields.push(field.clone());
                    }
                }
            }
        }
    }

    /// Every referenced type is defined somewhere.
    fn check_references(&mut self, types: &[CType]) {
        let known: BTreeSet<&str> = types
            .iter()
            .map(|t| t.name.as_str())
            .chain(["String", "Int", "Float", "Boolean", "ID"])
            .collect();
        for schema in self.schemas {
            for ty in schema.types.values() {
                let referenced = ty
                    .fields
                    .values()
                    .map(|f| (f.ty.name(), f.line, f.column))
                    .chain(
                        ty.input_fields
                            .values()
                            .map(|f| (f.ty.name(), ty.line, ty.column)),
                    )
                    .chain(ty.members.iter().map(|m| (m.as_str(), ty.line, ty.column)))
                    .chain(
                        ty.interfaces
                            .iter()
                            .map(|i| (i.as_str(), ty.line, ty.column)),
                    );
                for (name, line, column) in referenced {
                    if !known.contains(name) {
                        let subgraph = schema.name.clone();
                        self.errors.push(
                            CompositionError::new(
                                "TYPE_NOT_FOUND",
                                format!(
                                    "[{subgraph}] type \"{name}\" (used by \"{}\") is not defined",
                                    ty.name
                                ),
                            )
                            .at(&subgraph, line, column),
                        );
                    }
                }
            }
        }
    }
}

/// The least restrictive of two output types of the same shape.
fn loosest(a: &TypeRef, b: &TypeRef) -> Option<TypeRef> {
    match (a, b) {
        (TypeRef::NonNull(a), TypeRef::NonNull(b)) => {
            loosest(a, b).map(|t| TypeRef::NonNull(Box::new(t)))
        }
        (TypeRef::NonNull(a), b) | (b, TypeRef::NonNull(a)) => loosest(a, b),
        (TypeRef::List(a), TypeRef::List(b)) => loosest(a, b).map(|t| TypeRef::List(Box::new(t))),
        (TypeRef::Named(a), TypeRef::Named(b)) if a == b => Some(TypeRef::Named(a.clone())),
        _ => None,
    }
}

/// The strictest of two input types of the same shape.
fn strictest(a: &TypeRef, b: &TypeRef) -> Option<TypeRef> {
    match (a, b) {
        (TypeRef::NonNull(a), TypeRef::NonNull(b)) => {
            strictest(a, b).map(|t| TypeRef::NonNull(Box::new(t)))
        }
        (TypeRef::NonNull(a), b) | (b, TypeRef::NonNull(a)) => {
            strictest(a, b).map(|t| TypeRef::NonNull(Box::new(t)))
        }
        (TypeRef::List(a), TypeRef::List(b)) => strictest(a, b).map(|t| TypeRef::List(Box::new(t))),
        (TypeRef::Named(a), TypeRef::Named(b)) if a == b => Some(TypeRef::Named(a.clone())),
        _ => None,
    }
}
