//! A write through either version is visible to every later read of the same person, n and
//! n-1 alike; refused writes change nothing.

#![allow(clippy::unwrap_used)]

use crate::common;

use axum::body::Body;
use serde_json::{Value, json};
use simulators::Known;
use simulators::civil::format_date;

use common::*;

const P4: &str = "/partenaire/diagnosticargumente/v4";

struct Person {
    jeton: String,
    id: String,
    t4: String,
    t1: String,
}

async fn person(sim: &Sim, pred: impl Fn(&simulators::Person) -> bool) -> Person {
    let i = sim.find(|p| p.known == Known::Found && pred(p));
    let p = sim.state.person(i);
    let ask = json!({"nir": p.identity.nir15, "dateNaissance": format_date(p.identity.birth)});
    let r2 = sim.token_for("recherche-usager", "n").await;
    let r1 = sim.token_for("recherche-usager", "n-1").await;
    let jeton = sim
        .post_json(
            "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir",
            &r2,
            true,
            &ask,
        )
        .await
        .json()["jetonUsager"]
        .as_str()
        .unwrap()
        .to_string();
    let id = sim
        .post_json(
            "/partenaire/rechercher-usager/v1/usagers/recherche",
            &r1,
            false,
            &ask,
        )
        .await
        .json()["identifiant"]
        .as_str()
        .unwrap()
        .replace('#', "%23");
    Person {
        jeton,
        id,
        t4: sim.token_for("diagnostic-individu", "n").await,
        t1: sim.token_for("diagnostic-individu", "n-1").await,
    }
}

