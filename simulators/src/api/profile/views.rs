//! Métiers recherchés and CREF projects of a person (profil de compétences), both versions.
//! Version n documents a single object (CORRECTIONS.md I-5): the first item is sent;
//! version n-1 sends the list.

use serde::Serialize;

use crate::diagnostic::referentiel::{COMMUNES, METIERS};
use crate::population::identifiers::{ID_RCI_UUID, IdRciUuid, Keys};
use crate::population::rng::Draw;

const CONTRATS: &[(&str, &str, &str)] = &[
    ("CDI", "CDI", "Contrat à durée indéterminée"),
    ("CDD", "CDD", "Contrat à durée déterminée"),
    ("MIS", "Mission intérimaire", "Mission intérimaire"),
    ("SAI", "Saisonnier", "Contrat travail saisonnier"),
];

/// A `{code, libelle}` pair of the documents (appellation, typologie, unité, type de lieu).
#[derive(Debug, Serialize)]
pub(crate) struct CodeLibelle {
    pub code: &'static str,
    pub libelle: &'static str,
}

const KM: CodeLibelle = CodeLibelle {
    code: "KM",
    libelle: "Kilomètres",
};

/// `rome`, with the document's accented key.
#[derive(Debug, Serialize)]
pub(crate) struct Rome {
    pub code: &'static str,
    #[serde(rename = "libellé")]
    pub libelle: &'static str,
}

/// `lieu`, with the document's capital `Libelle`.
#[derive(Debug, Serialize)]
pub(crate) struct Lieu {
    pub code: &'static str,
    #[serde(rename = "Libelle")]
    pub libelle: &'static str,
    #[serde(rename = "type")]
    pub kind: CodeLibelle,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Mobilite {
    pub lieu: Lieu,
    pub mobilite_prioritaire: bool,
    pub rayon: i64,
    pub unite: CodeLibelle,
}

/// `mobiliteHabitation` without its `valeur`: the document bounds it to [-1, 1]
/// (CORRECTIONS.md I-8), a real radius would break the contract.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MobiliteHabitation {
    pub mobilite_prioritaire: Option<bool>,
    pub unite: CodeLibelle,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TypeContrat {
    pub code: &'static str,
    pub libelle: &'static str,
    pub libelle_long: &'static str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ContratSouhaite {
    pub critere_ore: bool,
    pub priorite: i64,
    #[serde(rename = "type")]
    pub kind: TypeContrat,
}

#[derive(Debug, Serialize)]
pub(crate) struct DureeExperience {
    pub valeur: i64,
    pub unite: CodeLibelle,
}

#[derive(Debug, Serialize)]
pub(crate) struct TempsTravail {
    pub code: &'static str,
    pub libelle: &'static str,
    pub min: Option<i64>,
    pub max: Option<i64>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DureeHebdomadaire {
    pub critere_ore: bool,
    pub temps_travail: TempsTravail,
}

#[derive(Debug, Serialize)]
pub(crate) struct Salaire {
    pub libelle: &'static str,
    pub remuneration: i64,
}

/// `metierRecherche`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MetierRecherche {
    pub identifiant: String,
    pub appellation: CodeLibelle,
    pub rome: Rome,
    pub typologie_emploi: CodeLibelle,
    pub contrats: Vec<ContratSouhaite>,
    pub duree_experience: DureeExperience,
    pub durees_hebdomadaires: Vec<DureeHebdomadaire>,
    pub mobilites: Vec<Mobilite>,
    pub mobilite_habitation: MobiliteHabitation,
    pub salaire: Salaire,
    pub mrs: bool,
    pub passeport_emploi: bool,
}

/// `projetCref`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ProjetCref {
    pub identifiant: String,
    pub appellation: CodeLibelle,
    pub rome: Rome,
    pub mobilites: Vec<Mobilite>,
    pub mobilite_habitation: MobiliteHabitation,
    pub type_cref_creation: bool,
    pub type_cref_reprise: bool,
    pub type_cref_franchise: bool,
}

fn mobilite(d: &mut Draw) -> Mobilite {
    let (code, libelle, _, _) = *d.pick(COMMUNES);
    Mobilite {
        lieu: Lieu {
            code,
            libelle,
            kind: CodeLibelle {
                code: "5",
                libelle: "Commune",
            },
        },
        mobilite_prioritaire: d.chance(500),
        rayon: d.range(5, 50),
        unite: KM,
    }
}

/// The appellation and the ROME code of one of the métiers.
fn appellation_rome(
    m: &(&'static str, &'static str, &'static str, &'static str),
) -> (CodeLibelle, Rome) {
    let (rome, rome_lib, app, app_lib) = *m;
    (
        CodeLibelle {
            code: app,
            libelle: app_lib,
        },
        Rome {
            code: rome,
            libelle: rome_lib,
        },
    )
}

