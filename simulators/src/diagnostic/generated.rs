//! What the draws decide for the dossier of a person nobody wrote to, kept as indices into
//! the référentiel and the value lists: no text, a handful of small allocations. The dossier
//! model ([`Drawn::dossier`]) is made from it when the person is read; only written dossiers
//! are kept whole (`overlay`).

use crate::diagnostic::model::{
    ANSWERS, Agent, Autonomie, CONTRAINTE_VALUES, ContrainteState, Contraintes, Diagnostic,
    Dossier, EF_SUBTYPES, Explored, HistoryEntry, IMPACTS, PouvoirAgir, Topic,
};
use crate::diagnostic::referentiel::{
    BESOIN_VALUES, Coded, Contrainte, METIERS, OBJECTIF_VALUES, Referentiel, SITUATION_VALUES,
    Thematique,
};
use crate::population::rng::Draw;

/// Situations and objectifs a contrainte lists at most.
pub(crate) const ITEMS: usize = 6;

pub(crate) use crate::diagnostic::referentiel::BESOIN_NUMERIQUE;

/// The drawn dossier of one person.
#[derive(Debug, Clone)]
pub struct Drawn {
    /// Index of the agent among [`crate::diagnostic::model::Agent::known`].
    pub agent: usize,
    /// When every exploration of this dossier was made.
    pub explored_at: i64,
    pub diagnostics: Vec<DrawnDiagnostic>,
    /// One per contrainte of the référentiel, in its order.
    pub contraintes: Vec<DrawnContrainte>,
    /// (confiance, accompagnement) indices into the answers.
    pub pouvoir_agir: Option<[usize; 2]>,
    pub autonomie: Option<DrawnAutonomie>,
}

#[derive(Debug, Clone)]
pub struct DrawnDiagnostic {
    /// Index into [`METIERS`].
    pub metier: usize,
    /// Index into the EF sous-typologies: `Some` for a création/reprise/franchise.
    pub sous_typologie: Option<usize>,
    pub uuid: [u8; 16],
    pub projet: bool,
    pub partenaire: bool,
    /// The value (index into [`BESOIN_VALUES`]) of every besoin of the référentiel in its
    /// order, [`BESOIN_NUMERIQUE`] left out.
    pub besoins: Vec<u8>,
}

#[derive(Debug, Clone, Copy)]
pub struct DrawnContrainte {
    /// Index into the contrainte values; 1 is NON_ABORDEE.
    pub valeur: usize,
    pub prioritaire: bool,
    /// Index into the impacts.
    pub impact: usize,
    /// Values of the first [`ITEMS`] situations and objectifs (indices into their lists).
    pub situations: [u8; ITEMS],
    pub objectifs: [u8; ITEMS],
}

#[derive(Debug, Clone, Copy)]
pub struct DrawnAutonomie {
    /// `None` when the référentiel has no contrainte "22": the first contrainte is shown.
    pub contrainte: Option<DrawnContrainte>,
    /// Index into [`BESOIN_VALUES`].
    pub besoin: usize,
}

impl DrawnContrainte {
    /// Whether it was discussed (not NON_ABORDEE): its date, and the values of its items.
    pub fn explored(&self) -> bool {
        discussed(self.valeur)
    }
}

/// The index of NON_ABORDEE among the contrainte values (a test checks it).
const NOT_DISCUSSED: usize = 1;

/// Whether a contrainte value (index) says it was discussed: anything but NON_ABORDEE.
fn discussed(valeur: usize) -> bool {
    valeur != NOT_DISCUSSED
}

impl Drawn {
    /// The draws of the dossier of `index`. The day of `now_ms` anchors dates, so that a
    /// person reads the same all day long.
    /// `long_list`: the person's dossier has 4 to 8 métiers instead of 1 to 3 (realism).
    pub fn draw(seed: u64, index: u64, now_ms: i64, long_list: bool) -> Drawn {
        let r = Referentiel::get();
        let mut d = Draw::new(seed, index, "dossier");
        let day = crate::civil::DAY_MS;
        let explored_at = crate::population::person::today(now_ms) * day - d.range(30, 900) * day
            + d.range(8 * 3600, 18 * 3600) * 1000;
        let agent = Agent::draw_known(&mut d);
        let count = if long_list {
            d.range(4, 8)
        } else {
            d.range(1, 3)
        } as usize;
        let mut diagnostics = Vec::with_capacity(count);
        for i in 0..count {
            let metier = d.below(METIERS.len() as u64) as usize;
            let ef = i > 0 && d.chance(300);
            let besoins = (0..besoins_of_diagnostics_count())
                .map(|_| d.small(BESOIN_VALUES.len() as u8))
                .collect();
            let uuid = d.uuid_bytes();
            let sous_typologie = ef.then(|| d.below(EF_SUBTYPES.len() as u64) as usize);
            diagnostics.push(DrawnDiagnostic {
                metier,
                sous_typologie,
                uuid,
                projet: d.chance(500),
                partenaire: d.chance(200),
                besoins,
            });
        }
        let contraintes = r
            .contraintes
            .iter()
            .enumerate()
            .map(|(i, c)| draw_contrainte(&mut d, c, i == 1))
            .collect();
        let pouvoir_agir = d.chance(700).then(|| {
            let confiance = d.below(ANSWERS.len() as u64) as usize;
            [confiance, d.below(ANSWERS.len() as u64) as usize]
        });
        let autonomie = d.chance(600).then(|| {
            let contrainte = r
                .contrainte(crate::diagnostic::referentiel::CONTRAINTE_NUMERIQUE)
                .map(|c| draw_contrainte(&mut d, c, false));
            DrawnAutonomie {
                contrainte,
                besoin: d.below(BESOIN_VALUES.len() as u64) as usize,
            }
        });
        Drawn {
            agent,
            explored_at,
            diagnostics,
            contraintes,
            pouvoir_agir,
            autonomie,
        }
    }

