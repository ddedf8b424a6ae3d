//! Diagnostic usager v4 (version n): every read, write, historisation and référentiel
//! resource, keyed by the jeton usager.

pub(crate) mod views;

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::{Extension, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, get, on};
use serde::Serialize;
use serde_json::Value;

use crate::api::path::ApiPath;
use crate::civil::{DAY_MS, days_from_civil, parse_date};
use crate::diagnostic::history::{self, HistoryFilter};
use crate::diagnostic::model::Dossier;
use crate::diagnostic::referentiel::Referentiel;
use crate::diagnostic::requests::parse;
use crate::diagnostic::writes::{self, Refused, Stamp};
use crate::http::answer;
use crate::http::error::{ApiError, Family};
use crate::platform::guard::Caller;
use crate::platform::guard::guarded;
use crate::state::{Held, SimState};
use axum::Router;

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
    let jeton = match crate::api::jeton_holder(s, headers, caller.now_ms, &caller.claims.client) {
        Ok(j) => j,
        Err(r) => return r,
    };
    let dossier = s
        .held_dossier_at(jeton.index, caller.now_ms)
        .map(|held| match held {
            Held::Written(d) => *d,
            // The métier ids come from the jeton's idRci: no MAC to compute.
            Held::Drawn(d) => d.dossier(crate::api::profile::views::id_metier_of(jeton.id_rci)),
        });
    dossier
        .as_ref()
        .map(answer)
        .unwrap_or_else(answer::no_content)
}

/// Room for a dossier's answer: most are 28–34 kB, long lists up to ~70 kB.
pub(crate) const DOSSIER_ROOM: usize = 48 * 1024;

/// What a read answers from the person's dossier.
pub(crate) type Answer = fn(&Dossier) -> Response;

/// `GET /dossiers`.
pub(crate) const DOSSIER: Answer = |d| answer::ok_large(&views::dossier(d), DOSSIER_ROOM);
/// `GET /besoins`.
pub(crate) const BESOINS: Answer = |d| answer::ok_or_no_content(views::besoins(d));
/// `GET /diagnostics`.
pub(crate) const DIAGNOSTICS: Answer = |d| answer::ok_or_no_content(views::diagnostics(d));
/// `GET /contraintes`.
pub(crate) const CONTRAINTES: Answer = |d| answer::ok(views::thematique_contrainte(&d.contraintes));
/// `GET /pouvoiragir`.
pub(crate) const POUVOIR_AGIR: Answer =
    |d| answer::ok_or_no_content(d.pouvoir_agir.as_ref().map(views::pouvoir_agir));
/// `GET /autonomienumerique`.
pub(crate) const AUTONOMIE: Answer =
    |d| answer::ok_or_no_content(d.autonomie.as_ref().map(views::autonomie));

