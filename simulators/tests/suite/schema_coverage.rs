//! Every property of every 200 response schema of both versions appears (as a key, possibly
//! null) in at least one simulated answer over the contract walk: a field forgotten by every
//! view fails here even though each answer, taken alone, is valid.

#![allow(clippy::unwrap_used)]

use crate::common;

use std::collections::{BTreeMap, BTreeSet};

use contracts::Checker;
use serde_json::Value;

use common::harvest::harvest;
use common::*;

/// Properties the documents declare that no answer carries: (API, and version when it
/// matters; operation; path prefix; why).
const NEVER_SENT: &[(&str, &str, &str, &str)] = &[
    (
        "diagnostic-individu v4",
        "recuperer-besoins-individu",
        "/*/thematiquesBesoins/*/agent",
        "only in the «Lecture Besoins» example, on one thématique of two (importer rule I-10); \
         the «Lecture Dossier» example has none: the simulators follow the dossier",
    ),
    (
        "diagnostic-individu v4",
        "recuperer-besoins-individu",
        "/*/thematiquesBesoins/*/dateExploration",
        "as agent just above",
    ),
    (
        "diagnostic-individu v4",
        "recuperer-diagnostics-individu-historisation",
        "/donneesParVersionExploration/*/donnees/diagnostics/*/nomActiviteCref",
        "declared without description or example: nothing says when it is filled",
    ),
    (
        "diagnostic-individu v4",
        "recuperer-dossier-individu-historisation",
        "/donneesParVersionExploration/*/donnees/diagnosticsHistorises/diagnostics/*/nomActiviteCref",
        "as in the diagnostics' historisation",
    ),
    (
        "diagnostic-individu v4",
        REFERENTIEL,
        "/thematiquesBesoins/*/aideQuestionnement",
        "sent only with ?inclure=aide-questionnement, which the simulators do not serve: \
         the official example has no text for it",
    ),
    (
        "diagnostic-individu v4",
        REFERENTIEL,
        "/thematiquesBesoins/*/besoins/*/aideQuestionnement",
        "as above",
    ),
    (
        "diagnostic-individu v4",
        REFERENTIEL,
        "/thematiqueContrainte/aideQuestionnement",
        "as above",
    ),
    (
        "diagnostic-individu v4",
        REFERENTIEL,
        "/thematiqueContrainte/contraintes/*/aideQuestionnement",
        "as above",
    ),
    (
        "diagnostic-individu v4",
        REFERENTIEL,
        "/pourvoirAgir/aideQuestionnement",
        "as above",
    ),
    (
        "diagnostic-individu v4",
        REFERENTIEL,
        "/pourvoirAgir/questions/*/code",
        "the official example's questions carry no code (the référentiel is read from it)",
    ),
    (
        "diagnostic-individu v4",
        REFERENTIEL,
        "/pourvoirAgir/analyses/*/code",
        "the official example's analyses carry no code",
    ),
    (
        "metiers-recherches v1",
        "recuperer-metiers-recherches",
        "/*/dateValidationPasseportEmploi",
        "« non renseignée aujourd'hui, en cours de déploiement » (the convention, Annexe 2 §10.4)",
    ),
    (
        "metiers-recherches v2",
        "recuperer-metiers-recherches",
        "/dateValidationPasseportEmploi",
        "as in n-1: not filled yet",
    ),
    (
        "metiers-recherches",
        "recuperer-metiers-recherches",
        "/mobiliteHabitation/valeur",
        "the document bounds this radius to [-1, 1] (contracts/CORRECTIONS.md I-8, a defect: \
         the PE Connect twin's example sends 27 km); any real radius would break the contract",
    ),
    (
        "metiers-recherches",
        "recuperer-metiers-recherches",
        "/*/mobiliteHabitation/valeur",
        "as above",
    ),
    (
        "creation-entreprise",
        "recuperer-projets",
        "/mobiliteHabitation/valeur",
        "as above",
    ),
    (
        "creation-entreprise",
        "recuperer-projets",
        "/*/mobiliteHabitation/valeur",
        "as above",
    ),
];

/// The référentiel's reads answer parts of one document (`DonneesReferentielDto`): they are
/// covered together.
const REFERENTIEL: &str = "referentiel";

/// The key paths of a body, `*` for array items, as `schema_walk` writes them.
fn paths(v: &Value, at: &str, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.insert(p.clone());
                paths(x, &p, out);
            }
        }
        Value::Array(a) => {
            let p = format!("{at}/*");
            for x in a {
                paths(x, &p, out);
            }
        }
        _ => {}
    }
}

#[tokio::test]
async fn every_documented_property_appears_in_some_answer() {
    let sim = sim();
    let checker = Checker::active().unwrap();
    let mut seen: BTreeMap<(String, String, String), BTreeSet<String>> = BTreeMap::new();
    for a in harvest(&sim, 300).await {
        if a.status.as_u16() != 200 {
            continue;
        }
        let key = (a.api.to_string(), a.major.to_string(), a.op.to_string());
        paths(&a.body().unwrap(), "", seen.entry(key).or_default());
    }
    // Operations that share one schema (the référentiel's four reads) are covered together.
    let mut by_schema: BTreeMap<(String, String), (Vec<String>, BTreeSet<String>)> =
        BTreeMap::new();
    for ((api, major, op), present) in &seen {
        let loaded = checker.store().raw(api, major).unwrap();
        let op_def = loaded
            .manifest
            .operations
            .iter()
            .find(|o| &o.id == op)
            .unwrap();
        let Some(schema) = op_def
            .response(200)
            .and_then(|r| r.schema.as_ref())
            .and_then(|f| loaded.schemas.get(f))
        else {
            continue;
        };
        let group = if op.contains(REFERENTIEL) {
            REFERENTIEL.to_string()
        } else {
            schema.to_string()
        };
        let entry = by_schema
            .entry((format!("{api} {major}"), group))
            .or_default();
        entry.0.push(op.clone());
        entry.1.extend(present.iter().cloned());
    }
    let mut missing = Vec::new();
    for ((api, _), (ops, present)) in &by_schema {
        let loaded = checker
            .store()
            .raw(
                api.split(' ').next().unwrap(),
                api.split(' ').nth(1).unwrap(),
            )
            .unwrap();
        // Every schema of the group (the référentiel's differ only in their descriptions).
        let schemas: Vec<&Value> = ops
            .iter()
            .filter_map(|o| loaded.manifest.operations.iter().find(|x| &x.id == o))
            .filter_map(|o| o.response(200).and_then(|r| r.schema.as_ref()))
            .filter_map(|f| loaded.schemas.get(f))
            .collect();
        for f in schemas
            .iter()
            .flat_map(|s| contracts::schema_walk::fields(s))
        {
            if f.path.is_empty() || f.path.ends_with("/*") || present.contains(&f.path) {
                continue;
            }
            let excused = NEVER_SENT.iter().any(|(a, o, p, _)| {
                api.starts_with(a) && ops.iter().any(|x| x.contains(o)) && f.path.starts_with(p)
            });
            let line = format!("{api} {}: {}", ops.join(", "), f.path);
            if !excused && !missing.contains(&line) {
                missing.push(line);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "documented, never sent:\n{}",
        missing.join("\n")
    );
    assert!(seen.len() >= 25, "{} operations read", seen.len());
}
