//! Version n (diagnostic v4) views of a dossier, serialised straight from the model: a
//! 24 kB dossier is written without building a tree of JSON values. Fields whose contract
//! has no `null` are left out rather than sent as null.

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use crate::civil::DateTime;
use crate::diagnostic::model::{
    Agent, AgentFields, Autonomie, ContrainteState, Contraintes, Diagnostic, Dossier, Explored,
    PouvoirAgir,
};
use crate::diagnostic::referentiel::{Coded, Contrainte, Referentiel};

/// An agent as the views show it: name, structure and type (not the identifier).
#[derive(Debug, Clone, Copy)]
pub(crate) struct AgentOut<'a>(pub(crate) &'a AgentFields);

impl<'a> From<&'a Agent> for AgentOut<'a> {
    fn from(a: &'a Agent) -> Self {
        AgentOut(a)
    }
}

impl Serialize for AgentOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut o = s.serialize_struct("AgentOut", 5)?;
        // `id` first, as every official example that shows an agent carries it.
        o.serialize_field("id", &self.0.id)?;
        o.serialize_field("nom", &self.0.nom)?;
        o.serialize_field("prenom", &self.0.prenom)?;
        o.serialize_field("structure", &self.0.structure)?;
        o.serialize_field("type", &self.0.kind)?;
        o.end()
    }
}

/// Which view a diagnostic is shown in: their contracts differ on nulls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DiagView {
    /// `GET /diagnostics`: null allowed for codeRome, codeAppellation, codeSousTypologie.
    Diagnostics,
    /// `GET /dossiers`, `GET /besoins`: strings only; "MR" is the sous-typologie of an MR.
    Dossier,
}

/// A field that is left out (`None`), null (`Some(None)`) or set.
type Field<T> = Option<Option<T>>;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DiagnosticOut<'a> {
    pub(crate) id_diagnostic: &'a str,
    pub(crate) id_metier_chiffre: &'a str,
    pub(crate) nom_metier: &'a str,
    pub(crate) typologie: &'a str,
    pub(crate) code_typologie: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) code_sous_typologie: Field<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) code_rome: Field<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) code_appellation: Field<&'a str>,
    pub(crate) statut: &'a str,
    pub(crate) est_prioritaire: bool,
    pub(crate) agent: AgentOut<'a>,
    pub(crate) date_mise_a_jour: DateTime,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) date_mise_a_jour_projet: Field<DateTime>,
    pub(crate) est_creation_partenaire: bool,
}

pub(crate) fn diagnostic(d: &Diagnostic, view: DiagView) -> DiagnosticOut<'_> {
    let (sub, rome, appellation, projet) = match view {
        DiagView::Diagnostics => (
            Some(d.sous_typologie.as_deref().filter(|s| *s != "MR")),
            Some(d.code_rome.as_deref()),
            Some(d.code_appellation.as_deref()),
            // Present, null when there is none (the official examples).
            Some(d.date_projet_ms.map(DateTime)),
        ),
        // Present, null when the diagnostic has none (written without them): the same
        // serialiser as `GET /diagnostics` (presence facts of the dossier and besoins reads).
        DiagView::Dossier => (
            Some(
                d.sous_typologie
                    .as_deref()
                    .or((d.typologie == "MR").then_some("MR")),
            ),
            Some(d.code_rome.as_deref()),
            Some(d.code_appellation.as_deref()),
            Some(d.date_projet_ms.map(DateTime)),
        ),
    };
    DiagnosticOut {
        id_diagnostic: &d.id,
        id_metier_chiffre: &d.id_metier,
        nom_metier: &d.nom_metier,
        typologie: d.typologie_label(),
        code_typologie: &d.typologie,
        code_sous_typologie: sub,
        code_rome: rome,
        code_appellation: appellation,
        statut: &d.statut,
        est_prioritaire: d.prioritaire,
        agent: (&d.agent).into(),
        date_mise_a_jour: DateTime(d.date_ms),
        date_mise_a_jour_projet: projet,
        est_creation_partenaire: d.partenaire,
    }
}

