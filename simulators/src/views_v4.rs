//! Version n (diagnostic v4) views of a dossier. Fields whose contract has no `null` are left
//! out rather than sent as null.

use serde_json::{Map, Value, json};

use crate::civil::format_datetime;
use crate::dossier::{
    Agent, Autonomie, ContrainteState, Contraintes, Diagnostic, Dossier, Explored, PouvoirAgir,
    Topic,
};
use crate::referentiel::Referentiel;

pub fn agent(a: &Agent) -> Value {
    json!({"nom": a.nom, "prenom": a.prenom, "structure": a.structure, "type": a.kind})
}

fn opt_agent(a: &Option<Agent>) -> Value {
    a.as_ref().map(agent).unwrap_or(Value::Null)
}

fn opt_date(ms: Option<i64>) -> Value {
    ms.map(|m| Value::from(format_datetime(m)))
        .unwrap_or(Value::Null)
}

fn put(m: &mut Map<String, Value>, k: &str, v: Option<impl Into<Value>>) {
    if let Some(v) = v {
        m.insert(k.into(), v.into());
    }
}

/// Which view a diagnostic is shown in: their contracts differ on nulls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiagView {
    /// `GET /diagnostics`: null allowed for codeRome, codeAppellation, codeSousTypologie.
    Diagnostics,
    /// `GET /dossiers`, `GET /besoins`: strings only; "MR" is the sous-typologie of an MR.
    Dossier,
}

pub fn diagnostic(d: &Diagnostic, view: DiagView) -> Value {
    let mut m = Map::new();
    m.insert("idDiagnostic".into(), d.id.clone().into());
    m.insert("idMetierChiffre".into(), d.id_metier.clone().into());
    m.insert("nomMetier".into(), d.nom_metier.clone().into());
    m.insert("typologie".into(), d.typologie_label().into());
    m.insert("codeTypologie".into(), d.typologie.clone().into());
    match view {
        DiagView::Diagnostics => {
            m.insert(
                "codeSousTypologie".into(),
                d.sous_typologie.clone().filter(|s| s != "MR").into(),
            );
            m.insert("codeRome".into(), d.code_rome.clone().into());
            m.insert("codeAppellation".into(), d.code_appellation.clone().into());
        }
        DiagView::Dossier => {
            let sub = d
                .sous_typologie
                .clone()
                .or_else(|| (d.typologie == "MR").then(|| "MR".to_string()));
            put(&mut m, "codeSousTypologie", sub);
            put(&mut m, "codeRome", d.code_rome.clone());
            put(&mut m, "codeAppellation", d.code_appellation.clone());
        }
    }
    m.insert("statut".into(), d.statut.clone().into());
    m.insert("estPrioritaire".into(), d.prioritaire.into());
    m.insert("agent".into(), agent(&d.agent));
    m.insert("dateMiseAJour".into(), format_datetime(d.date_ms).into());
    match view {
        DiagView::Dossier => {
            m.insert("dateMiseAJourProjet".into(), opt_date(d.date_projet_ms));
        }
        DiagView::Diagnostics => put(
            &mut m,
            "dateMiseAJourProjet",
            d.date_projet_ms.map(format_datetime),
        ),
    }
    m.insert("estCreationPartenaire".into(), d.partenaire.into());
    Value::Object(m)
}

fn explored(e: &Explored, libelle: &str) -> Value {
    json!({"code": e.code, "libelle": libelle, "valeur": e.valeur, "agent": opt_agent(&e.agent), "dateExploration": opt_date(e.date_ms)})
}

pub fn besoins_par_diagnostic(d: &Diagnostic) -> Value {
    let r = Referentiel::get();
    let mut thematiques = Vec::new();
    for t in &r.thematiques {
        let besoins: Vec<Value> = t
            .besoins
            .iter()
            .filter_map(|b| {
                d.besoins
                    .iter()
                    .find(|x| x.code == b.code)
                    .map(|x| explored(x, &b.libelle))
            })
            .collect();
        if !besoins.is_empty() {
            thematiques.push(json!({"code": t.code, "libelle": t.libelle, "besoins": besoins}));
        }
    }
    let mut m = Map::new();
    m.insert("diagnostic".into(), diagnostic(d, DiagView::Dossier));
    put(
        &mut m,
        "dateDerniereExplorationBesoin",
        d.besoins_date_ms.map(format_datetime),
    );
    put(
        &mut m,
        "agentDerniereExplorationBesoin",
        d.besoins_agent.as_ref().map(agent),
    );
    m.insert("thematiquesBesoins".into(), thematiques.into());
    Value::Object(m)
}

