//! Every answer of every read of both versions, harvested from the simulators for the tests
//! that hold them to their contracts (`contract_walk`, `mutation_score`).

use axum::body::Body;
use axum::http::StatusCode;
use serde_json::{Value, json};
use simulators::Known;
use simulators::civil::format_date;

use super::{Answer, Sim};

/// One answer, with the operation that gave it.
#[derive(Debug, Clone)]
pub struct Harvested {
    pub api: &'static str,
    pub major: &'static str,
    pub op: &'static str,
    pub status: StatusCode,
    pub text: String,
}

impl Harvested {
    pub fn body(&self) -> Option<Value> {
        if self.text.is_empty() {
            None
        } else {
            Some(serde_json::from_str(&self.text).unwrap())
        }
    }
}

fn keep(
    out: &mut Vec<Harvested>,
    api: &'static str,
    major: &'static str,
    op: &'static str,
    a: &Answer,
) {
    out.push(Harvested {
        api,
        major,
        op,
        status: a.status,
        text: a.text.clone(),
    });
}

/// Every answer of every read operation of both versions for the first `people` people of
/// the simulator's population, and the référentiel's.
pub async fn harvest(sim: &Sim, people: u64) -> Vec<Harvested> {
    let mut out = Vec::new();
    let t = |api: &'static str, v: &'static str| (api, v);
    let mut tokens = std::collections::HashMap::new();
    for (api, v) in [
        t("recherche-usager", "v1"),
        t("recherche-usager", "v2"),
        t("statut-usager", "v1"),
        t("statut-usager", "v2"),
        t("diagnostic-individu", "v1"),
        t("diagnostic-individu", "v4"),
        t("metiers-recherches", "v1"),
        t("metiers-recherches", "v2"),
        t("creation-entreprise", "v1"),
        t("creation-entreprise", "v2"),
    ] {
        tokens.insert((api, v), sim.token_for(api, v).await);
    }
    let tok = |api: &'static str, v: &'static str| tokens[&(api, v)].clone();

    for index in 0..people {
        let p = sim.state.person(index);
        let body = json!({"nir": p.identity.nir15, "dateNaissance": format_date(p.identity.birth)});
        // Recherche v1
        let a = sim
            .post_json(
                "/partenaire/rechercher-usager/v1/usagers/recherche",
                &tok("recherche-usager", "v1"),
                false,
                &body,
            )
            .await;
        keep(
            &mut out,
            "recherche-usager",
            "v1",
            "rechercher-usager-par-date-naissance-et-nir",
            &a,
        );
        let id = a.json()["identifiant"].as_str().map(str::to_string);
        // Recherche v2, both ways
        let a = sim
            .post_json(
                "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir",
                &tok("recherche-usager", "v2"),
                true,
                &body,
            )
            .await;
        keep(
            &mut out,
            "recherche-usager",
            "v2",
            "rechercher-usager-par-date-naissance-et-nir",
            &a,
        );
        let jeton = a.json()["jetonUsager"].as_str().map(str::to_string);
        let a = sim
            .post_json(
                "/partenaire/rechercher-usager/v2/usagers/par-numero-francetravail",
                &tok("recherche-usager", "v2"),
                true,
                &json!({"numeroFranceTravail": p.numero_france_travail}),
            )
            .await;
        keep(
            &mut out,
            "recherche-usager",
            "v2",
            "rechercher-usager-par-numero-france-travail",
            &a,
        );
        assert_eq!(
            jeton.is_some(),
            p.known == Known::Found,
            "{index}: {:?} {} {}",
            p.known,
            a.text,
            body
        );

        if let Some(id) = id {
            let enc = id.replace('#', "%23");
            for (api, path, op) in [
                (
                    "statut-usager",
                    format!("/partenaire/contrat-usager/v1/contrat/{enc}"),
                    "recuperer-contrat",
                ),
                (
                    "metiers-recherches",
                    format!("/partenaire/metiers-profil-competences/v1/metiers-recherches/{enc}"),
                    "recuperer-metiers-recherches",
                ),
                (
                    "creation-entreprise",
                    format!("/partenaire/projet-creation-entreprise/v1/projets-cref/{enc}"),
                    "recuperer-projets",
                ),
                (
                    "diagnostic-individu",
                    format!("/partenaire/diagnosticargumente/v1/individus/{enc}"),
                    "recuperer-dossier-individu",
                ),
                (
                    "diagnostic-individu",
                    format!("/partenaire/diagnosticargumente/v1/individus/{enc}/besoins"),
                    "recuperer-besoins-individu",
                ),
                (
                    "diagnostic-individu",
                    format!("/partenaire/diagnosticargumente/v1/individus/{enc}/diagnostics"),
                    "recuperer-diagnostics-individu",
                ),
                (
                    "diagnostic-individu",
                    format!("/partenaire/diagnosticargumente/v1/individus/{enc}/contraintes"),
                    "recuperer-contraintes-individu",
                ),
                (
                    "diagnostic-individu",
                    format!("/partenaire/diagnosticargumente/v1/individus/{enc}/pouvoir-agir"),
                    "recuperer-pouvoir-agir",
                ),
            ] {
                let token = tokens[&(api, "v1")].clone();
                let a = sim
                    .send(
                        sim.request("GET", &path, &token, false)
                            .body(Body::empty())
                            .unwrap(),
                    )
                    .await;
                keep(&mut out, api, "v1", op, &a);
            }
        }
        if let Some(j) = jeton {
            let p4 = "/partenaire/diagnosticargumente/v4";
            for (api, path, op) in [
                (
                    "statut-usager",
                    "/partenaire/contrat-usager/v2/contrat".to_string(),
                    "recuperer-contrat",
                ),
                (
                    "metiers-recherches",
                    "/partenaire/metiers-projets-entreprises/v2/metiers-recherches".into(),
                    "recuperer-metiers-recherches",
                ),
                (
                    "creation-entreprise",
                    "/partenaire/metiers-projets-entreprises/v2/projets-cref".into(),
                    "recuperer-projets",
                ),
                (
                    "diagnostic-individu",
                    format!("{p4}/dossiers"),
                    "recuperer-dossier-individu",
                ),
                (
                    "diagnostic-individu",
                    format!("{p4}/besoins"),
                    "recuperer-besoins-individu",
                ),
                (
                    "diagnostic-individu",
                    format!("{p4}/diagnostics"),
                    "recuperer-diagnostics-individu",
                ),
                (
                    "diagnostic-individu",
                    format!("{p4}/contraintes"),
                    "recuperer-contraintes-individu",
                ),
                (
                    "diagnostic-individu",
                    format!("{p4}/pouvoiragir"),
                    "recuperer-pouvoir-agir",
                ),
                (
                    "diagnostic-individu",
                    format!("{p4}/autonomienumerique"),
                    "recuperer-autonomie-numerique",
                ),
                (
                    "diagnostic-individu",
                    format!("{p4}/dossiers/historisation"),
                    "recuperer-dossier-individu-historisation",
                ),
                (
                    "diagnostic-individu",
                    format!("{p4}/historisation/diagnostics"),
                    "recuperer-diagnostics-individu-historisation",
                ),
                (
                    "diagnostic-individu",
                    format!("{p4}/historisation/contraintes"),
                    "recuperer-contraintes-individu-historisation",
                ),
                (
                    "diagnostic-individu",
                    format!("{p4}/historisation/pouvoiragir"),
                    "recuperer-pouvoir-agir-historisation",
                ),
                (
                    "diagnostic-individu",
                    format!("{p4}/historisation/autonomienumerique"),
                    "recuperer-autonomie-numerique-historisation",
                ),
            ] {
                let v = if api == "diagnostic-individu" {
                    "v4"
                } else {
                    "v2"
                };
                let token = tokens[&(api, v)].clone();
                let a = sim
                    .send(
                        sim.request("GET", &path, &token, true)
                            .header("ft-jeton-usager", &j)
                            .body(Body::empty())
                            .unwrap(),
                    )
                    .await;
                keep(&mut out, api, v, op, &a);
                if op == "recuperer-diagnostics-individu" && a.status == 200 {
                    let id = a.json()["diagnostics"][0]["idDiagnostic"]
                        .as_str()
                        .unwrap()
                        .to_string();
                    let a = sim
                        .send(
                            sim.request(
                                "GET",
                                &format!("{p4}/historisation/diagnostics/{id}/besoins"),
                                &token,
                                true,
                            )
                            .header("ft-jeton-usager", &j)
                            .body(Body::empty())
                            .unwrap(),
                        )
                        .await;
                    keep(
                        &mut out,
                        api,
                        v,
                        "recuperer-besoins-individu-historisation",
                        &a,
                    );
                }
            }
        }
    }
    // The référentiel.
    let token = tok("diagnostic-individu", "v4");
    for (path, op) in [
        ("/referentiel", "recuperer-referentiel"),
        // Every documented domain and sous-domaine (the official document's enums and pairs).
        ("/referentiel/besoin", "recuperer-domaine-referentiel"),
        ("/referentiel/contrainte", "recuperer-domaine-referentiel"),
        ("/referentiel/pouvoir-agir", "recuperer-domaine-referentiel"),
        (
            "/referentiel/contrainte/situation",
            "recuperer-sous-domaine-referentiel",
        ),
        (
            "/referentiel/contrainte/objectif",
            "recuperer-sous-domaine-referentiel",
        ),
        (
            "/referentiel/pouvoir-agir/question",
            "recuperer-sous-domaine-referentiel",
        ),
        (
            "/referentiel/pouvoir-agir/analyse?confiance=OUI&accompagnement=NON",
            "recuperer-pouvoir-agir-analyse-referentiel",
        ),
    ] {
        let a = sim
            .send(
                sim.request(
                    "GET",
                    &format!("/partenaire/diagnosticargumente/v4{path}"),
                    &token,
                    true,
                )
                .body(Body::empty())
                .unwrap(),
            )
            .await;
        keep(&mut out, "diagnostic-individu", "v4", op, &a);
    }
    out
}