/// The `GET` route of a resource of the dossier.
pub(crate) fn reading(answer: Answer) -> MethodRouter<SimState> {
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
    let index = match crate::api::person_from_jeton(s, caller, headers) {
        Ok(i) => i,
        Err(r) => return r,
    };
    let value = if w.body {
        match crate::http::body::read(s, headers, body, API, V, w.operation).await {
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
        Err(Refused(m)) => ApiError::bad_request(F, &m).into_response(),
    }
}

/// What a write takes from its request.
pub(crate) struct Input<'a> {
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
pub(crate) struct Write {
    pub operation: &'static str,
    pub body: bool,
    pub change: fn(&mut Dossier, &Input<'_>, &Stamp) -> Result<Response, Refused>,
}

fn done(r: Result<(), Refused>) -> Result<Response, Refused> {
    r.map(|()| answer::ok_empty())
}

/// `POST /dossiers` (204 when a diagnostic it names is unknown).
pub(crate) const SAVE_DOSSIER: Write = Write {
    operation: "enregistrer-dossier",
    body: true,
    change: |d, i, st| {
        let known = writes::save_dossier(d, &parse(i.body)?, i.new_id, st)?;
        Ok(if known {
            answer::ok_empty()
        } else {
            answer::no_content()
        })
    },
};
/// `POST /autonomienumerique`.
pub(crate) const SAVE_AUTONOMIE: Write = Write {
    operation: "enregistrer-autonomie-numerique",
    body: true,
    change: |d, i, st| done(writes::save_autonomie(d, &parse(i.body)?, st)),
};
/// `POST /contraintes`.
pub(crate) const SAVE_CONTRAINTES: Write = Write {
    operation: "enregistrer-contraintes",
    body: true,
    change: |d, i, st| done(writes::save_contraintes_v4(d, &parse(i.body)?, st)),
};
/// `POST /pouvoiragir`.
pub(crate) const SAVE_POUVOIR_AGIR: Write = Write {
    operation: "enregistrer-pouvoir-agir",
    body: true,
    change: |d, i, st| done(writes::save_pouvoir_agir(d, &parse(i.body)?, st)),
};
/// `POST /diagnostics`: `{"idDiagnostic": …}`.
pub(crate) const CREATE_DIAGNOSTIC: Write = Write {
    operation: "creer-diagnostic",
    body: true,
    change: |d, i, st| {
        writes::create_diagnostic(d, &parse(i.body)?, (i.new_id)(), st)
            .map(|id_diagnostic| answer::ok(Created { id_diagnostic }))
    },
};
/// `PUT /diagnostics/{idDiagnostic}`.
pub(crate) const MODIFY_DIAGNOSTIC: Write = Write {
    operation: "modifier-diagnostic",
    body: true,
    change: |d, i, st| done(writes::modify_diagnostic(d, i.id, &parse(i.body)?, st)),
};
/// `POST /diagnostics/{idDiagnostic}/besoins`.
pub(crate) const SAVE_BESOINS: Write = Write {
    operation: "enregistrer-besoin",
    body: true,
    change: |d, i, st| done(writes::save_besoins(d, i.id, &parse(i.body)?, st)),
};
/// `POST /diagnostics/{idDiagnostic}/priorise?prioritaire=true|false`.
pub(crate) const PRIORITISE: Write = Write {
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
pub(crate) const DELETE_DIAGNOSTIC: Write = Write {
    operation: "supprimer-diagnostic-individu",
    body: false,
    change: |d, i, st| done(writes::delete_diagnostic(d, i.id, st)),
};

/// The route of a write of the dossier, on `method`.
pub(crate) fn writing(method: MethodFilter, w: Write) -> MethodRouter<SimState> {
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
pub(crate) fn writing_at(method: MethodFilter, w: Write) -> MethodRouter<SimState> {
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
                ApiError::bad_request(F, &format!("{k} : date AAAA-MM-JJ attendue")).into_response()
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
                    ApiError::bad_request(F, &format!("{k} : entier de 1 à 1000 attendu"))
                        .into_response()
                }),
        }
    };
    let from = day("dateDebut", today - 5 * 365)?;
    let to = day("dateFin", today)?;
    if from > to {
        return Err(ApiError::bad_request(F, "dateDebut est après dateFin").into_response());
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
        answer::ok_or_no_content(history::history_page(d, &filter, from, to, page, per_page))
    })
}

/// The `GET` route of a historisation resource.
pub(crate) fn history_of(filter: HistoryFilter) -> MethodRouter<SimState> {
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
pub(crate) async fn history_besoins(
    State(s): State<SimState>,
    Extension(c): Extension<Caller>,
    h: HeaderMap,
    ApiPath(id): ApiPath<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    history(s, c, h, q, HistoryFilter::Besoins(id)).await
}

/// `GET /referentiel`: the whole référentiel.
pub(crate) async fn referentiel() -> Response {
    answer::ok(Referentiel::get().document.clone())
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

/// `POST /diagnostics`'s answer.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Created {
    id_diagnostic: String,
}

/// The `Referentiel` schema with only one of its parts: what `/referentiel/{domaine}`,
/// `/referentiel/{domaine}/{sous-domaine}` and `/referentiel/pouvoir-agir/analyse` answer.
/// The parts themselves are the official document's example, served as data.
#[derive(Serialize)]
struct ReferentielPart<P: Serialize = Value> {
    #[serde(rename = "thematiquesBesoins", skip_serializing_if = "Option::is_none")]
    thematiques_besoins: Option<Value>,
    #[serde(
        rename = "thematiqueContrainte",
        skip_serializing_if = "Option::is_none"
    )]
    thematique_contrainte: Option<Value>,
    #[serde(rename = "pourvoirAgir", skip_serializing_if = "Option::is_none")]
    pourvoir_agir: Option<P>,
}

impl ReferentielPart {
    /// The part kept under `key` (one of [`DOMAINS`]).
    fn of(key: &str, part: Value) -> ReferentielPart {
        let mut r = ReferentielPart {
            thematiques_besoins: None,
            thematique_contrainte: None,
            pourvoir_agir: None,
        };
        match key {
            "thematiquesBesoins" => r.thematiques_besoins = Some(part),
            "thematiqueContrainte" => r.thematique_contrainte = Some(part),
            _ => r.pourvoir_agir = Some(part),
        }
        r
    }
}

/// The pouvoir d'agir with only its analyses.
#[derive(Serialize)]
struct Analyses {
    analyses: Vec<Value>,
}

