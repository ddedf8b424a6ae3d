//! Injected faults, set at start or at run time through the admin endpoint: outages, errors
//! with the real bodies, timeouts that never answer, data defects the checker catches.

#![allow(clippy::unwrap_used)]

use crate::common;

use axum::body::Body;
use axum::http::Request;
use contracts::Checker;
use http_body_util::BodyExt;
use serde_json::json;
use simulators::FaultPlan;
use simulators::Known;
use simulators::SimConfig;
use simulators::civil::format_date;
use simulators::config::Secret;
use tower::ServiceExt;

use common::*;

async fn jeton(sim: &Sim) -> (u64, String) {
    let i = sim.find(|p| p.known == Known::Found && p.statut.is_some() && p.has_dossier);
    (i, sim.jeton_of(i).await)
}

fn plan(toml_text: &str, sim: &Sim) -> FaultPlan {
    let p: FaultPlan = toml::from_str(toml_text).unwrap();
    p.install(sim.state.now_ms()).unwrap()
}

#[tokio::test]
async fn outage_window_and_error_rates_answer_with_real_bodies() {
    let sim = sim();
    let (_, j) = jeton(&sim).await;
    let t = sim.token_for("statut-usager", "n").await;
    let call = || {
        sim.send(
            sim.request("GET", "/partenaire/contrat-usager/v2/contrat", &t, true)
                .header("ft-jeton-usager", &j)
                .body(Body::empty())
                .unwrap(),
        )
    };
    sim.state.set_faults(plan("[[rules]]\napi = \"statut-usager\"\nversion = \"n\"\noutages = [{after_s = 60, for_s = 600}]\n", &sim));
    assert_eq!(call().await.status, 200, "before the window");
    sim.clock.advance(61_000);
    let a = call().await;
    assert_eq!(
        (a.status.as_u16(), a.json()["codeErreur"].as_str()),
        (503, Some("ERT_503"))
    );
    // Other versions and APIs are untouched by the rule.
    let t1 = sim.token_for("recherche-usager", "n").await;
    assert_eq!(
        sim.post_json(
            "/partenaire/rechercher-usager/v2/usagers/par-numero-francetravail",
            &t1,
            true,
            &json!({"numeroFranceTravail": "10000000000"})
        )
        .await
        .status,
        200
    );
    sim.clock.advance(600_000);
    assert_eq!(call().await.status, 200, "after the window");

    sim.state.set_faults(plan(
        "[[rules]]\napi = \"recherche-usager\"\nerrors = {share = 1.0, status = 500}\n",
        &sim,
    ));
    let a = sim
        .post_json(
            "/partenaire/rechercher-usager/v2/usagers/par-numero-francetravail",
            &t1,
            true,
            &json!({"numeroFranceTravail": "10000000000"}),
        )
        .await;
    assert_eq!(
        (a.status.as_u16(), a.json()["codeRetour"].as_str()),
        (500, Some("R998"))
    );
    // Every injected answer is the documented error body of its version.
    let checker = Checker::active().unwrap();
    let v = checker
        .check_response(
            "recherche-usager",
            "n",
            "rechercher-usager-par-numero-france-travail",
            500,
            a.body().as_ref(),
        )
        .unwrap();
    assert!(v.is_empty(), "{v:#?}");
}

