//! Historisation of version n (diagnostic v4): the snapshot of a topic's data taken when it
//! is explored (kept as compact JSON text in the dossier: it must not change when the data
//! does), and the pages of `GET …/historisation…` made of them. Every shape is a derived
//! view struct, written by serde.

use serde::Serialize;
use serde_json::value::RawValue;

use crate::civil::DateTime;
use crate::diagnostic::model::{
    AgentFields, ContrainteState, Diagnostic, Dossier, HistoryEntry, Topic,
};
use crate::diagnostic::referentiel::{BESOIN_NUMERIQUE, Referentiel};

/// An explored item (besoin, situation, objectif) as the historisation shows it.
#[derive(Debug, Serialize)]
struct CodedValue<'a> {
    code: &'a str,
    libelle: &'a str,
    valeur: &'a str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct HistorisedContrainte<'a> {
    code: &'a str,
    libelle: &'a str,
    valeur: &'a str,
    est_prioritaire: bool,
    impact: &'a str,
}

#[derive(Debug, Default, Serialize)]
struct HistorisedContraintes<'a> {
    contraintes: Vec<HistorisedContrainte<'a>>,
    situations: Vec<CodedValue<'a>>,
    objectifs: Vec<CodedValue<'a>>,
}

/// A diagnostic as historised: no agent, no sous-typologie "MR", and the values it has not
/// left out (the historisation's contract types them as strings, without null).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct HistorisedDiagnostic<'a> {
    id_diagnostic: &'a str,
    id_metier_chiffre: &'a str,
    nom_metier: &'a str,
    typologie: &'a str,
    code_typologie: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    code_sous_typologie: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code_rome: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code_appellation: Option<&'a str>,
    statut: &'a str,
    est_prioritaire: bool,
    date_mise_a_jour: DateTime,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_mise_a_jour_projet: Option<DateTime>,
    est_creation_partenaire: bool,
}

impl<'a> From<&'a Diagnostic> for HistorisedDiagnostic<'a> {
    fn from(d: &'a Diagnostic) -> Self {
        HistorisedDiagnostic {
            id_diagnostic: &d.id,
            id_metier_chiffre: &d.id_metier,
            nom_metier: &d.nom_metier,
            typologie: d.typologie_label(),
            code_typologie: &d.typologie,
            code_sous_typologie: d.sous_typologie.as_deref().filter(|s| *s != "MR"),
            code_rome: d.code_rome.as_deref(),
            code_appellation: d.code_appellation.as_deref(),
            statut: &d.statut,
            est_prioritaire: d.prioritaire,
            date_mise_a_jour: DateTime(d.date_ms),
            date_mise_a_jour_projet: d.date_projet_ms.map(DateTime),
            est_creation_partenaire: d.partenaire,
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct HistorisedBesoins<'a> {
    id_diagnostic: &'a str,
    besoins: Vec<CodedValue<'a>>,
}

#[derive(Debug, Serialize)]
struct HistorisedPouvoirAgir<'a> {
    confiance: &'a str,
    accompagnement: &'a str,
}

#[derive(Debug, Serialize)]
struct HistorisedAutonomie<'a> {
    besoin: CodedValue<'a>,
    contrainte: HistorisedContrainte<'a>,
    situations: Vec<CodedValue<'a>>,
    objectifs: Vec<CodedValue<'a>>,
}

/// An object without members: a topic with no data when it was explored.
#[derive(Debug, Serialize)]
struct Nothing {}

