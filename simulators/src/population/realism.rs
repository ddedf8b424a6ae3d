//! How tidy the simulated data is. `realistic` (the default) reproduces what partner clients
//! met in production, so that a client under qualification crashes here first: the 2023 API
//! (version n-1) sent `null` for a diagnostic's `nomMetier`, `typologie`, `dateMiseAJour`,
//! `conseiller` and for the contraintes' `conseiller` and `dateDeModification` in real
//! dossiers (issue "fidelity", API-SHAPES.md §10; the v1 contract allows null for each), and
//! empty dossiers happened: no métier, no contrainte (the 2023 client's own fixture,
//! API-SHAPES.md §4.2). In both eras some dossiers have a long list of métiers. `minimal`
//! sends every value, 1 to 3 métiers. Each null is drawn from the seed, per person and per
//! diagnostic, so a given person reads the same way every time.
//!
//! No published statistics give the real rates: the rates below are chosen to make every case
//! frequent enough to meet in a short qualification (a few dozen people), and documented.

use crate::population::rng::Draw;

/// Per mille of 2023-era diagnostics with a null `nomMetier`.
pub(crate) const NULL_NOM_METIER: u64 = 100;
/// … with a null `typologie`.
pub(crate) const NULL_TYPOLOGIE: u64 = 50;
/// … with a null `dateMiseAJour`.
pub(crate) const NULL_DATE_MISE_A_JOUR: u64 = 100;
/// … with a null `conseiller` (the diagnostics resource).
pub(crate) const NULL_CONSEILLER: u64 = 150;
/// Per mille of 2023-era contraintes blocks with a null `conseiller`.
pub(crate) const NULL_CONTRAINTES_CONSEILLER: u64 = 200;
/// … with a null `dateDeModification`.
pub(crate) const NULL_DATE_DE_MODIFICATION: u64 = 100;

/// Per mille of 2023-era dossiers served empty while nobody wrote to them: no métier, no
/// contrainte, no pouvoir d'agir (API-SHAPES.md §4.2, "Empty fixture").
pub(crate) const EMPTY_DOSSIER: u64 = 50;

/// Per mille of dossiers (both eras) with a long list: 4 to 8 métiers instead of 1 to 3.
pub(crate) const LONG_LIST: u64 = 50;

/// How tidy the data is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Realism {
    /// What production sent, nulls included (the default).
    #[default]
    Realistic,
    /// Every value present.
    Minimal,
}

impl Realism {
    pub fn parse(text: &str) -> Option<Realism> {
        match text {
            "realistic" => Some(Realism::Realistic),
            "minimal" => Some(Realism::Minimal),
            _ => None,
        }
    }

    /// Whether a person's dossier has a long list of métiers (never under `minimal`).
    pub fn long_list(self, seed: u64, index: u64) -> bool {
        self == Realism::Realistic && Draw::new(seed, index, "long list").chance(LONG_LIST)
    }

    /// The 2023-era nulls of one person's answers.
    pub fn era_2023(self, seed: u64, index: u64) -> Nulls2023 {
        Nulls2023 {
            on: self == Realism::Realistic,
            seed,
            index,
        }
    }
}

/// Which values of one person's v1 answers are null.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Nulls2023 {
    on: bool,
    seed: u64,
    index: u64,
}

/// The nulls of one diagnostic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DiagnosticNulls {
    pub nom_metier: bool,
    pub typologie: bool,
    pub date_mise_a_jour: bool,
    pub conseiller: bool,
}

impl Nulls2023 {
    /// The diagnostic with this id (its id, not its rank: a write that adds or removes one
    /// does not move the others' nulls).
    pub fn diagnostic(&self, id: &str) -> DiagnosticNulls {
        if !self.on {
            return DiagnosticNulls::default();
        }
        let mut d = Draw::new(self.seed, self.index, &format!("v1-nulls {id}"));
        DiagnosticNulls {
            nom_metier: d.chance(NULL_NOM_METIER),
            typologie: d.chance(NULL_TYPOLOGIE),
            date_mise_a_jour: d.chance(NULL_DATE_MISE_A_JOUR),
            conseiller: d.chance(NULL_CONSEILLER),
        }
    }

    /// Whether the person's dossier, as drawn, reads empty (nothing explored yet).
    pub fn empty_dossier(&self) -> bool {
        self.on && Draw::new(self.seed, self.index, "v1-empty dossier").chance(EMPTY_DOSSIER)
    }

    /// The contraintes block: (`conseiller` null, `dateDeModification` null).
    pub fn contraintes(&self) -> (bool, bool) {
        if !self.on {
            return (false, false);
        }
        let mut d = Draw::new(self.seed, self.index, "v1-nulls contraintes");
        (
            d.chance(NULL_CONTRAINTES_CONSEILLER),
            d.chance(NULL_DATE_DE_MODIFICATION),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_drawn_as_documented_and_minimal_has_none() {
        let mut nulls = [0u64; 4];
        let n = 20_000;
        for index in 0..n {
            let d = Realism::Realistic.era_2023(2023, index).diagnostic("x");
            for (i, on) in [d.nom_metier, d.typologie, d.date_mise_a_jour, d.conseiller]
                .into_iter()
                .enumerate()
            {
                nulls[i] += u64::from(on);
            }
            assert_eq!(
                Realism::Minimal.era_2023(2023, index).diagnostic("x"),
                DiagnosticNulls::default()
            );
        }
        for (got, want) in nulls.iter().zip([
            NULL_NOM_METIER,
            NULL_TYPOLOGIE,
            NULL_DATE_MISE_A_JOUR,
            NULL_CONSEILLER,
        ]) {
            let per_mille = got * 1000 / n;
            assert!(per_mille.abs_diff(want) <= 10, "{per_mille} ‰ for {want} ‰");
        }
        let empty = (0..n)
            .filter(|i| Realism::Realistic.era_2023(2023, *i).empty_dossier())
            .count() as u64;
        assert!((empty * 1000 / n).abs_diff(EMPTY_DOSSIER) <= 10, "{empty}");
        assert!((0..n).all(|i| !Realism::Minimal.era_2023(2023, i).empty_dossier()));
        let long = (0..n)
            .filter(|i| Realism::Realistic.long_list(2023, *i))
            .count() as u64;
        assert!((long * 1000 / n).abs_diff(LONG_LIST) <= 10, "{long}");
        assert!((0..n).all(|i| !Realism::Minimal.long_list(2023, i)));
        // The same person reads the same way every time.
        let a = Realism::Realistic.era_2023(2023, 7);
        assert_eq!(a.diagnostic("d1"), a.diagnostic("d1"));
        assert_eq!(a.contraintes(), a.contraintes());
    }
}
