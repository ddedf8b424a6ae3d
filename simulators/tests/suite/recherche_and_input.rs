//! Recherche usager's cases and every kind of bad input: the real error shapes, never a 500.

#![allow(clippy::unwrap_used)]

use crate::common;

use axum::body::Body;
use serde_json::json;
use simulators::Known;
use simulators::civil::format_date;

use common::*;

const V2: &str = "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir";
const V1: &str = "/partenaire/rechercher-usager/v1/usagers/recherche";

#[tokio::test]
async fn every_case_of_recherche_usager() {
    let sim = sim();
    let t2 = sim.token_for("recherche-usager", "n").await;
    let t1 = sim.token_for("recherche-usager", "n-1").await;
    let ask = |i: u64, nir13: bool| {
        let p = sim.state.person(i);
        json!({"nir": if nir13 { p.identity.nir13 } else { p.identity.nir15 }, "dateNaissance": format_date(p.identity.birth)})
    };
    let found = sim.find(|p| p.known == Known::Found && p.certified);
    let a = sim.post_json(V2, &t2, true, &ask(found, true)).await;
    assert_eq!(
        (
            a.json()["codeRetour"].as_str(),
            a.json()["topIdentiteCertifiee"].as_str()
        ),
        (Some("S001"), Some("O")),
        "13-character NIR"
    );
    let uncertified = sim.find(|p| p.known == Known::Found && !p.certified);
    assert_eq!(
        sim.post_json(V2, &t2, true, &ask(uncertified, false))
            .await
            .json()["topIdentiteCertifiee"],
        "N"
    );
    let forgotten = sim.find(|p| p.known == Known::Forgotten);
    let a = sim.post_json(V2, &t2, true, &ask(forgotten, false)).await;
    assert_eq!(
        (a.status.as_u16(), a.json()["codeRetour"].as_str()),
        (200, Some("S002")),
        "deregistered over 3 years ago: not found"
    );
    let homonym = sim.find(|p| p.known == Known::Homonyms);
    assert_eq!(
        sim.post_json(V2, &t2, true, &ask(homonym, false))
            .await
            .json()["codeRetour"],
        "S003"
    );
    let other = sim.find(|p| p.known == Known::OtherStructure);
    let a = sim.post_json(V2, &t2, true, &ask(other, false)).await;
    assert_eq!(
        (a.status.as_u16(), a.json()["codeRetour"].as_str()),
        (403, Some("R002"))
    );
    // The same person with the wrong birth date: S002.
    let mut wrong = ask(found, false);
    wrong["dateNaissance"] = json!("2001-01-01");
    assert_eq!(
        sim.post_json(V2, &t2, true, &wrong).await.json()["codeRetour"],
        "S002"
    );
    // v1: the identifiant, O/N.
    let a = sim.post_json(V1, &t1, false, &ask(found, false)).await;
    let id = a.json()["identifiant"].as_str().unwrap().to_string();
    assert_eq!(sim.state.keys.parse_id_rci(&id), Some(found));
    // R001: a client whose structure is not authorised.
    let body = "grant_type=client_credentials&client_id=vigie-demo-non-habilite&client_secret=vigie-demo-secret&scope=api_rechercher-usagerv2%20rechercheusager%20profil_accedant";
    let r = axum::http::Request::post("/connexion/oauth2/access_token?realm=/agent")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    let t = sim.send(r).await.json()["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let a = sim.post_json(V2, &t, true, &ask(found, false)).await;
    assert_eq!(
        (a.status.as_u16(), a.json()["codeRetour"].as_str()),
        (403, Some("R001"))
    );
    // That client cannot use a jeton another client obtained: the jeton is bound to the
    // client it was issued to (it used to read the person's statut with it).
    let jeton = sim.jeton_of(found).await;
    let statut = contracts::catalogue::api("statut-usager")
        .unwrap()
        .version("n")
        .unwrap();
    let other = sim
        .token_as(
            "vigie-demo-non-habilite",
            &statut.realm,
            &statut.scopes.join(" "),
        )
        .await;
    let mine = sim.token_for("statut-usager", "n").await;
    let read = |token: String| {
        let r = sim
            .request("GET", "/partenaire/contrat-usager/v2/contrat", &token, true)
            .header("ft-jeton-usager", jeton.clone())
            .body(Body::empty())
            .unwrap();
        sim.send(r)
    };
    // Refused before and after its own client used it (a remembered jeton is no shortcut).
    let a = read(other.clone()).await;
    assert_eq!(a.status, 401, "{}", a.text);
    assert!(a.text.contains("délivré à un autre client"), "{}", a.text);
    assert_eq!(read(mine).await.status, 200);
    assert_eq!(read(other).await.status, 401);
}

#[tokio::test]
async fn bad_input_gets_the_real_error_shapes() {
    let sim = sim();
    let t2 = sim.token_for("recherche-usager", "n").await;
    let found = sim.find(|p| p.known == Known::Found);
    let p = sim.state.person(found);
    let r997 = json!({"codeRetour": "R997", "message": "Une erreur de validation s'est produite", "jetonUsager": null});
    for body in [
        json!({"nir": "12345", "dateNaissance": "1981-03-15"}),
        json!({"nir": format!("{}00", p.identity.nir13), "dateNaissance": format_date(p.identity.birth)}),
        json!({"nir": p.identity.nir15, "dateNaissance": "1981-02-30"}),
        json!({"nir": p.identity.nir15, "dateNaissance": "15/03/1981"}),
        json!({"nir": p.identity.nir15}),
        json!({"nir": 181036290874034u64, "dateNaissance": "1981-03-15"}),
        // Found by fuzzing: 13 bytes of multibyte text once panicked the NIR check.
        json!({"nir": "0\u{80}\u{80}\u{10000}\u{10000}", "dateNaissance": ""}),
        json!([1, 2]),
    ] {
        let a = sim.post_json(V2, &t2, true, &body).await;
        assert_eq!((a.status.as_u16(), a.json()), (400, r997.clone()), "{body}");
    }
    // v1: the same fixed message whatever the input (it used to append validator text).
    let t1 = sim.token_for("recherche-usager", "n-1").await;
    for body in [
        json!({"nir": "12345", "dateNaissance": "1981-03-15"}),
        json!({"nir": p.identity.nir15, "dateNaissance": "15/03/1981"}),
        json!({"nir": p.identity.nir15}),
    ] {
        let a = sim.post_json(V1, &t1, false, &body).await;
        assert_eq!(a.status, 400, "{body}");
        assert_eq!(
            a.json(),
            json!({"codeRetour": "R997", "message": "Une erreur de validation s'est produite", "identifiant": null, "topIdentiteCertifiee": null}),
            "{body}"
        );
    }
    // Malformed JSON, wrong content type, oversized body.
    let send = |ct: &'static str, body: Vec<u8>| {
        let r = sim
            .request("POST", V2, &t2, true)
            .header("content-type", ct)
            .body(Body::from(body))
            .unwrap();
        sim.send(r)
    };
    for (ct, body) in [
        ("application/json", b"{\"nir\": ".to_vec()),
        (
            "text/plain",
            b"{\"nir\": \"1\", \"dateNaissance\": \"1981-03-15\"}".to_vec(),
        ),
        ("application/json", vec![b' '; 200_000]),
        // A prefix is not the media type.
        (
            "application/jsonx",
            b"{\"nir\": \"1\", \"dateNaissance\": \"1981-03-15\"}".to_vec(),
        ),
    ] {
        let a = send(ct, body).await;
        assert_eq!((a.status.as_u16(), a.json()), (400, r997.clone()));
    }
    // n-1: unknown id, path traversal, garbage: 400 with the back-end body, never a 500.
    let checker = contracts::Checker::active().unwrap();
    let t = sim.token_for("statut-usager", "n-1").await;
    for id in [
        "inconnu",
        "..%2F..%2Fetc%2Fpasswd",
        "%00",
        // Not UTF-8 once decoded: axum's own plain-text 400 before.
        "%ff",
        "abc%C3%28",
        "e1881749-1334-47b9-8a34-74922528d4ea%23LQdESFx4KSZklOXWJGJ9yxWLdwqbKWx6dh-9FNc11S0Q4YjU6YhojWUqxyVTWvuk",
    ] {
        let a = sim
            .send(
                sim.request(
                    "GET",
                    &format!("/partenaire/contrat-usager/v1/contrat/{id}"),
                    &t,
                    false,
                )
                .body(Body::empty())
                .unwrap(),
            )
            .await;
        assert_eq!(a.status, 400, "{id}: {}", a.text);
        assert_eq!(a.json()["codeErreur"], "ERT_400_FONCT");
        let v = checker
            .check_response(
                "statut-usager",
                "n-1",
                "recuperer-contrat",
                400,
                a.body().as_ref(),
            )
            .unwrap();
        assert!(v.is_empty(), "the 400 is the documented one: {v:#?}");
    }
    let a = sim
        .send(
            sim.request(
                "GET",
                "/partenaire/contrat-usager/v1/contrat/../../etc/passwd",
                &t,
                false,
            )
            .body(Body::empty())
            .unwrap(),
        )
        .await;
    assert!(a.status == 404 || a.status == 400, "{}", a.status);
    // Référentiel: undocumented domains and sous-domaines (plural forms, codes, pairs the
    // document does not list) are refused in the back-end shape; documented ones answer.
    let t4 = sim.token_for("diagnostic-individu", "n").await;
    let referentiel = |path: &str| {
        sim.send(
            sim.request(
                "GET",
                &format!("/partenaire/diagnosticargumente/v4/referentiel/{path}"),
                &t4,
                true,
            )
            .body(Body::empty())
            .unwrap(),
        )
    };
    for bad in [
        "besoins",
        "contraintes",
        "pouvoiragir",
        "besoin/1",
        "contrainte/23",
        "contrainte/question",
        "pouvoir-agir/situation",
    ] {
        let a = referentiel(bad).await;
        assert_eq!(a.status, 400, "{bad}: {}", a.text);
        assert_eq!(a.json()["codeErreur"], "ERT_400_FONCT", "{bad}");
    }
    for good in [
        "besoin",
        "contrainte",
        "pouvoir-agir",
        "contrainte/situation",
        "contrainte/objectif",
        "pouvoir-agir/question",
        "pouvoir-agir/analyse",
    ] {
        assert_eq!(referentiel(good).await.status, 200, "{good}");
    }
    let a = referentiel("contrainte/objectif").await;
    let first = &a.json()["thematiqueContrainte"]["contraintes"][0];
    assert!(
        first["objectifs"].is_array() && first.get("situations").is_none(),
        "{first}"
    );
    // Unknown path: the gateway's 404, JSON.
    let a = sim
        .send(
            sim.request("GET", "/partenaire/inconnue/v1/x", &t, false)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(a.status, 404);
    assert!(a.json()["error"].is_string());
}
