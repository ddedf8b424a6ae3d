//! Diagnostic usager v4 (version n): every read, write, historisation and référentiel
//! resource, keyed by the jeton usager.

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::{Extension, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{Value, json};

use super::api_path::ApiPath;
use crate::civil::{DAY_MS, days_from_civil, parse_date};
use crate::dossier::Dossier;
use crate::guard::Caller;
use crate::referentiel::Referentiel;
use crate::responses::{self, Family};
use crate::state::{Held, SimState};
use crate::views_history::{self, HistoryFilter};
use crate::views_v4;
use crate::writes::{self, Refused, Stamp};

const API: &str = "diagnostic-individu";
const V: &str = "v4";
const F: Family = Family::Backend;

fn who(s: &SimState, caller: &Caller, headers: &HeaderMap) -> Result<u64, Response> {
    super::person_from_jeton(s, caller, headers)
}

/// A read: the person's dossier (as written, or derived from the draws) given to `answer`; no
/// dossier is a 204.
fn read(
    s: &SimState,
    caller: &Caller,
    headers: &HeaderMap,
    answer: impl FnOnce(&Dossier) -> Response,
) -> Response {
    let jeton = match super::jeton_holder(s, headers, caller.now_ms, &caller.claims.client) {
        Ok(j) => j,
        Err(r) => return r,
    };
    let dossier = s
        .held_dossier_at(jeton.index, caller.now_ms)
        .map(|held| match held {
            Held::Written(d) => *d,
            // The métier ids come from the jeton's idRci: no MAC to compute.
            Held::Drawn(d) => d.dossier(crate::views_profile::id_metier_of(jeton.id_rci)),
        });
    dossier
        .as_ref()
        .map(answer)
        .unwrap_or_else(responses::no_content)
}

/// Room for a dossier's answer: most are 28–34 kB, long lists up to ~70 kB.
pub const DOSSIER_ROOM: usize = 48 * 1024;

pub async fn dossier(
    State(s): State<SimState>,
    Extension(c): Extension<Caller>,
    h: HeaderMap,
) -> Response {
    read(&s, &c, &h, |d| {
        responses::ok_large(&views_v4::dossier(d), DOSSIER_ROOM)
    })
}
pub async fn besoins(
    State(s): State<SimState>,
    Extension(c): Extension<Caller>,
    h: HeaderMap,
) -> Response {
    read(&s, &c, &h, |d| {
        responses::ok_or_no_content(views_v4::besoins(d))
    })
}
pub async fn diagnostics(
    State(s): State<SimState>,
    Extension(c): Extension<Caller>,
    h: HeaderMap,
) -> Response {
    read(&s, &c, &h, |d| {
        responses::ok_or_no_content(views_v4::diagnostics(d))
    })
}
pub async fn contraintes(
    State(s): State<SimState>,
    Extension(c): Extension<Caller>,
    h: HeaderMap,
) -> Response {
    read(&s, &c, &h, |d| {
        responses::ok(views_v4::thematique_contrainte(&d.contraintes))
    })
}
pub async fn pouvoir_agir(
    State(s): State<SimState>,
    Extension(c): Extension<Caller>,
    h: HeaderMap,
) -> Response {
    read(&s, &c, &h, |d| {
        responses::ok_or_no_content(d.pouvoir_agir.as_ref().map(views_v4::pouvoir_agir))
    })
}
pub async fn autonomie(
    State(s): State<SimState>,
    Extension(c): Extension<Caller>,
    h: HeaderMap,
) -> Response {
    read(&s, &c, &h, |d| {
        responses::ok_or_no_content(d.autonomie.as_ref().map(views_v4::autonomie))
    })
}

/// Runs a write: body read and checked against its contract, person found, change applied
/// to the person's dossier (derived first if never written).
async fn write(
    s: &SimState,
    caller: &Caller,
    headers: &HeaderMap,
    body: Option<Body>,
    operation: &str,
    change: impl FnOnce(&mut Dossier, &Value, &Stamp) -> Result<Response, Refused>,
) -> Response {
    let index = match who(s, caller, headers) {
        Ok(i) => i,
        Err(r) => return r,
    };
    let value = match body {
        Some(b) => match crate::body::read(s, headers, b, API, V, operation).await {
            Ok(v) => v,
            Err(r) => return r,
        },
        None => Value::Null,
    };
    let stamp = Stamp {
        agent: caller.agent(s, headers),
        now_ms: s.now_ms(),
    };
    match s.write_dossier(index, &stamp, |d| change(d, &value, &stamp)) {
        Ok(r) => r,
        Err(Refused(m)) => responses::bad_request(F, &m),
    }
}

pub async fn save_dossier(
    State(s): State<SimState>,
    Extension(c): Extension<Caller>,
    h: HeaderMap,
    b: Body,
) -> Response {
    let ids = s.clone();
    write(
        &s,
        &c,
        &h,
        Some(b),
        "enregistrer-dossier",
        move |d, v, st| {
            Ok(if writes::save_dossier(d, v, || ids.new_uuid(), st)? {
                responses::ok_empty()
            } else {
                responses::no_content()
            })
        },
    )
    .await
}

pub async fn save_autonomie(
    State(s): State<SimState>,
    Extension(c): Extension<Caller>,
    h: HeaderMap,
    b: Body,
) -> Response {
    write(
        &s,
        &c,
        &h,
        Some(b),
        "enregistrer-autonomie-numerique",
        |d, v, st| writes::save_autonomie(d, v, st).map(|_| responses::ok_empty()),
    )
    .await
}

pub async fn save_contraintes(
    State(s): State<SimState>,
    Extension(c): Extension<Caller>,
    h: HeaderMap,
    b: Body,
) -> Response {
    write(
        &s,
        &c,
        &h,
        Some(b),
        "enregistrer-contraintes",
        |d, v, st| writes::save_contraintes_v4(d, v, st).map(|_| responses::ok_empty()),
    )
    .await
}

pub async fn save_pouvoir_agir(
    State(s): State<SimState>,
    Extension(c): Extension<Caller>,
    h: HeaderMap,
    b: Body,
) -> Response {
    write(
        &s,
        &c,
        &h,
        Some(b),
        "enregistrer-pouvoir-agir",
        |d, v, st| writes::save_pouvoir_agir(d, v, st).map(|_| responses::ok_empty()),
    )
    .await
}

pub async fn create_diagnostic(
    State(s): State<SimState>,
    Extension(c): Extension<Caller>,
    h: HeaderMap,
    b: Body,
) -> Response {
    let id = s.new_uuid();
    write(&s, &c, &h, Some(b), "creer-diagnostic", move |d, v, st| {
        writes::create_diagnostic(d, v, id, st).map(|id| responses::ok(json!({"idDiagnostic": id})))
    })
    .await
}

pub async fn modify_diagnostic(
    State(s): State<SimState>,
    Extension(c): Extension<Caller>,
    ApiPath(id): ApiPath<String>,
    h: HeaderMap,
    b: Body,
) -> Response {
    write(
        &s,
        &c,
        &h,
        Some(b),
        "modifier-diagnostic",
        move |d, v, st| writes::modify_diagnostic(d, &id, v, st).map(|_| responses::ok_empty()),
    )
    .await
}

pub async fn save_besoins(
    State(s): State<SimState>,
    Extension(c): Extension<Caller>,
    ApiPath(id): ApiPath<String>,
    h: HeaderMap,
    b: Body,
) -> Response {
    write(
        &s,
        &c,
        &h,
        Some(b),
        "enregistrer-besoin",
        move |d, v, st| writes::save_besoins(d, &id, v, st).map(|_| responses::ok_empty()),
    )
    .await
}

pub async fn prioritise(
    State(s): State<SimState>,
    Extension(c): Extension<Caller>,
    ApiPath(id): ApiPath<String>,
    Query(q): Query<HashMap<String, String>>,
    h: HeaderMap,
) -> Response {
    let prioritaire = match q.get("prioritaire").map(String::as_str) {
        Some("true") => true,
        Some("false") => false,
        _ => return responses::bad_request(F, "paramètre prioritaire : true ou false attendu"),
    };
    write(
        &s,
        &c,
        &h,
        None,
        "prioriser-diagnostics-individu",
        move |d, _, st| writes::prioritise(d, &id, prioritaire, st).map(|_| responses::ok_empty()),
    )
    .await
}

pub async fn delete_diagnostic(
    State(s): State<SimState>,
    Extension(c): Extension<Caller>,
    ApiPath(id): ApiPath<String>,
    h: HeaderMap,
) -> Response {
    write(
        &s,
        &c,
        &h,
        None,
        "supprimer-diagnostic-individu",
        move |d, _, st| writes::delete_diagnostic(d, &id, st).map(|_| responses::ok_empty()),
    )
    .await
}

/// Query of the historisation resources.
fn window(s: &SimState, q: &HashMap<String, String>) -> Result<(i64, i64, u32, u32), Response> {
    let today = s.now_ms().div_euclid(DAY_MS);
    let day = |k: &str, default: i64| -> Result<i64, Response> {
        match q.get(k) {
            None => Ok(default),
            Some(v) => parse_date(v).map(days_from_civil).ok_or_else(|| {
                responses::bad_request(F, &format!("{k} : date AAAA-MM-JJ attendue"))
            }),
        }
    };
    let int = |k: &str, default: u32| -> Result<u32, Response> {
        match q.get(k) {
            None => Ok(default),
            Some(v) => v
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=1000).contains(n))
                .ok_or_else(|| {
                    responses::bad_request(F, &format!("{k} : entier de 1 à 1000 attendu"))
                }),
        }
    };
    let from = day("dateDebut", today - 5 * 365)?;
    let to = day("dateFin", today)?;
    if from > to {
        return Err(responses::bad_request(F, "dateDebut est après dateFin"));
    }
    Ok((
        from * DAY_MS,
        (to + 1) * DAY_MS - 1,
        int("pageActuelle", 1)?,
        int("donneesParPage", 10)?,
    ))
}

