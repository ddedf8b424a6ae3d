//! One hand-made invalid case per kind of violation, each with the pointer it must name.

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test
use contracts::Checker;
use serde_json::{Value, json};

fn checker() -> Checker {
    Checker::active().unwrap()
}

fn v4_diagnostic() -> Value {
    json!({
        "idDiagnostic": "514ca75e-5afd-403d-9fc7-5b4ba35307f7",
        "idMetierChiffre": "818c49ff-e4e5-41ad-b502-bc2d88e272b8#OkkY",
        "nomMetier": "Boulanger", "typologie": "métier recherché",
        "codeTypologie": "MR", "codeSousTypologie": null, "codeRome": "D1102", "codeAppellation": "11573",
        "statut": "EN_COURS", "estPrioritaire": true, "agent": {"id": "tnan2580", "nom": "Martin", "prenom": "Henri", "structure": "CD Test", "type": "AGENT"},
        "dateMiseAJour": "2024-02-29T13:58:51.000Z", "dateMiseAJourProjet": "2024-02-29T13:58:51.000Z", "estCreationPartenaire": false
    })
}

/// (api, version, operation, status, body, expected pointer, expected keyword)
fn cases() -> Vec<(
    &'static str,
    &'static str,
    &'static str,
    u16,
    Value,
    &'static str,
    &'static str,
)> {
    let mut wrong_type = v4_diagnostic();
    wrong_type["estPrioritaire"] = json!("oui");
    let mut bad_enum = v4_diagnostic();
    bad_enum["codeTypologie"] = json!("XX");
    let mut bad_date = v4_diagnostic();
    bad_date["dateMiseAJour"] = json!("29/02/2024");
    vec![
        // type
        (
            "diagnostic-individu",
            "v4",
            "recuperer-diagnostics-individu",
            200,
            json!({"diagnostics": [wrong_type]}),
            "/diagnostics/0/estPrioritaire",
            "type",
        ),
        // enum
        (
            "diagnostic-individu",
            "v4",
            "recuperer-diagnostics-individu",
            200,
            json!({"diagnostics": [bad_enum]}),
            "/diagnostics/0/codeTypologie",
            "enum",
        ),
        // format (date-time asserted)
        (
            "diagnostic-individu",
            "v4",
            "recuperer-diagnostics-individu",
            200,
            json!({"diagnostics": [bad_date]}),
            "/diagnostics/0/dateMiseAJour",
            "format",
        ),
        // required
        (
            "recherche-usager",
            "n-1",
            "rechercher-usager-par-date-naissance-et-nir",
            200,
            json!({"codeRetour": "S002", "message": "Aucun approchant trouvé", "topIdentiteCertifiee": null}),
            "/identifiant",
            "required",
        ),
        // null where the contract has none
        (
            "statut-usager",
            "n-1",
            "recuperer-contrat",
            200,
            json!({"idNat": "x#y", "statutDE": null, "dateEffetStatut": "2023-06-28"}),
            "/statutDE",
            "type",
        ),
        // pattern
        (
            "recherche-usager",
            "n-1",
            "rechercher-usager-par-date-naissance-et-nir",
            200,
            json!({"codeRetour": "OK", "identifiant": null, "message": null, "topIdentiteCertifiee": null}),
            "/codeRetour",
            "pattern",
        ),
        // minimum
        (
            "statut-usager",
            "n-1",
            "recuperer-contrat",
            200,
            json!({"idNat": "x#y", "statutDE": "Inscrit", "dateEffetStatut": "2023-06-28", "dateInscription12": -1}),
            "/dateInscription12",
            "minimum",
        ),
        // the body's own type (array expected)
        (
            "metiers-recherches",
            "n-1",
            "recuperer-metiers-recherches",
            200,
            json!({}),
            "",
            "type",
        ),
    ]
}

