//! Every contract on disk: valid JSON Schema 2020-12, compiles, its own examples validate,
//! and the field catalogue names only paths that exist.

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test
use std::collections::BTreeSet;

use contracts::catalogue::Era;
use contracts::fields::FieldCatalogue;
use contracts::{Checker, ContractStore, schema_walk};
use serde_json::Value;

fn store() -> &'static ContractStore {
    ContractStore::embedded().expect("embedded contracts load")
}

#[test]
fn every_api_has_both_versions_on_disk_and_aliases_resolve() {
    for api in &store().catalogue().apis {
        for era in [Era::Previous, Era::Current] {
            let (_, v, loaded) = store().resolve(&api.id, era.alias()).unwrap();
            assert_eq!(v.era, era);
            assert_eq!(loaded.manifest.version, v.major, "{}", api.id);
            assert_eq!(loaded.manifest.api, api.id);
            assert!(
                !loaded.manifest.operations.is_empty(),
                "{} {}",
                api.id,
                v.major
            );
        }
    }
    assert_eq!(
        store().resolve("recherche-usager", "n").unwrap().1.major,
        "v2"
    );
    assert_eq!(
        store()
            .resolve("diagnostic-individu", "n-1")
            .unwrap()
            .1
            .major,
        "v1"
    );
    assert_eq!(
        store().resolve("diagnostic-individu", "4").unwrap().1.major,
        "v4"
    );
}

#[test]
fn every_schema_is_valid_2020_12_and_compiles() {
    let mut n = 0;
    for (api, major) in store().keys() {
        for (file, schema) in &store().raw(api, major).unwrap().schemas {
            assert_eq!(
                schema["$schema"],
                contracts::convert::DIALECT,
                "{api}/{major}/{file}"
            );
            if let Err(e) = jsonschema::draft202012::meta::validate(schema) {
                panic!("{api}/{major}/{file} is not a valid 2020-12 schema: {e}");
            }
            contracts::checker::compile(schema, file).unwrap();
            n += 1;
        }
    }
    assert!(n > 60, "only {n} schemas");
    Checker::active().unwrap();
}

#[test]
fn every_example_in_every_schema_file_validates() {
    for (api, major) in store().keys() {
        for (file, schema) in &store().raw(api, major).unwrap().schemas {
            let v = contracts::checker::compile(schema, file).unwrap();
            for ex in schema
                .get("examples")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                assert!(
                    v.is_valid(ex),
                    "{api}/{major}/{file}: example does not validate: {ex}"
                );
            }
        }
    }
}

#[test]
fn every_write_has_a_request_body_and_every_operation_documents_an_error() {
    for (api, major) in store().keys() {
        for op in &store().raw(api, major).unwrap().manifest.operations {
            if op.write && !op.id.starts_with("supprimer") && !op.id.starts_with("prioriser") {
                assert!(
                    op.request.is_some(),
                    "{api} {major} {}: a write without a body",
                    op.id
                );
            }
            assert!(
                op.responses.iter().any(|r| r.status >= 400),
                "{api} {major} {}: no error status documented",
                op.id
            );
        }
    }
}

#[test]
fn the_field_catalogue_names_only_existing_paths_and_covers_every_n_minus_1_output() {
    let fields = FieldCatalogue::from_store(store()).unwrap();
    for api in contracts::catalogue::business_apis() {
        let catalogue = fields
            .api(&api.id)
            .unwrap_or_else(|| panic!("no fields/{}.json", api.id));
        for f in &catalogue.fields {
            for (major, paths) in &f.paths {
                let v = store().raw(&api.id, major).unwrap_or_else(|| {
                    panic!("{}: field {} names unknown version {major}", api.id, f.name)
                });
                for p in paths {
                    let (op, path) = p.split_once('#').unwrap_or(("", p));
                    let ops: Vec<_> = v
                        .manifest
                        .operations
                        .iter()
                        .filter(|o| op.is_empty() || o.id == op)
                        .collect();
                    assert!(
                        !ops.is_empty(),
                        "{}: {} names unknown operation {op}",
                        api.id,
                        f.name
                    );
                    let exists = ops.iter().any(|o| {
                        let files = o
                            .request
                            .iter()
                            .map(|b| b.schema.clone())
                            .chain(o.responses.iter().filter_map(|r| r.schema.clone()));
                        files.into_iter().any(|file| {
                            let all: BTreeSet<String> = schema_walk::fields(&v.schemas[&file])
                                .into_iter()
                                .map(|n| n.path)
                                .collect();
                            all.contains(path)
                        })
                    });
                    assert!(
                        exists,
                        "{} {major}: field «{}» names {p}, which no schema has",
                        api.id, f.name
                    );
                }
            }
            // The n-1 contract IS the convention's field list: every output field maps to it,
            // except the id carried in the URL and section headers.
            let n1 = api.era(Era::Previous).major.clone();
            if f.direction == "output" && !f.paths.is_empty() {
                assert!(
                    f.paths.contains_key(&n1),
                    "{}: convention field «{}» is not in {n1}",
                    api.id,
                    f.name
                );
            }
        }
    }
}

#[test]
fn a_violation_carries_the_conventions_description() {
    let checker = Checker::active().unwrap();
    let body = serde_json::json!({"m_contrat": {"m_statut": "Suspendu"}});
    let v = checker
        .check_response("statut-usager", "n", "recuperer-contrat", 200, Some(&body))
        .unwrap();
    // Every other field is missing (presence rules); the wrong statut is one violation.
    let v: Vec<_> = v.into_iter().filter(|x| x.keyword != "required").collect();
    assert_eq!(v.len(), 1, "{v:#?}");
    assert_eq!(v[0].pointer, "/m_contrat/m_statut");
    let meaning = v[0].field.as_ref().unwrap();
    assert_eq!(meaning.name, "statutDE");
    assert_eq!(meaning.source, "convention");
    assert!(
        meaning
            .description
            .contains("Identifié, Inscrit, Cessé, Radié")
    );
}