/// The data of one topic, in the historisation's shape.
#[derive(Debug, Serialize)]
#[serde(untagged)]
enum Historised<'a> {
    Diagnostics {
        diagnostics: Vec<HistorisedDiagnostic<'a>>,
    },
    Besoins(HistorisedBesoins<'a>),
    Contraintes(HistorisedContraintes<'a>),
    PouvoirAgir(HistorisedPouvoirAgir<'a>),
    Autonomie(HistorisedAutonomie<'a>),
    Nothing(Nothing),
}

fn contraintes(items: &[ContrainteState]) -> HistorisedContraintes<'_> {
    let r = Referentiel::get();
    let mut out = HistorisedContraintes::default();
    for c in items {
        let def = r.contrainte(c.code);
        out.contraintes.push(HistorisedContrainte {
            code: c.code,
            libelle: def.map(|d| d.libelle.as_str()).unwrap_or_default(),
            valeur: c.valeur,
            est_prioritaire: c.prioritaire,
            impact: c.impact,
        });
        for (list, labels, into) in [
            (
                &c.situations,
                def.map(|d| &d.situations),
                &mut out.situations,
            ),
            (&c.objectifs, def.map(|d| &d.objectifs), &mut out.objectifs),
        ] {
            for x in list {
                let libelle = labels
                    .and_then(|ls| ls.iter().find(|y| y.code == x.code))
                    .map(|y| y.libelle.as_str())
                    .unwrap_or_default();
                into.push(CodedValue {
                    code: x.code,
                    libelle,
                    valeur: x.valeur,
                });
            }
        }
    }
    out
}

fn historised<'a>(d: &'a Dossier, topic: &'a Topic) -> Historised<'a> {
    let r = Referentiel::get();
    match topic {
        Topic::Diagnostics => Historised::Diagnostics {
            diagnostics: d.diagnostics.iter().map(Into::into).collect(),
        },
        Topic::Besoins(id) => Historised::Besoins(HistorisedBesoins {
            id_diagnostic: id,
            besoins: d
                .diagnostics
                .iter()
                .find(|x| &x.id == id)
                .map(|x| {
                    x.besoins
                        .iter()
                        .map(|b| CodedValue {
                            code: b.code,
                            libelle: r
                                .besoin(b.code)
                                .map(|(_, c)| c.libelle.as_str())
                                .unwrap_or_default(),
                            valeur: b.valeur,
                        })
                        .collect()
                })
                .unwrap_or_default(),
        }),
        Topic::Contraintes => Historised::Contraintes(contraintes(&d.contraintes.items)),
        Topic::PouvoirAgir => match &d.pouvoir_agir {
            Some(p) => Historised::PouvoirAgir(HistorisedPouvoirAgir {
                confiance: p.confiance,
                accompagnement: p.accompagnement,
            }),
            None => Historised::Nothing(Nothing {}),
        },
        Topic::Autonomie => match &d.autonomie {
            Some(a) => {
                let mut c = contraintes(std::slice::from_ref(&a.contrainte));
                let libelle = r
                    .besoin(BESOIN_NUMERIQUE)
                    .map(|(_, b)| b.libelle.as_str())
                    .unwrap_or_default();
                match c.contraintes.pop() {
                    Some(contrainte) => Historised::Autonomie(HistorisedAutonomie {
                        besoin: CodedValue {
                            code: BESOIN_NUMERIQUE,
                            libelle,
                            valeur: a.besoin.valeur,
                        },
                        contrainte,
                        situations: c.situations,
                        objectifs: c.objectifs,
                    }),
                    None => Historised::Nothing(Nothing {}),
                }
            }
            None => Historised::Nothing(Nothing {}),
        },
    }
}

/// The snapshot of one topic's data as it is now, as compact JSON text (what the dossier
/// keeps in its history).
pub(crate) fn snapshot(d: &Dossier, topic: &Topic) -> Box<str> {
    serde_json::to_string(&historised(d, topic))
        .unwrap_or_else(|_| "{}".to_string())
        .into_boxed_str()
}

/// Which historisation resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum HistoryFilter {
    Dossier,
    Diagnostics,
    Besoins(String),
    Contraintes,
    PouvoirAgir,
    Autonomie,
}

impl HistoryFilter {
    fn keeps(&self, topic: &Topic) -> bool {
        match (self, topic) {
            (HistoryFilter::Dossier, _)
            | (HistoryFilter::Diagnostics, Topic::Diagnostics)
            | (HistoryFilter::Contraintes, Topic::Contraintes)
            | (HistoryFilter::PouvoirAgir, Topic::PouvoirAgir)
            | (HistoryFilter::Autonomie, Topic::Autonomie) => true,
            (HistoryFilter::Besoins(id), Topic::Besoins(x)) => id == x,
            _ => false,
        }
    }
}

/// `GET /dossiers/historisation`: each entry's data under the key of its topic.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct DossierHistorise {
    #[serde(skip_serializing_if = "Option::is_none")]
    diagnostics_historises: Option<Box<RawValue>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    besoins_historises: Option<[Box<RawValue>; 1]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    contraintes_historisees: Option<Box<RawValue>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pouvoir_agir_historise: Option<Box<RawValue>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    autonomie_numerique_historisee: Option<Box<RawValue>>,
}

