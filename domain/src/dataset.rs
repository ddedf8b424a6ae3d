//! The data set format: which inputs lead to which case, for tests, `vigie check` and the
//! probes, filled from the simulated population or with the real qualification platform's
//! test people.

use serde::{Deserialize, Serialize};

/// One case: an input and what the APIs answer for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Case {
    /// S001-certifie, S001-non-certifie, S002-inconnu, S002-radie-plus-de-3-ans, S003,
    /// R002-autre-structure, R997-nir-invalide, 204-statut, 204-diagnostic, 204-metiers …
    pub name: String,
    pub nir: String,
    pub date_naissance: String,
    /// Expected `codeRetour` of Recherche usager v2 (v1 has no R002: S001 there).
    pub code_retour: String,
    /// Expected statuses of the per-person reads, when the person is found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect: Option<Expect>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Expect {
    pub certifie: bool,
    pub statut: u16,
    pub statut_de: Option<String>,
    pub categorie: Option<String>,
    pub dossier: u16,
    pub metiers: u16,
    pub projets_cref: u16,
}

/// An input spread over the population, for load and memory runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Input {
    pub nir: String,
    pub date_naissance: String,
}

/// The data set of a population.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dataset {
    pub seed: u64,
    pub people: u64,
    pub cases: Vec<Case>,
    /// People found by Recherche usager (S001), spread over the whole population.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sample: Vec<Input>,
}
