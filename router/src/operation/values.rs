//! Input values: checking literals against their types (validation), whether a
//! variable may be used in a position, coercing the request's JSON variables, and
//! printing values back as GraphQL.

use async_graphql_value::{ConstValue, Value};
use serde_json::{Map, Value as Json};

use crate::error::{GraphQLError, codes};
use crate::supergraph::{Supergraph, TypeKind, TypeRef};

use super::VariableDefinition;

/// Told about each variable a checked value uses, with the type of its position.
pub trait ValueCheck {
    fn variable(&mut self, name: &str, location: &TypeRef, location_has_default: bool);
}

/// Checks a literal against `ty` (spec §5.6.1), reporting variables to `check`.
/// `has_default`: the position (argument or input field) has a default value,
/// which lets a nullable variable stand where `ty` is non-null.
pub fn check_literal(
    schema: &Supergraph,
    value: &Value,
    ty: &TypeRef,
    has_default: bool,
    check: &mut impl ValueCheck,
) -> Result<(), String> {
    match (value, ty) {
        (Value::Variable(name), _) => {
            check.variable(name, ty, has_default);
            Ok(())
        }
        (Value::Null, TypeRef::NonNull(_)) => Err(format!("expected type \"{ty}\", found null")),
        (_, TypeRef::NonNull(inner)) => check_literal(schema, value, inner, false, check),
        (Value::Null, _) => Ok(()),
        (Value::List(items), TypeRef::List(inner)) => items
            .iter()
            .try_for_each(|item| check_literal(schema, item, inner, false, check)),
        (_, TypeRef::List(inner)) => check_literal(schema, value, inner, false, check),
        (_, TypeRef::Named(name)) => check_named(schema, value, name, check),
    }
}

fn check_named(
    schema: &Supergraph,
    value: &Value,
    name: &str,
    check: &mut impl ValueCheck,
) -> Result<(), String> {
    let mismatch = || format!("expected type \"{name}\", found {}", print_value(value));
    let Some(def) = schema.api_type(name) else {
        return Err(format!("unknown type \"{name}\""));
    };
    match def.kind {
        TypeKind::Scalar => match (name, value) {
            ("Int", Value::Number(n)) if n.as_i64().is_some_and(|v| i32::try_from(v).is_ok()) => {
                Ok(())
            }
            ("Float", Value::Number(_)) => Ok(()),
            ("String", Value::String(_)) => Ok(()),
            ("Boolean", Value::Boolean(_)) => Ok(()),
            ("ID", Value::String(_)) => Ok(()),
            ("ID", Value::Number(n)) if n.is_i64() || n.is_u64() => Ok(()),
            ("Int" | "Float" | "String" | "Boolean" | "ID", _) => Err(mismatch()),
            // Custom scalars accept any literal.
            _ => Ok(()),
        },
        TypeKind::Enum => match value {
            Value::Enum(v)
                if def
                    .enum_values
                    .iter()
                    .any(|e| e.name == v.as_str() && !e.inaccessible) =>
            {
                Ok(())
            }
            Value::Enum(v) => Err(format!("value \"{v}\" does not exist in \"{name}\" enum")),
            _ => Err(mismatch()),
        },
        TypeKind::InputObject => {
            let Value::Object(fields) = value else {
                return Err(mismatch());
            };
            for (field, field_value) in fields {
                let Some(field_def) = def
                    .input_fields
                    .get(field.as_str())
                    .filter(|f| !f.inaccessible)
                else {
                    return Err(format!(
                        "field \"{field}\" is not defined by type \"{name}\""
                    ));
                };
                check_literal(
                    schema,
                    field_value,
                    &field_def.ty,
                    field_def.default_value.is_some(),
                    check,
                )?;
            }
            for field_def in def.input_fields.values().filter(|f| !f.inaccessible) {
                if field_def.ty.is_non_null()
                    && field_def.default_value.is_none()
                    && !fields.contains_key(field_def.name.as_str())
                {
                    return Err(format!(
                        "field \"{name}.{}\" of required type \"{}\" was not provided",
                        field_def.name, field_def.ty
                    ));
                }
            }
            Ok(())
        }
        _ => Err(format!("\"{name}\" is not an input type")),
    }
}

