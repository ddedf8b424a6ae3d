//! Version n, typed from the official documents only (`../shared/openapi/*.json`: their
//! schemas, and their examples where the schema is silent or wrong, each such place said).
//! Fields a document calls required are plain; keys a real client indexes directly
//! (API-SHAPES.md §10) are [`Nullable`] (present, possibly null); every other field is an
//! `Option`. Every object refuses a key its document does not declare.

// Fields are read to be checked, not used; enum variants spell the documents' wire values.
#![allow(dead_code, clippy::upper_case_acronyms)]

use serde::Deserialize;

use super::wire::{Date, DateTime, Nullable};

// ---- rechercher-usager.json « Rechercher usager 2.0 »

#[derive(Debug, Deserialize)]
pub enum TopIdentiteCertifiee {
    O,
    N,
    #[serde(rename = "null")]
    Null,
}

/// `ResultatDTO` (200).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Resultat {
    pub code_retour: Option<String>,
    pub message: Option<String>,
    pub top_identite_certifiee: Option<TopIdentiteCertifiee>,
    pub jeton_usager: Option<String>,
    pub numero_france_travail: Option<String>,
}

/// `Resultat400DTO` … `Resultat503DTO`: the same without `numeroFranceTravail`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ResultatErreur {
    pub code_retour: Option<String>,
    pub message: Option<String>,
    pub top_identite_certifiee: Option<TopIdentiteCertifiee>,
    pub jeton_usager: Option<String>,
}

// ---- statut-usager.json « Statut Usager 2.0 »

#[derive(Debug, Deserialize)]
pub enum Statut {
    #[serde(rename = "Identifié")]
    Identifie,
    Inscrit,
    #[serde(rename = "Cessé")]
    Cesse,
    #[serde(rename = "Radié")]
    Radie,
}

/// `ContratResponse`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContratResponse {
    pub m_contrat: Option<Contrat>,
    #[serde(rename = "m_messageErreur")]
    pub m_message_erreur: Option<String>,
}

/// `Contrat`. The motif de clôture is in every official example, null when not closed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contrat {
    pub m_statut: Option<Statut>,
    pub m_date_effet_statut: Option<Date>,
    pub m_duree_inscription_12: Option<i32>,
    pub m_duree_inscription_24: Option<i32>,
    pub m_duree_inscription_36: Option<i32>,
    pub m_motif_inscription_code: Option<String>,
    pub m_motif_inscription_lib: Option<String>,
    pub m_categ_inscription_code: Option<String>,
    pub m_categ_inscription_lib: Option<String>,
    pub m_situation_reg_emp_code: Option<String>,
    pub m_situation_reg_emp_lib: Option<String>,
    pub m_motif_cloture_code: Nullable<String>,
    pub m_motif_cloture_lib: Nullable<String>,
}

// ---- diagnostic-usager.json « Diagnostic Usager 4.0 »

/// `AgentDto`; `id` is in every example that shows an agent, not in the schema.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agent {
    pub id: Option<String>,
    pub nom: Option<String>,
    pub prenom: Option<String>,
    pub structure: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

/// `DossierIndividuDto`: a real v2 client indexes `pouvoirAgir` and `autonomieNumerique`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Dossier {
    pub autonomie_numerique: Nullable<AutonomieNumerique>,
    pub besoins_par_diagnostic: Option<Vec<BesoinsParDiagnostic>>,
    pub pouvoir_agir: Nullable<PouvoirAgir>,
    pub thematique_contrainte: Option<ThematiqueContrainte>,
}

/// `AutonomieNumeriqueIndividuDto`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AutonomieNumerique {
    pub agent: Option<Agent>,
    pub besoin: Option<Besoin>,
    pub contrainte: Option<Contrainte>,
    pub date_exploration: Option<DateTime>,
}

/// `BesoinIndividuDto`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Besoin {
    pub agent: Option<Agent>,
    pub code: Option<String>,
    pub date_exploration: Option<DateTime>,
    pub libelle: Option<String>,
    pub valeur: Option<String>,
}

