//! The emulated access platform: token endpoint, Bearer checks, realms and scopes, `pa-*`
//! headers, jeton usager expiry and tampering, rate limit.

#![allow(clippy::unwrap_used)]

use crate::common;

use axum::body::Body;
use axum::http::Request;
use base64::Engine;
use serde_json::{Value, json};
use simulators::Known;
use simulators::SimConfig;
use simulators::civil::format_date;
use simulators::config::RateLimit;

use common::*;

async fn token_error(sim: &Sim, query: &str, body: &str, ct: &str) -> (u16, Value) {
    let a = sim
        .send(
            Request::post(format!("/connexion/oauth2/access_token{query}"))
                .header("content-type", ct)
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await;
    (a.status.as_u16(), a.json())
}

#[tokio::test]
async fn token_endpoint_answers_like_the_real_platform() {
    let sim = sim();
    let form = "application/x-www-form-urlencoded";
    let ok = "grant_type=client_credentials&client_id=vigie-demo&client_secret=vigie-demo-secret&scope=api_rechercher-usagerv2%20rechercheusager%20profil_accedant";
    let a = sim
        .send(
            Request::post("/connexion/oauth2/access_token?realm=%2Fagent")
                .header("content-type", form)
                .body(Body::from(ok))
                .unwrap(),
        )
        .await;
    assert_eq!(a.status, 200);
    assert_eq!(a.headers["cache-control"], "no-store");
    let t = a.json();
    assert_eq!(
        (t["token_type"].as_str(), t["expires_in"].as_u64()),
        (Some("Bearer"), Some(1500))
    );
    assert_eq!(
        t["scope"],
        "api_rechercher-usagerv2 rechercheusager profil_accedant"
    );

    let bad_secret = ok.replace("vigie-demo-secret", "wrong");
    assert_eq!(
        token_error(&sim, "?realm=/agent", &bad_secret, form).await,
        (
            400,
            json!({"error": "invalid_client", "error_description": "Client authentication failed"})
        )
    );
    let bad_scope = ok.replace("rechercheusager", "api_inconnuv9");
    let (s, b) = token_error(&sim, "?realm=/agent", &bad_scope, form).await;
    assert_eq!((s, b["error"].as_str()), (400, Some("invalid_scope")));
    assert_eq!(
        b["error_description"],
        "Unknown/invalid scope(s): [api_inconnuv9]"
    );
    // A v1 scope in the /agent realm is unknown there.
    let (_, b) = token_error(
        &sim,
        "?realm=/agent",
        &ok.replace("api_rechercher-usagerv2", "api_rechercher-usagerv1"),
        form,
    )
    .await;
    assert_eq!(b["error"], "invalid_scope");
    let (s, b) = token_error(
        &sim,
        "?realm=/agent",
        &ok.replace("client_credentials", "password"),
        form,
    )
    .await;
    assert_eq!(
        (s, b["error_description"].as_str()),
        (400, Some("Grant type is not supported: password"))
    );
    let (s, b) = token_error(&sim, "", ok, form).await;
    assert_eq!((s, b["error"].as_str()), (400, Some("invalid_request")));
    let (s, b) = token_error(
        &sim,
        "?realm=/agent",
        "{\"grant_type\": 1}",
        "application/json",
    )
    .await;
    assert_eq!((s, b["error"].as_str()), (400, Some("invalid_request")));
}

#[tokio::test]
async fn bearer_realm_scope_and_expiry_are_checked() {
    let sim = sim();
    let url = "/partenaire/contrat-usager/v2/contrat";
    let get = |token: &str| {
        sim.request("GET", url, token, true)
            .body(Body::empty())
            .unwrap()
    };
    // No token, a forged one.
    let a = sim
        .send(Request::get(url).body(Body::empty()).unwrap())
        .await;
    assert_eq!(a.status, 401);
    assert!(a.headers.contains_key("www-authenticate"));
    assert_eq!(sim.send(get("abc.def")).await.status, 401);
    // Token of another API (scope missing), of the other realm.
    let other = sim.token_for("recherche-usager", "n").await;
    let a = sim.send(get(&other)).await;
    assert_eq!(
        (a.status.as_u16(), a.json()["error"].as_str()),
        (403, Some("insufficient_scope"))
    );
    let v1 = sim.token_for("statut-usager", "n-1").await;
    assert_eq!(sim.send(get(&v1)).await.status, 403);
    // Expired after its lifetime.
    let token = sim.token_for("statut-usager", "n").await;
    assert_eq!(
        sim.send(get(&token)).await.status,
        401,
        "no jeton usager yet: 401 from the API"
    );
    sim.clock.advance(1_500_000);
    let a = sim.send(get(&token)).await;
    assert_eq!(a.json()["error_description"], "Bearer token expiré");
}

#[tokio::test]
async fn pa_headers_missing_redirect_and_empty_are_unauthorised() {
    let sim = sim();
    let token = sim.token_for("statut-usager", "n").await;
    let url = "/partenaire/contrat-usager/v2/contrat";
    let base = || Request::get(url).header("authorization", format!("Bearer {token}"));
    let a = sim
        .send(
            base()
                .header("pa-nom-agent", "M")
                .header("pa-prenom-agent", "H")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(
        a.status, 302,
        "missing pa-identifiant-agent: 302 as observed"
    );
    let a = sim
        .send(
            base()
                .header("pa-nom-agent", "M")
                .header("pa-prenom-agent", "H")
                .header("pa-identifiant-agent", "")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(a.status, 401, "empty pa-*: 401 as observed");
    let a = sim
        .send(
            base()
                .header("pa-nom-agent", "M|X")
                .header("pa-prenom-agent", "H")
                .header("pa-identifiant-agent", "BATCH")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(a.status, 400, "pipe forbidden");
}

#[tokio::test]
async fn jeton_usager_expires_after_a_day_is_bound_to_its_person_and_resists_tampering() {
    let sim = sim();
    let i = sim.find(|p| p.known == Known::Found && p.statut.is_some());
    let j = sim.jeton_of(i).await;
    let statut = sim.token_for("statut-usager", "n").await;
    let call = |jeton: String| {
        let r = sim
            .request(
                "GET",
                "/partenaire/contrat-usager/v2/contrat",
                &statut,
                true,
            )
            .header("ft-jeton-usager", jeton)
            .body(Body::empty())
            .unwrap();
        sim.send(r)
    };
    let a = call(j.clone()).await;
    assert_eq!(a.status, 200);
    // The answer is the statut of the jeton's person, field by field.
    let st = sim.state.person(i).statut.unwrap();
    let code = |pair: Option<(&'static str, &'static str)>| pair.map(|(c, _)| c);
    let expected = json!({
        "m_statut": st.kind.label(),
        "m_date_effet_statut": format_date(simulators::civil::civil_from_days(st.effect_day)),
        "m_duree_inscription_12": st.months[0],
        "m_duree_inscription_24": st.months[1],
        "m_duree_inscription_36": st.months[2],
        "m_motif_inscription_code": code(st.motif),
        "m_categ_inscription_code": code(st.categorie),
        "m_situation_reg_emp_code": code(st.situation),
        "m_motif_cloture_code": code(st.cloture),
    });
    let contrat = &a.json()["m_contrat"];
    for (key, value) in expected.as_object().unwrap() {
        assert_eq!(&contrat[key], value, "bound to its person: {key}");
    }
    // Tampered: another person's data in the same envelope.
    let raw = base64::engine::general_purpose::STANDARD
        .decode(&j)
        .unwrap();
    let mut v: Value = serde_json::from_slice(&raw).unwrap();
    v["data"] = json!(sim.state.keys.id_rci(i + 1));
    let forged = base64::engine::general_purpose::STANDARD.encode(v.to_string());
    let a = call(forged).await;
    assert_eq!(
        (a.status.as_u16(), a.json()["error_description"].as_str()),
        (
            401,
            Some("jeton usager altéré ou délivré à un autre client")
        )
    );
    assert_eq!(call("pas un jeton".into()).await.status, 401);
    // One day later.
    sim.clock.advance(86_400_000);
    let statut2 = sim.token_for("statut-usager", "n").await;
    let a = sim
        .send(
            sim.request(
                "GET",
                "/partenaire/contrat-usager/v2/contrat",
                &statut2,
                true,
            )
            .header("ft-jeton-usager", j)
            .body(Body::empty())
            .unwrap(),
        )
        .await;
    assert_eq!(a.json()["error_description"], "jeton usager expiré");
}

#[tokio::test]
async fn rate_limit_answers_429_with_retry_after_then_lets_through() {
    let mut config = SimConfig {
        people: 1000,
        ..SimConfig::default()
    };
    for c in &mut config.clients {
        c.rate_limit = Some(RateLimit {
            per_second: 1.0,
            burst: 2,
        });
    }
    let sim = sim_with(config);
    let token = sim.token_for("diagnostic-individu", "n").await;
    let call = || {
        sim.send(
            sim.request(
                "GET",
                "/partenaire/diagnosticargumente/v4/referentiel",
                &token,
                true,
            )
            .body(Body::empty())
            .unwrap(),
        )
    };
    assert_eq!(call().await.status, 200);
    assert_eq!(call().await.status, 200);
    let a = call().await;
    assert_eq!(a.status, 429);
    assert_eq!(a.headers["retry-after"], "1");
    assert_eq!(a.headers["content-type"], "text/plain");
    sim.clock.advance(1000);
    assert_eq!(call().await.status, 200);
}

/// A real client asks one token for every scope it holds, APIs outside the five included:
/// the scopes a client is subscribed to are granted (configured per client, or for the demo
/// clients with `demo_extra_scopes`); anything else is still `invalid_scope`.
#[tokio::test]
async fn scopes_a_client_is_subscribed_to_are_granted() {
    let env = |k: &str| (k == "PARTNER_SECRET").then(|| "partner-secret".to_string());
    let config = SimConfig::parse(
        "people = 1000\ndemo_extra_scopes = [\"api_donnees-rqthv1\", \"h2a\"]\n\
         [[clients]]\nid = \"cd-partenaire\"\nsecret_env = \"PARTNER_SECRET\"\nextra_scopes = [\"api_rendez-vous-partenairev1\"]\n",
        std::path::Path::new("sim.toml"),
        0,
        &env,
    )
    .unwrap();
    let sim = sim_with(config);
    let ask = |client: &str, secret: &str, scopes: &str| {
        let body = format!(
            "grant_type=client_credentials&client_id={client}&client_secret={secret}&scope={}",
            scopes.replace(' ', "%20")
        );
        sim.send(
            Request::post("/connexion/oauth2/access_token?realm=%2Fagent")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
    };
    let all = "api_rechercher-usagerv2 rechercheusager profil_accedant api_donnees-rqthv1 h2a";
    let a = ask("vigie-demo", "vigie-demo-secret", all).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.json()["scope"], all);
    let a = ask(
        "cd-partenaire",
        "partner-secret",
        "api_rechercher-usagerv2 api_rendez-vous-partenairev1",
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.text);
    // Not subscribed: refused, naming it.
    let a = ask(
        "cd-partenaire",
        "partner-secret",
        "api_rechercher-usagerv2 h2a",
    )
    .await;
    assert_eq!(a.status, 400);
    assert_eq!(
        a.json()["error_description"],
        "Unknown/invalid scope(s): [h2a]"
    );
    // A scope name that is not one is a configuration error that says which.
    let e = SimConfig::parse(
        "demo_extra_scopes = [\"a b\"]\n",
        std::path::Path::new("sim.toml"),
        0,
        &env,
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("extra scope \"a b\" is not a scope name"), "{e}");
}

/// The answers' media type: the header value the platform is documented to send on its token
/// answers (API-SHAPES.md §1.1), on the token endpoint and on the APIs alike.
#[tokio::test]
async fn answers_carry_the_documented_content_type() {
    let sim = sim();
    let t = sim.token_for("diagnostic-individu", "n").await;
    let a = sim
        .send(
            sim.request(
                "GET",
                "/partenaire/diagnosticargumente/v4/referentiel",
                &t,
                true,
            )
            .body(Body::empty())
            .unwrap(),
        )
        .await;
    assert_eq!(a.status, 200);
    assert_eq!(a.headers["content-type"], "application/json;charset=UTF-8");
}