impl DossierHistorise {
    fn of(topic: &Topic, data: Box<RawValue>) -> DossierHistorise {
        let mut d = DossierHistorise {
            diagnostics_historises: None,
            besoins_historises: None,
            contraintes_historisees: None,
            pouvoir_agir_historise: None,
            autonomie_numerique_historisee: None,
        };
        match topic {
            Topic::Diagnostics => d.diagnostics_historises = Some(data),
            Topic::Besoins(_) => d.besoins_historises = Some([data]),
            Topic::Contraintes => d.contraintes_historisees = Some(data),
            Topic::PouvoirAgir => d.pouvoir_agir_historise = Some(data),
            Topic::Autonomie => d.autonomie_numerique_historisee = Some(data),
        }
        d
    }
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
enum Donnees {
    Dossier(DossierHistorise),
    Topic(Box<RawValue>),
}

/// The agent of an exploration: the historisation resources have no official example, and
/// their contract declares no `id`.
#[derive(Debug, Serialize)]
struct ExplorationAgent<'a> {
    nom: &'a str,
    prenom: &'a str,
    structure: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
}

impl<'a> From<&'a AgentFields> for ExplorationAgent<'a> {
    fn from(a: &'a AgentFields) -> Self {
        ExplorationAgent {
            nom: &a.nom,
            prenom: &a.prenom,
            structure: &a.structure,
            kind: &a.kind,
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct VersionExploration<'a> {
    agent: ExplorationAgent<'a>,
    date_exploration: DateTime,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Entry<'a> {
    donnees: Donnees,
    version_exploration: VersionExploration<'a>,
}

/// A page of history, as every historisation resource answers it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Page<'a> {
    donnees_par_version_exploration: Vec<Entry<'a>>,
    page_actuelle: u32,
    donnees_par_page: u32,
    total_donnees: usize,
    date_debut: DateTime,
    date_fin: DateTime,
}

fn entry<'a>(d: &'a Dossier, h: &'a HistoryEntry, filter: &HistoryFilter) -> Entry<'a> {
    // Never written: the data is still what was explored.
    let text = h
        .donnees
        .clone()
        .unwrap_or_else(|| snapshot(d, &h.topic))
        .into_string();
    let data = RawValue::from_string(text).unwrap_or_else(|_| empty_object());
    let donnees = match filter {
        HistoryFilter::Dossier => Donnees::Dossier(DossierHistorise::of(&h.topic, data)),
        _ => Donnees::Topic(data),
    };
    Entry {
        donnees,
        version_exploration: VersionExploration {
            agent: (&*h.agent).into(),
            date_exploration: DateTime(h.date_ms),
        },
    }
}

fn empty_object() -> Box<RawValue> {
    RawValue::from_string("{}".to_string()).unwrap_or_default()
}

/// A page of history. `None` when the window holds nothing (204).
pub(crate) fn history_page<'a>(
    d: &'a Dossier,
    filter: &HistoryFilter,
    from_ms: i64,
    to_ms: i64,
    page: u32,
    per_page: u32,
) -> Option<Page<'a>> {
    let kept: Vec<&HistoryEntry> = d
        .history
        .iter()
        .filter(|h| h.date_ms >= from_ms && h.date_ms <= to_ms && filter.keeps(&h.topic))
        .rev()
        .collect();
    let per_page = per_page.max(1);
    let page = page.max(1);
    let start = ((page - 1) * per_page) as usize;
    let slice: Vec<Entry<'a>> = kept
        .iter()
        .skip(start)
        .take(per_page as usize)
        .map(|h| entry(d, h, filter))
        .collect();
    if slice.is_empty() {
        return None;
    }
    Some(Page {
        donnees_par_version_exploration: slice,
        page_actuelle: page,
        donnees_par_page: per_page,
        total_donnees: kept.len(),
        date_debut: DateTime(from_ms),
        date_fin: DateTime(to_ms),
    })
}