/// `ContrainteIndividuDto`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Contrainte {
    pub code: Option<String>,
    pub date_exploration: Option<DateTime>,
    pub est_prioritaire: Option<bool>,
    pub libelle: Option<String>,
    pub objectifs: Option<Vec<Besoin>>,
    pub situations: Option<Vec<Besoin>>,
    pub valeur: Option<String>,
    pub impact: Option<String>,
}

/// `BesoinsParDiagnosticIndividuDto`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BesoinsParDiagnostic {
    pub agent_derniere_exploration_besoin: Option<Agent>,
    pub date_derniere_exploration_besoin: Option<DateTime>,
    pub diagnostic: Option<Diagnostic>,
    pub thematiques_besoins: Option<Vec<ThematiqueBesoin>>,
}

#[derive(Debug, Deserialize)]
pub enum CodeTypologie {
    EF,
    PM,
    MR,
}

/// The schema's enum, plus `MR`, which the «Lecture Dossier» and «Lecture Besoins» examples
/// carry.
#[derive(Debug, Deserialize)]
pub enum CodeSousTypologie {
    CRF,
    C,
    R,
    F,
    CF,
    RF,
    CR,
    MR,
}

/// `DiagnosticIndividuDto`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Diagnostic {
    pub agent: Option<Agent>,
    pub code_appellation: Option<String>,
    pub code_rome: Option<String>,
    pub code_sous_typologie: Option<CodeSousTypologie>,
    pub code_typologie: Option<CodeTypologie>,
    pub date_mise_a_jour: Option<DateTime>,
    pub date_mise_a_jour_projet: Option<DateTime>,
    pub est_creation_partenaire: Option<bool>,
    pub est_prioritaire: Option<bool>,
    pub id_diagnostic: Option<String>,
    pub id_metier_chiffre: Option<String>,
    pub nom_metier: Option<String>,
    pub statut: Option<String>,
    pub typologie: Option<String>,
}

/// `ThematiqueBesoinDto`; `agent` and `dateExploration` from the «Lecture Besoins» example.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ThematiqueBesoin {
    pub besoins: Option<Vec<Besoin>>,
    pub code: Option<String>,
    pub libelle: Option<String>,
    pub agent: Option<Agent>,
    pub date_exploration: Option<DateTime>,
}

/// `PouvoirAgirIndividuDto`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PouvoirAgir {
    pub accompagnement: Option<String>,
    pub agent: Option<Agent>,
    pub confiance: Option<String>,
    pub date_exploration: Option<DateTime>,
    pub resultat_analyse: Option<String>,
}

/// `ThematiqueContrainte`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ThematiqueContrainte {
    pub agent: Option<Agent>,
    pub code: Option<String>,
    pub contraintes: Option<Vec<Contrainte>>,
    pub date_exploration: Option<DateTime>,
    pub libelle: Option<String>,
    pub declare_sans_contrainte: Option<DeclareSansContrainte>,
}

/// `DeclareSansContrainteIndividuDto`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeclareSansContrainte {
    pub flag: Option<bool>,
    pub date: Option<DateTime>,
}

/// `DiagnosticsIndividusDto`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Diagnostics {
    pub diagnostics: Option<Vec<Diagnostic>>,
}

/// `PageHistorisation…Dto`, one per resource.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Page<T> {
    pub donnees_par_version_exploration: Option<Vec<Version<T>>>,
    pub page_actuelle: Option<i32>,
    pub donnees_par_page: Option<i32>,
    pub total_donnees: Option<i32>,
    pub date_debut: Option<DateTime>,
    pub date_fin: Option<DateTime>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Version<T> {
    pub donnees: Option<T>,
    pub version_exploration: Option<VersionExploration>,
}

/// `VersionExploration`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct VersionExploration {
    pub agent: Option<Agent>,
    pub date_exploration: Option<DateTime>,
}

/// `DossierIndividuHistorisationDto`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DossierHistorise {
    pub autonomie_numerique_historisee: Option<AutonomieHistorisee>,
    pub besoins_historises: Option<Vec<BesoinsHistorises>>,
    pub contraintes_historisees: Option<ContraintesHistorisees>,
    pub diagnostics_historises: Option<DiagnosticsHistorises>,
    pub pouvoir_agir_historise: Option<PouvoirAgirHistorise>,
}

