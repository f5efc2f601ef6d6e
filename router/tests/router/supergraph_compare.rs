//! A canonical description of a supergraph — what each subgraph defines and
//! resolves — so that two supergraphs (ours and Apollo's, or a committed one)
//! compare on meaning rather than layout.

use std::collections::BTreeSet;

use router::supergraph::Supergraph;

/// One line per fact, sorted.
pub fn describe(sdl: &str) -> BTreeSet<String> {
    let schema = Supergraph::parse(sdl).expect("a valid supergraph");
    let graph = |id: usize| schema.graphs[id].name.clone();
    let mut facts = BTreeSet::new();
    for g in &schema.graphs {
        facts.insert(format!("graph {} {}", g.name, g.url));
    }
    for ty in schema.types.values() {
        if ty.name.starts_with("__") || router::supergraph::is_builtin_scalar(&ty.name) {
            continue;
        }
        facts.insert(format!(
            "type {} {:?}{}",
            ty.name,
            ty.kind,
            if ty.inaccessible { " inaccessible" } else { "" }
        ));
        for join in &ty.join_types {
            facts.insert(format!(
                "join {} {} key={} resolvable={} interfaceObject={}",
                ty.name,
                graph(join.graph),
                join.key_text.as_deref().map(normalize).unwrap_or_default(),
                join.resolvable,
                join.interface_object
            ));
        }
        for interface in &ty.interfaces {
            facts.insert(format!("implements {} {interface}", ty.name));
        }
        for (g, interface) in &ty.implements_in {
            facts.insert(format!(
                "implements-in {} {} {interface}",
                ty.name,
                graph(*g)
            ));
        }
        for member in &ty.members {
            facts.insert(format!("member {} {member}", ty.name));
        }
        for (g, member) in &ty.members_in {
            facts.insert(format!("member-in {} {} {member}", ty.name, graph(*g)));
        }
        for value in &ty.enum_values {
            facts.insert(format!(
                "enum {} {}{}",
                ty.name,
                value.name,
                if value.inaccessible {
                    " inaccessible"
                } else {
                    ""
                }
            ));
        }
        for field in ty.input_fields.values() {
            facts.insert(format!("input {}.{}: {}", ty.name, field.name, field.ty));
        }
        for field in ty.fields.values() {
            facts.insert(format!(
                "field {}.{}: {}{}",
                ty.name,
                field.name,
                field.ty,
                if field.inaccessible {
                    " inaccessible"
                } else {
                    ""
                }
            ));
            for argument in field.arguments.values() {
                facts.insert(format!(
                    "argument {}.{}({}: {})",
                    ty.name, field.name, argument.name, argument.ty
                ));
            }
            let mut resolvable: Vec<String> = schema
                .field_graphs(&ty.name, &field.name)
                .into_iter()
                .map(graph)
                .collect();
            resolvable.sort();
            facts.insert(format!(
                "resolvable {}.{} {}",
                ty.name,
                field.name,
                resolvable.join(",")
            ));
            for join in &field.joins {
                let Some(g) = join.graph else {
                    facts.insert(format!("join-field {}.{} none", ty.name, field.name));
                    continue;
                };
                if join.external {
                    facts.insert(format!("external {}.{} {}", ty.name, field.name, graph(g)));
                }
                if let Some(requires) = &join.requires {
                    facts.insert(format!(
                        "requires {}.{} {} {:?}",
                        ty.name,
                        field.name,
                        graph(g),
                        requires.field_names()
                    ));
                }
                if let Some(provides) = &join.provides {
                    facts.insert(format!(
                        "provides {}.{} {} {:?}",
                        ty.name,
                        field.name,
                        graph(g),
                        provides.field_names()
                    ));
                }
                if let Some(from) = &join.override_from {
                    facts.insert(format!(
                        "override {}.{} {} from {from}",
                        ty.name,
                        field.name,
                        graph(g)
                    ));
                }
            }
        }
    }
    facts
}

fn normalize(fields: &str) -> String {
    fields.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Panics with the facts only one side has.
pub fn assert_same(ours: &str, theirs: &str, what: &str) {
    let ours = describe(ours);
    let theirs = describe(theirs);
    let only_ours: Vec<&String> = ours.difference(&theirs).collect();
    let only_theirs: Vec<&String> = theirs.difference(&ours).collect();
    assert!(
        only_ours.is_empty() && only_theirs.is_empty(),
        "{what}: the supergraphs differ\n  only ours:\n    {}\n  only theirs:\n    {}",
        only_ours
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n    "),
        only_theirs
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n    ")
    );
}
