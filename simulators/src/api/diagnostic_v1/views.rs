//! Version n-1 (diagnostic v1, 2023) views of the same dossier, as derived view structs.

use serde::Serialize;

use crate::api::diagnostic_v4::views::live;
use crate::civil::DateTime;
use crate::diagnostic::model::{ContrainteState, Diagnostic, Dossier, Explored};
use crate::diagnostic::referentiel::{Coded, Referentiel};
use crate::population::realism::{DiagnosticNulls, Nulls2023};

/// A besoin, a situation or an objectif: code, label (null when the référentiel has none),
/// value.
#[derive(Debug, Serialize)]
pub(crate) struct ItemV1<'a> {
    pub code: &'a str,
    pub libelle: Option<&'a str>,
    pub valeur: &'a str,
}

/// What both the dossier's métiers and the diagnostics resource say of a diagnostic.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DiagnosticHeadV1<'a> {
    pub id_metier_chiffre: &'a str,
    pub nom_metier: Option<&'a str>,
    pub typologie: Option<&'static str>,
    pub statut: &'a str,
    pub est_prioritaire: bool,
    pub date_mise_a_jour: Option<DateTime>,
}

/// One métier of the dossier with its besoins (`besoinsParDiagnosticIndividuDtos`).
#[derive(Debug, Serialize)]
pub(crate) struct BesoinsParDiagnosticV1<'a> {
    #[serde(flatten)]
    pub head: DiagnosticHeadV1<'a>,
    pub besoins: Vec<ItemV1<'a>>,
}

/// What both forms of a contrainte say after its code and label.
#[derive(Debug, Serialize)]
pub(crate) struct ContrainteBodyV1<'a> {
    pub valeur: &'a str,
    pub date: Option<DateTime>,
    pub situations: Vec<ItemV1<'a>>,
    pub objectifs: Vec<ItemV1<'a>>,
}

/// A contrainte of the dossier (`code`/`libelle`).
#[derive(Debug, Serialize)]
pub(crate) struct ContrainteV1<'a> {
    pub code: &'a str,
    pub libelle: Option<&'a str>,
    #[serde(flatten)]
    pub body: ContrainteBodyV1<'a>,
}

/// A contrainte of the 2023 `/contraintes` resource (`id` as a number, `nom`).
#[derive(Debug, Serialize)]
pub(crate) struct ContrainteIdNom<'a> {
    pub id: i64,
    pub nom: Option<&'a str>,
    #[serde(flatten)]
    pub body: ContrainteBodyV1<'a>,
}

/// The contraintes block (`contraintesIndividusDto`, or the `/contraintes` resource).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ContraintesV1<'a, C> {
    pub conseiller: Option<&'a str>,
    pub date_de_modification: Option<DateTime>,
    pub code: &'a str,
    pub libelle: &'a str,
    pub contraintes: Vec<C>,
}

/// The dossier individu.
#[derive(Debug, Serialize)]
pub(crate) struct DossierV1<'a> {
    #[serde(rename = "besoinsParDiagnosticIndividuDtos")]
    pub besoins_par_diagnostic: Vec<BesoinsParDiagnosticV1<'a>>,
    #[serde(rename = "contraintesIndividusDto")]
    pub contraintes: ContraintesV1<'a, ContrainteV1<'a>>,
}

/// One diagnostic of the « diagnostics individus » resource.
#[derive(Debug, Serialize)]
pub(crate) struct DiagnosticV1<'a> {
    #[serde(flatten)]
    pub head: DiagnosticHeadV1<'a>,
    /// « Nom, prénom, structure du professionnel ».
    pub conseiller: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DiagnosticsV1<'a> {
    pub liste_diagnostics: Vec<DiagnosticV1<'a>>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PouvoirAgirResourceV1<'a> {
    pub pouvoir_agir: PouvoirAgirV1<'a>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PouvoirAgirV1<'a> {
    pub confiance: &'a str,
    pub accompagnement: &'a str,
    pub resultat_analyse: Option<&'a str>,
}

/// `value`, or nothing when the 2023 era left it null.
fn unless<T>(null: bool, value: T) -> Option<T> {
    (!null).then_some(value)
}

fn besoins(d: &Diagnostic) -> Vec<ItemV1<'_>> {
    let r = Referentiel::get();
    d.besoins
        .iter()
        .map(|b| ItemV1 {
            code: b.code,
            libelle: r.besoin(b.code).map(|(_, c)| c.libelle.as_str()),
            valeur: b.valeur,
        })
        .collect()
}

/// A diagnostic's head, with the 2023 era's nulls.
fn head<'a>(d: &'a Diagnostic, n: &DiagnosticNulls) -> DiagnosticHeadV1<'a> {
    DiagnosticHeadV1 {
        id_metier_chiffre: &d.id_metier,
        nom_metier: unless(n.nom_metier, d.nom_metier.as_str()),
        typologie: unless(n.typologie, d.typologie_label()),
        statut: &d.statut,
        est_prioritaire: d.prioritaire,
        date_mise_a_jour: unless(n.date_mise_a_jour, DateTime(d.date_ms)),
    }
}