/// `AutonomieNumeriqueHistorisationDto`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AutonomieHistorisee {
    pub besoin: Option<CodeLibelleValeur>,
    pub contrainte: Option<ContrainteHistorisee>,
    pub objectifs: Option<Vec<CodeLibelleValeur>>,
    pub situations: Option<Vec<CodeLibelleValeur>>,
}

/// `BesoinIndividuHistorisationDto`, `ObjectifHistorisationDto`, `SituationHistorisationDto`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeLibelleValeur {
    pub code: Option<String>,
    pub libelle: Option<String>,
    pub valeur: Option<String>,
}

/// `ContrainteHistorisationDto`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ContrainteHistorisee {
    pub code: Option<String>,
    pub est_prioritaire: Option<bool>,
    pub libelle: Option<String>,
    pub valeur: Option<String>,
    pub impact: Option<String>,
}

/// `BesoinsIndividuHistorisationDto`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BesoinsHistorises {
    pub besoins: Option<Vec<CodeLibelleValeur>>,
    pub id_diagnostic: Option<String>,
}

/// `ContraintesIndividuHistorisationDto`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContraintesHistorisees {
    pub contraintes: Option<Vec<ContrainteHistorisee>>,
    pub objectifs: Option<Vec<CodeLibelleValeur>>,
    pub situations: Option<Vec<CodeLibelleValeur>>,
}

/// `DiagnosticsIndividuHistorisationDto`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiagnosticsHistorises {
    pub diagnostics: Option<Vec<DiagnosticHistorise>>,
}

/// `DiagnosticIndividuHistorisationDto`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DiagnosticHistorise {
    pub code_appellation: Option<String>,
    pub code_rome: Option<String>,
    pub code_sous_typologie: Option<CodeSousTypologie>,
    pub code_typologie: Option<CodeTypologie>,
    pub date_mise_a_jour: Option<DateTime>,
    pub date_mise_a_jour_projet: Option<DateTime>,
    pub est_creation_partenaire: Option<bool>,
    pub est_prioritaire: Option<bool>,
    pub id_diagnostic: Option<String>,
    pub id_metier_chiffre: Option<String>,
    pub nom_activite_cref: Option<String>,
    pub nom_metier: Option<String>,
    pub statut: Option<String>,
    pub typologie: Option<String>,
}

/// `PouvoirAgirIndividuHistorisationDto`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PouvoirAgirHistorise {
    pub accompagnement: Option<String>,
    pub confiance: Option<String>,
}

/// `DonneesReferentielDto` (`pourvoirAgir` as the document spells it).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Referentiel {
    pub thematiques_besoins: Option<Vec<ThematiqueBesoinRef>>,
    pub thematique_contrainte: Option<ThematiqueContrainteRef>,
    pub pourvoir_agir: Option<PouvoirAgirRef>,
}

/// `AideQuestionnementDto`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AideQuestionnement {
    pub question: Option<String>,
    pub precisions: Option<Vec<String>>,
}

/// `ThematiqueBesoinDto1`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ThematiqueBesoinRef {
    pub code: Option<String>,
    pub libelle: Option<String>,
    pub aide_questionnement: Option<Vec<AideQuestionnement>>,
    pub besoins: Option<Vec<ItemRef>>,
}

/// `ThematiqueContrainteDto`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ThematiqueContrainteRef {
    pub code: Option<String>,
    pub libelle: Option<String>,
    pub aide_questionnement: Option<Vec<AideQuestionnement>>,
    pub contraintes: Option<Vec<ContrainteRef>>,
}

/// `BesoinDto`, `SituationDto1`, `ObjectifDto1`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ItemRef {
    pub code: Option<String>,
    pub valeur: Option<Vec<String>>,
    pub libelle: Option<String>,
    pub aide_questionnement: Option<Vec<AideQuestionnement>>,
}

/// `ContrainteDto`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ContrainteRef {
    pub code: Option<String>,
    pub valeur: Option<Vec<String>>,
    pub libelle: Option<String>,
    pub aide_questionnement: Option<Vec<AideQuestionnement>>,
    pub situations: Option<Vec<ItemRef>>,
    pub objectifs: Option<Vec<ItemRef>>,
}