/// An explored item (besoin, situation, objectif) as the views show it: code, libellé,
/// valeur, agent, date of exploration. Made of references, read as it is written.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ExploredOut<'a> {
    pub(crate) item: &'a Explored,
    /// Its entry in the référentiel (the label); none: an empty label.
    pub(crate) def: Option<&'a Coded>,
    /// The agent and date shown when the item has none (the autonomie numérique's besoin).
    pub(crate) fallback: Option<(&'a Agent, i64)>,
}

impl<'a> ExploredOut<'a> {
    pub(crate) fn libelle(&self) -> &'a str {
        self.def.map(|c| c.libelle.as_str()).unwrap_or_default()
    }

    pub(crate) fn agent(&self) -> Option<AgentOut<'a>> {
        let fallback = self.fallback.map(|(a, _)| a);
        self.item.agent.as_ref().or(fallback).map(Into::into)
    }

    pub(crate) fn date(&self) -> Option<DateTime> {
        let fallback = self.fallback.map(|(_, at)| at);
        self.item.date_ms.or(fallback).map(DateTime)
    }
}

impl Serialize for ExploredOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut o = s.serialize_struct("ExploredOut", 5)?;
        o.serialize_field("code", self.item.code)?;
        o.serialize_field("libelle", self.libelle())?;
        o.serialize_field("valeur", self.item.valeur)?;
        o.serialize_field("agent", &self.agent())?;
        o.serialize_field("dateExploration", &self.date())?;
        o.end()
    }
}

/// An explored item, with its label from `def` (none: an empty label).
fn explored<'a>(e: &'a Explored, def: Option<&'a Coded>) -> ExploredOut<'a> {
    ExploredOut {
        item: e,
        def,
        fallback: None,
    }
}

#[derive(Debug, Serialize)]
pub(crate) struct ThematiqueOut<'a> {
    pub(crate) code: &'a str,
    pub(crate) libelle: &'a str,
    pub(crate) besoins: Vec<ExploredOut<'a>>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct BesoinsParDiagnosticOut<'a> {
    pub(crate) diagnostic: DiagnosticOut<'a>,
    /// Null while no besoin of the diagnostic was explored (the platform's serialiser sends
    /// the key; presence facts of the dossier and besoins reads).
    pub(crate) date_derniere_exploration_besoin: Option<DateTime>,
    pub(crate) agent_derniere_exploration_besoin: Option<AgentOut<'a>>,
    pub(crate) thematiques_besoins: Vec<ThematiqueOut<'a>>,
}

pub(crate) fn besoins_par_diagnostic(d: &Diagnostic) -> BesoinsParDiagnosticOut<'_> {
    let r = Referentiel::get();
    // The besoins of a diagnostic are in the référentiel's order: each is looked for
    // after the last one found first.
    let mut next = 0;
    let thematiques = r
        .thematiques
        .iter()
        .filter_map(|t| {
            let besoins: Vec<ExploredOut<'_>> = t
                .besoins
                .iter()
                .filter_map(|b| {
                    let (at, x) = find_code(&d.besoins, next, &b.code)?;
                    next = at + 1;
                    Some(explored(x, Some(b)))
                })
                .collect();
            (!besoins.is_empty()).then_some(ThematiqueOut {
                code: &t.code,
                libelle: &t.libelle,
                besoins,
            })
        })
        .collect();
    BesoinsParDiagnosticOut {
        diagnostic: diagnostic(d, DiagView::Dossier),
        date_derniere_exploration_besoin: d.besoins_date_ms.map(DateTime),
        agent_derniere_exploration_besoin: d.besoins_agent.as_ref().map(Into::into),
        thematiques_besoins: thematiques,
    }
}

/// The explored item of `code` in `list`, looked for at `hint` first.
fn find_code<'a>(list: &'a [Explored], hint: usize, code: &str) -> Option<(usize, &'a Explored)> {
    match list.get(hint) {
        Some(x) if x.code == code => Some((hint, x)),
        _ => list.iter().enumerate().find(|(_, x)| x.code == code),
    }
}

/// The situations or objectifs of a contrainte with their labels, made as they are listed
/// (a dossier has a hundred: no list of them is built).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ItemsOut<'a> {
    list: &'a [Explored],
    labels: &'a [Coded],
}

