//! The data set says what the simulators do; the committed default data set is what
//! `vigie dataset` writes; the router serves real HTTP on 127.0.0.1.

#![allow(clippy::unwrap_used)]

use crate::common;

use axum::body::Body;
use serde_json::json;
use simulators::SimConfig;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use common::*;

#[tokio::test]
async fn every_case_of_the_data_set_behaves_as_it_says() {
    let sim = sim();
    let ds = simulators::dataset::build(&sim.state);
    assert!(ds.cases.len() >= 12, "{:#?}", ds.cases);
    let t2 = sim.token_for("recherche-usager", "n").await;
    let ts = sim.token_for("statut-usager", "n").await;
    let tm = sim.token_for("metiers-recherches", "n").await;
    let tc = sim.token_for("creation-entreprise", "n").await;
    let td = sim.token_for("diagnostic-individu", "n").await;
    for c in &ds.cases {
        let a = sim
            .post_json(
                "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir",
                &t2,
                true,
                &json!({"nir": c.nir, "dateNaissance": c.date_naissance}),
            )
            .await;
        assert_eq!(a.json()["codeRetour"], c.code_retour.as_str(), "{}", c.name);
        let Some(e) = &c.expect else { continue };
        assert_eq!(
            a.json()["topIdentiteCertifiee"],
            if e.certifie { "O" } else { "N" },
            "{}",
            c.name
        );
        let j = a.json()["jetonUsager"].as_str().unwrap().to_string();
        for (path, token, expected) in [
            ("/partenaire/contrat-usager/v2/contrat", &ts, e.statut),
            (
                "/partenaire/metiers-projets-entreprises/v2/metiers-recherches",
                &tm,
                e.metiers,
            ),
            (
                "/partenaire/metiers-projets-entreprises/v2/projets-cref",
                &tc,
                e.projets_cref,
            ),
            (
                "/partenaire/diagnosticargumente/v4/dossiers",
                &td,
                e.dossier,
            ),
        ] {
            let a = sim
                .send(
                    sim.request("GET", path, token, true)
                        .header("ft-jeton-usager", &j)
                        .body(Body::empty())
                        .unwrap(),
                )
                .await;
            assert_eq!(a.status.as_u16(), expected, "{} {path}", c.name);
            if path.ends_with("contrat") && expected == 200 {
                assert_eq!(
                    a.json()["m_contrat"]["m_statut"].as_str(),
                    e.statut_de.as_deref(),
                    "{}",
                    c.name
                );
                assert_eq!(
                    a.json()["m_contrat"]["m_categ_inscription_code"].as_str(),
                    e.categorie.as_deref(),
                    "{}",
                    c.name
                );
            }
        }
    }
}

#[test]
fn the_committed_default_data_set_is_current() {
    let sim = sim_with(SimConfig::default());
    let text =
        serde_json::to_string_pretty(&simulators::dataset::build(&sim.state)).unwrap() + "\n";
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("dataset/default.json");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "{} is stale: run `vigie dataset --out simulators/dataset/default.json`",
        path.display()
    );
}

#[tokio::test]
async fn serves_real_http_on_loopback() {
    let sim = sim();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = sim.app.clone();
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(b"GET /openapi/statut-usager/n HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").await.unwrap();
    let mut response = String::new();
    tokio::time::timeout(
        std::time::Duration::from_secs(10),
        stream.read_to_string(&mut response),
    )
    .await
    .unwrap()
    .unwrap();
    server.abort();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    let body = &response[response.find("\r\n\r\n").unwrap() + 4..];
    let doc: serde_json::Value = serde_json::from_str(body.trim()).unwrap_or_else(|_| {
        // Chunked encoding: take the JSON between the first `{` and the last `}`.
        serde_json::from_str(&body[body.find('{').unwrap()..=body.rfind('}').unwrap()]).unwrap()
    });
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(
        doc["servers"][0]["url"],
        "http://127.0.0.1/partenaire/contrat-usager/v2"
    );
    assert!(doc["paths"]["/contrat"]["get"]["responses"]["204"].is_object());
}
