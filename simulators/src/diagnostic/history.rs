//! Historisation resources of version n (diagnostic v4): the data of each exploration as it
//! was, and pages of them. Not on the hot path: built as JSON values.

use serde_json::{Value, json};

use crate::api::diagnostic_v4::views::{DiagView, agent_value, diagnostic_value};
use crate::civil::format_datetime;
use crate::diagnostic::model::{ContrainteState, Diagnostic, Dossier, Topic};
use crate::diagnostic::referentiel::Referentiel;

fn coded_value(code: &str, libelle: &str, valeur: &str) -> Value {
    json!({"code": code, "libelle": libelle, "valeur": valeur})
}

fn historised_contraintes(items_: &[ContrainteState]) -> Value {
    let r = Referentiel::get();
    let mut contraintes = Vec::new();
    let mut situations = Vec::new();
    let mut objectifs = Vec::new();
    for c in items_ {
        let def = r.contrainte(c.code);
        contraintes.push(
            json!({"code": c.code, "libelle": def.map(|d| d.libelle.as_str()).unwrap_or_default(),
            "valeur": c.valeur, "estPrioritaire": c.prioritaire, "impact": c.impact}),
        );
        for (list, labels, out) in [
            (&c.situations, def.map(|d| &d.situations), &mut situations),
            (&c.objectifs, def.map(|d| &d.objectifs), &mut objectifs),
        ] {
            for x in list {
                let l = labels
                    .and_then(|ls| ls.iter().find(|y| y.code == x.code))
                    .map(|y| y.libelle.as_str())
                    .unwrap_or_default();
                out.push(coded_value(x.code, l, x.valeur));
            }
        }
    }
    json!({"contraintes": contraintes, "situations": situations, "objectifs": objectifs})
}

fn historised_diagnostic(x: &Diagnostic) -> Value {
    let mut v = diagnostic_value(x, DiagView::Dossier);
    if let Some(m) = v.as_object_mut() {
        m.remove("agent");
        if m.get("codeSousTypologie").and_then(Value::as_str) == Some("MR") {
            m.remove("codeSousTypologie");
        }
        // The historisation's contract types these as strings: a value it has not is left out.
        for key in [
            "dateMiseAJourProjet",
            "codeRome",
            "codeAppellation",
            "codeSousTypologie",
        ] {
            if m.get(key).is_some_and(Value::is_null) {
                m.remove(key);
            }
        }
    }
    v
}

/// The historised data of one topic, as it is now (taken when the topic is explored).
pub(crate) fn historised(d: &Dossier, topic: &Topic) -> Value {
    let r = Referentiel::get();
    match topic {
        Topic::Diagnostics => {
            json!({"diagnostics": d.diagnostics.iter().map(historised_diagnostic).collect::<Vec<_>>()})
        }
        Topic::Besoins(id) => {
            let besoins: Vec<Value> = d
                .diagnostics
                .iter()
                .find(|x| &x.id == id)
                .map(|x| {
                    x.besoins
                        .iter()
                        .map(|b| {
                            coded_value(
                                b.code,
                                r.besoin(b.code)
                                    .map(|(_, c)| c.libelle.as_str())
                                    .unwrap_or_default(),
                                b.valeur,
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            json!({"idDiagnostic": id, "besoins": besoins})
        }
        Topic::Contraintes => historised_contraintes(&d.contraintes.items),
        Topic::PouvoirAgir => d
            .pouvoir_agir
            .as_ref()
            .map(|p| json!({"confiance": p.confiance, "accompagnement": p.accompagnement}))
            .unwrap_or_else(|| json!({})),
        Topic::Autonomie => match &d.autonomie {
            Some(a) => {
                let mut v = historised_contraintes(std::slice::from_ref(&a.contrainte));
                let c = v["contraintes"][0].take();
                let libelle = r
                    .besoin(crate::diagnostic::referentiel::BESOIN_NUMERIQUE)
                    .map(|(_, b)| b.libelle.as_str())
                    .unwrap_or_default();
                json!({"besoin": coded_value(crate::diagnostic::referentiel::BESOIN_NUMERIQUE, libelle, a.besoin.valeur), "contrainte": c,
                       "situations": v["situations"].take(), "objectifs": v["objectifs"].take()})
            }
            None => json!({}),
        },
    }
}

/// Which historisation resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum HistoryFilter {
    Dossier,
    Diagnostics,
    Besoins(String),
    Contraintes,
    PouvoirAgir,
    Autonomie,
}

/// A page of history. `None` when the window holds nothing (204).
pub(crate) fn history_page(
    d: &Dossier,
    filter: &HistoryFilter,
    from_ms: i64,
    to_ms: i64,
    page: u32,
    per_page: u32,
) -> Option<Value> {
    let entries: Vec<Value> = d
        .history
        .iter()
        .filter(|h| h.date_ms >= from_ms && h.date_ms <= to_ms)
        .filter_map(|h| {
            let keep = matches!(
                (filter, &h.topic),
                (HistoryFilter::Dossier, _)
                    | (HistoryFilter::Diagnostics, Topic::Diagnostics)
                    | (HistoryFilter::Contraintes, Topic::Contraintes)
                    | (HistoryFilter::PouvoirAgir, Topic::PouvoirAgir)
                    | (HistoryFilter::Autonomie, Topic::Autonomie)
            ) || matches!((filter, &h.topic), (HistoryFilter::Besoins(id), Topic::Besoins(x)) if id == x);
            if !keep {
                return None;
            }
            let data: Value = match &h.donnees {
                Some(text) => serde_json::from_str(text).unwrap_or_else(|_| json!({})),
                // Never written: the data is still what was explored.
                None => historised(d, &h.topic),
            };
            let donnees = match (filter, &h.topic) {
                (HistoryFilter::Dossier, Topic::Diagnostics) => json!({"diagnosticsHistorises": data}),
                (HistoryFilter::Dossier, Topic::Besoins(_)) => json!({"besoinsHistorises": [data]}),
                (HistoryFilter::Dossier, Topic::Contraintes) => json!({"contraintesHistorisees": data}),
                (HistoryFilter::Dossier, Topic::PouvoirAgir) => json!({"pouvoirAgirHistorise": data}),
                (HistoryFilter::Dossier, Topic::Autonomie) => json!({"autonomieNumeriqueHistorisee": data}),
                _ => data,
            };
            Some(json!({"donnees": donnees, "versionExploration": {"agent": agent_value(&h.agent), "dateExploration": format_datetime(h.date_ms)}}))
        })
        .rev()
        .collect();
    if entries.is_empty() {
        return None;
    }
    let per_page = per_page.max(1);
    let page = page.max(1);
    let total = entries.len();
    let start = ((page - 1) * per_page) as usize;
    let slice: Vec<Value> = entries
        .into_iter()
        .skip(start)
        .take(per_page as usize)
        .collect();
    if slice.is_empty() {
        return None;
    }
    Some(json!({
        "donneesParVersionExploration": slice,
        "pageActuelle": page, "donneesParPage": per_page, "totalDonnees": total,
        "dateDebut": format_datetime(from_ms),
        "dateFin": format_datetime(to_ms),
    }))
}