/// `PouvoirAgirDto`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PouvoirAgirRef {
    #[serde(rename = "aideQuestionnement")]
    pub aide_questionnement: Option<Vec<AideQuestionnement>>,
    pub questions: Option<Vec<QuestionRef>>,
    pub analyses: Option<Vec<AnalyseRef>>,
}

/// `QuestionDto`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionRef {
    pub code: Option<String>,
    pub question: Option<String>,
    pub valeur: Option<Vec<String>>,
    pub libelle: Option<String>,
}

/// `AnalyseDto`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnalyseRef {
    pub code: Option<String>,
    pub confiance: Option<String>,
    pub accompagnement: Option<String>,
    pub libelle: Option<String>,
}

// ---- metiers-recherches-projets-evolution.json

/// `appellation`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Appellation {
    pub code: Option<String>,
    pub libelle: Option<String>,
}

/// `rome` (`libellé`, accented, as the document spells it).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rome {
    pub code: Option<String>,
    #[serde(rename = "libellé")]
    pub libelle: Option<String>,
}

/// `contrat`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ContratSouhaite {
    pub critere_ore: Option<bool>,
    pub priorite: Option<i32>,
    #[serde(rename = "type")]
    pub kind: Option<TypeContrat>,
}

#[derive(Debug, Deserialize)]
pub enum CodeContrat {
    CDI,
    CDD,
    DIN,
    MIS,
    SAI,
    LIB,
    CCE,
    FS,
    E2,
    PS,
}

/// `typeContrat`: codes and labels from the document's enums.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TypeContrat {
    pub code: Option<CodeContrat>,
    pub libelle: Option<LibelleContrat>,
    pub libelle_long: Option<LibelleLongContrat>,
}

#[derive(Debug, Deserialize)]
pub enum LibelleContrat {
    CDI,
    CDD,
    #[serde(rename = "CDI intérimaire")]
    CdiInterimaire,
    #[serde(rename = "Mission intérimaire")]
    MissionInterimaire,
    #[serde(rename = "Saisonnier")]
    Saisonnier,
    #[serde(rename = "Profession libérale")]
    ProfessionLiberale,
    #[serde(rename = "Profession commerciale")]
    ProfessionCommerciale,
    #[serde(rename = "Contrat de professionnalisation")]
    Professionnalisation,
    #[serde(rename = "Contrat d'apprentissage")]
    Apprentissage,
    #[serde(rename = "Portage salarial")]
    Portage,
}

#[derive(Debug, Deserialize)]
pub enum LibelleLongContrat {
    #[serde(rename = "Contrat à durée indéterminée")]
    Cdi,
    #[serde(rename = "Contrat à durée déterminée")]
    Cdd,
    #[serde(rename = "CDI intérimaire")]
    CdiInterimaire,
    #[serde(rename = "Mission intérimaire")]
    MissionInterimaire,
    #[serde(rename = "Contrat travail saisonnier")]
    Saisonnier,
    #[serde(rename = "Profession libérale")]
    ProfessionLiberale,
    #[serde(rename = "Profession commerciale")]
    ProfessionCommerciale,
    #[serde(rename = "Contrat de professionnalisation")]
    Professionnalisation,
    #[serde(rename = "Contrat d'apprentissage")]
    Apprentissage,
    #[serde(rename = "Portage salarial")]
    Portage,
}

/// `dureeExperience`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DureeExperience {
    pub unite: Option<UniteDuree>,
    pub valeur: Option<i32>,
}

/// `uniteDureeExperience`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UniteDuree {
    pub code: Option<CodeUniteDuree>,
    pub libelle: Option<LibelleUniteDuree>,
}

#[derive(Debug, Deserialize)]
pub enum CodeUniteDuree {
    AN,
    MO,
}

#[derive(Debug, Deserialize)]
pub enum LibelleUniteDuree {
    #[serde(rename = "An(s)")]
    Ans,
    Mois,
}

/// `dureeHebdomadaire`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DureeHebdomadaire {
    pub critere_ore: Option<bool>,
    pub temps_travail: Option<TempsTravail>,
}

/// `uniteTempsTravail`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TempsTravail {
    pub code: Option<CodeTempsTravail>,
    pub libelle: Option<LibelleTempsTravail>,
    pub max: Option<i32>,
    pub min: Option<i32>,
}

