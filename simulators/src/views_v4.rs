//! Version n (diagnostic v4) views of a dossier, serialised straight from the model: a
//! 24 kB dossier is written without building a tree of JSON values. Fields whose contract
//! has no `null` are left out rather than sent as null.

use serde::Serialize;
use serde_json::Value;

use crate::civil::DateTime;
use crate::dossier::{
    Agent, Autonomie, ContrainteState, Contraintes, Diagnostic, Dossier, Explored, PouvoirAgir,
};
use crate::referentiel::{Coded, Referentiel};

#[derive(Debug, Serialize)]
pub struct AgentOut<'a> {
    pub(crate) nom: &'a str,
    pub(crate) prenom: &'a str,
    pub(crate) structure: &'a str,
    #[serde(rename = "type")]
    pub(crate) kind: &'a str,
}

impl<'a> From<&'a Agent> for AgentOut<'a> {
    fn from(a: &'a Agent) -> Self {
        AgentOut {
            nom: &a.nom,
            prenom: &a.prenom,
            structure: &a.structure,
            kind: &a.kind,
        }
    }
}

/// Which view a diagnostic is shown in: their contracts differ on nulls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiagView {
    /// `GET /diagnostics`: null allowed for codeRome, codeAppellation, codeSousTypologie.
    Diagnostics,
    /// `GET /dossiers`, `GET /besoins`: strings only; "MR" is the sous-typologie of an MR.
    Dossier,
}

/// A field that is left out (`None`), null (`Some(None)`) or set.
type Field<T> = Option<Option<T>>;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiagnosticOut<'a> {
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

pub fn diagnostic(d: &Diagnostic, view: DiagView) -> DiagnosticOut<'_> {
    let (sub, rome, appellation, projet) = match view {
        DiagView::Diagnostics => (
            Some(d.sous_typologie.as_deref().filter(|s| *s != "MR")),
            Some(d.code_rome.as_deref()),
            Some(d.code_appellation.as_deref()),
            d.date_projet_ms.map(|m| Some(DateTime(m))),
        ),
        DiagView::Dossier => (
            d.sous_typologie
                .as_deref()
                .or((d.typologie == "MR").then_some("MR"))
                .map(Some),
            d.code_rome.as_deref().map(Some),
            d.code_appellation.as_deref().map(Some),
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

/// The same diagnostic as a JSON value (history snapshots).
pub fn diagnostic_value(d: &Diagnostic, view: DiagView) -> Value {
    serde_json::to_value(diagnostic(d, view)).unwrap_or(Value::Null)
}

pub fn agent_value(a: &Agent) -> Value {
    serde_json::to_value(AgentOut::from(a)).unwrap_or(Value::Null)
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExploredOut<'a> {
    /// `{"code":…,"libelle":…` already written, when both come from the référentiel.
    #[serde(skip)]
    pub(crate) head: Option<&'a str>,
    pub(crate) code: &'a str,
    pub(crate) libelle: &'a str,
    pub(crate) valeur: &'a str,
    pub(crate) agent: Option<AgentOut<'a>>,
    pub(crate) date_exploration: Option<DateTime>,
}

/// An explored item, with its label from `def` (none: an empty label).
fn explored<'a>(e: &'a Explored, def: Option<&'a Coded>) -> ExploredOut<'a> {
    ExploredOut {
        head: def.filter(|c| c.code == e.code).map(|c| &*c.json_head),
        code: e.code,
        libelle: def.map(|c| c.libelle.as_str()).unwrap_or_default(),
        valeur: e.valeur,
        agent: e.agent.as_ref().map(Into::into),
        date_exploration: e.date_ms.map(DateTime),
    }
}

#[derive(Debug, Serialize)]
pub struct ThematiqueOut<'a> {
    /// See [`ExploredOut::head`].
    #[serde(skip)]
    pub(crate) head: &'a str,
    pub(crate) code: &'a str,
    pub(crate) libelle: &'a str,
    pub(crate) besoins: Vec<ExploredOut<'a>>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BesoinsParDiagnosticOut<'a> {
    pub(crate) diagnostic: DiagnosticOut<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) date_derniere_exploration_besoin: Option<DateTime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) agent_derniere_exploration_besoin: Option<AgentOut<'a>>,
    pub(crate) thematiques_besoins: Vec<ThematiqueOut<'a>>,
}

pub fn besoins_par_diagnostic(d: &Diagnostic) -> BesoinsParDiagnosticOut<'_> {
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
                head: &t.json_head,
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
pub struct ItemsOut<'a> {
    list: &'a [Explored],
    labels: &'a [Coded],
}