async fn get4(sim: &Sim, p: &Person, path: &str) -> Answer {
    sim.send(
        sim.request("GET", &format!("{P4}{path}"), &p.t4, true)
            .header("ft-jeton-usager", &p.jeton)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

async fn post4(sim: &Sim, p: &Person, method: &str, path: &str, body: &Value) -> Answer {
    let r = sim
        .request(method, &format!("{P4}{path}"), &p.t4, true)
        .header("ft-jeton-usager", &p.jeton)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    sim.send(r).await
}

async fn get1(sim: &Sim, p: &Person, path: &str) -> Answer {
    sim.send(
        sim.request(
            "GET",
            &format!(
                "/partenaire/diagnosticargumente/v1/individus/{}{path}",
                p.id
            ),
            &p.t1,
            false,
        )
        .body(Body::empty())
        .unwrap(),
    )
    .await
}

#[tokio::test]
async fn v4_writes_are_seen_by_v4_and_v1_reads() {
    let sim = sim();
    let p = person(&sim, |x| x.has_dossier).await;
    // Create a diagnostic.
    let a = post4(&sim, &p, "POST", "/diagnostics", &json!({"idMetierChiffre": "NON_DEFINI", "nomMetier": "Boulanger", "codeTypologie": "EF", "codeSousTypologie": "CR", "codeRome": "D1102", "codeAppellation": "11573"})).await;
    assert_eq!(a.status, 200, "{}", a.text);
    let id = a.json()["idDiagnostic"].as_str().unwrap().to_string();
    // Its besoins.
    let a = post4(&sim, &p, "POST", &format!("/diagnostics/{id}/besoins"), &json!({"dateExploration": "2026-11-29T10:00:00.000+01:00", "besoinAEnregistrer": [{"code": "16", "valeur": "BESOIN"}]})).await;
    assert_eq!(a.status, 200, "{}", a.text);
    // Contraintes: mobilité OUI, prioritaire, with a situation.
    let a = post4(&sim, &p, "POST", "/contraintes", &json!({"dateExploration": "2026-11-29T10:00:00.000+01:00", "contraintesAEnregistrer": [{"code": "23", "valeur": "OUI", "estPrioritaire": true, "impact": "FORT"}], "situationsAEnregistrer": [{"code": "6", "valeur": "OUI"}]})).await;
    assert_eq!(a.status, 200, "{}", a.text);
    // Pouvoir d'agir.
    assert_eq!(
        post4(
            &sim,
            &p,
            "POST",
            "/pouvoiragir",
            &json!({"confiance": "NON", "accompagnement": "OUI"})
        )
        .await
        .status,
        200
    );

    // v4 reads.
    let d = get4(&sim, &p, "/diagnostics").await.json();
    let created = d["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["idDiagnostic"] == id.as_str())
        .unwrap();
    assert_eq!(
        (
            created["codeTypologie"].as_str(),
            created["codeSousTypologie"].as_str()
        ),
        (Some("EF"), Some("CR"))
    );
    let dossier = get4(&sim, &p, "/dossiers").await.json();
    let c23 = dossier["thematiqueContrainte"]["contraintes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "23")
        .unwrap()
        .clone();
    assert_eq!(
        (
            c23["valeur"].as_str(),
            c23["estPrioritaire"].as_bool(),
            c23["impact"].as_str()
        ),
        (Some("OUI"), Some(true), Some("FORT"))
    );
    assert!(
        c23["situations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["code"] == "6" && s["valeur"] == "OUI")
    );
    assert_eq!(
        dossier["pouvoirAgir"]["resultatAnalyse"],
        "Besoin de réassurance et besoin d'appui".replace('\'', "’")
    );
    let bes = get4(&sim, &p, "/besoins").await.json();
    assert!(
        bes.as_array()
            .unwrap()
            .iter()
            .any(|b| b["diagnostic"]["idDiagnostic"] == id.as_str())
    );
    // History shows the explorations, newest first.
    let h = get4(&sim, &p, "/historisation/contraintes").await.json();
    assert!(h["totalDonnees"].as_u64().unwrap() >= 2);

    // v1 reads of the same person.
    let d1 = get1(&sim, &p, "").await.json();
    let c = d1["contraintesIndividusDto"]["contraintes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "23")
        .unwrap()
        .clone();
    assert_eq!(c["valeur"], "OUI");
    assert!(
        d1["besoinsParDiagnosticIndividuDtos"]
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b["besoins"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["code"] == "16"))
    );
    let c1 = get1(&sim, &p, "/contraintes").await.json();
    assert!(
        c1["contraintes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == 23 && c["valeur"] == "OUI")
    );
    assert_eq!(
        get1(&sim, &p, "/pouvoir-agir").await.json()["pouvoirAgir"]["confiance"],
        "NON"
    );

    // Delete: gone from both versions.
    assert_eq!(
        post4(
            &sim,
            &p,
            "POST",
            &format!("/diagnostics/{id}/supprime"),
            &json!({})
        )
        .await
        .status,
        200
    );
    let d = get4(&sim, &p, "/diagnostics").await;
    assert!(d.body().is_none_or(|v| !v.to_string().contains(&id)));
}

#[tokio::test]
async fn v1_writes_are_seen_by_v4_reads() {
    let sim = sim();
    let p = person(&sim, |x| x.has_dossier).await;
    let before = get1(&sim, &p, "/diagnostics").await.json();
    // Read through v4 first, then write through v1: the v4 reads after it see the write.
    assert_eq!(get4(&sim, &p, "/diagnostics").await.status, 200);
    assert_eq!(get4(&sim, &p, "/contraintes").await.status, 200);
    let id_metier = before["listeDiagnostics"][0]["idMetierChiffre"]
        .as_str()
        .unwrap()
        .to_string();
    let r = sim
        .request("PUT", &format!("/partenaire/diagnosticargumente/v1/individus/{}/diagnostics", p.id), &p.t1, false)
        .header("content-type", "application/json")
        .body(Body::from(json!({"diagnostic": [{"conseiller": "Martin Henri CD", "idMetierChiffre": id_metier, "nomMetier": "Pâtissier", "typologie": "métier recherché"}]}).to_string()))
        .unwrap();
    assert_eq!(sim.send(r).await.status, 200);
    let r = sim
        .request("POST", &format!("/partenaire/diagnosticargumente/v1/individus/{}/contraintes", p.id), &p.t1, false)
        .header("content-type", "application/json")
        .body(Body::from(json!({"dateExploration": "2026-11-29T10:00:00.000+00:00", "idConseiller": "TNAN2580", "contraintes": [{"code": "27", "valeur": "CLOTUREE", "objectifs": [{"code": "8", "valeur": "REALISE"}]}]}).to_string()))
        .unwrap();
    let a = sim.send(r).await;
    assert_eq!(a.status, 200, "{}", a.text);
    let d = get4(&sim, &p, "/diagnostics").await.json();
    assert!(
        d["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["nomMetier"] == "Pâtissier")
    );
    let c = get4(&sim, &p, "/contraintes").await.json();
    let c27 = c["contraintes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["code"] == "27")
        .unwrap()
        .clone();
    assert_eq!(c27["valeur"], "CLOTUREE");
}

#[tokio::test]
async fn refused_writes_change_nothing() {
    let sim = sim();
    let p = person(&sim, |x| x.has_dossier).await;
    let before = get4(&sim, &p, "/dossiers").await.text;
    for (path, body) in [
        (
            "/contraintes",
            json!({"dateExploration": "2026-11-29T10:00:00.000+01:00"}),
        ),
        (
            "/contraintes",
            json!({"dateExploration": "2026-11-29T10:00:00.000+01:00", "contraintesAEnregistrer": [{"code": "99", "valeur": "OUI"}]}),
        ),
        (
            "/contraintes",
            json!({"dateExploration": "2026-11-29T10:00:00.000+01:00", "contraintesAEnregistrer": [{"code": "23", "valeur": "OUI", "estPrioritaire": true}, {"code": "24", "valeur": "OUI", "estPrioritaire": true}]}),
        ),
        (
            "/pouvoiragir",
            json!({"confiance": "PEUT-ETRE", "accompagnement": "OUI"}),
        ),
        ("/pouvoiragir", json!({"confiance": "OUI"})),
        (
            "/diagnostics",
            json!({"codeTypologie": "EF", "nomMetier": "X"}),
        ),
    ] {
        let a = post4(&sim, &p, "POST", path, &body).await;
        assert_eq!(a.status, 400, "{path} {body}: {}", a.text);
        assert!(a.json()["message"].is_string());
    }
    let a = post4(
        &sim,
        &p,
        "PUT",
        "/diagnostics/inconnu",
        &json!({"nomMetier": "X", "codeTypologie": "MR"}),
    )
    .await;
    assert_eq!(a.status, 400);
    // Prioritising with a value that is not true or false: 400, and nobody written to.
    let written = sim.state.overlay.len();
    let id = get4(&sim, &p, "/diagnostics").await.json()["diagnostics"][0]["idDiagnostic"]
        .as_str()
        .unwrap()
        .to_string();
    let a = post4(
        &sim,
        &p,
        "POST",
        &format!("/diagnostics/{id}/priorise?prioritaire=oui"),
        &json!(null),
    )
    .await;
    assert_eq!(a.status, 400, "{}", a.text);
    assert!(
        a.json()["message"]
            .as_str()
            .unwrap()
            .contains("prioritaire")
    );
    assert_eq!(sim.state.overlay.len(), written);
    // A dossier write naming an unknown diagnostic: 204, nothing written.
    let a = post4(&sim, &p, "POST", "/dossiers", &json!({"besoinsParDiagnosticAEnregistrer": [{"idDiagnostic": "inconnu", "dateExploration": "2026-11-29T10:00:00.000+01:00", "besoinAEnregistrer": [{"code": "1", "valeur": "BESOIN"}]}], "pouvoirAgirAEnregistrer": {"confiance": "OUI", "accompagnement": "OUI"}})).await;
    assert_eq!(a.status, 204);
    assert_eq!(get4(&sim, &p, "/dossiers").await.text, before);
}

#[tokio::test]
async fn a_person_without_dossier_gets_204_until_written() {
    let sim = sim();
    let p = person(&sim, |x| !x.has_dossier).await;
    assert_eq!(get4(&sim, &p, "/dossiers").await.status, 204);
    assert_eq!(get1(&sim, &p, "").await.status, 204);
    assert_eq!(
        post4(
            &sim,
            &p,
            "POST",
            "/pouvoiragir",
            &json!({"confiance": "OUI", "accompagnement": "NON"})
        )
        .await
        .status,
        200
    );
    let written = get4(&sim, &p, "/pouvoiragir").await.json();
    assert_eq!(written["confiance"], "OUI");
    // The agent of a v4 write is the one of the call's pa-* headers.
    assert_eq!(
        (&written["agent"]["nom"], &written["agent"]["prenom"]),
        (&json!("Martin"), &json!("Henri"))
    );
    // The 204 read before the write is not served again.
    assert_eq!(get4(&sim, &p, "/dossiers").await.status, 200);
    assert_eq!(get1(&sim, &p, "/pouvoir-agir").await.status, 200);
    assert_eq!(
        sim.state.overlay.len(),
        1,
        "memory holds only the written person"
    );
}

#[tokio::test]
async fn a_diagnostic_has_the_same_metier_id_in_every_read() {
    // v4 `/dossiers` takes the person's idRci from the verified jeton, v4 `/diagnostics` and
    // v1 compute it: the ids must agree, read after read.
    let sim = sim();
    let p = person(&sim, |x| x.has_dossier).await;
    let v1 = get1(&sim, &p, "/diagnostics").await.json();
    let v1: Vec<String> = v1["listeDiagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["idMetierChiffre"].as_str().unwrap().to_string())
        .collect();
    assert!(!v1.is_empty());
    for _ in 0..2 {
        let dossier = get4(&sim, &p, "/dossiers").await.json();
        let from_dossier: Vec<&str> = dossier["besoinsParDiagnostic"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["diagnostic"]["idMetierChiffre"].as_str().unwrap())
            .collect();
        assert_eq!(from_dossier, v1);
        let diagnostics = get4(&sim, &p, "/diagnostics").await.json();
        let listed: Vec<&str> = diagnostics["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["idMetierChiffre"].as_str().unwrap())
            .collect();
        assert_eq!(listed, v1);
    }
}

/// The 2023 référentiel listed contraintes 23 to 29: version n-1 never shows contrainte 22
/// (it came with v4), and a v1 write naming it is refused; v4 shows it.
#[tokio::test]
async fn version_n_minus_1_knows_the_2023_contraintes_only() {
    let sim = sim();
    let p = person(&sim, |_| true).await;
    let mut seen = 0;
    for path in ["", "/contraintes"] {
        let a = get1(&sim, &p, path).await;
        if a.status != 200 {
            continue;
        }
        seen += 1;
        let text = a.text.clone();
        let v = a.json();
        let list = v["contraintesIndividusDto"]["contraintes"]
            .as_array()
            .or_else(|| v["contraintes"].as_array())
            .unwrap_or_else(|| panic!("{text}"));
        let codes: Vec<String> = list
            .iter()
            .map(|c| {
                c.get("code")
                    .and_then(|x| x.as_str().map(str::to_string))
                    .unwrap_or_else(|| c["id"].to_string())
            })
            .collect();
        assert!(!codes.iter().any(|c| c == "22"), "{path}: {codes:?}");
        assert!(
            codes.iter().all(|c| ("23"..="29").contains(&c.as_str())),
            "{codes:?}"
        );
    }
    assert_eq!(
        seen, 2,
        "the dossier and the contraintes resource were read"
    );
    let a = get4(&sim, &p, "/contraintes").await;
    assert!(a.text.contains("\"code\":\"22\""), "{}", a.text);
    let r = sim
        .request(
            "POST",
            &format!(
                "/partenaire/diagnosticargumente/v1/individus/{}/contraintes",
                p.id
            ),
            &p.t1,
            false,
        )
        .header("content-type", "application/json")
        .body(Body::from(
            json!({"dateExploration": "2026-11-30T10:00:00.000+00:00", "idConseiller": "VIGIE001",
                   "contraintes": [{"code": "22", "valeur": "OUI"}]})
            .to_string(),
        ))
        .unwrap();
    let a = sim.send(r).await;
    assert_eq!(a.status, 400, "{}", a.text);
    assert!(
        a.text.contains("inconnue du référentiel de cette version"),
        "{}",
        a.text
    );
}

/// A diagnostic written without ROME codes (a "projet d'évolution" with no métier yet) reads
/// back in every v4 view within the contract: the codes are present and null, as
/// `GET /diagnostics` sends them (the key used to be left out, which the fuzzer found).
#[tokio::test]
async fn a_diagnostic_without_codes_reads_back_with_nulls_within_the_contract() {
    let sim = sim();
    let checker = contracts::Checker::active().unwrap();
    let p = person(&sim, |_| true).await;
    let a = post4(
        &sim,
        &p,
        "POST",
        "/diagnostics",
        &json!({"idMetierChiffre": "NON_DEFINI", "nomMetier": "Projet", "codeTypologie": "PM"}),
    )
    .await;
    assert!(a.status.is_success(), "{}", a.text);
    for (path, op) in [
        ("/dossiers", "recuperer-dossier-individu"),
        ("/besoins", "recuperer-besoins-individu"),
        ("/diagnostics", "recuperer-diagnostics-individu"),
    ] {
        let a = get4(&sim, &p, path).await;
        assert_eq!(a.status, 200, "{path}");
        let v = checker
            .check_response("diagnostic-individu", "n", op, 200, a.body().as_ref())
            .unwrap();
        assert!(v.is_empty(), "{path}: {v:#?}");
        // (`/besoins` lists diagnostics whose besoins were explored: not this one yet.)
        if path != "/besoins" {
            assert!(a.text.contains("\"codeAppellation\":null"), "{path}");
        }
    }
}
