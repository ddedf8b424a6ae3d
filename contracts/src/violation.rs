//! A contract violation: where in the body, what the contract expects, what was found
//! (redacted), and what the field means according to the convention.

use serde::Serialize;

/// What a field means, for reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldMeaning {
    /// The convention's field name (e.g. `statutDE`), or the schema's property name.
    pub name: String,
    pub description: String,
    /// `convention` (Annex 2 §10, corrected reading) or `openapi` (the publisher's document).
    pub source: String,
}

/// One violation of a response or request body against its contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// JSON pointer into the body (`/m_contrat/m_statut`).
    pub pointer: String,
    /// The JSON Schema keyword that failed (`type`, `required`, `enum` …), or `status` /
    /// `body` for an undocumented status or a missing body.
    pub keyword: String,
    pub expected: String,
    /// What was found, without personal data: a type, a length, or a short code.
    pub found: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<FieldMeaning>,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(
            f,
            "{pointer}: expected {}, found {}",
            self.expected, self.found
        )?;
        if let Some(m) = &self.field {
            write!(f, " — {} : {}", m.name, m.description)?;
        }
        Ok(())
    }
}
