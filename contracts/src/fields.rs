//! The field catalogue: for every field of every operation, what it means. The convention's
//! French description (Annex 2 §10, in its corrected reading — see `CORRECTIONS.md`) where
//! one exists, else the publisher's own description from the schema.
//!
//! Each `fields/<api>.json` lists the convention's fields and, per version, the field paths
//! that carry them. A path may be scoped to one operation as `<operation-id>#/path`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::ContractsError;
use crate::schema_walk;
use crate::store::{ContractStore, LoadedVersion};
use crate::violation::FieldMeaning;

/// One field of the convention's tables.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ConventionField {
    /// The name in the convention's table (`statutDE`, `metierRecherche.contrats.critereore`).
    pub name: String,
    /// The description, corrected where the table is defective.
    pub description: String,
    /// `input` or `output`.
    pub direction: String,
    /// Major → field paths carrying this field in that version.
    #[serde(default)]
    pub paths: BTreeMap<String, Vec<String>>,
    /// Id of the correction in CORRECTIONS.md, when the table's text was corrected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correction: Option<String>,
}

/// The catalogue of one API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ApiFields {
    pub api: String,
    /// Where in the convention the table is.
    pub source: String,
    pub fields: Vec<ConventionField>,
}

/// One row of `vigie contracts fields`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldRow {
    pub operation: String,
    /// `request`, or the response status.
    pub body: String,
    pub path: String,
    pub types: String,
    pub required: bool,
    pub meaning: Option<FieldMeaning>,
}

/// The catalogue of every API.
#[derive(Debug, Clone, Default)]
pub struct FieldCatalogue {
    apis: BTreeMap<String, ApiFields>,
}

impl FieldCatalogue {
    /// Reads `fields/*.json` from a contract store.
    pub fn from_store(store: &ContractStore) -> Result<FieldCatalogue, ContractsError> {
        let mut apis = BTreeMap::new();
        for info in &store.catalogue().apis {
            let path = format!("fields/{}.json", info.id);
            if let Some(v) = store.extra(&path) {
                let f: ApiFields =
                    serde_json::from_value(v.clone()).map_err(|e| ContractsError::Embedded {
                        file: path.clone(),
                        reason: e.to_string(),
                    })?;
                apis.insert(info.id.to_string(), f);
            }
        }
        Ok(FieldCatalogue { apis })
    }

    /// The convention's fields of one API.
    pub fn api(&self, api: &str) -> Option<&ApiFields> {
        self.apis.get(api)
    }

    /// What the field at `path` of `operation` means in `version` according to the
    /// convention, if the convention describes it.
    pub fn convention(
        &self,
        api: &str,
        major: &str,
        operation: &str,
        path: &str,
    ) -> Option<&ConventionField> {
        let fields = self.apis.get(api)?;
        fields.fields.iter().find(|f| {
            f.paths.get(major).is_some_and(|paths| {
                paths.iter().any(|p| match p.split_once('#') {
                    Some((op, rest)) => op == operation && rest == path,
                    None => p == path,
                })
            })
        })
    }

    /// The meaning of a field: the convention's, else the schema's own description.
    pub fn meaning(
        &self,
        api: &str,
        major: &str,
        operation: &str,
        path: &str,
        schema_node: Option<&Value>,
    ) -> Option<FieldMeaning> {
        if let Some(f) = self.convention(api, major, operation, path) {
            return Some(FieldMeaning {
                name: f.name.clone(),
                description: f.description.clone(),
                source: "convention".into(),
            });
        }
        let description = schema_node?.get("description")?.as_str()?;
        let name = path
            .rsplit('/')
            .find(|s| *s != "*")
            .unwrap_or("(body)")
            .to_string();
        Some(FieldMeaning {
            name,
            description: description.split_whitespace().collect::<Vec<_>>().join(" "),
            source: "openapi".into(),
        })
    }

    /// Every field of every operation of a version, with its meaning.
    pub fn rows(&self, api: &str, major: &str, version: &LoadedVersion) -> Vec<FieldRow> {
        let mut rows = Vec::new();
        for op in &version.manifest.operations {
            let bodies = op
                .request
                .iter()
                .map(|b| ("request".to_string(), b.schema.as_str()))
                .chain(
                    op.responses
                        .iter()
                        .filter_map(|r| r.schema.as_deref().map(|s| (r.status.to_string(), s))),
                );
            for (body, file) in bodies {
                let Some(schema) = version.schemas.get(file) else {
                    continue;
                };
                for node in schema_walk::fields(schema) {
                    if node.path.is_empty() {
                        continue;
                    }
                    rows.push(FieldRow {
                        operation: op.id.clone(),
                        body: body.clone(),
                        types: type_label(node.schema),
                        required: node.required,
                        meaning: self.meaning(api, major, &op.id, &node.path, Some(node.schema)),
                        path: node.path,
                    });
                }
            }
        }
        rows
    }
}

/// `string`, `integer|null`, `object` … of a schema node.
pub fn type_label(schema: &Value) -> String {
    match schema.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join("|"),
        _ if schema.get("properties").is_some() => "object".into(),
        _ if schema.get("enum").is_some() => "enum".into(),
        _ => "any".into(),
    }
}