fn encrypted_id(d: &mut Draw) -> String {
    let uuid = d.uuid();
    let tail: String = (0..4).map(|_| format!("{:016x}", d.next_u64())).collect();
    format!("{uuid}#{tail}")
}

/// The métiers recherchés of a person (`count` from the person). Fields are drawn in the
/// order they are written.
pub(crate) fn metiers(seed: u64, index: u64, count: u8) -> Vec<MetierRecherche> {
    let mut d = Draw::new(seed, index, "metiers");
    (0..count)
        .map(|i| {
            let (appellation, rome) = appellation_rome(d.pick(METIERS));
            let projet = i > 0 && d.chance(300);
            let typologie = if projet {
                CodeLibelle {
                    code: "PM",
                    libelle: "Projet de Métier",
                }
            } else {
                CodeLibelle {
                    code: "MR",
                    libelle: "Métier Recherché",
                }
            };
            let contrats: Vec<ContratSouhaite> = (0..d.range(1, 2))
                .map(|p| {
                    let (code, libelle, libelle_long) = *d.pick(CONTRATS);
                    ContratSouhaite {
                        critere_ore: p == 0,
                        priorite: p,
                        kind: TypeContrat {
                            code,
                            libelle,
                            libelle_long,
                        },
                    }
                })
                .collect();
            let plein = d.chance(700);
            MetierRecherche {
                identifiant: encrypted_id(&mut d),
                appellation,
                rome,
                typologie_emploi: typologie,
                contrats,
                duree_experience: DureeExperience {
                    valeur: d.range(1, 15),
                    unite: CodeLibelle {
                        code: "AN",
                        libelle: "An(s)",
                    },
                },
                durees_hebdomadaires: vec![DureeHebdomadaire {
                    critere_ore: true,
                    temps_travail: if plein {
                        TempsTravail {
                            code: "1",
                            libelle: "temps plein",
                            min: None,
                            max: None,
                        }
                    } else {
                        TempsTravail {
                            code: "2",
                            libelle: "temps partiel",
                            min: Some(20),
                            max: Some(30),
                        }
                    },
                }],
                mobilites: vec![mobilite(&mut d)],
                mobilite_habitation: MobiliteHabitation {
                    mobilite_prioritaire: None,
                    unite: KM,
                },
                salaire: Salaire {
                    libelle: "Mensuel",
                    remuneration: d.range(1_400, 2_600),
                },
                mrs: d.chance(100),
                passeport_emploi: false,
            }
        })
        .collect()
}

/// The CREF projects of a person.
pub(crate) fn crefs(seed: u64, index: u64, count: u8) -> Vec<ProjetCref> {
    let mut d = Draw::new(seed, index, "crefs");
    (0..count)
        .map(|_| {
            let (appellation, rome) = appellation_rome(d.pick(METIERS));
            let kind = d.below(3);
            ProjetCref {
                identifiant: encrypted_id(&mut d),
                appellation,
                rome,
                mobilites: vec![mobilite(&mut d)],
                mobilite_habitation: MobiliteHabitation {
                    mobilite_prioritaire: None,
                    unite: KM,
                },
                type_cref_creation: kind == 0,
                type_cref_reprise: kind == 1,
                type_cref_franchise: kind == 2,
            }
        })
        .collect()
}

/// The encrypted métier ids of a person's diagnostics (`<uuid>#<base64url>`), stable per
/// person and rank: the person's idRci is computed once for all of them.
pub(crate) fn id_metier(keys: &Keys, index: u64) -> impl Fn(usize) -> String + use<> {
    id_metier_of(IdRciUuid::of(&keys.id_rci(index)))
}

/// [`id_metier`] given the UUID of the person's idRci (a verified jeton carries it).
pub(crate) fn id_metier_of(id_rci: IdRciUuid) -> impl Fn(usize) -> String + use<> {
    move |rank| {
        let mut out = String::with_capacity(ID_RCI_UUID + 1 + 64);
        out.push_str(id_rci.as_str());
        out.push('#');
        out.push_str(std::str::from_utf8(&metier_tail(id_rci, rank)).unwrap_or_default());
        out
    }
}

/// The part after the `#` of the métier id of a person's diagnostic at `rank`: 48 bytes drawn
/// from the person's idRci UUID (itself keyed) and the rank, in base64url. A métier id shares
/// its person's UUID, as real ones do, and reveals no index.
fn metier_tail(id_rci: IdRciUuid, rank: usize) -> [u8; 64] {
    use base64::Engine as _;
    let mut draw = Draw::new(id_rci.seed(), rank as u64, "id-metier");
    let mut bytes = [0u8; 48];
    for chunk in bytes.chunks_mut(8) {
        chunk.copy_from_slice(&draw.next_u64().to_le_bytes());
    }
    let mut text = [b'A'; 64];
    let _ = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode_slice(bytes, &mut text);
    text
}