#[derive(Debug, Deserialize)]
pub enum CodeTempsTravail {
    #[serde(rename = "1")]
    Plein,
    #[serde(rename = "2")]
    Partiel,
}

#[derive(Debug, Deserialize)]
pub enum LibelleTempsTravail {
    #[serde(rename = "temps plein")]
    Plein,
    #[serde(rename = "temps partiel")]
    Partiel,
}

/// `lieu` (`Libelle` with a capital, as the document spells it).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lieu {
    pub code: Option<String>,
    #[serde(rename = "Libelle")]
    pub libelle: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<TypeLieu>,
}

/// `typeLieu`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeLieu {
    pub code: Option<CodeLieu>,
    pub libelle: Option<LibelleLieu>,
}

#[derive(Debug, Deserialize)]
pub enum CodeLieu {
    #[serde(rename = "1")]
    Pays,
    #[serde(rename = "2")]
    Continent,
    #[serde(rename = "3")]
    Region,
    #[serde(rename = "4")]
    Departement,
    #[serde(rename = "5")]
    Commune,
}

#[derive(Debug, Deserialize)]
pub enum LibelleLieu {
    Pays,
    Continent,
    #[serde(rename = "Région")]
    Region,
    #[serde(rename = "Département")]
    Departement,
    Commune,
}

/// `mobilite`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Mobilite {
    pub lieu: Option<Lieu>,
    pub mobilite_prioritaire: Option<bool>,
    pub rayon: Option<i32>,
    pub unite: Option<UniteLieu>,
}

/// `mobiliteHabitation`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MobiliteHabitation {
    pub mobilite_prioritaire: Option<bool>,
    pub unite: Option<UniteLieu>,
    pub valeur: Option<i64>,
}

/// `uniteLieu`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UniteLieu {
    pub code: Option<CodeUniteLieu>,
    pub libelle: Option<LibelleUniteLieu>,
}

#[derive(Debug, Deserialize)]
pub enum CodeUniteLieu {
    KM,
    H,
    MN,
}

#[derive(Debug, Deserialize)]
pub enum LibelleUniteLieu {
    #[serde(rename = "Kilomètres")]
    Kilometres,
    Heures,
    Minutes,
}

/// `salaire`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Salaire {
    pub libelle: Option<LibelleSalaire>,
    pub remuneration: Option<f64>,
}

#[derive(Debug, Deserialize)]
pub enum LibelleSalaire {
    Annuel,
    Mensuel,
    Cachet,
    Horaire,
    Autre,
}

/// `typologieEmploi`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypologieEmploi {
    pub code: Option<CodeTypologie>,
    pub libelle: Option<LibelleTypologie>,
}

#[derive(Debug, Deserialize)]
pub enum LibelleTypologie {
    #[serde(rename = "Métier Recherché")]
    MetierRecherche,
    #[serde(rename = "Projet de Métier")]
    ProjetMetier,
    #[serde(rename = "Création ou Reprise d'Entreprise ou de Franchiseaire")]
    Creation,
}

/// `metierRecherche` (the document's 200 is one object).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MetierRecherche {
    pub appellation: Option<Appellation>,
    pub contrats: Option<Vec<ContratSouhaite>>,
    pub date_validation_passeport_emploi: Option<Date>,
    pub duree_experience: Option<DureeExperience>,
    pub durees_hebdomadaires: Option<Vec<DureeHebdomadaire>>,
    pub identifiant: Option<String>,
    pub mobilite_habitation: Option<MobiliteHabitation>,
    pub mobilites: Option<Vec<Mobilite>>,
    pub mrs: Option<bool>,
    pub passeport_emploi: Option<bool>,
    pub rome: Option<Rome>,
    pub salaire: Option<Salaire>,
    pub typologie_emploi: Option<TypologieEmploi>,
}

/// `projetCref` (one object too).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ProjetCref {
    pub appellation: Option<Appellation>,
    pub identifiant: Option<String>,
    pub mobilite_habitation: Option<MobiliteHabitation>,
    pub mobilites: Option<Vec<Mobilite>>,
    pub rome: Option<Rome>,
    pub type_cref_creation: Option<bool>,
    pub type_cref_franchise: Option<bool>,
    pub type_cref_reprise: Option<bool>,
}
