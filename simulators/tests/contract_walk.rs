//! Every answer of every operation of both versions, for a sample of the population, conforms
//! to the contract of its version (under the default profile: with its presence rules).

#![allow(clippy::unwrap_used)]

mod common;

use contracts::Checker;

use common::harvest::harvest;
use common::*;

#[tokio::test]
async fn every_operation_of_both_versions_answers_within_its_contract() {
    let sim = sim();
    let checker = Checker::embedded().unwrap();
    let mut seen = Vec::new();
    let mut failures = Vec::new();
    for a in harvest(&sim, 150).await {
        let v = checker
            .check_response(a.api, a.major, a.op, a.status.as_u16(), a.body().as_ref())
            .unwrap();
        if !v.is_empty() && failures.len() < 5 {
            failures.push(format!(
                "{} {} {} {}: {v:#?}\n{}",
                a.api, a.major, a.op, a.status, a.text
            ));
        }
        seen.push(format!(
            "{} {} {} {}",
            a.api,
            a.major,
            a.op,
            a.status.as_u16()
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // Every case was met: S001, S002, S003, R002, 200 and 204 of each read.
    seen.sort();
    seen.dedup();
    for needle in [
        "recherche-usager v2 rechercher-usager-par-date-naissance-et-nir 403",
        "statut-usager v2 recuperer-contrat 204",
        "statut-usager v1 recuperer-contrat 200",
        "diagnostic-individu v4 recuperer-dossier-individu 204",
        "diagnostic-individu v4 recuperer-pouvoir-agir 204",
        "metiers-recherches v2 recuperer-metiers-recherches 204",
        "creation-entreprise v1 recuperer-projets 200",
        "diagnostic-individu v1 recuperer-pouvoir-agir 200",
    ] {
        assert!(
            seen.iter().any(|s| s == needle),
            "never seen: {needle}\n{seen:#?}"
        );
    }
}