impl<'a> ItemsOut<'a> {
    pub(crate) fn iter(&self) -> impl Iterator<Item = ExploredOut<'a>> + use<'a> {
        let labels = self.labels;
        self.list.iter().enumerate().map(move |(i, x)| {
            // Listed in the référentiel's order: the label is looked for at the same rank
            // first.
            let def = match labels.get(i) {
                Some(c) if c.code == x.code => Some(c),
                _ => labels.iter().find(|c| c.code == x.code),
            };
            explored(x, def)
        })
    }
}

impl Serialize for ItemsOut<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

fn items<'a>(list: &'a [Explored], labels: &'a [Coded]) -> ItemsOut<'a> {
    ItemsOut { list, labels }
}

/// A contrainte as the views show it, with its situations and objectifs. Made of
/// references, read as it is written.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ContrainteOut<'a> {
    pub(crate) c: &'a ContrainteState,
    /// Its entry in the référentiel (labels); none: empty labels.
    pub(crate) def: Option<&'a Contrainte>,
    /// The date shown when the contrainte has none (the autonomie numérique's).
    pub(crate) date_fallback: Option<i64>,
}

impl<'a> ContrainteOut<'a> {
    pub(crate) fn libelle(&self) -> &'a str {
        self.def.map(|d| d.libelle.as_str()).unwrap_or_default()
    }

    pub(crate) fn date(&self) -> Option<DateTime> {
        self.c.date_ms.or(self.date_fallback).map(DateTime)
    }

    pub(crate) fn situations(&self) -> ItemsOut<'a> {
        items(
            &self.c.situations,
            self.def
                .map(|d| d.situations.as_slice())
                .unwrap_or_default(),
        )
    }

    pub(crate) fn objectifs(&self) -> ItemsOut<'a> {
        items(
            &self.c.objectifs,
            self.def.map(|d| d.objectifs.as_slice()).unwrap_or_default(),
        )
    }
}

impl Serialize for ContrainteOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut o = s.serialize_struct("ContrainteOut", 8)?;
        o.serialize_field("code", self.c.code)?;
        o.serialize_field("libelle", self.libelle())?;
        o.serialize_field("valeur", self.c.valeur)?;
        o.serialize_field("estPrioritaire", &self.c.prioritaire)?;
        o.serialize_field("dateExploration", &self.date())?;
        o.serialize_field("impact", self.c.impact)?;
        o.serialize_field("situations", &self.situations())?;
        o.serialize_field("objectifs", &self.objectifs())?;
        o.end()
    }
}

/// A contrainte, at `rank` in its list (where the référentiel has it, mostly).
pub(crate) fn contrainte(c: &ContrainteState, rank: usize) -> ContrainteOut<'_> {
    ContrainteOut {
        c,
        def: Referentiel::get().contrainte_at(rank, c.code),
        date_fallback: None,
    }
}

/// The contraintes of a dossier, made as they are listed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ContraintesOut<'a>(&'a [ContrainteState]);

impl<'a> ContraintesOut<'a> {
    pub(crate) fn iter(&self) -> impl Iterator<Item = ContrainteOut<'a>> + use<'a> {
        self.0
            .iter()
            .enumerate()
            .map(|(rank, x)| contrainte(x, rank))
    }
}

impl Serialize for ContraintesOut<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

#[derive(Debug, Serialize)]
pub(crate) struct SansContrainteOut {
    pub(crate) flag: bool,
    pub(crate) date: DateTime,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ThematiqueContrainteOut<'a> {
    pub(crate) agent: AgentOut<'a>,
    pub(crate) date_exploration: DateTime,
    pub(crate) code: &'a str,
    pub(crate) libelle: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) declare_sans_contrainte: Option<SansContrainteOut>,
    pub(crate) contraintes: ContraintesOut<'a>,
}