async fn history(
    s: SimState,
    c: Caller,
    h: HeaderMap,
    q: HashMap<String, String>,
    filter: HistoryFilter,
) -> Response {
    let (from, to, page, per_page) = match window(&s, &q) {
        Ok(w) => w,
        Err(r) => return r,
    };
    read(&s, &c, &h, |d| {
        responses::ok_or_no_content(views_history::history_page(
            d, &filter, from, to, page, per_page,
        ))
    })
}

pub async fn history_dossier(
    State(s): State<SimState>,
    Extension(c): Extension<Caller>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    history(s, c, h, q, HistoryFilter::Dossier).await
}
pub async fn history_diagnostics(
    State(s): State<SimState>,
    Extension(c): Extension<Caller>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    history(s, c, h, q, HistoryFilter::Diagnostics).await
}
pub async fn history_contraintes(
    State(s): State<SimState>,
    Extension(c): Extension<Caller>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    history(s, c, h, q, HistoryFilter::Contraintes).await
}
pub async fn history_pouvoir_agir(
    State(s): State<SimState>,
    Extension(c): Extension<Caller>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    history(s, c, h, q, HistoryFilter::PouvoirAgir).await
}
pub async fn history_autonomie(
    State(s): State<SimState>,
    Extension(c): Extension<Caller>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    history(s, c, h, q, HistoryFilter::Autonomie).await
}
pub async fn history_besoins(
    State(s): State<SimState>,
    Extension(c): Extension<Caller>,
    h: HeaderMap,
    ApiPath(id): ApiPath<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    history(s, c, h, q, HistoryFilter::Besoins(id)).await
}

