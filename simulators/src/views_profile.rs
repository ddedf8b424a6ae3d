//! Métiers recherchés and CREF projects of a person (profil de compétences), both versions.
//! Version n documents a single object (CORRECTIONS.md I-5): the first item is sent;
//! version n-1 sends the list.

use serde_json::{Value, json};

use crate::identifiers::{ID_RCI_UUID, IdRciUuid, Keys};
use crate::referentiel::{COMMUNES, METIERS};
use crate::rng::Draw;

const CONTRATS: &[(&str, &str, &str)] = &[
    ("CDI", "CDI", "Contrat à durée indéterminée"),
    ("CDD", "CDD", "Contrat à durée déterminée"),
    ("MIS", "Mission intérimaire", "Mission intérimaire"),
    ("SAI", "Saisonnier", "Contrat travail saisonnier"),
];

fn mobilite(d: &mut Draw) -> Value {
    let (code, libelle, _, _) = *d.pick(COMMUNES);
    json!({
        "lieu": {"code": code, "Libelle": libelle, "type": {"code": "5", "libelle": "Commune"}},
        "mobilitePrioritaire": d.chance(500),
        "rayon": d.range(5, 50),
        "unite": {"code": "KM", "libelle": "Kilomètres"},
    })
}

fn encrypted_id(d: &mut Draw) -> String {
    let uuid = d.uuid();
    let tail: String = (0..4).map(|_| format!("{:016x}", d.next_u64())).collect();
    format!("{uuid}#{tail}")
}

/// The métiers recherchés of a person (`count` from the person).
pub fn metiers(seed: u64, index: u64, count: u8) -> Vec<Value> {
    let mut d = Draw::new(seed, index, "metiers");
    (0..count)
        .map(|i| {
            let (rome, rome_lib, app, app_lib) = *d.pick(METIERS);
            let projet = i > 0 && d.chance(300);
            let (tcode, tlib) = if projet { ("PM", "Projet de Métier") } else { ("MR", "Métier Recherché") };
            let contrats: Vec<Value> = (0..d.range(1, 2))
                .map(|p| {
                    let (c, l, ll) = *d.pick(CONTRATS);
                    json!({"critereOre": p == 0, "priorite": p, "type": {"code": c, "libelle": l, "libelleLong": ll}})
                })
                .collect();
            let plein = d.chance(700);
            json!({
                "identifiant": encrypted_id(&mut d),
                "appellation": {"code": app, "libelle": app_lib},
                "rome": {"code": rome, "libellé": rome_lib},
                "typologieEmploi": {"code": tcode, "libelle": tlib},
                "contrats": contrats,
                "dureeExperience": {"valeur": d.range(1, 15), "unite": {"code": "AN", "libelle": "An(s)"}},
                "dureesHebdomadaires": [{"critereOre": true, "tempsTravail": if plein {
                    json!({"code": "1", "libelle": "temps plein", "min": null, "max": null})
                } else {
                    json!({"code": "2", "libelle": "temps partiel", "min": 20, "max": 30})
                }}],
                "mobilites": [mobilite(&mut d)],
                "mobiliteHabitation": {"mobilitePrioritaire": null, "unite": {"code": "KM", "libelle": "Kilomètres"}},
                "salaire": {"libelle": "Mensuel", "remuneration": d.range(1_400, 2_600)},
                "mrs": d.chance(100),
                "passeportEmploi": false,
            })
        })
        .collect()
}

/// The CREF projects of a person.
pub fn crefs(seed: u64, index: u64, count: u8) -> Vec<Value> {
    let mut d = Draw::new(seed, index, "crefs");
    (0..count)
        .map(|_| {
            let (rome, rome_lib, app, app_lib) = *d.pick(METIERS);
            let kind = d.below(3);
            json!({
                "identifiant": encrypted_id(&mut d),
                "appellation": {"code": app, "libelle": app_lib},
                "rome": {"code": rome, "libellé": rome_lib},
                "mobilites": [mobilite(&mut d)],
                "mobiliteHabitation": {"mobilitePrioritaire": null, "unite": {"code": "KM", "libelle": "Kilomètres"}},
                "typeCrefCreation": kind == 0,
                "typeCrefReprise": kind == 1,
                "typeCrefFranchise": kind == 2,
            })
        })
        .collect()
}

/// The encrypted métier ids of a person's diagnostics (`<uuid>#<base64url>`), stable per
/// person and rank: the person's idRci is computed once for all of them.
pub fn id_metier(keys: &Keys, index: u64) -> impl Fn(usize) -> String + use<> {
    id_metier_of(IdRciUuid::of(&keys.id_rci(index)))
}

/// [`id_metier`] given the UUID of the person's idRci (a verified jeton carries it).
pub fn id_metier_of(id_rci: IdRciUuid) -> impl Fn(usize) -> String + use<> {
    move |rank| {
        let mut out = String::with_capacity(ID_RCI_UUID + 1 + 64);
        out.push_str(id_rci.as_str());
        out.push('#');
        out.push_str(std::str::from_utf8(&metier_tail(id_rci, rank)).unwrap_or_default());
        out
    }
}

/// [`id_metier_of`] written as JSON (a string: nothing in it to escape).
pub fn write_id_metier(out: &mut Vec<u8>, rank: usize, id_rci: IdRciUuid) {
    out.push(b'"');
    out.extend_from_slice(id_rci.as_str().as_bytes());
    out.push(b'#');
    out.extend_from_slice(&metier_tail(id_rci, rank));
    out.push(b'"');
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