pub(crate) fn thematique_contrainte(c: &Contraintes) -> ThematiqueContrainteOut<'_> {
    let r = Referentiel::get();
    ThematiqueContrainteOut {
        agent: (&c.agent).into(),
        date_exploration: DateTime(c.date_ms),
        code: &r.contrainte_code,
        libelle: &r.contrainte_libelle,
        declare_sans_contrainte: c.sans_contrainte.map(|(flag, at)| SansContrainteOut {
            flag,
            date: DateTime(at),
        }),
        contraintes: ContraintesOut(&c.items),
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PouvoirAgirOut<'a> {
    pub(crate) confiance: &'a str,
    pub(crate) accompagnement: &'a str,
    pub(crate) resultat_analyse: &'a str,
    pub(crate) agent: AgentOut<'a>,
    pub(crate) date_exploration: DateTime,
}

pub(crate) fn pouvoir_agir(p: &PouvoirAgir) -> PouvoirAgirOut<'_> {
    PouvoirAgirOut {
        confiance: p.confiance,
        accompagnement: p.accompagnement,
        resultat_analyse: Referentiel::get()
            .analyse(p.confiance, p.accompagnement)
            .unwrap_or_default(),
        agent: (&p.agent).into(),
        date_exploration: DateTime(p.date_ms),
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AutonomieOut<'a> {
    pub(crate) date_exploration: DateTime,
    pub(crate) agent: AgentOut<'a>,
    pub(crate) contrainte: ContrainteOut<'a>,
    pub(crate) besoin: ExploredOut<'a>,
}

/// The autonomie numérique: its besoin and contrainte always carry an agent and a date.
pub(crate) fn autonomie(a: &Autonomie) -> AutonomieOut<'_> {
    let def = Referentiel::get()
        .besoin(crate::diagnostic::generated::BESOIN_NUMERIQUE)
        .map(|(_, b)| b);
    let besoin = ExploredOut {
        fallback: Some((&a.agent, a.date_ms)),
        ..explored(&a.besoin, def)
    };
    let c = ContrainteOut {
        date_fallback: Some(a.date_ms),
        ..contrainte(&a.contrainte, 0)
    };
    AutonomieOut {
        date_exploration: DateTime(a.date_ms),
        agent: (&a.agent).into(),
        contrainte: c,
        besoin,
    }
}

/// Live diagnostics (not deleted).
pub(crate) fn live(d: &Dossier) -> impl Iterator<Item = &Diagnostic> {
    d.diagnostics
        .iter()
        .filter(|x| x.statut != crate::diagnostic::model::SUPPRIME)
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DossierOut<'a> {
    pub(crate) besoins_par_diagnostic: Vec<BesoinsParDiagnosticOut<'a>>,
    pub(crate) thematique_contrainte: ThematiqueContrainteOut<'a>,
    /// Present, null when never explored (API-SHAPES §10: clients index the key).
    pub(crate) pouvoir_agir: Option<PouvoirAgirOut<'a>>,
    /// Present, null when never explored.
    pub(crate) autonomie_numerique: Option<AutonomieOut<'a>>,
}

pub(crate) fn dossier(d: &Dossier) -> DossierOut<'_> {
    DossierOut {
        besoins_par_diagnostic: live(d).map(besoins_par_diagnostic).collect(),
        thematique_contrainte: thematique_contrainte(&d.contraintes),
        pouvoir_agir: d.pouvoir_agir.as_ref().map(pouvoir_agir),
        autonomie_numerique: d.autonomie.as_ref().map(autonomie),
    }
}

/// `GET /besoins`: `None` when there is none (204).
pub(crate) fn besoins(d: &Dossier) -> Option<Vec<BesoinsParDiagnosticOut<'_>>> {
    let list: Vec<_> = live(d)
        .filter(|x| !x.besoins.is_empty())
        .map(besoins_par_diagnostic)
        .collect();
    (!list.is_empty()).then_some(list)
}

#[derive(Debug, Serialize)]
pub(crate) struct DiagnosticsOut<'a> {
    pub(crate) diagnostics: Vec<DiagnosticOut<'a>>,
}

/// `GET /diagnostics`: `None` when there is none (204).
pub(crate) fn diagnostics(d: &Dossier) -> Option<DiagnosticsOut<'_>> {
    let list: Vec<_> = live(d)
        .map(|x| diagnostic(x, DiagView::Diagnostics))
        .collect();
    (!list.is_empty()).then_some(DiagnosticsOut { diagnostics: list })
}
