//! Diagnostic usager v4 (version n): every read, write, historisation and référentiel
//! resource, keyed by the jeton usager.

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::{Extension, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{MethodFilter, MethodRouter, get, on};
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

/// What a read answers from the person's dossier.
pub type Answer = fn(&Dossier) -> Response;

/// `GET /dossiers`.
pub const DOSSIER: Answer = |d| responses::ok_large(&views_v4::dossier(d), DOSSIER_ROOM);
/// `GET /besoins`.
pub const BESOINS: Answer = |d| responses::ok_or_no_content(views_v4::besoins(d));
/// `GET /diagnostics`.
pub const DIAGNOSTICS: Answer = |d| responses::ok_or_no_content(views_v4::diagnostics(d));
/// `GET /contraintes`.
pub const CONTRAINTES: Answer = |d| responses::ok(views_v4::thematique_contrainte(&d.contraintes));
/// `GET /pouvoiragir`.
pub const POUVOIR_AGIR: Answer =
    |d| responses::ok_or_no_content(d.pouvoir_agir.as_ref().map(views_v4::pouvoir_agir));
/// `GET /autonomienumerique`.
pub const AUTONOMIE: Answer =
    |d| responses::ok_or_no_content(d.autonomie.as_ref().map(views_v4::autonomie));

/// The `GET` route of a resource of the dossier.
pub fn reading(answer: Answer) -> MethodRouter<SimState> {
    get(
        move |State(s): State<SimState>, Extension(c): Extension<Caller>, h: HeaderMap| async move {
            read(&s, &c, &h, answer)
        },
    )
}

/// Runs a write: body read and checked against its contract, person found, change applied
/// to the person's dossier (derived first if never written).
async fn write(
    s: &SimState,
    caller: &Caller,
    headers: &HeaderMap,
    id: &str,
    query: &HashMap<String, String>,
    body: Body,
    w: Write,
) -> Response {
    let index = match super::person_from_jeton(s, caller, headers) {
        Ok(i) => i,
        Err(r) => return r,
    };
    let value = if w.body {
        match crate::body::read(s, headers, body, API, V, w.operation).await {
            Ok(v) => v,
            Err(r) => return r,
        }
    } else {
        Value::Null
    };
    let stamp = Stamp {
        agent: caller.agent(s, headers),
        now_ms: s.now_ms(),
    };
    let new_id = || s.new_uuid();
    let input = Input {
        body: &value,
        id,
        query,
        new_id: &new_id,
    };
    match s.write_dossier(index, &stamp, |d| (w.change)(d, &input, &stamp)) {
        Ok(r) => r,
        Err(Refused(m)) => responses::bad_request(F, &m),
    }
}

/// What a write takes from its request.
pub struct Input<'a> {
    /// The body, checked against the operation's contract (`null` for writes without one).
    pub body: &'a Value,
    /// The `{idDiagnostic}` of the path (empty for routes without one).
    pub id: &'a str,
    pub query: &'a HashMap<String, String>,
    /// Fresh UUIDs, for the writes that create something.
    pub new_id: &'a (dyn Fn() -> String + Sync),
}

impl std::fmt::Debug for Input<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Input")
            .field("id", &self.id)
            .field("query", &self.query)
            .finish_non_exhaustive()
    }
}

