//! Printing the composed supergraph in the join-spec layout Apollo and Hive
//! routers read.

use super::merge::{CArgument, CField, CType, Composed};
use crate::supergraph::TypeKind;

const SPEC_DIRECTIVES: &str = r#"directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE

directive @join__field(graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, type: String, external: Boolean, override: String, usedOverridden: Boolean, overrideLabel: String) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION

directive @join__graph(name: String!, url: String!) on ENUM_VALUE

directive @join__implements(graph: join__Graph!, interface: String!) repeatable on OBJECT | INTERFACE

directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = false, resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR

directive @join__unionMember(graph: join__Graph!, member: String!) repeatable on UNION

directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA

scalar join__FieldSet
"#;

const INACCESSIBLE: &str = "directive @inaccessible on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION\n\n";

const LINK_TYPES: &str = r#"scalar link__Import

enum link__Purpose {
  """
  `SECURITY` features provide metadata necessary to securely resolve fields.
  """
  SECURITY

  """
  `EXECUTION` features provide metadata necessary for operation execution.
  """
  EXECUTION
}
"#;

pub fn print(composed: &Composed) -> String {
    let mut out = String::from(
        "schema\n  @link(url: \"https://specs.apollo.dev/link/v1.0\")\n  @link(url: \"https://specs.apollo.dev/join/v0.3\", for: EXECUTION)\n",
    );
    if composed.uses_inaccessible {
        out.push_str(
            "  @link(url: \"https://specs.apollo.dev/inaccessible/v0.2\", for: SECURITY)\n",
        );
    }
    out.push_str("{\n  query: Query\n");
    if composed.mutation {
        out.push_str("  mutation: Mutation\n");
    }
    if composed.subscription {
        out.push_str("  subscription: Subscription\n");
    }
    out.push_str("}\n\n");
    if composed.uses_inaccessible {
        out.push_str(INACCESSIBLE);
    }
    out.push_str(SPEC_DIRECTIVES);
    out.push_str("\nenum join__Graph {\n");
    for (name, value, url) in &composed.graphs {
        out.push_str(&format!(
            "  {value} @join__graph(name: {}, url: {})\n",
            quote(name),
            quote(url)
        ));
    }
    out.push_str("}\n\n");
    out.push_str(LINK_TYPES);
    let mut types: Vec<&CType> = composed.types.iter().collect();
    types.sort_by_key(|t| t.name.to_ascii_lowercase());
    for ty in types {
        out.push('\n');
        print_type(ty, &mut out);
    }
    out
}

fn quote(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

fn description(text: &Option<String>, indent: &str, out: &mut String) {
    let Some(text) = text else {
        return;
    };
    out.push_str(indent);
    out.push_str("\"\"\"\n");
    for line in text.replace("\"\"\"", "\\\"\"\"").lines() {
        if !line.is_empty() {
            out.push_str(indent);
            out.push_str(line);
        }
        out.push('\n');
    }
    out.push_str(indent);
    out.push_str("\"\"\"\n");
}

fn print_type(ty: &CType, out: &mut String) {
    description(&ty.description, "", out);
    let keyword = match ty.kind {
        TypeKind::Scalar => "scalar",
        TypeKind::Object => "type",
        TypeKind::Interface => "interface",
        TypeKind::Union => "union",
        TypeKind::Enum => "enum",
        TypeKind::InputObject => "input",
    };
    out.push_str(keyword);
    out.push(' ');
    out.push_str(&ty.name);
    if !ty.interfaces.is_empty() {
        out.push_str(" implements ");
        out.push_str(&ty.interfaces.join(" & "));
    }
    for directive in &ty.directives {
        out.push_str("\n  ");
        out.push_str(directive);
    }
    match ty.kind {
        TypeKind::Scalar => out.push('\n'),
        TypeKind::Union => {
            out.push_str("\n  = ");
            out.push_str(&ty.members.join(" | "));
            out.push('\n');
        }
        TypeKind::Enum => {
            out.push_str("\n{\n");
            for value in &ty.enum_values {
                description(&value.description, "  ", out);
                out.push_str("  ");
                out.push_str(&value.name);
                for directive in &value.directives {
                    out.push(' ');
                    out.push_str(directive);
                }
                out.push('\n');
            }
            out.push_str("}\n");
        }
        TypeKind::InputObject => {
            out.push_str("\n{\n");
            for field in &ty.input_fields {
                print_argument(field, "  ", out);
                out.push('\n');
            }
            out.push_str("}\n");
        }
        TypeKind::Object | TypeKind::Interface => {
            out.push_str("\n{\n");
            for field in &ty.fields {
                print_field(field, out);
            }
            out.push_str("}\n");
        }
    }
}

fn print_field(field: &CField, out: &mut String) {
    description(&field.description, "  ", out);
    out.push_str("  ");
    out.push_str(&field.name);
    if !field.arguments.is_empty() {
        let described = field.arguments.iter().any(|a| a.description.is_some());
        if described {
            out.push_str("(\n");
            for argument in &field.arguments {
                print_argument(argument, "    ", out);
                out.push('\n');
            }
            out.push_str("  )");
        } else {
            out.push('(');
            for (i, argument) in field.arguments.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                print_argument(argument, "", out);
            }
            out.push(')');
        }
    }
    out.push_str(": ");
    out.push_str(&field.ty.to_string());
    for directive in &field.directives {
        out.push(' ');
        out.push_str(directive);
    }
    out.push('\n');
}

fn print_argument(argument: &CArgument, indent: &str, out: &mut String) {
    description(&argument.description, indent, out);
    out.push_str(indent);
    out.push_str(&argument.name);
    out.push_str(": ");
    out.push_str(&argument.ty.to_string());
    if let Some(default) = &argument.default_value {
        out.push_str(" = ");
        out.push_str(default);
    }
    for directive in &argument.directives {
        out.push(' ');
        out.push_str(directive);
    }
}