/// Whether a variable of `variable` type may stand where `location` is expected
/// (spec §5.8.5, IsVariableUsageAllowed).
pub fn usage_allowed(
    variable: &TypeRef,
    variable_has_default: bool,
    location: &TypeRef,
    location_has_default: bool,
) -> bool {
    if let TypeRef::NonNull(inner) = location
        && !variable.is_non_null()
    {
        if !(variable_has_default || location_has_default) {
            return false;
        }
        return compatible(variable, inner);
    }
    compatible(variable, location)
}

fn compatible(variable: &TypeRef, location: &TypeRef) -> bool {
    match (variable, location) {
        (TypeRef::NonNull(v), TypeRef::NonNull(l)) => compatible(v, l),
        (_, TypeRef::NonNull(_)) => false,
        (TypeRef::NonNull(v), _) => compatible(v, location),
        (TypeRef::List(v), TypeRef::List(l)) => compatible(v, l),
        (_, TypeRef::List(_)) | (TypeRef::List(_), _) => false,
        (TypeRef::Named(v), TypeRef::Named(l)) => v == l,
    }
}

/// Coerces the request's variables (spec §6.1.2): declared types enforced,
/// defaults applied, unknown input fields refused.
pub fn coerce_variables(
    schema: &Supergraph,
    definitions: &[VariableDefinition],
    provided: &Map<String, Json>,
) -> Result<Map<String, Json>, Vec<GraphQLError>> {
    let mut coerced = Map::new();
    let mut errors = Vec::new();
    for definition in definitions {
        let name = &definition.name;
        match provided.get(name) {
            Some(value) => match coerce(schema, value, &definition.ty) {
                Ok(value) => {
                    coerced.insert(name.clone(), value);
                }
                Err(problem) => errors.push(GraphQLError::new(
                    format!("Variable \"${name}\" got invalid value {value}; {problem}"),
                    codes::BAD_USER_INPUT,
                )),
            },
            None => match &definition.default_value {
                Some(default) => {
                    coerced.insert(name.clone(), const_to_json(default));
                }
                None if definition.ty.is_non_null() => errors.push(GraphQLError::new(
                    format!(
                        "Variable \"${name}\" of required type \"{}\" was not provided.",
                        definition.ty
                    ),
                    codes::BAD_USER_INPUT,
                )),
                None => {}
            },
        }
    }
    if errors.is_empty() {
        Ok(coerced)
    } else {
        Err(errors)
    }
}

fn coerce(schema: &Supergraph, value: &Json, ty: &TypeRef) -> Result<Json, String> {
    match (value, ty) {
        (Json::Null, TypeRef::NonNull(_)) => Err(format!(
            "Expected non-nullable type \"{ty}\" not to be null."
        )),
        (_, TypeRef::NonNull(inner)) => coerce(schema, value, inner),
        (Json::Null, _) => Ok(Json::Null),
        (Json::Array(items), TypeRef::List(inner)) => items
            .iter()
            .map(|item| coerce(schema, item, inner))
            .collect::<Result<Vec<_>, _>>()
            .map(Json::Array),
        (_, TypeRef::List(inner)) => Ok(Json::Array(vec![coerce(schema, value, inner)?])),
        (_, TypeRef::Named(name)) => coerce_named(schema, value, name),
    }
}

