//! Every answer of every operation of both versions, for a sample of the population, conforms
//! to the contract of its version (under the default profile: with its presence rules).

#![allow(clippy::unwrap_used)]

use crate::common;

use contracts::Checker;

use common::harvest::harvest;
use common::*;

#[tokio::test]
async fn every_operation_of_both_versions_answers_within_its_contract() {
    let sim = sim();
    let checker = Checker::active().unwrap();
    let mut seen = Vec::new();
    let mut failures = Vec::new();
    // The 2023 era's nulls (realism `realistic`, the default): each field met null at least once.
    let mut v1_nulls: std::collections::BTreeMap<String, u64> = Default::default();
    let mut v1_empty_dossiers = 0;
    let mut long_lists = 0;
    for a in harvest(&sim, 150).await {
        count_v1_nulls(&a, &mut v1_nulls);
        v1_empty_dossiers += u32::from(is_empty_v1_dossier(&a));
        long_lists += u32::from(is_long_list(&a));
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
    for field in ERA_2023_NULLS {
        assert!(
            v1_nulls.get(field).is_some_and(|n| *n > 0),
            "{field} never null in v1: {v1_nulls:?}"
        );
    }
    // …and the empty dossier of the 2023 client's fixture (no métier, no contrainte).
    assert!(v1_empty_dossiers > 0, "no empty v1 dossier met");
    // …and dossiers with a long list of métiers.
    assert!(long_lists > 0, "no dossier with more than 3 métiers");
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

/// The fields the 2023 API sent null in real dossiers (realism `realistic`).
const ERA_2023_NULLS: [&str; 5] = [
    "nomMetier",
    "typologie",
    "dateMiseAJour",
    "conseiller",
    "dateDeModification",
];

/// A v1 dossier as the 2023 platform sometimes sent it: nothing explored.
fn is_empty_v1_dossier(a: &common::harvest::Harvested) -> bool {
    a.api == "diagnostic-individu"
        && a.major == "v1"
        && a.op == "recuperer-dossier-individu"
        && a.body().is_some_and(|b| {
            b["besoinsParDiagnosticIndividuDtos"] == serde_json::json!([])
                && b["contraintesIndividusDto"]["contraintes"] == serde_json::json!([])
        })
}

/// A v4 dossier with more than 3 métiers (realism's long lists).
fn is_long_list(a: &common::harvest::Harvested) -> bool {
    a.api == "diagnostic-individu"
        && a.major == "v4"
        && a.op == "recuperer-dossier-individu"
        && a.body().is_some_and(|b| {
            b["besoinsParDiagnostic"]
                .as_array()
                .is_some_and(|l| l.len() > 3)
        })
}

/// The nulls of a Diagnostic v1 answer, by field name.
fn count_v1_nulls(
    a: &common::harvest::Harvested,
    out: &mut std::collections::BTreeMap<String, u64>,
) {
    if a.api == "diagnostic-individu"
        && a.major == "v1"
        && let Some(b) = a.body()
    {
        count_nulls(&b, out);
    }
}

fn count_nulls(v: &serde_json::Value, out: &mut std::collections::BTreeMap<String, u64>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                if x.is_null() {
                    *out.entry(k.clone()).or_default() += 1;
                }
                count_nulls(x, out);
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| count_nulls(x, out)),
        _ => {}
    }
}

/// `realism = "minimal"`: the same walk, the 2023-era fields are never null, no dossier
/// reads empty, none has more than 3 métiers.
#[tokio::test]
async fn minimal_realism_sends_every_2023_value() {
    let sim = sim_with(simulators::config::SimConfig {
        realism: simulators::Realism::Minimal,
        people: 5_000,
        ..simulators::config::SimConfig::default()
    });
    let mut nulls = std::collections::BTreeMap::new();
    for a in harvest(&sim, 150).await {
        count_v1_nulls(&a, &mut nulls);
        assert!(!is_empty_v1_dossier(&a), "an empty dossier under minimal");
        assert!(!is_long_list(&a), "a long list under minimal");
    }
    for field in ERA_2023_NULLS {
        assert!(!nulls.contains_key(field), "{field}: {nulls:?}");
    }
}