pub(crate) async fn referentiel_domain(ApiPath(domaine): ApiPath<String>) -> Response {
    match domain_part(&domaine) {
        Some((k, v)) => answer::ok(ReferentielPart::of(k, v)),
        None => ApiError::bad_request(F, UNKNOWN_DOMAIN).into_response(),
    }
}

/// `GET /referentiel/{domaine}/{sous-domaine}`: the domain with only the sous-domaine's lists
/// (a contrainte keeps its code, values and label, and its situations or its objectifs; the
/// pouvoir d'agir its questions or its analyses), as the official example shows.
pub(crate) async fn referentiel_sub_domain(
    ApiPath((domaine, sous)): ApiPath<(String, String)>,
) -> Response {
    let Some((_, _, list)) = SUB_DOMAINS
        .iter()
        .find(|(d, s, _)| *d == domaine && *s == sous)
    else {
        return ApiError::bad_request(F, UNKNOWN_SUB_DOMAIN).into_response();
    };
    let Some((key, mut part)) = domain_part(&domaine) else {
        return ApiError::bad_request(F, UNKNOWN_DOMAIN).into_response();
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
    answer::ok(ReferentielPart::of(key, part))
}

pub(crate) async fn referentiel_analyse(Query(q): Query<HashMap<String, String>>) -> Response {
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
    answer::ok(ReferentielPart {
        thematiques_besoins: None,
        thematique_contrainte: None,
        pourvoir_agir: Some(Analyses { analyses }),
    })
}

/// Version n (v4), behind its guard.
pub(crate) fn router(s: &SimState) -> Router<SimState> {
    let p4 = "/partenaire/diagnosticargumente/v4";
    let routes = Router::new()
        .route(
            &format!("{p4}/dossiers"),
            reading(DOSSIER).merge(writing(MethodFilter::POST, SAVE_DOSSIER)),
        )
        .route(
            &format!("{p4}/autonomienumerique"),
            reading(AUTONOMIE).merge(writing(MethodFilter::POST, SAVE_AUTONOMIE)),
        )
        .route(&format!("{p4}/besoins"), reading(BESOINS))
        .route(
            &format!("{p4}/contraintes"),
            reading(CONTRAINTES).merge(writing(MethodFilter::POST, SAVE_CONTRAINTES)),
        )
        .route(
            &format!("{p4}/diagnostics"),
            reading(DIAGNOSTICS).merge(writing(MethodFilter::POST, CREATE_DIAGNOSTIC)),
        )
        .route(
            &format!("{p4}/diagnostics/{{id}}"),
            writing_at(MethodFilter::PUT, MODIFY_DIAGNOSTIC),
        )
        .route(
            &format!("{p4}/diagnostics/{{id}}/besoins"),
            writing_at(MethodFilter::POST, SAVE_BESOINS),
        )
        .route(
            &format!("{p4}/diagnostics/{{id}}/priorise"),
            writing_at(MethodFilter::POST, PRIORITISE),
        )
        .route(
            &format!("{p4}/diagnostics/{{id}}/supprime"),
            writing_at(MethodFilter::POST, DELETE_DIAGNOSTIC),
        )
        .route(
            &format!("{p4}/dossiers/historisation"),
            history_of(HistoryFilter::Dossier),
        )
        .route(
            &format!("{p4}/historisation/autonomienumerique"),
            history_of(HistoryFilter::Autonomie),
        )
        .route(
            &format!("{p4}/historisation/contraintes"),
            history_of(HistoryFilter::Contraintes),
        )
        .route(
            &format!("{p4}/historisation/diagnostics"),
            history_of(HistoryFilter::Diagnostics),
        )
        .route(
            &format!("{p4}/historisation/diagnostics/{{id}}/besoins"),
            get(history_besoins),
        )
        .route(
            &format!("{p4}/historisation/pouvoiragir"),
            history_of(HistoryFilter::PouvoirAgir),
        )
        .route(
            &format!("{p4}/pouvoiragir"),
            reading(POUVOIR_AGIR).merge(writing(MethodFilter::POST, SAVE_POUVOIR_AGIR)),
        )
        .route(&format!("{p4}/referentiel"), get(referentiel))
        .route(
            &format!("{p4}/referentiel/pouvoir-agir/analyse"),
            get(referentiel_analyse),
        )
        .route(
            &format!("{p4}/referentiel/{{domaine}}"),
            get(referentiel_domain),
        )
        .route(
            &format!("{p4}/referentiel/{{domaine}}/{{sous}}"),
            get(referentiel_sub_domain),
        );
    guarded(s, "diagnostic-individu", "v4", routes)
}