fn items(list: &[Explored], labels: &[crate::referentiel::Coded]) -> Vec<Value> {
    list.iter()
        .map(|x| {
            let l = labels
                .iter()
                .find(|c| c.code == x.code)
                .map(|c| c.libelle.as_str())
                .unwrap_or_default();
            explored(x, l)
        })
        .collect()
}

pub fn contrainte(c: &ContrainteState) -> Value {
    let r = Referentiel::get();
    let def = r.contrainte(&c.code);
    json!({
        "code": c.code,
        "libelle": def.map(|d| d.libelle.as_str()).unwrap_or_default(),
        "valeur": c.valeur,
        "estPrioritaire": c.prioritaire,
        "dateExploration": opt_date(c.date_ms),
        "impact": c.impact,
        "situations": items(&c.situations, def.map(|d| d.situations.as_slice()).unwrap_or_default()),
        "objectifs": items(&c.objectifs, def.map(|d| d.objectifs.as_slice()).unwrap_or_default()),
    })
}

pub fn thematique_contrainte(c: &Contraintes) -> Value {
    let r = Referentiel::get();
    let mut m = Map::new();
    m.insert("agent".into(), agent(&c.agent));
    m.insert("dateExploration".into(), format_datetime(c.date_ms).into());
    m.insert("code".into(), r.contrainte_code.clone().into());
    m.insert("libelle".into(), r.contrainte_libelle.clone().into());
    if let Some((flag, at)) = c.sans_contrainte {
        m.insert(
            "declareSansContrainte".into(),
            json!({"flag": flag, "date": format_datetime(at)}),
        );
    }
    m.insert(
        "contraintes".into(),
        c.items.iter().map(contrainte).collect::<Vec<_>>().into(),
    );
    Value::Object(m)
}

pub fn pouvoir_agir(p: &PouvoirAgir) -> Value {
    let analyse = Referentiel::get()
        .analyse(&p.confiance, &p.accompagnement)
        .unwrap_or_default();
    json!({"confiance": p.confiance, "accompagnement": p.accompagnement, "resultatAnalyse": analyse,
           "agent": agent(&p.agent), "dateExploration": format_datetime(p.date_ms)})
}

pub fn autonomie(a: &Autonomie) -> Value {
    let r = Referentiel::get();
    let libelle = r
        .besoin("7")
        .map(|(_, b)| b.libelle.as_str())
        .unwrap_or_default();
    let mut besoin = explored(&a.besoin, libelle);
    // The besoin of the autonomie numérique carries an agent and a date in its contract.
    if besoin["agent"].is_null() {
        besoin["agent"] = agent(&a.agent);
    }
    if besoin["dateExploration"].is_null() {
        besoin["dateExploration"] = format_datetime(a.date_ms).into();
    }
    let mut c = contrainte(&a.contrainte);
    if c["dateExploration"].is_null() {
        c["dateExploration"] = format_datetime(a.date_ms).into();
    }
    json!({"dateExploration": format_datetime(a.date_ms), "agent": agent(&a.agent), "contrainte": c, "besoin": besoin})
}

/// Live diagnostics (not deleted).
pub fn live(d: &Dossier) -> impl Iterator<Item = &Diagnostic> {
    d.diagnostics.iter().filter(|x| x.statut != "SUPPRIME")
}