#[test]
fn each_rule_fails_with_the_expected_pointer() {
    let c = checker();
    for (api, version, op, status, body, pointer, keyword) in cases() {
        let v = c
            .check_response(api, version, op, status, Some(&body))
            .unwrap();
        assert!(
            v.iter()
                .any(|x| x.pointer == pointer && x.keyword == keyword),
            "{api} {version} {op}: expected `{keyword}` at `{pointer}`, got {v:#?}"
        );
    }
}

#[test]
fn a_valid_body_has_no_violation() {
    let c = checker();
    let v = c
        .check_response(
            "diagnostic-individu",
            "n",
            "recuperer-diagnostics-individu",
            200,
            Some(&json!({"diagnostics": [v4_diagnostic()]})),
        )
        .unwrap();
    assert!(v.is_empty(), "{v:#?}");
}

#[test]
fn request_rules() {
    let c = checker();
    // NIR pattern of the v1 search body.
    let v = c
        .check_request(
            "recherche-usager",
            "n-1",
            "rechercher-usager-par-date-naissance-et-nir",
            &json!({"nir": "12AB", "dateNaissance": "1981-03-15"}),
        )
        .unwrap();
    assert!(
        v.iter()
            .any(|x| x.pointer == "/nir" && x.keyword == "pattern"),
        "{v:#?}"
    );
    // v1 diagnostic update: a list of exactly one element.
    let v = c
        .check_request(
            "diagnostic-individu",
            "n-1",
            "modifier-diagnostic",
            &json!({"diagnostic": []}),
        )
        .unwrap();
    assert!(
        v.iter()
            .any(|x| x.pointer == "/diagnostic" && x.keyword == "minItems"),
        "{v:#?}"
    );
    // A read takes no body.
    let v = c
        .check_request("statut-usager", "n", "recuperer-contrat", &json!({}))
        .unwrap();
    assert_eq!(v[0].keyword, "body");
}

#[test]
fn status_and_body_presence() {
    let c = checker();
    // Undocumented status.
    let v = c
        .check_response("statut-usager", "n", "recuperer-contrat", 502, None)
        .unwrap();
    assert_eq!(
        (v[0].keyword.as_str(), v[0].found.as_str()),
        ("status", "status 502")
    );
    // 204 with a body.
    let v = c
        .check_response(
            "statut-usager",
            "n",
            "recuperer-contrat",
            204,
            Some(&json!({"a": 1})),
        )
        .unwrap();
    assert_eq!(v[0].keyword, "body");
    // 204 without a body is fine.
    assert!(
        c.check_response("statut-usager", "n", "recuperer-contrat", 204, None)
            .unwrap()
            .is_empty()
    );
    // 200 without a body.
    let v = c
        .check_response("statut-usager", "n", "recuperer-contrat", 200, None)
        .unwrap();
    assert_eq!(v[0].keyword, "body");
}

#[test]
fn found_values_never_show_personal_data() {
    let c = checker();
    let body = json!({"codeRetour": "S001", "identifiant": 181036290874034u64, "message": "Jean Dupont 1981-03-15", "topIdentiteCertifiee": "Oui"});
    let v = c
        .check_response(
            "recherche-usager",
            "n-1",
            "rechercher-usager-par-date-naissance-et-nir",
            200,
            Some(&body),
        )
        .unwrap();
    assert!(!v.is_empty());
    let text = format!("{v:?}");
    for secret in ["Jean", "Dupont", "1981-03-15"] {
        assert!(!text.contains(secret), "{secret} leaked: {text}");
    }
}

#[test]
fn unknown_names_are_errors_with_the_known_ones() {
    let c = checker();
    let e = c
        .check_response("recherche", "n", "x", 200, None)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("unknown API `recherche`") && e.contains("recherche-usager"),
        "{e}"
    );
    let e = c
        .check_response("recherche-usager", "v9", "x", 200, None)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("unknown version `v9`") && e.contains("v2 (n)"),
        "{e}"
    );
    let e = c
        .check_response("recherche-usager", "n", "nope", 200, None)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("unknown operation `nope`")
            && e.contains("rechercher-usager-par-date-naissance-et-nir"),
        "{e}"
    );
}
