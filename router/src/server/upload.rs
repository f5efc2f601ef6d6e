//! File uploads (the GraphQL multipart request spec): a `multipart/form-data`
//! request with an `operations` part (the JSON request, `null` where files go), a
//! `map` part (file part name → variable paths) and the files. The router keeps
//! the files and forwards them, the same way, to the subgraph whose fetch uses the
//! variable.

use axum::body::Bytes;
use serde_json::{Map, Value};

use super::graphql::Request;
use crate::error::{GraphQLError, codes};
use crate::executor::Upload;

fn bad(message: impl Into<String>) -> GraphQLError {
    GraphQLError::new(message, codes::BAD_REQUEST)
}

/// Parses a multipart upload request.
pub async fn parse(content_type: &str, body: Bytes) -> Result<Request, GraphQLError> {
    let boundary = multer::parse_boundary(content_type)
        .map_err(|e| bad(format!("Invalid multipart request: {e}")))?;
    let stream = futures::stream::once(async move { Ok::<Bytes, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut operations: Option<Value> = None;
    let mut map: Option<Map<String, Value>> = None;
    let mut files: Vec<(String, Option<String>, Option<String>, Bytes)> = Vec::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| bad(format!("Invalid multipart request: {e}")))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        let filename = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(|m| m.to_string());
        let bytes = field
            .bytes()
            .await
            .map_err(|e| bad(format!("Invalid multipart request: {e}")))?;
        match name.as_str() {
            "operations" => {
                operations = Some(
                    serde_json::from_slice(&bytes)
                        .map_err(|e| bad(format!("`operations` is not JSON: {e}")))?,
                );
            }
            "map" => {
                map = match serde_json::from_slice(&bytes) {
                    Ok(Value::Object(map)) => Some(map),
                    _ => return Err(bad("`map` must be a JSON object.")),
                };
            }
            _ => files.push((name, filename, content_type, bytes)),
        }
    }
    let operations =
        operations.ok_or_else(|| bad("A multipart request needs an `operations` part."))?;
    let map = map.ok_or_else(|| bad("A multipart request needs a `map` part."))?;
    let bytes = serde_json::to_vec(&operations).expect("JSON values serialise");
    let mut request = super::graphql::parse_json_body(&Bytes::from(bytes))?;
    for (part, paths) in map {
        let (_, filename, content_type, bytes) = files
            .iter()
            .find(|(name, ..)| *name == part)
            .ok_or_else(|| {
                bad(format!(
                    "The `map` names a file part `{part}` that was not sent."
                ))
            })?;
        let Value::Array(paths) = paths else {
            return Err(bad("Each `map` entry is a list of paths."));
        };
        for path in paths {
            let path = path
                .as_str()
                .ok_or_else(|| bad("Each `map` path is a string."))?;
            let steps: Vec<String> = path.split('.').map(str::to_owned).collect();
            if steps.len() < 2 || steps[0] != "variables" {
                return Err(bad(format!(
                    "Upload path `{path}` must start with `variables.`."
                )));
            }
            if !matches!(
                value_at(&mut request.variables, &steps[1..]),
                Some(Value::Null)
            ) {
                return Err(bad(format!(
                    "Upload path `{path}` must point at a `null` in the variables."
                )));
            }
            request.uploads.push(Upload {
                path: steps[1..].to_vec(),
                filename: filename.clone(),
                content_type: content_type.clone(),
                bytes: bytes.clone(),
            });
        }
    }
    Ok(request)
}

/// The value at `path` (object keys and list indexes) in `variables`.
fn value_at<'v>(variables: &'v mut Map<String, Value>, path: &[String]) -> Option<&'v mut Value> {
    let (first, rest) = path.split_first()?;
    let mut value = variables.get_mut(first)?;
    for step in rest {
        value = match value {
            Value::Object(object) => object.get_mut(step)?,
            Value::Array(items) => items.get_mut(step.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(value)
}

/// Puts `value` where each file goes. Files are `null` in the request; variable
/// coercion sees a stand-in there (an `Upload!` variable must not be null), and
/// the subgraph gets `null` back, as the multipart spec has it.
pub fn fill_file_paths(variables: &mut Map<String, Value>, uploads: &[Upload], value: &Value) {
    for upload in uploads {
        if let Some(slot) = value_at(variables, &upload.path) {
            *slot = value.clone();
        }
    }
}