impl<'a> ItemsOut<'a> {
    pub fn iter(&self) -> impl Iterator<Item = ExploredOut<'a>> + use<'a> {
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

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContrainteOut<'a> {
    /// See [`ExploredOut::head`].
    #[serde(skip)]
    pub(crate) head: Option<&'a str>,
    pub(crate) code: &'a str,
    pub(crate) libelle: &'a str,
    pub(crate) valeur: &'a str,
    pub(crate) est_prioritaire: bool,
    pub(crate) date_exploration: Option<DateTime>,
    pub(crate) impact: &'a str,
    pub(crate) situations: ItemsOut<'a>,
    pub(crate) objectifs: ItemsOut<'a>,
}

/// A contrainte, at `rank` in its list (where the référentiel has it, mostly).
pub fn contrainte(c: &ContrainteState, rank: usize) -> ContrainteOut<'_> {
    let def = Referentiel::get().contrainte_at(rank, c.code);
    ContrainteOut {
        head: def.map(|d| &*d.json_head),
        code: c.code,
        libelle: def.map(|d| d.libelle.as_str()).unwrap_or_default(),
        valeur: c.valeur,
        est_prioritaire: c.prioritaire,
        date_exploration: c.date_ms.map(DateTime),
        impact: c.impact,
        situations: items(
            &c.situations,
            def.map(|d| d.situations.as_slice()).unwrap_or_default(),
        ),
        objectifs: items(
            &c.objectifs,
            def.map(|d| d.objectifs.as_slice()).unwrap_or_default(),
        ),
    }
}

/// The contraintes of a dossier, made as they are listed.
#[derive(Debug, Clone, Copy)]
pub struct ContraintesOut<'a>(&'a [ContrainteState]);

impl<'a> ContraintesOut<'a> {
    pub fn iter(&self) -> impl Iterator<Item = ContrainteOut<'a>> + use<'a> {
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
pub struct SansContrainteOut {
    pub(crate) flag: bool,
    pub(crate) date: DateTime,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ThematiqueContrainteOut<'a> {
    pub(crate) agent: AgentOut<'a>,
    pub(crate) date_exploration: DateTime,
    pub(crate) code: &'a str,
    pub(crate) libelle: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) declare_sans_contrainte: Option<SansContrainteOut>,
    pub(crate) contraintes: ContraintesOut<'a>,
}

pub fn thematique_contrainte(c: &Contraintes) -> ThematiqueContrainteOut<'_> {
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
pub struct PouvoirAgirOut<'a> {
    pub(crate) confiance: &'a str,
    pub(crate) accompagnement: &'a str,
    pub(crate) resultat_analyse: &'a str,
    pub(crate) agent: AgentOut<'a>,
    pub(crate) date_exploration: DateTime,
}

pub fn pouvoir_agir(p: &PouvoirAgir) -> PouvoirAgirOut<'_> {
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
pub struct AutonomieOut<'a> {
    pub(crate) date_exploration: DateTime,
    pub(crate) agent: AgentOut<'a>,
    pub(crate) contrainte: ContrainteOut<'a>,
    pub(crate) besoin: ExploredOut<'a>,
}

/// The autonomie numérique: its besoin and contrainte always carry an agent and a date.
pub fn autonomie(a: &Autonomie) -> AutonomieOut<'_> {
    let def = Referentiel::get().besoin("7").map(|(_, b)| b);
    let mut besoin = explored(&a.besoin, def);
    besoin.agent.get_or_insert_with(|| (&a.agent).into());
    besoin.date_exploration.get_or_insert(DateTime(a.date_ms));
    let mut c = contrainte(&a.contrainte, 0);
    c.date_exploration.get_or_insert(DateTime(a.date_ms));
    AutonomieOut {
        date_exploration: DateTime(a.date_ms),
        agent: (&a.agent).into(),
        contrainte: c,
        besoin,
    }
}

/// Live diagnostics (not deleted).
pub fn live(d: &Dossier) -> impl Iterator<Item = &Diagnostic> {
    d.diagnostics.iter().filter(|x| x.statut != "SUPPRIME")
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DossierOut<'a> {
    pub(crate) besoins_par_diagnostic: Vec<BesoinsParDiagnosticOut<'a>>,
    pub(crate) thematique_contrainte: ThematiqueContrainteOut<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) pouvoir_agir: Option<PouvoirAgirOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) autonomie_numerique: Option<AutonomieOut<'a>>,
}

pub fn dossier(d: &Dossier) -> DossierOut<'_> {
    DossierOut {
        besoins_par_diagnostic: live(d).map(besoins_par_diagnostic).collect(),
        thematique_contrainte: thematique_contrainte(&d.contraintes),
        pouvoir_agir: d.pouvoir_agir.as_ref().map(pouvoir_agir),
        autonomie_numerique: d.autonomie.as_ref().map(autonomie),
    }
}

/// `GET /besoins`: `None` when there is none (204).
pub fn besoins(d: &Dossier) -> Option<Vec<BesoinsParDiagnosticOut<'_>>> {
    let list: Vec<_> = live(d)
        .filter(|x| !x.besoins.is_empty())
        .map(besoins_par_diagnostic)
        .collect();
    (!list.is_empty()).then_some(list)
}

#[derive(Debug, Serialize)]
pub struct DiagnosticsOut<'a> {
    pub(crate) diagnostics: Vec<DiagnosticOut<'a>>,
}

/// `GET /diagnostics`: `None` when there is none (204).
pub fn diagnostics(d: &Dossier) -> Option<DiagnosticsOut<'_>> {
    let list: Vec<_> = live(d)
        .map(|x| diagnostic(x, DiagView::Diagnostics))
        .collect();
    (!list.is_empty()).then_some(DiagnosticsOut { diagnostics: list })
}