fn coerce_named(schema: &Supergraph, value: &Json, name: &str) -> Result<Json, String> {
    let Some(def) = schema.api_type(name) else {
        return Err(format!("Unknown type \"{name}\"."));
    };
    let cannot = |what: &str| Err(format!("{name} cannot represent {what}: {value}"));
    match def.kind {
        TypeKind::Scalar => match name {
            "Int" => match value.as_f64() {
                Some(f)
                    if f.fract() == 0.0 && f >= f64::from(i32::MIN) && f <= f64::from(i32::MAX) =>
                {
                    Ok(Json::from(f as i64))
                }
                Some(_) => cannot("non-integer or out-of-range value"),
                None => cannot("non-integer value"),
            },
            "Float" => match value {
                Json::Number(_) => Ok(value.clone()),
                _ => cannot("non numeric value"),
            },
            "String" => match value {
                Json::String(_) => Ok(value.clone()),
                _ => cannot("a non string value"),
            },
            "Boolean" => match value {
                Json::Bool(_) => Ok(value.clone()),
                _ => cannot("a non boolean value"),
            },
            "ID" => match value {
                Json::String(_) => Ok(value.clone()),
                Json::Number(n) if n.is_i64() || n.is_u64() => Ok(Json::String(n.to_string())),
                _ => cannot("value"),
            },
            _ => Ok(value.clone()),
        },
        TypeKind::Enum => match value {
            Json::String(v)
                if def
                    .enum_values
                    .iter()
                    .any(|e| &e.name == v && !e.inaccessible) =>
            {
                Ok(value.clone())
            }
            Json::String(v) => Err(format!("Value \"{v}\" does not exist in \"{name}\" enum.")),
            _ => cannot("a non enum value"),
        },
        TypeKind::InputObject => {
            let Json::Object(fields) = value else {
                return Err(format!("Expected type \"{name}\" to be an object."));
            };
            let accessible = || def.input_fields.values().filter(|f| !f.inaccessible);
            if let Some(unknown) = fields.keys().find(|k| !accessible().any(|f| &f.name == *k)) {
                return Err(format!(
                    "Field \"{unknown}\" is not defined by type \"{name}\"."
                ));
            }
            let mut out = Map::new();
            for field in accessible() {
                match fields.get(&field.name) {
                    Some(v) => {
                        out.insert(field.name.clone(), coerce(schema, v, &field.ty)?);
                    }
                    None => match &field.default_value {
                        Some(default) => {
                            out.insert(field.name.clone(), const_to_json(default));
                        }
                        None if field.ty.is_non_null() => {
                            return Err(format!(
                                "Field \"{}\" of required type \"{}\" was not provided.",
                                field.name, field.ty
                            ));
                        }
                        None => {}
                    },
                }
            }
            Ok(Json::Object(out))
        }
        _ => Err(format!("\"{name}\" is not an input type.")),
    }
}

/// A constant GraphQL value as JSON.
pub fn const_to_json(value: &ConstValue) -> Json {
    value.clone().into_json().unwrap_or(Json::Null)
}

/// A value as GraphQL source text (arguments of subgraph queries, plans).
pub fn print_value(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value);
    out
}

fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Variable(name) => {
            out.push('$');
            out.push_str(name);
        }
        Value::Null => out.push_str("null"),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_string(out, s),
        Value::Boolean(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Binary(bytes) => write_string(out, &String::from_utf8_lossy(bytes)),
        Value::Enum(e) => out.push_str(e),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(fields) => {
            out.push('{');
            for (i, (name, field)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(name);
                out.push_str(": ");
                write_value(out, field);
            }
            out.push('}');
        }
    }
}

/// A JSON string literal is a valid GraphQL string literal.
fn write_string(out: &mut String, s: &str) {
    out.push_str(&Json::String(s.to_owned()).to_string());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(text: &str) -> TypeRef {
        TypeRef::parse(text).expect("type")
    }

    #[test]
    fn variable_usage_follows_the_spec() {
        assert!(usage_allowed(&ty("Int!"), false, &ty("Int"), false));
        assert!(!usage_allowed(&ty("Int"), false, &ty("Int!"), false));
        assert!(usage_allowed(&ty("Int"), true, &ty("Int!"), false));
        assert!(usage_allowed(&ty("Int"), false, &ty("Int!"), true));
        assert!(usage_allowed(&ty("[Int!]!"), false, &ty("[Int]"), false));
        assert!(!usage_allowed(&ty("[Int]"), false, &ty("[Int!]"), false));
        assert!(!usage_allowed(&ty("Int"), false, &ty("[Int]"), false));
        assert!(!usage_allowed(&ty("String"), false, &ty("ID"), false));
    }

    #[test]
    fn values_print_as_graphql() {
        let value = async_graphql_value::value!({ "a": [1, "x\"y", true, null] });
        assert_eq!(
            print_value(&value.into_value()),
            r#"{a: [1, "x\"y", true, null]}"#
        );
        assert_eq!(
            print_value(&Value::Enum(async_graphql_value::Name::new("RED"))),
            "RED"
        );
    }
}
