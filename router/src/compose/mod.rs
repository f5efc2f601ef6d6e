//! Composition: subgraph SDLs (Federation 2 with `@link`, or Federation 1) into
//! an Apollo join-spec supergraph SDL (link v1.0, join v0.3, inaccessible v0.2) —
//! the format Apollo Router and Hive Router read — or errors with the subgraph and
//! location when the subgraphs do not compose.

mod merge;
mod print;
pub mod subgraph;

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// A subgraph to compose.
#[derive(Debug, Clone)]
pub struct SubgraphInput {
    pub name: String,
    pub url: String,
    pub sdl: String,
}

/// Why the subgraphs do not compose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompositionError {
    /// Apollo's composition error code (`INVALID_FIELD_SHARING`, …).
    pub code: String,
    pub message: String,
    pub subgraph: Option<String>,
    pub line: usize,
    pub column: usize,
}

impl CompositionError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.to_owned(),
            message: message.into(),
            subgraph: None,
            line: 0,
            column: 0,
        }
    }

    pub fn at(mut self, subgraph: &str, line: usize, column: usize) -> Self {
        self.subgraph = Some(subgraph.to_owned());
        self.line = line;
        self.column = column;
        self
    }
}

impl std::fmt::Display for CompositionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)?;
        if let Some(subgraph) = &self.subgraph {
            if self.line > 0 {
                write!(
                    f,
                    " (subgraph {subgraph}, line {}, column {})",
                    self.line, self.column
                )?;
            } else {
                write!(f, " (subgraph {subgraph})")?;
            }
        }
        Ok(())
    }
}

/// Composes `subgraphs` into a supergraph SDL.
pub fn compose(subgraphs: &[SubgraphInput]) -> Result<String, Vec<CompositionError>> {
    if subgraphs.is_empty() {
        return Err(vec![CompositionError::new(
            "NO_SUBGRAPHS",
            "there are no subgraphs to compose",
        )]);
    }
    let mut schemas = Vec::new();
    let mut errors = Vec::new();
    for input in subgraphs {
        match subgraph::read(&input.name, &input.url, &input.sdl) {
            Ok(schema) => schemas.push(schema),
            Err(mut found) => errors.append(&mut found),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let composed = merge::merge(&schemas)?;
    Ok(print::print(&composed))
}

/// The subgraphs of a project: `[subgraphs.<name>] url = "…", schema = "file"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubgraphsFile {
    pub subgraphs: indexmap::IndexMap<String, SubgraphEntry>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubgraphEntry {
    pub url: String,
    /// The SDL file, relative to the subgraphs file.
    pub schema: PathBuf,
}

/// Reads a subgraphs file and the SDL files it names.
pub fn read_subgraphs(path: &Path) -> Result<Vec<SubgraphInput>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let file: SubgraphsFile =
        toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let dir = path.parent().unwrap_or(Path::new("."));
    file.subgraphs
        .into_iter()
        .map(|(name, entry)| {
            let schema = dir.join(&entry.schema);
            let sdl = std::fs::read_to_string(&schema)
                .map_err(|e| format!("cannot read {}: {e}", schema.display()))?;
            Ok(SubgraphInput {
                name,
                url: entry.url,
                sdl,
            })
        })
        .collect()
}
