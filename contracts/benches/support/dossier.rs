//! The real-size `dossiers` document shared by the criterion bench and the interleaved A/B
//! example: the official «Lecture Dossier» example grown to 3 diagnostics (métier recherché,
//! projet, création) with their besoins, and the 8 contraintes of the référentiel.

use contracts::{ContractStore, Profile, presence};
use serde_json::Value;

/// The publisher's schema of `GET /dossiers` 200 and the contract `vigie` holds answers to by
/// default (the same schema with the convention profile's presence rules).
#[allow(dead_code)] // some includers only need the document
pub fn published_and_contract(store: &ContractStore) -> (Value, Value) {
    let v4 = store.raw("diagnostic-individu", "v4").unwrap();
    let published = v4.schemas[FILE].clone();
    let rules = v4
        .presence
        .as_ref()
        .and_then(|p| p.body("recuperer-dossier-individu", 200));
    let contract = presence::apply(&published, rules, Profile::Convention);
    (published, contract)
}

/// The schema file of `GET /dossiers` 200 in diagnostic-individu v4.
pub const FILE: &str = "recuperer-dossier-individu.response.200.json";

/// Grows the schema's first example to a real-size dossier.
pub fn real_size_dossier(schema: &Value) -> Value {
    let mut doc = schema["examples"][0].clone();
    let first = doc["besoinsParDiagnostic"][0].clone();
    doc["besoinsParDiagnostic"] = Value::Array(vec![first.clone(), first.clone(), first]);
    let contraintes = doc["thematiqueContrainte"]["contraintes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    doc["thematiqueContrainte"]["contraintes"] =
        Value::Array(contraintes.iter().cycle().take(8).cloned().collect());
    doc
}
