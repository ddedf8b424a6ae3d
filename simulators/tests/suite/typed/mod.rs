//! A strict client of both versions, written from the official documents (n) and the 2023
//! facts (n-1), not from the simulators' code: [`read`] deserialises one answer into the
//! types of its operation and says what surprised it.

pub mod current;
pub mod era_2023;
pub mod wire;

use serde::de::DeserializeOwned;

/// Reads `text` as a `T`, or says why not (serde's message names the field and the line).
fn strict<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_str::<T>(text).map_err(|e| e.to_string())
}

/// Reads one answer of `api` `major` `op` with HTTP `status` as a strict client would.
pub fn read(api: &str, major: &str, op: &str, status: u16, text: &str) -> Result<(), String> {
    use current as n;
    use era_2023 as n1;
    if status == 204 {
        return if text.is_empty() {
            Ok(())
        } else {
            Err("a 204 with a body".into())
        };
    }
    if status != 200 {
        return match (api, major) {
            // The documented error bodies of Rechercher usager 2.0 (R002 is a 403).
            ("recherche-usager", "v2") => strict::<n::ResultatErreur>(text).map(drop),
            _ => Err(format!("status {status} not expected by this client")),
        };
    }
    match (api, major, op) {
        ("recherche-usager", "v2", _) => strict::<n::Resultat>(text).map(drop),
        ("statut-usager", "v2", _) => strict::<n::ContratResponse>(text).map(drop),
        ("metiers-recherches", "v2", _) => strict::<n::MetierRecherche>(text).map(drop),
        ("creation-entreprise", "v2", _) => strict::<n::ProjetCref>(text).map(drop),
        ("diagnostic-individu", "v4", op) => read_v4(op, text),
        ("recherche-usager", "v1", _) => strict::<n1::Recherche>(text).map(drop),
        ("statut-usager", "v1", _) => strict::<n1::Statut>(text).map(drop),
        // The convention's names are the n document's: its items, in a list (I-5).
        ("metiers-recherches", "v1", _) => strict::<Vec<n::MetierRecherche>>(text).map(drop),
        ("creation-entreprise", "v1", _) => strict::<Vec<n::ProjetCref>>(text).map(drop),
        ("diagnostic-individu", "v1", op) => read_v1(op, text),
        _ => Err(format!(
            "{api} {major} {op}: an operation this client does not know"
        )),
    }
}

fn read_v4(op: &str, text: &str) -> Result<(), String> {
    use current as n;
    match op {
        "recuperer-dossier-individu" => strict::<n::Dossier>(text).map(drop),
        "recuperer-besoins-individu" => strict::<Vec<n::BesoinsParDiagnostic>>(text).map(drop),
        "recuperer-diagnostics-individu" => strict::<n::Diagnostics>(text).map(drop),
        "recuperer-contraintes-individu" => strict::<n::ThematiqueContrainte>(text).map(drop),
        "recuperer-pouvoir-agir" => strict::<n::PouvoirAgir>(text).map(drop),
        "recuperer-autonomie-numerique" => strict::<n::AutonomieNumerique>(text).map(drop),
        "recuperer-dossier-individu-historisation" => {
            strict::<n::Page<n::DossierHistorise>>(text).map(drop)
        }
        "recuperer-diagnostics-individu-historisation" => {
            strict::<n::Page<n::DiagnosticsHistorises>>(text).map(drop)
        }
        "recuperer-contraintes-individu-historisation" => {
            strict::<n::Page<n::ContraintesHistorisees>>(text).map(drop)
        }
        "recuperer-pouvoir-agir-historisation" => {
            strict::<n::Page<n::PouvoirAgirHistorise>>(text).map(drop)
        }
        "recuperer-autonomie-numerique-historisation" => {
            strict::<n::Page<n::AutonomieHistorisee>>(text).map(drop)
        }
        "recuperer-besoins-individu-historisation" => {
            strict::<n::Page<n::BesoinsHistorises>>(text).map(drop)
        }
        op if op.contains("referentiel") => strict::<n::Referentiel>(text).map(drop),
        _ => Err(format!(
            "diagnostic v4 {op}: an operation this client does not know"
        )),
    }
}

fn read_v1(op: &str, text: &str) -> Result<(), String> {
    use era_2023 as n1;
    let of_2023 = |codes: Vec<String>| match codes.iter().find(|c| !n1::contrainte_of_2023(c)) {
        Some(c) => Err(format!("contrainte {c} is not of the 2023 référentiel")),
        None => Ok(()),
    };
    match op {
        "recuperer-dossier-individu" => {
            let d = strict::<n1::Dossier>(text)?;
            of_2023(
                d.contraintes
                    .contraintes
                    .into_iter()
                    .map(|c| c.code)
                    .collect(),
            )
        }
        "recuperer-besoins-individu" => strict::<Vec<n1::BesoinsParDiagnostic>>(text).map(drop),
        "recuperer-diagnostics-individu" => strict::<n1::Diagnostics>(text).map(drop),
        "recuperer-contraintes-individu" => {
            let d = strict::<n1::ContraintesResource>(text)?;
            of_2023(d.contraintes.iter().map(|c| c.id.to_string()).collect())
        }
        "recuperer-pouvoir-agir" => strict::<n1::PouvoirAgirResource>(text).map(drop),
        _ => Err(format!(
            "diagnostic v1 {op}: an operation this client does not know"
        )),
    }
}