fn besoins_par_diagnostic<'a>(d: &'a Diagnostic, nulls: &Nulls2023) -> BesoinsParDiagnosticV1<'a> {
    BesoinsParDiagnosticV1 {
        head: head(d, &nulls.diagnostic(&d.id)),
        besoins: besoins(d),
    }
}

fn items<'a>(list: &'a [Explored], labels: &'a [Coded]) -> Vec<ItemV1<'a>> {
    list.iter()
        .map(|x| ItemV1 {
            code: x.code,
            libelle: labels
                .iter()
                .find(|c| c.code == x.code)
                .map(|c| c.libelle.as_str()),
            valeur: x.valeur,
        })
        .collect()
}

/// A contrainte's label (null when the référentiel has none) and what follows it.
fn label_and_body(c: &ContrainteState) -> (Option<&'static str>, ContrainteBodyV1<'_>) {
    let def = Referentiel::get().contrainte(c.code);
    let body = ContrainteBodyV1 {
        valeur: c.valeur,
        date: c.date_ms.map(DateTime),
        situations: items(
            &c.situations,
            def.map(|d| d.situations.as_slice()).unwrap_or_default(),
        ),
        objectifs: items(
            &c.objectifs,
            def.map(|d| d.objectifs.as_slice()).unwrap_or_default(),
        ),
    };
    (def.map(|d| d.libelle.as_str()), body)
}

fn contrainte(c: &ContrainteState) -> ContrainteV1<'_> {
    let (libelle, body) = label_and_body(c);
    ContrainteV1 {
        code: c.code,
        libelle,
        body,
    }
}

fn contrainte_id_nom(c: &ContrainteState) -> ContrainteIdNom<'_> {
    let (nom, body) = label_and_body(c);
    ContrainteIdNom {
        id: c.code.parse::<i64>().unwrap_or_default(),
        nom,
        body,
    }
}

/// The contrainte the 2023 référentiel did not have: "22" (accéder au numérique) came with
/// v4; the 2023 référentiel listed 23 to 29.
pub(crate) const NOT_IN_2023: &str = crate::diagnostic::referentiel::CONTRAINTE_NUMERIQUE;

fn contraintes<'a, C>(
    d: &'a Dossier,
    nulls: &Nulls2023,
    item: impl Fn(&'a ContrainteState) -> C,
) -> ContraintesV1<'a, C> {
    let r = Referentiel::get();
    let (no_conseiller, no_date) = nulls.contraintes();
    ContraintesV1 {
        conseiller: unless(no_conseiller, d.contraintes.agent.id.as_str()),
        date_de_modification: unless(no_date, DateTime(d.contraintes.date_ms)),
        code: &r.contrainte_code,
        libelle: &r.contrainte_libelle,
        contraintes: d
            .contraintes
            .items
            .iter()
            .filter(|c| c.code != NOT_IN_2023)
            .map(item)
            .collect(),
    }
}

pub(crate) fn dossier<'a>(d: &'a Dossier, nulls: &Nulls2023) -> DossierV1<'a> {
    DossierV1 {
        besoins_par_diagnostic: live(d).map(|x| besoins_par_diagnostic(x, nulls)).collect(),
        contraintes: contraintes(d, nulls, contrainte),
    }
}

pub(crate) fn besoins_list<'a>(
    d: &'a Dossier,
    nulls: &Nulls2023,
) -> Option<Vec<BesoinsParDiagnosticV1<'a>>> {
    let list: Vec<_> = live(d)
        .filter(|x| !x.besoins.is_empty())
        .map(|x| besoins_par_diagnostic(x, nulls))
        .collect();
    (!list.is_empty()).then_some(list)
}

pub(crate) fn diagnostics<'a>(d: &'a Dossier, nulls: &Nulls2023) -> Option<DiagnosticsV1<'a>> {
    let list: Vec<_> = live(d)
        .map(|x| {
            let n = nulls.diagnostic(&x.id);
            DiagnosticV1 {
                head: head(x, &n),
                conseiller: unless(
                    n.conseiller,
                    format!("{} {} {}", x.agent.nom, x.agent.prenom, x.agent.structure),
                ),
            }
        })
        .collect();
    (!list.is_empty()).then_some(DiagnosticsV1 {
        liste_diagnostics: list,
    })
}

pub(crate) fn contraintes_resource<'a>(
    d: &'a Dossier,
    nulls: &Nulls2023,
) -> ContraintesV1<'a, ContrainteIdNom<'a>> {
    contraintes(d, nulls, contrainte_id_nom)
}

pub(crate) fn pouvoir_agir(d: &Dossier) -> Option<PouvoirAgirResourceV1<'_>> {
    let r = Referentiel::get();
    d.pouvoir_agir.as_ref().map(|p| PouvoirAgirResourceV1 {
        pouvoir_agir: PouvoirAgirV1 {
            confiance: p.confiance,
            accompagnement: p.accompagnement,
            resultat_analyse: r.analyse(p.confiance, p.accompagnement),
        },
    })
}
