//! The JSON that every drawn dossier shares (référentiel items with each of their values,
//! thematique heads, whole contraintes nobody discussed, the métier fields of diagnostics),
//! written once and laid out in one
//! block in the order a dossier writes them: writing a dossier then reads it front to back
//! instead of chasing hundreds of small strings across the heap
//! ([`crate::views_v4_drawn`]).

use std::ops::Range;
use std::sync::OnceLock;

use crate::dossier::{CONTRAINTE_VALUES, EF_SUBTYPES, IMPACTS};
use crate::dossier_drawn::{Drawn, DrawnContrainte, DrawnDiagnostic, ITEMS, besoins_of_thematique};
use crate::referentiel::{Coded, METIERS, Referentiel};
use crate::views_v4::{self, DiagView};
use crate::views_v4_json::{contrainte, diagnostic, render};

/// The most values an item may take (the objectifs').
const MAX_VALUES: usize = 4;

/// Bytes of [`Pieces`]' block.
#[derive(Debug, Clone, Copy)]
pub struct Span {
    start: u32,
    end: u32,
}

/// An item of the référentiel: where its pieces are, by value. Value 0 (not explored) is
/// the whole item; any other value is the item up to its value, the agent and date to follow.
#[derive(Debug, Clone, Copy)]
pub struct Item {
    /// Piece `v` is `bounds[v]..bounds[v + 1]`.
    bounds: [u32; MAX_VALUES + 1],
    values: u8,
}

/// A contrainte of the référentiel.
#[derive(Debug)]
pub struct ContraintePieces {
    /// Its first [`ITEMS`] situations and objectifs.
    pub situations: Vec<Item>,
    pub objectifs: Vec<Item>,
    /// The whole contrainte when nobody discussed it, by impact: no date, no agent, every
    /// situation and objectif not explored, so the same for every person.
    undiscussed: Vec<Span>,
    /// By value: its start up to `"estPrioritaire":`, as the views write it.
    heads: Vec<Span>,
}

#[derive(Debug)]
pub struct Pieces {
    block: Vec<u8>,
    /// The thematiques that have besoins a diagnostic explores:
    /// `{"code":…,"libelle":…,"besoins":[` and where their besoins are in `besoins`.
    pub thematiques: Vec<(Span, Range<usize>)>,
    /// The besoins a diagnostic explores, in the référentiel's order.
    pub besoins: Vec<Item>,
    /// The contraintes, in the référentiel's order.
    pub contraintes: Vec<ContraintePieces>,
    /// Per métier, per sous-typologie (none, then each EF one): a diagnostic's fields from
    /// `,"nomMetier":` to the end of `"statut":…`, which depend on these two only.
    metiers: Vec<Vec<Span>>,
    /// See [`Pieces::impact`].
    impacts: Vec<Span>,
}