    pub fn agent(&self) -> Agent {
        Agent::known(self.agent)
    }

    /// A diagnostic of the dossier, without its besoins (see [`Drawn::besoins`]).
    pub fn diagnostic(&self, rank: usize, id_metier: &impl Fn(usize) -> String) -> Diagnostic {
        let x = &self.diagnostics[rank];
        let (rome, _, appellation, libelle) = METIERS[x.metier];
        let agent = self.agent();
        Diagnostic {
            id: crate::population::rng::uuid_text(&x.uuid),
            id_metier: id_metier(rank),
            nom_metier: libelle.into(),
            typologie: if x.sous_typologie.is_some() {
                "EF"
            } else {
                "MR"
            }
            .into(),
            sous_typologie: x.sous_typologie.map(|s| EF_SUBTYPES[s].to_string()),
            code_rome: Some(rome.into()),
            code_appellation: Some(appellation.into()),
            statut: crate::diagnostic::model::EN_COURS.into(),
            prioritaire: rank == 0,
            agent: agent.clone(),
            date_ms: self.explored_at,
            date_projet_ms: x.projet.then_some(self.explored_at),
            partenaire: x.partenaire,
            besoins: Vec::new(),
            besoins_date_ms: Some(self.explored_at),
            besoins_agent: Some(agent),
        }
    }

    /// The besoins of a diagnostic, as the model holds them.
    pub fn besoins(&self, rank: usize) -> Vec<Explored> {
        let r = Referentiel::get();
        let agent = self.agent();
        besoins_of_diagnostics(r)
            .zip(&self.diagnostics[rank].besoins)
            .map(|(b, &v)| self.explored(b, BESOIN_VALUES, v as usize, &agent))
            .collect()
    }

