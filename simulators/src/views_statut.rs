//! Statut usager, both versions: the same statut under the convention's camelCase names
//! (n-1) and the `m_*` names of version n.

use serde_json::{Value, json};

use crate::civil::{civil_from_days, format_date};
use crate::person::Statut;

fn pair(p: Option<(&str, &str)>) -> (Value, Value) {
    match p {
        Some((c, l)) => (c.into(), l.into()),
        None => (Value::Null, Value::Null),
    }
}

/// Version n: `{m_contrat: {...}, m_messageErreur}`. Libellés are upper-case and padded as
/// the real ones.
pub fn v2(s: &Statut) -> Value {
    // Every official example carries every field; an absent value is null (API-SHAPES §10:
    // the motif de clôture of a registration not closed).
    let (mc, ml) = pair(s.motif);
    let (cc, cl) = pair(s.categorie);
    let (sc, sl) = pair(s.situation);
    let (kc, kl) = pair(s.cloture);
    let contrat = json!({
        "m_statut": s.kind.label(),
        "m_date_effet_statut": format_date(civil_from_days(s.effect_day)),
        "m_duree_inscription_12": s.months[0],
        "m_duree_inscription_24": s.months[1],
        "m_duree_inscription_36": s.months[2],
        "m_motif_inscription_code": mc, "m_motif_inscription_lib": ml,
        "m_categ_inscription_code": cc, "m_categ_inscription_lib": cl,
        "m_situation_reg_emp_code": sc, "m_situation_reg_emp_lib": sl,
        "m_motif_cloture_code": kc, "m_motif_cloture_lib": kl,
    });
    json!({"m_contrat": contrat, "m_messageErreur": " "})
}

/// Version n-1: the convention's names.
pub fn v1(s: &Statut, id_nat: &str) -> Value {
    let (mc, ml) = pair(s.motif);
    let (cc, cl) = pair(s.categorie);
    let (sc, sl) = pair(s.situation);
    let (kc, kl) = pair(s.cloture);
    json!({
        "idNat": id_nat,
        "statutDE": s.kind.label(),
        "dateEffetStatut": format_date(civil_from_days(s.effect_day)),
        "dateInscription12": s.months[0], "dateInscription24": s.months[1], "dateInscription36": s.months[2],
        "motifInscriptionCode": mc, "motifInscriptionLib": ml,
        "categInscriptionCode": cc, "categInscriptionLib": cl,
        "situationRegEmpCode": sc, "situationRegEmpLib": sl,
        "motifClotureCode": kc, "motifClotureLib": kl,
        "messageErreur": null,
    })
}
