//! The diagnostic dossier of a person: diagnostics with their besoins, contraintes with
//! situations and objectifs, pouvoir d'agir, autonomie numérique, and the history of
//! explorations. One model behind both versions: v1 and v4 views read the same dossier, so a
//! write through either version is seen by every later read of both.

use crate::diagnostic::referentiel::{
    BESOIN_VALUES, OBJECTIF_VALUES, Referentiel, SITUATION_VALUES,
};
use crate::population::rng::Draw;

/// Who made a change: a handle, cheap to copy (a dossier names the same agent in most of its
/// hundreds of objects). The fictitious advisers of derived dossiers are shared statics, so
/// deriving and dropping a dossier counts no references; agents named by writes are shared.
#[derive(Debug, Clone)]
pub struct Agent(Handle);

#[derive(Debug, Clone)]
enum Handle {
    Known(&'static AgentFields),
    Named(std::sync::Arc<AgentFields>),
}

impl std::ops::Deref for Agent {
    type Target = AgentFields;
    fn deref(&self) -> &AgentFields {
        match &self.0 {
            Handle::Known(f) => f,
            Handle::Named(f) => f,
        }
    }
}

/// Agents are the same when their fields are, however they are held.
impl PartialEq for Agent {
    fn eq(&self, other: &Agent) -> bool {
        **self == **other
    }
}

impl Eq for Agent {}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentFields {
    pub nom: String,
    pub prenom: String,
    pub structure: String,
    /// AGENT, USAGER, BATCH_ORIENTATION_USAGER, INCONNU
    pub kind: String,
    /// Identifier (`pa-identifiant-agent`, or a conseiller code).
    pub id: String,
}

/// Fictitious advisers of a fictitious agency.
const AGENTS: &[(&str, &str, &str)] = &[
    ("Martin", "Henri", "TNAN2580"),
    ("Bernard", "Claire", "TNAN0260"),
    ("Petit", "Louis", "ECSE0201"),
    ("Durand", "Alice", "ERTC8250"),
];

/// The agents a derived dossier may name: [`AGENTS`], then the unknown agent.
fn known() -> &'static [AgentFields] {
    static KNOWN: std::sync::OnceLock<Vec<AgentFields>> = std::sync::OnceLock::new();
    KNOWN.get_or_init(|| {
        let mut list: Vec<AgentFields> = AGENTS
            .iter()
            .map(|&(nom, prenom, id)| AgentFields {
                nom: nom.into(),
                prenom: prenom.into(),
                structure: "Agence France Travail Démo".into(),
                kind: "AGENT".into(),
                id: id.into(),
            })
            .collect();
        list.push(AgentFields {
            nom: "Inconnu".into(),
            prenom: "Inconnu".into(),
            structure: "Inconnue".into(),
            kind: "INCONNU".into(),
            id: "INCONNU".into(),
        });
        list
    })
}

impl Agent {
    pub fn new(fields: AgentFields) -> Agent {
        Agent(Handle::Named(std::sync::Arc::new(fields)))
    }

    /// An agent nobody named.
    pub fn unknown() -> Agent {
        Agent(Handle::Known(&known()[AGENTS.len()]))
    }

    /// The same agent with another identifier.
    pub fn with_id(&self, id: &str) -> Agent {
        let mut f = (**self).clone();
        f.id = id.to_string();
        Agent::new(f)
    }

    /// Which of the fictitious advisers a draw names.
    pub fn draw_known(d: &mut Draw) -> usize {
        d.below(AGENTS.len() as u64) as usize
    }

    /// One of the fictitious advisers.
    pub fn known(i: usize) -> Agent {
        Agent(Handle::Known(&known()[i.min(AGENTS.len() - 1)]))
    }
}

/// One coded value with when and by whom it was explored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explored {
    /// Codes and values come from the référentiel and the allowed lists: no allocation.
    pub code: &'static str,
    pub valeur: &'static str,
    pub date_ms: Option<i64>,
    pub agent: Option<Agent>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Functional id, not encrypted (uuid).
    pub id: String,
    pub id_metier: String,
    pub nom_metier: String,
    /// MR, PM or EF.
    pub typologie: String,
    /// C, R, F, CR … for EF.
    pub sous_typologie: Option<String>,
    pub code_rome: Option<String>,
    pub code_appellation: Option<String>,
    /// EN_COURS, ARCHIVE, SUPPRIME
    pub statut: String,
    pub prioritaire: bool,
    pub agent: Agent,
    pub date_ms: i64,
    pub date_projet_ms: Option<i64>,
    pub partenaire: bool,
    pub besoins: Vec<Explored>,
    pub besoins_date_ms: Option<i64>,
    pub besoins_agent: Option<Agent>,
}

