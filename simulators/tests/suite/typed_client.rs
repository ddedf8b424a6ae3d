//! A strict client, written from the official documents (version n) and the 2023 facts
//! (version n-1) and not from the simulators' code (`typed/`), reads every answer of every
//! read of both versions for 1 000 people: fields the sources call required must be there and
//! non-null, keys real clients index must be present (possibly null), nothing undeclared may
//! appear, enums and dates must parse. Any surprise fails.

#![allow(clippy::unwrap_used)]

use crate::common;
use crate::typed;

use std::collections::BTreeMap;

use common::harvest::harvest;
use common::*;

#[tokio::test]
async fn a_strict_client_reads_every_answer_of_1000_people_of_both_versions() {
    let sim = sim();
    let mut surprises: Vec<String> = Vec::new();
    let mut read: BTreeMap<String, u32> = BTreeMap::new();
    for a in harvest(&sim, 1000).await {
        let status = a.status.as_u16();
        match typed::read(a.api, a.major, a.op, status, &a.text) {
            Ok(()) => {
                *read
                    .entry(format!("{} {} {} {status}", a.api, a.major, a.op))
                    .or_default() += 1
            }
            Err(e) if surprises.len() < 10 => surprises.push(format!(
                "{} {} {} {status}: {e}\n{}",
                a.api,
                a.major,
                a.op,
                a.text.chars().take(600).collect::<String>()
            )),
            Err(_) => {}
        }
    }
    assert!(surprises.is_empty(), "{}", surprises.join("\n\n"));
    // Every read of both versions was met with a body.
    let with_body: Vec<&String> = read.keys().filter(|k| k.ends_with(" 200")).collect();
    for needle in [
        "recherche-usager v1",
        "recherche-usager v2",
        "statut-usager v1",
        "statut-usager v2",
        "metiers-recherches v1",
        "metiers-recherches v2",
        "creation-entreprise v1",
        "creation-entreprise v2",
        "diagnostic-individu v1 recuperer-dossier-individu",
        "diagnostic-individu v1 recuperer-besoins-individu",
        "diagnostic-individu v1 recuperer-diagnostics-individu",
        "diagnostic-individu v1 recuperer-contraintes-individu",
        "diagnostic-individu v1 recuperer-pouvoir-agir",
        "diagnostic-individu v4 recuperer-dossier-individu 200",
        "diagnostic-individu v4 recuperer-besoins-individu 200",
        "diagnostic-individu v4 recuperer-diagnostics-individu 200",
        "diagnostic-individu v4 recuperer-contraintes-individu 200",
        "diagnostic-individu v4 recuperer-pouvoir-agir 200",
        "diagnostic-individu v4 recuperer-autonomie-numerique 200",
        "diagnostic-individu v4 recuperer-dossier-individu-historisation",
        "diagnostic-individu v4 recuperer-besoins-individu-historisation",
        "diagnostic-individu v4 recuperer-sous-domaine-referentiel",
    ] {
        assert!(
            with_body.iter().any(|k| k.starts_with(needle)),
            "never read with a body: {needle}\n{read:#?}"
        );
    }
    let people = 1000;
    let dossiers = read
        .iter()
        .filter(|(k, _)| k.starts_with("diagnostic-individu v4 recuperer-dossier-individu 200"))
        .map(|(_, n)| *n)
        .sum::<u32>();
    assert!(dossiers > people / 4, "{dossiers} v4 dossiers read");
}

/// The client is strict: an undeclared key, an absent indexed key, a null where the 2023 facts
/// show a value, a value outside an enum and a malformed date are each a surprise.
#[test]
fn the_client_refuses_what_its_sources_do_not_allow() {
    let ok = r#"{"m_contrat": {"m_statut": "Inscrit", "m_motif_cloture_code": null, "m_motif_cloture_lib": null}}"#;
    assert_eq!(
        typed::read("statut-usager", "v2", "recuperer-contrat", 200, ok),
        Ok(())
    );
    for bad in [
        r#"{"m_contrat": {"m_statut": "Inscrit"}}"#,
        r#"{"m_contrat": {"m_statut": "Inscrite", "m_motif_cloture_code": null, "m_motif_cloture_lib": null}}"#,
        r#"{"m_contrat": {"m_statut": "Inscrit", "m_motif_cloture_code": null, "m_motif_cloture_lib": null, "x": 1}}"#,
        r#"{"m_contrat": {"m_date_effet_statut": "28/06/2023", "m_motif_cloture_code": null, "m_motif_cloture_lib": null}}"#,
    ] {
        assert!(
            typed::read("statut-usager", "v2", "recuperer-contrat", 200, bad).is_err(),
            "{bad}"
        );
    }
    let dossier =
        r#"{"besoinsParDiagnostic": [], "thematiqueContrainte": null, "pouvoirAgir": null}"#;
    assert!(
        typed::read(
            "diagnostic-individu",
            "v4",
            "recuperer-dossier-individu",
            200,
            dossier
        )
        .is_err()
    );
    let v1 = r#"{"besoinsParDiagnosticIndividuDtos": [], "contraintesIndividusDto": {"conseiller": null, "dateDeModification": null, "code": "7", "libelle": null, "contraintes": []}}"#;
    assert_eq!(
        typed::read(
            "diagnostic-individu",
            "v1",
            "recuperer-dossier-individu",
            200,
            v1
        ),
        Ok(())
    );
    let v1_22 = v1.replace(r#""contraintes": []"#, r#""contraintes": [{"code": "22", "libelle": null, "valeur": "OUI", "date": null, "situations": [], "objectifs": []}]"#);
    assert!(
        typed::read(
            "diagnostic-individu",
            "v1",
            "recuperer-dossier-individu",
            200,
            &v1_22
        )
        .is_err()
    );
    assert!(typed::read("statut-usager", "v2", "recuperer-contrat", 204, "{}").is_err());
}