#[tokio::test]
async fn each_data_defect_breaks_the_contract_or_the_data_rules() {
    let sim = sim();
    let checker = Checker::active().unwrap();
    let (_, j) = jeton(&sim).await;
    // n-1 statut: a required field missing, then a wrong type, then an incoherent category.
    let r1 = sim.token_for("recherche-usager", "n-1").await;
    let i = sim.find(|p| {
        p.known == Known::Found && p.statut.as_ref().is_some_and(|s| s.categorie.is_some())
    });
    let p = sim.state.person(i);
    let id = sim
        .post_json(
            "/partenaire/rechercher-usager/v1/usagers/recherche",
            &r1,
            false,
            &json!({"nir": p.identity.nir15, "dateNaissance": format_date(p.identity.birth)}),
        )
        .await
        .json()["identifiant"]
        .as_str()
        .unwrap()
        .replace('#', "%23");
    let t = sim.token_for("statut-usager", "n-1").await;
    let url = format!("/partenaire/contrat-usager/v1/contrat/{id}");
    // The missing field is one the contract wants present though possibly null (the case
    // clients crash on); the wrong type is the first string.
    for (kind, pointer) in [
        ("missing-field", "/dateInscription12"),
        ("wrong-type", "/idNat"),
    ] {
        sim.state.set_faults(plan(&format!("[[rules]]\napi = \"statut-usager\"\nversion = \"n-1\"\ndefect = {{kind = \"{kind}\", share = 1.0}}\n"), &sim));
        let a = sim
            .send(
                sim.request("GET", &url, &t, false)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(a.status, 200);
        let v = checker
            .check_response(
                "statut-usager",
                "n-1",
                "recuperer-contrat",
                200,
                a.body().as_ref(),
            )
            .unwrap();
        assert!(v.iter().any(|x| x.pointer == pointer), "{kind}: {v:#?}");
    }
    sim.state.set_faults(plan("[[rules]]\napi = \"statut-usager\"\ndefect = {kind = \"incoherent-category\", share = 1.0}\n", &sim));
    let a = sim
        .send(
            sim.request("GET", &url, &t, false)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(
        a.json()["categInscriptionCode"],
        "4",
        "an RSA beneficiary is in 1, 2, 3 or 5"
    );
    let t2 = sim.token_for("statut-usager", "n").await;
    let a = sim
        .send(
            sim.request("GET", "/partenaire/contrat-usager/v2/contrat", &t2, true)
                .header("ft-jeton-usager", &j)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(a.json()["m_contrat"]["m_categ_inscription_code"], "4");
}

/// A missing-field defect takes away first a key the contract wants present though possibly
/// null: the case a real v2 client crashed on (`pouvoirAgir` indexed directly), produced on purpose.
#[tokio::test]
async fn a_missing_field_defect_leaves_out_a_key_clients_index() {
    let sim = sim();
    let checker = Checker::active().unwrap();
    let (_, j) = jeton(&sim).await;
    let t = sim.token_for("diagnostic-individu", "n").await;
    let read = || {
        sim.send(
            sim.request(
                "GET",
                "/partenaire/diagnosticargumente/v4/dossiers",
                &t,
                true,
            )
            .header("ft-jeton-usager", &j)
            .body(Body::empty())
            .unwrap(),
        )
    };
    let tidy = read().await.json();
    assert!(tidy.as_object().unwrap().contains_key("pouvoirAgir"));
    sim.state.set_faults(plan("[[rules]]\napi = \"diagnostic-individu\"\ndefect = {kind = \"missing-field\", share = 1.0}\n", &sim));
    let a = read().await;
    assert_eq!(a.status, 200);
    let body = a.json();
    let left_out: Vec<&str> = ["pouvoirAgir", "autonomieNumerique"]
        .into_iter()
        .filter(|k| !body.as_object().unwrap().contains_key(*k))
        .collect();
    assert_eq!(left_out.len(), 1, "one of the two keys left out");
    let op = checker
        .store()
        .raw("diagnostic-individu", "v4")
        .unwrap()
        .manifest
        .operation_at("GET", "/partenaire/diagnosticargumente/v4/dossiers")
        .unwrap()
        .id
        .clone();
    let v = checker
        .check_response("diagnostic-individu", "n", &op, 200, Some(&body))
        .unwrap();
    assert!(
        v.iter()
            .any(|x| x.keyword == "required" && x.pointer == format!("/{}", left_out[0])),
        "{v:#?}"
    );
}

#[tokio::test]
async fn a_timeout_never_answers() {
    let sim = sim();
    sim.state.set_faults(plan(
        "[[rules]]\napi = \"diagnostic-individu\"\ntimeouts = 1.0\n",
        &sim,
    ));
    let t = sim.token_for("diagnostic-individu", "n").await;
    let req = sim
        .request(
            "GET",
            "/partenaire/diagnosticargumente/v4/referentiel",
            &t,
            true,
        )
        .body(Body::empty())
        .unwrap();
    let call = sim.app.clone().oneshot(req);
    // The caller gives up; nothing came.
    assert!(
        tokio::time::timeout(std::time::Duration::from_millis(300), call)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn faults_from_the_start_configuration() {
    let config = SimConfig::parse(
        "people = 2000\n[[faults]]\napi = \"statut-usager\"\nversion = \"n\"\nerrors = {share = 1.0, status = 503}\n",
        std::path::Path::new("sim.toml"),
        NOW,
        &|_| None,
    )
    .unwrap();
    let sim = sim_with(config);
    let (_, j) = jeton(&sim).await;
    let t = sim.token_for("statut-usager", "n").await;
    let a = sim
        .send(
            sim.request("GET", "/partenaire/contrat-usager/v2/contrat", &t, true)
                .header("ft-jeton-usager", &j)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(a.status, 503);
}

#[tokio::test]
async fn the_admin_endpoint_needs_its_token_and_changes_faults_at_run_time() {
    let config = SimConfig {
        people: 2000,
        admin_token: Some(Secret::new("admin-t0ken")),
        ..SimConfig::default()
    };
    let sim = sim_with(config);
    let admin = simulators::admin_app(sim.state.clone());
    let send = |method: &str, token: Option<&str>, body: &str| {
        let mut r = Request::builder()
            .method(method)
            .uri("/admin/faults")
            .header("content-type", "application/json");
        if let Some(t) = token {
            r = r.header("authorization", format!("Bearer {t}"));
        }
        let req = r.body(Body::from(body.to_string())).unwrap();
        let app = admin.clone();
        async move {
            let resp = app.oneshot(req).await.unwrap();
            let status = resp.status().as_u16();
            let bytes = resp.into_body().collect().await.unwrap().to_bytes();
            (status, String::from_utf8_lossy(&bytes).into_owned())
        }
    };
    assert_eq!(send("GET", None, "").await.0, 401);
    assert_eq!(send("GET", Some("wrong"), "").await.0, 401);
    let plan = r#"{"rules": [{"api": "statut-usager", "version": "n", "errors": {"share": 1.0, "status": 503}}]}"#;
    assert_eq!(send("PUT", Some("admin-t0ken"), plan).await.0, 200);
    assert_eq!(sim.state.fault_plan().rules.len(), 1);
    let (status, body) = send(
        "PUT",
        Some("admin-t0ken"),
        r#"{"rules": [{"api": "statut", "errors": {"share": 1.0, "status": 503}}]}"#,
    )
    .await;
    assert_eq!(status, 400);
    assert!(body.contains("unknown API `statut`"), "{body}");
    assert_eq!(
        sim.state.fault_plan().rules.len(),
        1,
        "a refused plan changes nothing"
    );
    assert_eq!(send("DELETE", Some("admin-t0ken"), "").await.0, 204);
    assert!(sim.state.fault_plan().rules.is_empty());
    // Without a configured token, the admin endpoint refuses everyone.
    let open = sim_with(SimConfig {
        people: 10,
        ..SimConfig::default()
    });
    let r = simulators::admin_app(open.state.clone())
        .oneshot(
            Request::get("/admin/faults")
                .header("authorization", "Bearer ")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}