    /// An item explored when its value is not the first of its list (not explored).
    fn explored(
        &self,
        item: &'static Coded,
        values: &'static [&'static str],
        v: usize,
        agent: &Agent,
    ) -> Explored {
        let touched = v != 0;
        Explored {
            code: item.code.as_str(),
            valeur: values[v],
            date_ms: touched.then_some(self.explored_at),
            agent: touched.then(|| agent.clone()),
        }
    }

    /// A contrainte as the model holds it, with its situations and objectifs.
    fn contrainte(
        &self,
        def: &'static Contrainte,
        x: &DrawnContrainte,
        agent: &Agent,
    ) -> ContrainteState {
        let list = |items: &'static [Coded], values: &'static [&'static str], drawn: &[u8]| {
            items
                .iter()
                .take(ITEMS)
                .zip(drawn)
                .map(|(item, &v)| self.explored(item, values, v as usize, agent))
                .collect()
        };
        ContrainteState {
            code: def.code.as_str(),
            valeur: CONTRAINTE_VALUES[x.valeur],
            prioritaire: x.prioritaire,
            impact: IMPACTS[x.impact],
            date_ms: x.explored().then_some(self.explored_at),
            situations: list(&def.situations, SITUATION_VALUES, &x.situations),
            objectifs: list(&def.objectifs, OBJECTIF_VALUES, &x.objectifs),
        }
    }

    pub fn pouvoir_agir(&self) -> Option<PouvoirAgir> {
        self.pouvoir_agir.map(|[c, a]| PouvoirAgir {
            confiance: ANSWERS[c],
            accompagnement: ANSWERS[a],
            agent: self.agent(),
            date_ms: self.explored_at,
        })
    }

    /// The contrainte of the autonomie numérique: its rank in the référentiel ("22", else
    /// the first, with the dossier's draws for it) and its draws.
    pub fn autonomie_contrainte(&self) -> Option<(usize, DrawnContrainte)> {
        let r = Referentiel::get();
        let a = self.autonomie?;
        let numerique = r
            .contraintes
            .iter()
            .position(|c| c.code == crate::diagnostic::referentiel::CONTRAINTE_NUMERIQUE);
        match a.contrainte.zip(numerique) {
            Some((x, rank)) => Some((rank, x)),
            None => Some((0, *self.contraintes.first()?)),
        }
    }

    /// The autonomie numérique.
    pub fn autonomie(&self) -> Option<Autonomie> {
        let r = Referentiel::get();
        let agent = self.agent();
        let a = self.autonomie?;
        let (rank, x) = self.autonomie_contrainte()?;
        let def = r.contraintes.get(rank)?;
        Some(Autonomie {
            date_ms: self.explored_at,
            agent: agent.clone(),
            contrainte: self.contrainte(def, &x, &agent),
            besoin: Explored {
                code: BESOIN_NUMERIQUE,
                valeur: BESOIN_VALUES[a.besoin],
                date_ms: Some(self.explored_at),
                agent: Some(agent),
            },
        })
    }

    /// The dossier model: diagnostics with their besoins, contraintes, pouvoir d'agir,
    /// autonomie numérique, and the explorations that made them.
    pub fn dossier(&self, id_metier: impl Fn(usize) -> String) -> Dossier {
        let r = Referentiel::get();
        let agent = self.agent();
        let diagnostics: Vec<Diagnostic> = (0..self.diagnostics.len())
            .map(|rank| Diagnostic {
                besoins: self.besoins(rank),
                ..self.diagnostic(rank, &id_metier)
            })
            .collect();
        let items = r
            .contraintes
            .iter()
            .zip(&self.contraintes)
            .map(|(def, x)| self.contrainte(def, x, &agent))
            .collect();
        let mut topics = vec![Topic::Diagnostics, Topic::Contraintes];
        topics.extend(diagnostics.iter().map(|x| Topic::Besoins(x.id.clone())));
        let pouvoir_agir = self.pouvoir_agir();
        let autonomie = self.autonomie();
        if pouvoir_agir.is_some() {
            topics.push(Topic::PouvoirAgir);
        }
        if autonomie.is_some() {
            topics.push(Topic::Autonomie);
        }
        let history = topics
            .into_iter()
            .map(|topic| HistoryEntry {
                topic,
                date_ms: self.explored_at,
                agent: agent.clone(),
                donnees: None,
            })
            .collect();
        Dossier {
            diagnostics,
            contraintes: Contraintes {
                agent,
                date_ms: self.explored_at,
                sans_contrainte: Some((false, self.explored_at)),
                items,
            },
            pouvoir_agir,
            autonomie,
            history,
        }
    }
}

/// The besoins a diagnostic explores: every besoin of the référentiel, in its order, but
/// "Utiliser le numérique" (it lives in the autonomie numérique).
pub(crate) fn besoins_of_diagnostics(
    r: &'static Referentiel,
) -> impl Iterator<Item = &'static Coded> {
    r.thematiques.iter().flat_map(besoins_of_thematique)
}

/// How many [`besoins_of_diagnostics`] there are (counted once).
fn besoins_of_diagnostics_count() -> usize {
    static COUNT: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *COUNT.get_or_init(|| besoins_of_diagnostics(Referentiel::get()).count())
}

/// The besoins of a thematique that a diagnostic explores (see [`besoins_of_diagnostics`]).
pub(crate) fn besoins_of_thematique(t: &Thematique) -> impl Iterator<Item = &Coded> {
    t.besoins.iter().filter(|b| b.code != BESOIN_NUMERIQUE)
}

fn draw_contrainte(d: &mut Draw, c: &Contrainte, prioritaire: bool) -> DrawnContrainte {
    let valeur = d.below(CONTRAINTE_VALUES.len() as u64) as usize;
    let explored = discussed(valeur);
    let impact = d.below(IMPACTS.len() as u64) as usize;
    let mut pick = |count: usize, values: &[&str]| {
        let mut drawn = [0u8; ITEMS];
        for v in drawn.iter_mut().take(count.min(ITEMS)) {
            if explored {
                *v = d.small(values.len() as u8);
            }
        }
        drawn
    };
    let situations = pick(c.situations.len(), SITUATION_VALUES);
    let objectifs = pick(c.objectifs.len(), OBJECTIF_VALUES);
    DrawnContrainte {
        valeur,
        prioritaire: prioritaire && explored,
        impact,
        situations,
        objectifs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_discussed_is_non_abordee() {
        assert_eq!(CONTRAINTE_VALUES[NOT_DISCUSSED], "NON_ABORDEE");
        let discussed: Vec<_> = (0..CONTRAINTE_VALUES.len())
            .filter(|&v| discussed(v))
            .collect();
        assert_eq!(discussed.len(), CONTRAINTE_VALUES.len() - 1);
    }
}