/// `GET /referentiel`: the whole référentiel.
pub async fn referentiel() -> Response {
    responses::ok(Referentiel::get().document.clone())
}

/// The documented domains (`/referentiel/{domaine}`, enum of the official document) and the
/// part of the référentiel each one answers.
const DOMAINS: [(&str, &str); 3] = [
    ("besoin", "thematiquesBesoins"),
    ("contrainte", "thematiqueContrainte"),
    ("pouvoir-agir", "pourvoirAgir"),
];

/// The documented sous-domaines: domain, sous-domaine, and the list each keeps.
const SUB_DOMAINS: [(&str, &str, &str); 4] = [
    ("contrainte", "situation", "situations"),
    ("contrainte", "objectif", "objectifs"),
    ("pouvoir-agir", "question", "questions"),
    ("pouvoir-agir", "analyse", "analyses"),
];

const UNKNOWN_DOMAIN: &str = "domaine inconnu : besoin, contrainte ou pouvoir-agir";
const UNKNOWN_SUB_DOMAIN: &str = "sous-domaine inconnu : contrainte/situation, contrainte/objectif, pouvoir-agir/question ou pouvoir-agir/analyse";

fn domain_part(domaine: &str) -> Option<(&'static str, Value)> {
    let (_, key) = DOMAINS.iter().find(|(d, _)| *d == domaine)?;
    Some((key, Referentiel::get().document[*key].clone()))
}

pub async fn referentiel_domain(ApiPath(domaine): ApiPath<String>) -> Response {
    match domain_part(&domaine) {
        Some((k, v)) => responses::ok(json!({ k: v })),
        None => responses::bad_request(F, UNKNOWN_DOMAIN),
    }
}

/// `GET /referentiel/{domaine}/{sous-domaine}`: the domain with only the sous-domaine's lists
/// (a contrainte keeps its code, values and label, and its situations or its objectifs; the
/// pouvoir d'agir its questions or its analyses), as the official example shows.
pub async fn referentiel_sub_domain(
    ApiPath((domaine, sous)): ApiPath<(String, String)>,
) -> Response {
    let Some((_, _, list)) = SUB_DOMAINS
        .iter()
        .find(|(d, s, _)| *d == domaine && *s == sous)
    else {
        return responses::bad_request(F, UNKNOWN_SUB_DOMAIN);
    };
    let Some((key, mut part)) = domain_part(&domaine) else {
        return responses::bad_request(F, UNKNOWN_DOMAIN);
    };
    let keep_only = |o: &mut Value| {
        if let Some(m) = o.as_object_mut() {
            m.retain(|k, _| {
                !matches!(
                    k.as_str(),
                    "situations" | "objectifs" | "questions" | "analyses"
                ) || k == list
            });
        }
    };
    match domaine.as_str() {
        "contrainte" => {
            for c in part["contraintes"].as_array_mut().into_iter().flatten() {
                keep_only(c);
            }
        }
        _ => keep_only(&mut part),
    }
    responses::ok(json!({ key: part }))
}

pub async fn referentiel_analyse(Query(q): Query<HashMap<String, String>>) -> Response {
    let pa = &Referentiel::get().document["pourvoirAgir"];
    let analyses: Vec<Value> = pa["analyses"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|a| {
            q.get("confiance")
                .is_none_or(|c| a["confiance"] == c.as_str())
        })
        .filter(|a| {
            q.get("accompagnement")
                .is_none_or(|c| a["accompagnement"] == c.as_str())
        })
        .cloned()
        .collect();
    responses::ok(json!({"pourvoirAgir": {"analyses": analyses}}))
}
