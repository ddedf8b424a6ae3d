//! The n contracts against the official OpenAPI documents: a fresh import reproduces the
//! committed files byte for byte, and every example of the documents validates.

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test
use std::path::{Path, PathBuf};

use contracts::import::{ImportRequest, import_openapi, imported_texts, parse_document};
use contracts::{Checker, ContractStore};
use serde_json::Value;

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// (document, api, major, only)
const IMPORTS: &[(&str, &str, &str, &[&str])] = &[
    ("rechercher-usager.json", "recherche-usager", "v2", &[]),
    ("statut-usager.json", "statut-usager", "v2", &[]),
    ("diagnostic-usager.json", "diagnostic-individu", "v4", &[]),
    (
        "metiers-recherches-projets-evolution.json",
        "metiers-recherches",
        "v2",
        &["recupererMetiersRecherchesV2"],
    ),
    (
        "metiers-recherches-projets-evolution.json",
        "creation-entreprise",
        "v2",
        &["recupererProjetsV2"],
    ),
];

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
}

#[test]
fn reimporting_the_official_documents_reproduces_the_committed_files_byte_for_byte() {
    for (doc, api, major, only) in IMPORTS {
        let text = read(&crate_dir().join("openapi").join(doc));
        let parsed = parse_document(&text, doc).unwrap();
        let only: Vec<String> = only.iter().map(|s| s.to_string()).collect();
        let imported = import_openapi(
            &parsed,
            &ImportRequest {
                document_name: doc,
                api,
                version: major,
                only: &only,
            },
        )
        .unwrap();
        let dir = crate_dir().join("schemas").join(api).join(major);
        let expected = imported_texts(&imported);
        for (file, text) in &expected {
            assert_eq!(
                &read(&dir.join(file)),
                text,
                "{api}/{major}/{file} differs from a fresh import of {doc}"
            );
        }
        // No stale file either (the presence rules are derived, not imported).
        let on_disk = std::fs::read_dir(&dir)
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name() != contracts::presence::PRESENCE_FILE)
            .count();
        assert_eq!(
            on_disk,
            expected.len(),
            "{api}/{major} holds files the import does not produce"
        );
    }
}

#[test]
fn the_vendored_documents_are_the_shared_ones() {
    // CI lays shared/ beside the clone; where it is absent there is nothing to compare.
    let shared = crate_dir().join("../../shared/openapi");
    if !shared.exists() {
        return;
    }
    for (doc, ..) in IMPORTS {
        assert_eq!(
            read(&shared.join(doc)),
            read(&crate_dir().join("openapi").join(doc)),
            "{doc}"
        );
    }
}

/// Every media-level example of every documented response and request body.
fn official_examples(doc: &Value) -> Vec<(String, String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Some(oid) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let mut medias: Vec<(String, &Value)> = Vec::new();
            if let Some(c) = op
                .pointer("/requestBody/content")
                .and_then(Value::as_object)
            {
                medias.extend(c.values().map(|m| ("request".to_string(), m)));
            }
            for (status, r) in op["responses"].as_object().unwrap() {
                if let Some(c) = r.get("content").and_then(Value::as_object) {
                    medias.extend(c.values().map(|m| (status.clone(), m)));
                }
            }
            for (body, media) in medias {
                if let Some(ex) = media.get("examples").and_then(Value::as_object) {
                    for (name, e) in ex {
                        out.push((
                            format!("{method} {path} {oid}"),
                            body.clone(),
                            name.clone(),
                            e["value"].clone(),
                        ));
                    }
                }
                if let Some(e) = media.get("example") {
                    out.push((
                        format!("{method} {path} {oid}"),
                        body.clone(),
                        "example".into(),
                        e.clone(),
                    ));
                }
            }
        }
    }
    out
}

#[test]
fn every_example_of_the_official_documents_validates_against_our_n_schemas() {
    let checker =
        Checker::new(ContractStore::from_dir(&crate_dir().join("schemas")).unwrap()).unwrap();
    let mut checked = 0;
    let mut failures = Vec::new();
    let store = ContractStore::from_dir(&crate_dir().join("schemas")).unwrap();
    for (doc, api, major, only) in IMPORTS {
        let parsed: Value =
            serde_json::from_str(&read(&crate_dir().join("openapi").join(doc))).unwrap();
        for (op, body, name, value) in official_examples(&parsed) {
            let oid = op.split(' ').nth(2).unwrap();
            if !only.is_empty() && !only.contains(&oid) {
                continue;
            }
            // Read the example as the importer does (JSON text stored in a string is parsed).
            let version = store.raw(api, major).unwrap();
            let operation = version.operation(oid).unwrap();
            let file = if body == "request" {
                operation.request.as_ref().map(|b| b.schema.clone())
            } else {
                operation
                    .response(body.parse().unwrap())
                    .and_then(|r| r.schema.clone())
            };
            let root = file
                .and_then(|f| version.schemas.get(&f))
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            let value = contracts::convert::read_example(&root, &value);
            let violations = if body == "request" {
                checker.check_request(api, major, oid, &value).unwrap()
            } else {
                checker
                    .check_response(api, major, oid, body.parse().unwrap(), Some(&value))
                    .unwrap()
            };
            checked += 1;
            if !violations.is_empty() {
                failures.push(format!("{api} {op} [{body}] «{name}»: {violations:#?}"));
            }
        }
    }
    assert!(
        checked >= 39,
        "only {checked} examples found: the walk is broken"
    );
    assert!(
        failures.is_empty(),
        "{} example(s) fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_schema_level_example_validates() {
    let store = ContractStore::from_dir(&crate_dir().join("schemas")).unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for (_, api, major, _) in IMPORTS {
        let v = store.raw(api, major).unwrap();
        for (file, schema) in &v.schemas {
            for node in contracts::schema_walk::fields(schema) {
                let Some(examples) = node.schema.get("examples").and_then(Value::as_array) else {
                    continue;
                };
                let mut standalone = node.schema.clone();
                if let Some(defs) = schema.get("$defs") {
                    standalone["$defs"] = defs.clone();
                }
                let validator = contracts::checker::compile(&standalone, file).unwrap();
                for ex in examples {
                    checked += 1;
                    if !validator.is_valid(ex) {
                        failures.push(format!("{api}/{major}/{file}#{}: {ex}", node.path));
                    }
                }
            }
        }
    }
    assert!(
        checked > 200,
        "only {checked} schema-level examples: the walk is broken"
    );
    failures.sort();
    failures.dedup();
    assert!(
        failures.is_empty(),
        "{} defective example(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