impl Pieces {
    pub fn get() -> &'static Pieces {
        static PIECES: OnceLock<Pieces> = OnceLock::new();
        PIECES.get_or_init(|| Pieces::new(Referentiel::get()))
    }

    fn new(r: &'static Referentiel) -> Pieces {
        let mut block = Vec::new();
        let item = |block: &mut Vec<u8>, c: &Coded| {
            let mut bounds = [0u32; MAX_VALUES + 1];
            bounds[0] = at(block);
            block.extend_from_slice(c.json_unexplored.as_bytes());
            bounds[1] = at(block);
            for (v, start) in c
                .json_valued
                .iter()
                .enumerate()
                .skip(1)
                .take(MAX_VALUES - 1)
            {
                block.extend_from_slice(start.as_bytes());
                bounds[v + 1] = at(block);
            }
            let values = c.json_valued.len().min(MAX_VALUES) as u8;
            Item { bounds, values }
        };
        let mut thematiques = Vec::new();
        let mut besoins = Vec::new();
        for t in &r.thematiques {
            let of_diagnostics: Vec<&Coded> = besoins_of_thematique(t).collect();
            if of_diagnostics.is_empty() {
                continue;
            }
            let start = at(&block);
            block.extend_from_slice(t.json_head.as_bytes());
            block.extend_from_slice(br#","besoins":["#);
            let head = Span {
                start,
                end: at(&block),
            };
            let first = besoins.len();
            for b in of_diagnostics {
                besoins.push(item(&mut block, b));
            }
            thematiques.push((head, first..besoins.len()));
        }
        let mut contraintes: Vec<ContraintePieces> = r
            .contraintes
            .iter()
            .map(|c| ContraintePieces {
                situations: c
                    .situations
                    .iter()
                    .take(ITEMS)
                    .map(|s| item(&mut block, s))
                    .collect(),
                objectifs: c
                    .objectifs
                    .iter()
                    .take(ITEMS)
                    .map(|o| item(&mut block, o))
                    .collect(),
                undiscussed: Vec::new(),
                heads: Vec::new(),
            })
            .collect();
        // Undiscussed, nothing of a contrainte depends on the person: any draws will do.
        let nobody = Drawn::blank();
        for (rank, (def, pieces)) in r.contraintes.iter().zip(&mut contraintes).enumerate() {
            for impact in 0..IMPACTS.len() {
                let x = DrawnContrainte::undiscussed(impact);
                let c = nobody.contrainte_state(def, &x, &nobody.agent());
                let start = at(&block);
                block.extend(render(&views_v4::contrainte(&c, rank), 2048, contrainte));
                pieces.undiscussed.push(Span {
                    start,
                    end: at(&block),
                });
            }
            for valeur in 0..CONTRAINTE_VALUES.len() {
                let x = DrawnContrainte {
                    valeur,
                    ..DrawnContrainte::undiscussed(0)
                };
                let c = nobody.contrainte_bare(def, &x);
                let json = render(&views_v4::contrainte(&c, rank), 2048, contrainte);
                let start = at(&block);
                block.extend_from_slice(&cut(&json, b"", br#","estPrioritaire":"#));
                pieces.heads.push(Span {
                    start,
                    end: at(&block),
                });
            }
        }
        // `,"impact":…,"situations":` by impact.
        let impacts = IMPACTS
            .iter()
            .map(|i| {
                let start = at(&block);
                let i = serde_json::to_string(i).unwrap_or_else(|_| "null".into());
                block.extend_from_slice(format!(r#","impact":{i},"situations":"#).as_bytes());
                Span {
                    start,
                    end: at(&block),
                }
            })
            .collect();
        let metiers = (0..METIERS.len())
            .map(|metier| {
                let kinds = std::iter::once(None).chain((0..EF_SUBTYPES.len()).map(Some));
                kinds
                    .map(|sous_typologie| {
                        let start = at(&block);
                        block.extend_from_slice(&metier_fields(metier, sous_typologie));
                        Span {
                            start,
                            end: at(&block),
                        }
                    })
                    .collect()
            })
            .collect();
        Pieces {
            block,
            thematiques,
            besoins,
            contraintes,
            impacts,
            metiers,
        }
    }

    /// The start of the contrainte at `rank` with the value `valeur` (an index), up to
    /// `"estPrioritaire":`.
    pub fn contrainte_head(&self, rank: usize, valeur: usize) -> Option<&[u8]> {
        let s = self.contraintes.get(rank)?.heads.get(valeur)?;
        Some(self.bytes(*s))
    }

    /// `,"impact":…,"situations":` for `impact` (an index).
    pub fn impact(&self, impact: usize) -> Option<&[u8]> {
        Some(self.bytes(*self.impacts.get(impact)?))
    }

    /// See [`Pieces::metiers`]; `sous_typologie` is an index into the EF ones.
    pub fn metier(&self, metier: usize, sous_typologie: Option<usize>) -> Option<&[u8]> {
        let kind = sous_typologie.map_or(0, |s| s + 1);
        let s = self.metiers.get(metier)?.get(kind)?;
        Some(self.bytes(*s))
    }

    pub fn bytes(&self, s: Span) -> &[u8] {
        self.block
            .get(s.start as usize..s.end as usize)
            .unwrap_or_default()
    }

    /// The piece of `item` for value `v` (none for a value it does not take).
    pub fn item(&self, item: &Item, v: u8) -> Option<&[u8]> {
        if v >= item.values {
            return None;
        }
        let v = usize::from(v);
        self.block
            .get(item.bounds[v] as usize..item.bounds[v + 1] as usize)
    }

    /// The whole contrainte at `rank` of the référentiel, undiscussed, with `impact`.
    pub fn undiscussed(&self, rank: usize, impact: usize) -> Option<&[u8]> {
        let s = self.contraintes.get(rank)?.undiscussed.get(impact)?;
        Some(self.bytes(*s))
    }
}

/// The fields of a diagnostic of `metier` that depend on it and on its sous-typologie
/// only: a diagnostic of theirs written by the views, cut from `,"nomMetier":` to
/// `,"estPrioritaire":` (both written by the views whatever the diagnostic).
fn metier_fields(metier: usize, sous_typologie: Option<usize>) -> Vec<u8> {
    let mut one = Drawn::blank();
    one.diagnostics.push(DrawnDiagnostic {
        metier,
        sous_typologie,
        uuid: [0; 16],
        projet: false,
        partenaire: false,
        besoins: Vec::new(),
    });
    let d = one.diagnostic(0, &|_| String::new());
    let json = render(
        &views_v4::diagnostic(&d, DiagView::Dossier),
        1024,
        diagnostic,
    );
    let mut fields = cut(&json, br#","nomMetier":"#, br#","estPrioritaire":"#);
    fields.truncate(fields.len().saturating_sub(br#","estPrioritaire":"#.len()));
    fields
}

/// The bytes of `json` from `from` (its start when empty) to the end of `to`.
fn cut(json: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let find = |k: &[u8]| json.windows(k.len().max(1)).position(|w| w == k);
    let start = if from.is_empty() { Some(0) } else { find(from) };
    match (start, find(to)) {
        (Some(start), Some(end)) if start <= end => json[start..end + to.len()].to_vec(),
        // Cannot happen (the views write both); the comparison with serde_json would say.
        _ => Vec::new(),
    }
}

/// Where the block ends (it stays far below 4 GB: a few hundred kB).
fn at(block: &[u8]) -> u32 {
    block.len() as u32
}