/// A write of the dossier: its operation in the contract, whether it has a body, the change.
#[derive(Debug, Clone, Copy)]
pub struct Write {
    pub operation: &'static str,
    pub body: bool,
    pub change: fn(&mut Dossier, &Input<'_>, &Stamp) -> Result<Response, Refused>,
}

fn done(r: Result<(), Refused>) -> Result<Response, Refused> {
    r.map(|()| responses::ok_empty())
}

/// `POST /dossiers` (204 when a diagnostic it names is unknown).
pub const SAVE_DOSSIER: Write = Write {
    operation: "enregistrer-dossier",
    body: true,
    change: |d, i, st| {
        let known = writes::save_dossier(d, i.body, i.new_id, st)?;
        Ok(if known {
            responses::ok_empty()
        } else {
            responses::no_content()
        })
    },
};
/// `POST /autonomienumerique`.
pub const SAVE_AUTONOMIE: Write = Write {
    operation: "enregistrer-autonomie-numerique",
    body: true,
    change: |d, i, st| done(writes::save_autonomie(d, i.body, st)),
};
/// `POST /contraintes`.
pub const SAVE_CONTRAINTES: Write = Write {
    operation: "enregistrer-contraintes",
    body: true,
    change: |d, i, st| done(writes::save_contraintes_v4(d, i.body, st)),
};
/// `POST /pouvoiragir`.
pub const SAVE_POUVOIR_AGIR: Write = Write {
    operation: "enregistrer-pouvoir-agir",
    body: true,
    change: |d, i, st| done(writes::save_pouvoir_agir(d, i.body, st)),
};
/// `POST /diagnostics`: `{"idDiagnostic": …}`.
pub const CREATE_DIAGNOSTIC: Write = Write {
    operation: "creer-diagnostic",
    body: true,
    change: |d, i, st| {
        writes::create_diagnostic(d, i.body, (i.new_id)(), st)
            .map(|id| responses::ok(json!({"idDiagnostic": id})))
    },
};
/// `PUT /diagnostics/{idDiagnostic}`.
pub const MODIFY_DIAGNOSTIC: Write = Write {
    operation: "modifier-diagnostic",
    body: true,
    change: |d, i, st| done(writes::modify_diagnostic(d, i.id, i.body, st)),
};
/// `POST /diagnostics/{idDiagnostic}/besoins`.
pub const SAVE_BESOINS: Write = Write {
    operation: "enregistrer-besoin",
    body: true,
    change: |d, i, st| done(writes::save_besoins(d, i.id, i.body, st)),
};
/// `POST /diagnostics/{idDiagnostic}/priorise?prioritaire=true|false`.
pub const PRIORITISE: Write = Write {
    operation: "prioriser-diagnostics-individu",
    body: false,
    change: |d, i, st| {
        let prioritaire = match i.query.get("prioritaire").map(String::as_str) {
            Some("true") => true,
            Some("false") => false,
            _ => {
                return Err(Refused(
                    "paramètre prioritaire : true ou false attendu".into(),
                ));
            }
        };
        done(writes::prioritise(d, i.id, prioritaire, st))
    },
};
/// `POST /diagnostics/{idDiagnostic}/supprime`.
pub const DELETE_DIAGNOSTIC: Write = Write {
    operation: "supprimer-diagnostic-individu",
    body: false,
    change: |d, i, st| done(writes::delete_diagnostic(d, i.id, st)),
};

/// The route of a write of the dossier, on `method`.
pub fn writing(method: MethodFilter, w: Write) -> MethodRouter<SimState> {
    on(
        method,
        move |State(s): State<SimState>,
              Extension(c): Extension<Caller>,
              Query(q): Query<HashMap<String, String>>,
              h: HeaderMap,
              b: Body| async move { write(&s, &c, &h, "", &q, b, w).await },
    )
}

/// [`writing`] for a route with an `{idDiagnostic}`.
pub fn writing_at(method: MethodFilter, w: Write) -> MethodRouter<SimState> {
    on(
        method,
        move |State(s): State<SimState>,
              Extension(c): Extension<Caller>,
              ApiPath(id): ApiPath<String>,
              Query(q): Query<HashMap<String, String>>,
              h: HeaderMap,
              b: Body| async move { write(&s, &c, &h, &id, &q, b, w).await },
    )
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

/// The `GET` route of a historisation resource.
pub fn history_of(filter: HistoryFilter) -> MethodRouter<SimState> {
    get(
        move |State(s): State<SimState>,
              Extension(c): Extension<Caller>,
              h: HeaderMap,
              Query(q): Query<HashMap<String, String>>| async move {
            history(s, c, h, q, filter.clone()).await
        },
    )
}

/// `GET /historisation/diagnostics/{idDiagnostic}/besoins`.
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