impl Diagnostic {
    /// The legacy `typologie` label.
    pub fn typologie_label(&self) -> &'static str {
        match self.typologie.as_str() {
            "MR" => "métier recherché",
            "PM" => "Projet d'évolution professionnelle",
            _ => "projet de création, franchise d'entreprise",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContrainteState {
    pub code: &'static str,
    /// OUI, NON_ABORDEE, CLOTUREE
    pub valeur: &'static str,
    pub prioritaire: bool,
    /// FORT, MOYEN, FAIBLE, NON_RENSEIGNE
    pub impact: &'static str,
    pub date_ms: Option<i64>,
    pub situations: Vec<Explored>,
    pub objectifs: Vec<Explored>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contraintes {
    pub agent: Agent,
    pub date_ms: i64,
    pub sans_contrainte: Option<(bool, i64)>,
    pub items: Vec<ContrainteState>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PouvoirAgir {
    pub confiance: &'static str,
    pub accompagnement: &'static str,
    pub agent: Agent,
    pub date_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Autonomie {
    pub date_ms: i64,
    pub agent: Agent,
    pub contrainte: ContrainteState,
    pub besoin: Explored,
}

/// What a history entry is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Topic {
    Diagnostics,
    Besoins(String),
    Contraintes,
    PouvoirAgir,
    Autonomie,
}

/// One exploration, as the historisation resources list them, with the data as it was.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    pub topic: Topic,
    pub date_ms: i64,
    pub agent: Agent,
    /// The historised data in the v4 shape (`donnees`), as compact JSON text (a tree of
    /// values costs several times its text in memory). `None` for the explorations of a
    /// dossier nobody wrote to: its data is still what they explored, taken when read.
    pub donnees: Option<Box<str>>,
}

/// Explorations kept per dossier: the oldest are dropped beyond this many, or beyond
/// [`HISTORY_BYTES`] of snapshots (the newest is always kept).
pub(crate) const HISTORY_LIMIT: usize = 50;
pub const HISTORY_BYTES: usize = 256 * 1024;

#[derive(Debug, Clone, PartialEq)]
pub struct Dossier {
    pub diagnostics: Vec<Diagnostic>,
    pub contraintes: Contraintes,
    pub pouvoir_agir: Option<PouvoirAgir>,
    pub autonomie: Option<Autonomie>,
    pub history: Vec<HistoryEntry>,
}

/// A diagnostic's `statut`: in progress, archived, deleted (a deleted one is kept, hidden).
pub(crate) const EN_COURS: &str = "EN_COURS";
pub(crate) const SUPPRIME: &str = "SUPPRIME";

pub(crate) const CONTRAINTE_VALUES: &[&str] = &["OUI", "NON_ABORDEE", "CLOTUREE"];
pub(crate) const IMPACTS: &[&str] = &["FORT", "MOYEN", "FAIBLE", "NON_RENSEIGNE"];
pub(crate) const EF_SUBTYPES: &[&str] = &["C", "R", "F", "CR", "CF", "RF", "CRF"];
pub(crate) const ANSWERS: &[&str] = &["OUI", "NON", "NE_SAIT_PAS"];

impl Dossier {
    /// The same dossier read as the 2023 platform sometimes did: nothing explored, no métier,
    /// no contrainte, no pouvoir d'agir (API-SHAPES.md §4.2).
    pub fn emptied(mut self) -> Dossier {
        self.diagnostics.clear();
        self.contraintes.items.clear();
        self.pouvoir_agir = None;
        self.autonomie = None;
        self
    }

    /// The dossier of someone never explored: no diagnostic, every contrainte of the
    /// référentiel not yet discussed.
    pub fn empty(agent: &Agent, now_ms: i64) -> Dossier {
        let r = Referentiel::get();
        let items = r
            .contraintes
            .iter()
            .map(|c| ContrainteState {
                code: c.code.as_str(),
                valeur: "NON_ABORDEE",
                prioritaire: false,
                impact: "NON_RENSEIGNE",
                date_ms: None,
                situations: Vec::new(),
                objectifs: Vec::new(),
            })
            .collect();
        Dossier {
            diagnostics: Vec::new(),
            contraintes: Contraintes {
                agent: agent.clone(),
                date_ms: now_ms,
                sans_contrainte: None,
                items,
            },
            pouvoir_agir: None,
            autonomie: None,
            history: Vec::new(),
        }
    }

    /// Takes the snapshots the derived explorations left for later: called before the first
    /// write changes the data they describe.
    pub fn freeze_history(&mut self) {
        for i in 0..self.history.len() {
            if self.history[i].donnees.is_none() {
                let snapshot = crate::diagnostic::history::snapshot(self, &self.history[i].topic);
                self.history[i].donnees = Some(snapshot);
            }
        }
    }

    /// Records an exploration of a topic, with a snapshot of its data now.
    pub fn record(&mut self, topic: Topic, date_ms: i64, agent: &Agent) {
        let donnees = Some(crate::diagnostic::history::snapshot(self, &topic));
        self.history.push(HistoryEntry {
            topic,
            date_ms,
            agent: agent.clone(),
            donnees,
        });
        if self.history.len() > HISTORY_LIMIT {
            let excess = self.history.len() - HISTORY_LIMIT;
            self.history.drain(..excess);
        }
        let snapshot_bytes = |h: &[HistoryEntry]| -> usize {
            h.iter()
                .map(|e| e.donnees.as_ref().map_or(0, |d| d.len()))
                .sum()
        };
        let mut bytes = snapshot_bytes(&self.history);
        let mut drop = 0;
        while bytes > HISTORY_BYTES && drop + 1 < self.history.len() {
            bytes -= self.history[drop].donnees.as_ref().map_or(0, |d| d.len());
            drop += 1;
        }
        self.history.drain(..drop);
    }

    /// About how many bytes the dossier holds in memory (its strings, snapshots and items):
    /// what the simulators' budget for written dossiers counts.
    pub fn approx_bytes(&self) -> usize {
        let agent = |a: &Agent| a.nom.len() + a.prenom.len() + a.structure.len() + a.id.len();
        let explored = |e: &[Explored]| e.len() * 64;
        let diagnostics: usize = self
            .diagnostics
            .iter()
            .map(|d| {
                256 + d.id.len()
                    + d.id_metier.len()
                    + d.nom_metier.len()
                    + d.typologie.len()
                    + d.sous_typologie.as_ref().map_or(0, String::len)
                    + d.code_rome.as_ref().map_or(0, String::len)
                    + d.code_appellation.as_ref().map_or(0, String::len)
                    + agent(&d.agent)
                    + explored(&d.besoins)
            })
            .sum();
        let contraintes: usize = self
            .contraintes
            .items
            .iter()
            .map(|c| 96 + explored(&c.situations) + explored(&c.objectifs))
            .sum();
        let history: usize = self
            .history
            .iter()
            .map(|h| 96 + agent(&h.agent) + h.donnees.as_ref().map_or(0, |d| d.len()))
            .sum();
        512 + diagnostics + contraintes + history + agent(&self.contraintes.agent)
    }
}

/// Values a write may carry, with the lists the référentiel and contracts allow.
pub(crate) mod allowed {
    pub(crate) const BESOIN: &[&str] = super::BESOIN_VALUES;
    pub(crate) const CONTRAINTE: &[&str] = super::CONTRAINTE_VALUES;
    pub(crate) const SITUATION: &[&str] = super::SITUATION_VALUES;
    pub(crate) const OBJECTIF: &[&str] = super::OBJECTIF_VALUES;
    pub(crate) const IMPACT: &[&str] = super::IMPACTS;
    pub(crate) const ANSWER: &[&str] = super::ANSWERS;

    /// The `'static` spelling of an allowed value.
    pub(crate) fn find(list: &'static [&'static str], value: &str) -> Option<&'static str> {
        list.iter().copied().find(|v| *v == value)
    }
}
