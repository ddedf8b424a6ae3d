//! The bodies of the enregistrement resources, typed. A body reaches here already checked
//! against its operation's contract; serde then reads it into these structs, so the writes
//! work on named fields instead of picking them out of a JSON tree. A key the contract allows
//! but the simulators do not use is ignored; `null` reads as absent (or an empty list).

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::diagnostic::writes::Refused;

/// `body` read as `T`, or a refusal that names what did not fit.
pub(crate) fn parse<T: DeserializeOwned>(body: &Value) -> Result<T, Refused> {
    T::deserialize(body).map_err(|e| Refused(format!("corps de requête inattendu : {e}")))
}

/// A list that may be absent or `null`: empty then.
fn list<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// A besoin, situation or objectif to record: its code and its value.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct CodeValeur {
    pub(crate) code: Option<String>,
    pub(crate) valeur: Option<String>,
}

/// A contrainte to record (v4; v1 has no priority nor impact).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ContrainteAEnregistrer {
    pub(crate) code: Option<String>,
    pub(crate) valeur: Option<String>,
    pub(crate) est_prioritaire: Option<bool>,
    pub(crate) impact: Option<String>,
}

/// `POST /diagnostics`, `PUT /diagnostics/{id}`, and each item of a dossier's
/// `diagnosticsAEnregistrer` (which adds `idDiagnosticModifie` and `prioritaire`).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DiagnosticAEnregistrer {
    pub(crate) id_metier_chiffre: Option<String>,
    pub(crate) nom_metier: Option<String>,
    pub(crate) code_typologie: Option<String>,
    pub(crate) code_sous_typologie: Option<String>,
    pub(crate) code_rome: Option<String>,
    pub(crate) code_appellation: Option<String>,
    pub(crate) id_diagnostic_modifie: Option<String>,
    pub(crate) prioritaire: Option<bool>,
}

/// `POST /diagnostics/{id}/besoins`, and each item of a dossier's
/// `besoinsParDiagnosticAEnregistrer` (which adds `idDiagnostic`).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct BesoinsAEnregistrer {
    pub(crate) id_diagnostic: Option<String>,
    #[serde(default, deserialize_with = "list")]
    pub(crate) besoin_a_enregistrer: Vec<CodeValeur>,
}

/// `POST /contraintes`, and a dossier's contraintes.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ContraintesAEnregistrer {
    #[serde(default, deserialize_with = "list")]
    pub(crate) contraintes_a_enregistrer: Vec<ContrainteAEnregistrer>,
    #[serde(default, deserialize_with = "list")]
    pub(crate) situations_a_enregistrer: Vec<CodeValeur>,
    #[serde(default, deserialize_with = "list")]
    pub(crate) objectifs_a_enregistrer: Vec<CodeValeur>,
    pub(crate) declare_sans_contrainte_a_enregistrer: Option<bool>,
}

/// `POST /pouvoiragir`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct PouvoirAgirAEnregistrer {
    pub(crate) confiance: Option<String>,
    pub(crate) accompagnement: Option<String>,
}

/// `POST /autonomienumerique`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AutonomieAEnregistrer {
    pub(crate) besoin_a_enregistrer: Option<CodeValeur>,
    pub(crate) contrainte_a_enregistrer: Option<ContrainteAEnregistrer>,
    #[serde(default, deserialize_with = "list")]
    pub(crate) situations_a_enregistrer: Vec<CodeValeur>,
    #[serde(default, deserialize_with = "list")]
    pub(crate) objectifs_a_enregistrer: Vec<CodeValeur>,
}

/// `POST /dossiers`: everything at once. The schema names the contraintes
/// `contraintesDossierAEnregistrer`, the official example `contraintesAEnregistrer`: both
/// are taken.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DossierAEnregistrer {
    #[serde(default, deserialize_with = "list")]
    pub(crate) diagnostics_a_enregistrer: Vec<DiagnosticAEnregistrer>,
    #[serde(default, deserialize_with = "list")]
    pub(crate) besoins_par_diagnostic_a_enregistrer: Vec<BesoinsAEnregistrer>,
    pub(crate) contraintes_dossier_a_enregistrer: Option<ContraintesAEnregistrer>,
    pub(crate) contraintes_a_enregistrer: Option<ContraintesAEnregistrer>,
    pub(crate) pouvoir_agir_a_enregistrer: Option<PouvoirAgirAEnregistrer>,
    pub(crate) autonomie_numerique_a_enregistrer: Option<AutonomieAEnregistrer>,
}

/// Diagnostics individus enregistrement (v1): the first item names the diagnostic by its
/// idMetierChiffre.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct DiagnosticsV1 {
    #[serde(default, deserialize_with = "list")]
    pub(crate) diagnostic: Vec<DiagnosticV1>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DiagnosticV1 {
    pub(crate) id_metier_chiffre: Option<String>,
    pub(crate) nom_metier: Option<String>,
    pub(crate) typologie: Option<String>,
}

/// Contraintes individus enregistrement (v1): situations and objectifs nested in each
/// contrainte.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ContraintesV1 {
    #[serde(default, deserialize_with = "list")]
    pub(crate) contraintes: Vec<ContrainteV1>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ContrainteV1 {
    pub(crate) code: Option<String>,
    pub(crate) valeur: Option<String>,
    #[serde(default, deserialize_with = "list")]
    pub(crate) situations: Vec<CodeValeur>,
    #[serde(default, deserialize_with = "list")]
    pub(crate) objectifs: Vec<CodeValeur>,
}
