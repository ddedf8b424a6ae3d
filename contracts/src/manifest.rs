//! The manifest of one version of one API (`schemas/<api>/<version>/api.json`): its
//! operations, their parameters, request bodies and documented responses, each pointing at
//! the JSON Schema file that describes the body.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// File name of the manifest inside a version folder.
pub const MANIFEST_FILE: &str = "api.json";

/// One version of one API, as written on disk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct VersionManifest {
    pub api: String,
    pub version: String,
    pub title: String,
    /// Where the contract comes from (an OpenAPI document, or the convention's tables).
    pub source: String,
    /// Path prefix of the operations (from the document's `servers`, or the catalogue).
    pub base_path: String,
    /// How the document says the version is called (its OAuth2 scheme and headers), when it
    /// says; the catalogue has the last word.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access: Option<Access>,
    pub operations: Vec<Operation>,
}

/// How a version is called, as its document declares it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Access {
    /// The OAuth2 realm of its token endpoint (`/agent`, `/partenaire`).
    pub realm: String,
    /// The client-credentials scopes it asks for.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// `n` when it takes the `pa-*` headers or `ft-jeton-usager`, `n-1` otherwise.
    pub style: crate::catalogue::Era,
}

/// One operation (method + path template).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Operation {
    /// Stable id, the same across versions for the same capability
    /// (e.g. `rechercher-usager-par-date-naissance-et-nir`).
    pub id: String,
    /// The `operationId` of the source document, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation_id: Option<String>,
    pub method: String,
    pub path: String,
    #[serde(default)]
    pub summary: String,
    /// `true` for writes (enregistrement).
    #[serde(default)]
    pub write: bool,
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<Body>,
    pub responses: Vec<Response>,
    /// What is known and what is inferred about this operation (n-1 contracts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}

/// A header, query or path parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Parameter {
    pub name: String,
    /// `header`, `query`, `path` or `cookie`.
    #[serde(rename = "in")]
    pub location: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// JSON Schema of the value.
    #[serde(default)]
    pub schema: Value,
    /// Readings that differ from the source document, and why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<String>,
}

/// A request body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Body {
    pub content_type: String,
    #[serde(default)]
    pub required: bool,
    /// Schema file, relative to the version folder.
    pub schema: String,
    /// Official examples that contradict the publisher's own schema, and how (left out of the
    /// contract).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub defects: Vec<String>,
}

/// One documented response status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Response {
    pub status: u16,
    #[serde(default)]
    pub description: String,
    /// Absent when the status documents no body (204, or an error without content).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Readings that differ from the source document, and why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<String>,
    /// Official examples that contradict the publisher's own schema, and how (left out of the
    /// contract).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub defects: Vec<String>,
}

impl VersionManifest {
    /// Finds an operation by its stable id, its source `operationId`, or `METHOD /path`.
    pub fn operation(&self, given: &str) -> Option<&Operation> {
        let g = given.trim();
        let route = g.split_once(' ');
        self.operations.iter().find(|o| {
            o.id == g
                || o.operation_id.as_deref() == Some(g)
                || route
                    .is_some_and(|(m, p)| o.method.eq_ignore_ascii_case(m) && o.path == p.trim())
        })
    }

    /// The operation a concrete request path (`/partenaire/.../contrat/AB%23C`) calls: the
    /// base path, then the template's literal segments, `{param}` matching any one segment.
    pub fn operation_at(&self, method: &str, path: &str) -> Option<&Operation> {
        let rest = path.strip_prefix(self.base_path.as_str())?;
        let segments: Vec<&str> = rest.split('/').collect();
        self.operations.iter().find(|o| {
            let template: Vec<&str> = o.path.split('/').collect();
            o.method.eq_ignore_ascii_case(method)
                && template.len() == segments.len()
                && template.iter().zip(&segments).all(|(t, s)| {
                    (t.starts_with('{') && t.ends_with('}') && !s.is_empty()) || t == s
                })
        })
    }

    /// Ids of all operations, for messages.
    pub fn operation_ids(&self) -> String {
        self.operations
            .iter()
            .map(|o| o.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl Parameter {
    /// A value the contract documents for it: its first example, its default, or its first
    /// enum value (what a call that must send it can send).
    pub fn documented_value(&self) -> Option<String> {
        let s = &self.schema;
        let v = s
            .get("examples")
            .and_then(|e| e.as_array()?.first())
            .or_else(|| s.get("default"))
            .or_else(|| s.get("enum").and_then(|e| e.as_array()?.first()))?;
        match v {
            Value::String(t) => Some(t.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
}

impl Operation {
    /// `?name=value&…` for every required query parameter with a documented value (empty
    /// when there is none), URL-encoded.
    pub fn required_query(&self) -> String {
        let pairs: Vec<String> = self
            .parameters
            .iter()
            .filter(|p| p.required && p.location == "query")
            .filter_map(|p| {
                let v = p.documented_value()?;
                Some(format!(
                    "{}={}",
                    crate::url::encode_segment(&p.name),
                    crate::url::encode_segment(&v)
                ))
            })
            .collect();
        if pairs.is_empty() {
            String::new()
        } else {
            format!("?{}", pairs.join("&"))
        }
    }

    /// The documented response for a status.
    pub fn response(&self, status: u16) -> Option<&Response> {
        self.responses.iter().find(|r| r.status == status)
    }

    /// Statuses, for messages.
    pub fn statuses(&self) -> String {
        self.responses
            .iter()
            .map(|r| r.status.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }
}