pub fn dossier(d: &Dossier) -> Value {
    let mut m = Map::new();
    m.insert(
        "besoinsParDiagnostic".into(),
        live(d)
            .map(besoins_par_diagnostic)
            .collect::<Vec<_>>()
            .into(),
    );
    m.insert(
        "thematiqueContrainte".into(),
        thematique_contrainte(&d.contraintes),
    );
    put(
        &mut m,
        "pouvoirAgir",
        d.pouvoir_agir.as_ref().map(pouvoir_agir),
    );
    put(
        &mut m,
        "autonomieNumerique",
        d.autonomie.as_ref().map(autonomie),
    );
    Value::Object(m)
}

/// `GET /besoins`: `None` when there is none (204).
pub fn besoins(d: &Dossier) -> Option<Value> {
    let list: Vec<Value> = live(d)
        .filter(|x| !x.besoins.is_empty())
        .map(besoins_par_diagnostic)
        .collect();
    (!list.is_empty()).then(|| list.into())
}

/// `GET /diagnostics`: `None` when there is none (204).
pub fn diagnostics(d: &Dossier) -> Option<Value> {
    let list: Vec<Value> = live(d)
        .map(|x| diagnostic(x, DiagView::Diagnostics))
        .collect();
    (!list.is_empty()).then(|| json!({"diagnostics": list}))
}

fn coded_value(code: &str, libelle: &str, valeur: &str) -> Value {
    json!({"code": code, "libelle": libelle, "valeur": valeur})
}

fn historised_contraintes(items_: &[ContrainteState]) -> Value {
    let r = Referentiel::get();
    let mut contraintes = Vec::new();
    let mut situations = Vec::new();
    let mut objectifs = Vec::new();
    for c in items_ {
        let def = r.contrainte(&c.code);
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
                out.push(coded_value(&x.code, l, &x.valeur));
            }
        }
    }
    json!({"contraintes": contraintes, "situations": situations, "objectifs": objectifs})
}

fn historised_diagnostic(x: &Diagnostic) -> Value {
    let mut v = diagnostic(x, DiagView::Dossier);
    if let Some(m) = v.as_object_mut() {
        m.remove("agent");
        if m.get("codeSousTypologie").and_then(Value::as_str) == Some("MR") {
            m.remove("codeSousTypologie");
        }
        if m.get("dateMiseAJourProjet").is_some_and(Value::is_null) {
            m.remove("dateMiseAJourProjet");
        }
    }
    v
}

/// The historised data of one topic, as it is now (taken when the topic is explored).
pub fn historised(d: &Dossier, topic: &Topic) -> Value {
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
                                &b.code,
                                r.besoin(&b.code)
                                    .map(|(_, c)| c.libelle.as_str())
                                    .unwrap_or_default(),
                                &b.valeur,
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
                    .besoin("7")
                    .map(|(_, b)| b.libelle.as_str())
                    .unwrap_or_default();
                json!({"besoin": coded_value("7", libelle, &a.besoin.valeur), "contrainte": c,
                       "situations": v["situations"].take(), "objectifs": v["objectifs"].take()})
            }
            None => json!({}),
        },
    }
}

/// Which historisation resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistoryFilter {
    Dossier,
    Diagnostics,
    Besoins(String),
    Contraintes,
    PouvoirAgir,
    Autonomie,
}

/// A page of history. `None` when the window holds nothing (204).
pub fn history_page(
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
            let data: Value = serde_json::from_str(&h.donnees).unwrap_or_else(|_| json!({}));
            let donnees = match (filter, &h.topic) {
                (HistoryFilter::Dossier, Topic::Diagnostics) => json!({"diagnosticsHistorises": data}),
                (HistoryFilter::Dossier, Topic::Besoins(_)) => json!({"besoinsHistorises": [data]}),
                (HistoryFilter::Dossier, Topic::Contraintes) => json!({"contraintesHistorisees": data}),
                (HistoryFilter::Dossier, Topic::PouvoirAgir) => json!({"pouvoirAgirHistorise": data}),
                (HistoryFilter::Dossier, Topic::Autonomie) => json!({"autonomieNumeriqueHistorisee": data}),
                _ => data,
            };
            Some(json!({"donnees": donnees, "versionExploration": {"agent": agent(&h.agent), "dateExploration": format_datetime(h.date_ms)}}))
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
