//! Statut usager, both versions: the same statut under the convention's camelCase names
//! (n-1) and the `m_*` names of version n, as derived view structs.

use serde::Serialize;

use crate::civil::{civil_from_days, format_date};
use crate::population::person::Statut;

/// A code and its label, each null when the statut has none (API-SHAPES §10: every official
/// example carries every field, e.g. the motif de clôture of a registration not closed).
fn pair(p: Option<(&'static str, &'static str)>) -> (Option<&'static str>, Option<&'static str>) {
    (p.map(|x| x.0), p.map(|x| x.1))
}

/// Version n: `{m_contrat: {...}, m_messageErreur}`.
#[derive(Debug, Serialize)]
pub(crate) struct ContratResponse {
    pub m_contrat: Contrat,
    #[serde(rename = "m_messageErreur")]
    pub m_message_erreur: &'static str,
}

/// Version n's `Contrat`. Libellés are upper-case and padded as the real ones.
#[derive(Debug, Serialize)]
pub(crate) struct Contrat {
    pub m_statut: &'static str,
    pub m_date_effet_statut: String,
    pub m_duree_inscription_12: i64,
    pub m_duree_inscription_24: i64,
    pub m_duree_inscription_36: i64,
    pub m_motif_inscription_code: Option<&'static str>,
    pub m_motif_inscription_lib: Option<&'static str>,
    pub m_categ_inscription_code: Option<&'static str>,
    pub m_categ_inscription_lib: Option<&'static str>,
    pub m_situation_reg_emp_code: Option<&'static str>,
    pub m_situation_reg_emp_lib: Option<&'static str>,
    pub m_motif_cloture_code: Option<&'static str>,
    pub m_motif_cloture_lib: Option<&'static str>,
}

pub(crate) fn v2(s: &Statut) -> ContratResponse {
    let (mc, ml) = pair(s.motif);
    let (cc, cl) = pair(s.categorie);
    let (sc, sl) = pair(s.situation);
    let (kc, kl) = pair(s.cloture);
    ContratResponse {
        m_contrat: Contrat {
            m_statut: s.kind.label(),
            m_date_effet_statut: format_date(civil_from_days(s.effect_day)),
            m_duree_inscription_12: s.months[0],
            m_duree_inscription_24: s.months[1],
            m_duree_inscription_36: s.months[2],
            m_motif_inscription_code: mc,
            m_motif_inscription_lib: ml,
            m_categ_inscription_code: cc,
            m_categ_inscription_lib: cl,
            m_situation_reg_emp_code: sc,
            m_situation_reg_emp_lib: sl,
            m_motif_cloture_code: kc,
            m_motif_cloture_lib: kl,
        },
        m_message_erreur: " ",
    }
}

/// Version n-1: the convention's names.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StatutV1 {
    pub id_nat: String,
    #[serde(rename = "statutDE")]
    pub statut_de: &'static str,
    pub date_effet_statut: String,
    pub date_inscription12: i64,
    pub date_inscription24: i64,
    pub date_inscription36: i64,
    pub motif_inscription_code: Option<&'static str>,
    pub motif_inscription_lib: Option<&'static str>,
    pub categ_inscription_code: Option<&'static str>,
    pub categ_inscription_lib: Option<&'static str>,
    pub situation_reg_emp_code: Option<&'static str>,
    pub situation_reg_emp_lib: Option<&'static str>,
    pub motif_cloture_code: Option<&'static str>,
    pub motif_cloture_lib: Option<&'static str>,
    pub message_erreur: Option<&'static str>,
}

pub(crate) fn v1(s: &Statut, id_nat: &str) -> StatutV1 {
    let (mc, ml) = pair(s.motif);
    let (cc, cl) = pair(s.categorie);
    let (sc, sl) = pair(s.situation);
    let (kc, kl) = pair(s.cloture);
    StatutV1 {
        id_nat: id_nat.to_string(),
        statut_de: s.kind.label(),
        date_effet_statut: format_date(civil_from_days(s.effect_day)),
        date_inscription12: s.months[0],
        date_inscription24: s.months[1],
        date_inscription36: s.months[2],
        motif_inscription_code: mc,
        motif_inscription_lib: ml,
        categ_inscription_code: cc,
        categ_inscription_lib: cl,
        situation_reg_emp_code: sc,
        situation_reg_emp_lib: sl,
        motif_cloture_code: kc,
        motif_cloture_lib: kl,
        message_erreur: None,
    }
}
