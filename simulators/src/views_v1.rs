//! Version n-1 (diagnostic v1, 2023) views of the same dossier.

use serde_json::{Value, json};

use crate::civil::format_datetime;
use crate::dossier::{ContrainteState, Diagnostic, Dossier, Explored};
use crate::realism::Nulls2023;
use crate::referentiel::{Coded, Referentiel};
use crate::views_v4::live;

fn besoins(d: &Diagnostic) -> Vec<Value> {
    let r = Referentiel::get();
    d.besoins
        .iter()
        .map(|b| {
            let l = r.besoin(b.code).map(|(_, c)| c.libelle.as_str());
            json!({"code": b.code, "libelle": l, "valeur": b.valeur})
        })
        .collect()
}

/// `value`, or null when the 2023 era left it out.
fn unless<T: serde::Serialize>(null: bool, value: T) -> Value {
    if null { Value::Null } else { json!(value) }
}

fn besoins_par_diagnostic(d: &Diagnostic, nulls: &Nulls2023) -> Value {
    let n = nulls.diagnostic(&d.id);
    json!({
        "idMetierChiffre": d.id_metier, "nomMetier": unless(n.nom_metier, &d.nom_metier),
        "typologie": unless(n.typologie, d.typologie_label()),
        "statut": d.statut, "estPrioritaire": d.prioritaire,
        "dateMiseAJour": unless(n.date_mise_a_jour, format_datetime(d.date_ms)),
        "besoins": besoins(d),
    })
}

fn items(list: &[Explored], labels: &[Coded]) -> Vec<Value> {
    list.iter()
        .map(|x| {
            let l = labels
                .iter()
                .find(|c| c.code == x.code)
                .map(|c| c.libelle.clone());
            json!({"code": x.code, "libelle": l, "valeur": x.valeur})
        })
        .collect()
}

/// The dossier's contraintes: `code`/`libelle` (dossier) or `id`/`nom` (the 2023 resource).
fn contrainte(c: &ContrainteState, id_nom: bool) -> Value {
    let def = Referentiel::get().contrainte(c.code);
    let libelle = def.map(|d| d.libelle.clone());
    let situations = items(
        &c.situations,
        def.map(|d| d.situations.as_slice()).unwrap_or_default(),
    );
    let objectifs = items(
        &c.objectifs,
        def.map(|d| d.objectifs.as_slice()).unwrap_or_default(),
    );
    let date = c.date_ms.map(format_datetime);
    if id_nom {
        json!({"id": c.code.parse::<i64>().unwrap_or_default(), "nom": libelle, "valeur": c.valeur, "date": date,
               "situations": situations, "objectifs": objectifs})
    } else {
        json!({"code": c.code, "libelle": libelle, "valeur": c.valeur, "date": date,
               "situations": situations, "objectifs": objectifs})
    }
}

/// The contrainte the 2023 référentiel did not have: "22" (accéder au numérique) came with
/// v4; the 2023 référentiel listed 23 to 29.
pub const NOT_IN_2023: &str = crate::referentiel::CONTRAINTE_NUMERIQUE;

fn contraintes(d: &Dossier, id_nom: bool, nulls: &Nulls2023) -> Value {
    let r = Referentiel::get();
    let (no_conseiller, no_date) = nulls.contraintes();
    json!({
        "conseiller": unless(no_conseiller, &d.contraintes.agent.id),
        "dateDeModification": unless(no_date, format_datetime(d.contraintes.date_ms)),
        "code": r.contrainte_code, "libelle": r.contrainte_libelle,
        "contraintes": d.contraintes.items.iter()
            .filter(|c| c.code != NOT_IN_2023)
            .map(|c| contrainte(c, id_nom))
            .collect::<Vec<_>>(),
    })
}

pub fn dossier(d: &Dossier, nulls: &Nulls2023) -> Value {
    json!({
        "besoinsParDiagnosticIndividuDtos": live(d).map(|x| besoins_par_diagnostic(x, nulls)).collect::<Vec<_>>(),
        "contraintesIndividusDto": contraintes(d, false, nulls),
    })
}

pub fn besoins_list(d: &Dossier, nulls: &Nulls2023) -> Option<Value> {
    let list: Vec<Value> = live(d)
        .filter(|x| !x.besoins.is_empty())
        .map(|x| besoins_par_diagnostic(x, nulls))
        .collect();
    (!list.is_empty()).then(|| list.into())
}

pub fn diagnostics(d: &Dossier, nulls: &Nulls2023) -> Option<Value> {
    let list: Vec<Value> = live(d)
        .map(|x| {
            let n = nulls.diagnostic(&x.id);
            json!({"idMetierChiffre": x.id_metier, "nomMetier": unless(n.nom_metier, &x.nom_metier),
                   "typologie": unless(n.typologie, x.typologie_label()),
                   "statut": x.statut, "estPrioritaire": x.prioritaire,
                   "dateMiseAJour": unless(n.date_mise_a_jour, format_datetime(x.date_ms)),
                   "conseiller": unless(n.conseiller, format!("{} {} {}", x.agent.nom, x.agent.prenom, x.agent.structure))})
        })
        .collect();
    (!list.is_empty()).then(|| json!({"listeDiagnostics": list}))
}

pub fn contraintes_resource(d: &Dossier, nulls: &Nulls2023) -> Value {
    contraintes(d, true, nulls)
}

pub fn pouvoir_agir(d: &Dossier) -> Option<Value> {
    let r = Referentiel::get();
    d.pouvoir_agir.as_ref().map(|p| {
        json!({"pouvoirAgir": {"confiance": p.confiance, "accompagnement": p.accompagnement,
               "resultatAnalyse": r.analyse(p.confiance, p.accompagnement)}})
    })
}
