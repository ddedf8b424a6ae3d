//! Writes cannot take the simulators' memory: strings and `pa-*` headers are bounded, a
//! dossier holds at most 50 diagnostics and 256 kB of history, and written dossiers as a
//! whole stay within their budget (the least recently written are forgotten, then derived
//! again). Driven through the HTTP API with the demo client.

#![allow(clippy::unwrap_used)]

use crate::common;

use axum::body::Body;
use serde_json::json;
use simulators::Known;
use simulators::config::SimConfig;

use common::*;

const DIAGNOSTICS: &str = "/partenaire/diagnosticargumente/v4/diagnostics";
const DOSSIER: &str = "/partenaire/diagnosticargumente/v4/dossiers";

fn create(sim: &Sim, token: &str, jeton: &str, nom: &str) -> axum::http::Request<Body> {
    sim.request("POST", DIAGNOSTICS, token, true)
        .header("ft-jeton-usager", jeton)
        .header("content-type", "application/json")
        .body(Body::from(
            json!({"idMetierChiffre": "NON_DEFINI", "nomMetier": nom, "codeTypologie": "MR"})
                .to_string(),
        ))
        .unwrap()
}

#[tokio::test]
async fn maximum_size_writes_stay_within_the_budget() {
    const BUDGET: usize = 2 * 1024 * 1024;
    let sim = sim_with(SimConfig {
        people: 5_000,
        written_budget_bytes: BUDGET,
        ..SimConfig::default()
    });
    let t4 = sim.token_for("diagnostic-individu", "n").await;
    let longest = "é".repeat(simulators::MAX_STRING_CHARS);
    // One character more: refused in the API's shape, nothing kept.
    let first = sim.find(|p| p.known == Known::Found);
    let jeton = sim.jeton_of(first).await;
    let too_long = format!("{longest}x");
    let a = sim.send(create(&sim, &t4, &jeton, &too_long)).await;
    assert_eq!(a.status, 400, "{}", a.text);
    assert_eq!(a.json()["codeErreur"], "ERT_400_FONCT");
    assert!(a.json()["message"].as_str().unwrap().contains("/nomMetier"));
    // A pa-* header of 300 bytes: refused too.
    let r = sim
        .request("GET", DOSSIER, &t4, false)
        .header("ft-jeton-usager", &jeton)
        .header("pa-nom-agent", "N".repeat(300))
        .header("pa-prenom-agent", "Henri")
        .header("pa-identifiant-agent", "BATCH")
        .body(Body::empty())
        .unwrap();
    assert_eq!(sim.send(r).await.status, 400);
    assert_eq!(sim.state.overlay.usage().people, 0);

    // 60 diagnostics of maximum size to one person: 50 at most are kept.
    let mut refused = 0;
    for _ in 0..60 {
        let a = sim.send(create(&sim, &t4, &jeton, &longest)).await;
        match a.status.as_u16() {
            201 | 200 => {}
            400 => {
                assert!(a.text.contains("limite des simulateurs"), "{}", a.text);
                refused += 1;
            }
            s => panic!("{s}: {}", a.text),
        }
    }
    assert!(refused >= 10, "{refused}");
    let mine = sim.state.overlay.get(first).unwrap();
    assert!(mine.diagnostics.len() <= 50);
    let history: usize = mine
        .history
        .iter()
        .map(|h| h.donnees.as_ref().map_or(0, |d| d.len()))
        .sum();
    assert!(history <= simulators::HISTORY_BYTES, "{history}");

    // Then many people, ten maximum-size writes each: the whole stays within the budget.
    let people: Vec<u64> = (0..sim.state.config.people)
        .filter(|&i| i != first && sim.state.person(i).known == Known::Found)
        .take(200)
        .collect();
    let mut writes = 0;
    for &i in &people {
        let jeton = sim.jeton_of(i).await;
        for _ in 0..10 {
            let a = sim.send(create(&sim, &t4, &jeton, &longest)).await;
            assert!(a.status.is_success(), "{}: {}", a.status, a.text);
            writes += 1;
        }
        let u = sim.state.overlay.usage();
        assert!(u.bytes <= BUDGET, "{u:?}");
    }
    let u = sim.state.overlay.usage();
    println!("{writes} writes: {u:?}");
    assert!(u.evicted > 0 && u.people < people.len(), "{u:?}");
    // A forgotten person reads as derived again (never written): no 1 000-character métier.
    let a = sim
        .send(
            sim.request("GET", DOSSIER, &t4, true)
                .header("ft-jeton-usager", sim.jeton_of(people[0]).await)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(a.status == 200 || a.status == 204, "{}", a.status);
    assert!(!a.text.contains(&longest[..200]));
}
