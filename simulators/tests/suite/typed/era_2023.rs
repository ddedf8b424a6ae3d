//! Version n-1 (2023), typed from the 2023 facts only: the 2023 client's own models and
//! fixtures (API-SHAPES.md §2.1, §4.2, §10) and the convention's tables (Annexe 2 §10) where
//! no client of the time left a trace. A field those facts show null or missing is an
//! `Option`; every other field is plain; objects refuse undeclared keys.

// Fields are read to be checked, not used; enum variants spell the documents' wire values.
#![allow(dead_code, clippy::upper_case_acronyms)]

use serde::Deserialize;

use super::wire::{Date, DateTime, Nullable};

/// `POST /usagers/recherche` (§2.1: the 2023 client's mock, found and not found).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Recherche {
    pub code_retour: String,
    pub identifiant: Nullable<String>,
    pub message: String,
    pub top_identite_certifiee: Nullable<Top>,
}

#[derive(Debug, Deserialize)]
pub enum Top {
    O,
    N,
}

/// Statut usager v1: the convention's table (no 2023 client called it).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Statut {
    pub id_nat: String,
    #[serde(rename = "statutDE")]
    pub statut_de: StatutDe,
    pub date_effet_statut: Date,
    /// « Date d'inscription dans les 12 derniers mois »: a number of months (the n document
    /// types its twin an integer).
    pub date_inscription12: Option<i32>,
    pub date_inscription24: Option<i32>,
    pub date_inscription36: Option<i32>,
    pub motif_inscription_code: Option<String>,
    pub motif_inscription_lib: Option<String>,
    pub categ_inscription_code: Option<String>,
    pub categ_inscription_lib: Option<String>,
    pub situation_reg_emp_code: Option<String>,
    pub situation_reg_emp_lib: Option<String>,
    pub motif_cloture_code: Option<String>,
    pub motif_cloture_lib: Option<String>,
    pub message_erreur: Option<String>,
}

/// « Statut du DE (Identifié, Inscrit, Cessé, Radié) ».
#[derive(Debug, Deserialize)]
pub enum StatutDe {
    #[serde(rename = "Identifié")]
    Identifie,
    Inscrit,
    #[serde(rename = "Cessé")]
    Cesse,
    #[serde(rename = "Radié")]
    Radie,
}

/// The dossier individu (§4.2).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dossier {
    #[serde(rename = "besoinsParDiagnosticIndividuDtos")]
    pub besoins_par_diagnostic: Vec<BesoinsParDiagnostic>,
    #[serde(rename = "contraintesIndividusDto")]
    pub contraintes: Contraintes,
}

/// One métier of the dossier; `nomMetier`, `typologie`, `dateMiseAJour` were null in real
/// dossiers (the client's fixes #1876, #1878).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BesoinsParDiagnostic {
    pub id_metier_chiffre: String,
    pub nom_metier: Option<String>,
    pub typologie: Option<String>,
    pub statut: String,
    pub est_prioritaire: bool,
    pub date_mise_a_jour: Option<DateTime>,
    pub besoins: Vec<Besoin>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Besoin {
    pub code: String,
    pub libelle: Option<String>,
    pub valeur: ValeurBesoin,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ValeurBesoin {
    NonExplore,
    Besoin,
    PointFort,
}

/// `contraintesIndividusDto`; `conseiller` and `dateDeModification` were null in real ones.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Contraintes {
    pub conseiller: Option<String>,
    pub date_de_modification: Option<DateTime>,
    pub code: String,
    pub libelle: Option<String>,
    pub contraintes: Vec<Contrainte>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contrainte {
    pub code: String,
    pub libelle: Option<String>,
    pub valeur: ValeurContrainte,
    pub date: Option<DateTime>,
    pub situations: Vec<Situation>,
    pub objectifs: Vec<Objectif>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ValeurContrainte {
    Oui,
    NonAbordee,
    Cloturee,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Situation {
    pub code: String,
    pub libelle: Option<String>,
    pub valeur: ValeurSituation,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ValeurSituation {
    NonAbordee,
    Oui,
    Non,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Objectif {
    pub code: String,
    pub libelle: Option<String>,
    pub valeur: ValeurObjectif,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ValeurObjectif {
    NonAborde,
    EnCours,
    Realise,
    Abandonne,
}

/// The early `/contraintes` resource (§4.2: `id` (int) and `nom` instead of `code`/`libelle`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ContraintesResource {
    pub conseiller: Option<String>,
    pub date_de_modification: Option<DateTime>,
    pub code: String,
    pub libelle: Option<String>,
    pub contraintes: Vec<ContrainteIdNom>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContrainteIdNom {
    pub id: i64,
    pub nom: Option<String>,
    pub valeur: ValeurContrainte,
    pub date: Option<DateTime>,
    pub situations: Vec<Situation>,
    pub objectifs: Vec<Objectif>,
}

/// « diagnostics individus » (the convention's table); `conseiller` was null in real ones.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Diagnostics {
    pub liste_diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Diagnostic {
    pub id_metier_chiffre: String,
    pub nom_metier: Option<String>,
    pub typologie: Option<String>,
    pub statut: String,
    pub est_prioritaire: bool,
    pub date_mise_a_jour: Option<DateTime>,
    pub conseiller: Option<String>,
}

/// « Pouvoir Agir » (the convention's table).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PouvoirAgirResource {
    pub pouvoir_agir: PouvoirAgir,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PouvoirAgir {
    pub confiance: String,
    pub accompagnement: String,
    pub resultat_analyse: Option<String>,
}

/// The 2023 référentiel's contraintes (§10: codes 23 to 29, no 22).
pub fn contrainte_of_2023(code: &str) -> bool {
    matches!(code, "23" | "24" | "25" | "26" | "27" | "28" | "29")
}
