//! The presence rules: on disk as a fresh derivation makes them, applied by the default
//! profile (an empty or v1-shaped answer is refused by version n, naming the missing field and
//! its convention description), left out by `publisher`, tightened by `strict`.

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use contracts::fields::FieldCatalogue;
use contracts::presence::{Facts, derive};
use contracts::{Checker, ContractStore, Profile};
use serde_json::json;

#[test]
fn presence_files_are_what_a_fresh_derivation_makes() {
    let store = ContractStore::embedded().unwrap();
    let fields = FieldCatalogue::from_store(store).unwrap();
    let facts = Facts::from_store(store).unwrap();
    let keys: Vec<(String, String)> = store
        .keys()
        .map(|(a, v)| (a.to_string(), v.to_string()))
        .collect();
    for (api, major) in keys {
        let loaded = store.raw(&api, &major).unwrap();
        let on_disk = loaded
            .presence
            .as_ref()
            .unwrap_or_else(|| panic!("{api} {major} has no presence.json"));
        assert!(
            *on_disk == derive(&api, &major, loaded, &fields, &facts),
            "{api} {major}: presence.json is stale; run `vigie contracts presence --write`"
        );
    }
}

#[test]
fn version_n_refuses_an_empty_answer_in_every_main_read() {
    let checker = Checker::active().unwrap();
    for (api, op) in [
        ("statut-usager", "recuperer-contrat"),
        (
            "recherche-usager",
            "rechercher-usager-par-date-naissance-et-nir",
        ),
        ("diagnostic-individu", "recuperer-dossier-individu"),
        ("metiers-recherches", "recuperer-metiers-recherches"),
        ("creation-entreprise", "recuperer-projets"),
    ] {
        let v = checker
            .check_response(api, "n", op, 200, Some(&json!({})))
            .unwrap();
        assert!(!v.is_empty(), "{api} {op}: {{}} accepted");
        assert!(v.iter().all(|x| x.keyword == "required"), "{api}: {v:#?}");
        // The publisher's schema, as published, accepts it (a fact worth keeping visible).
        let publisher = Checker::active_with(Profile::Publisher).unwrap();
        assert!(
            publisher
                .check_response(api, "n", op, 200, Some(&json!({})))
                .unwrap()
                .is_empty()
                || api == "recherche-usager",
            "{api}"
        );
    }
}

#[test]
fn a_v1_shaped_statut_fails_version_n_naming_each_missing_field_and_its_meaning() {
    let checker = Checker::active().unwrap();
    let statut_n = |body: &serde_json::Value| {
        checker
            .check_response("statut-usager", "n", "recuperer-contrat", 200, Some(body))
            .unwrap()
    };
    let v1_shaped = json!({"idNat": "x", "statutDE": "Inscrit", "dateEffetStatut": "2024-01-01",
        "categInscriptionCode": "1", "messageErreur": null});
    let v = statut_n(&v1_shaped);
    let m_contrat = v
        .iter()
        .find(|x| x.pointer == "/m_contrat")
        .unwrap_or_else(|| panic!("{v:#?}"));
    assert_eq!(m_contrat.found, "absent");
    assert!(m_contrat.expected.contains("required"), "{m_contrat:?}");
    assert!(v.iter().any(|x| x.pointer == "/m_messageErreur"));
    // Inside m_contrat, each missing field names its convention description.
    let partial = json!({"m_contrat": {"m_statut": "Inscrit"}, "m_messageErreur": " "});
    let v = statut_n(&partial);
    let date = v
        .iter()
        .find(|x| x.pointer == "/m_contrat/m_date_effet_statut")
        .unwrap_or_else(|| panic!("{v:#?}"));
    let meaning = date.field.as_ref().unwrap();
    assert_eq!(meaning.source, "convention");
    assert!(meaning.description.contains("Date d'effet"), "{meaning:?}");
    assert!(date.expected.contains("convention"), "{}", date.expected);
}

#[test]
fn strict_refuses_unknown_fields_that_the_default_profile_lets_through() {
    let body = json!({"m_contrat": {"m_statut": "Inscrit", "m_date_effet_statut": "2024-01-01",
        "m_duree_inscription_12": 1, "m_duree_inscription_24": 1, "m_duree_inscription_36": 1,
        "m_motif_inscription_code": null, "m_motif_inscription_lib": null,
        "m_categ_inscription_code": "1", "m_categ_inscription_lib": "X",
        "m_situation_reg_emp_code": null, "m_situation_reg_emp_lib": null,
        "m_motif_cloture_code": null, "m_motif_cloture_lib": null, "m_nouveau": 1},
        "m_messageErreur": " "});
    let default = Checker::active().unwrap();
    assert_eq!(default.profile(), Profile::Convention);
    assert!(
        default
            .check_response("statut-usager", "n", "recuperer-contrat", 200, Some(&body))
            .unwrap()
            .is_empty()
    );
    let strict = Checker::active_with(Profile::Strict).unwrap();
    let v = strict
        .check_response("statut-usager", "n", "recuperer-contrat", 200, Some(&body))
        .unwrap();
    assert_eq!(v.len(), 1, "{v:#?}");
    assert!(v[0].found.contains("m_nouveau"), "{:?}", v[0]);
}

use crate::dossier;

#[test]
fn the_benchmark_dossier_conforms_under_the_default_profile() {
    // The overhead benchmark times the happy path: its document must be valid with the rules.
    let store = ContractStore::embedded().unwrap();
    let schema = store.raw("diagnostic-individu", "v4").unwrap().schemas[dossier::FILE].clone();
    let doc = dossier::real_size_dossier(&schema);
    let v = Checker::active()
        .unwrap()
        .check_response(
            "diagnostic-individu",
            "v4",
            "recuperer-dossier-individu",
            200,
            Some(&doc),
        )
        .unwrap();
    assert!(v.is_empty(), "{v:#?}");
}
