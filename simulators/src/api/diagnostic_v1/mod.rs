//! Diagnostic argumenté v1 (version n-1, 2023): the seven resources of the convention, keyed
//! by the encrypted national id in the path.

pub(crate) mod views;

use axum::body::Body;
use axum::extract::{Extension, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::api::path::ApiPath;
use crate::diagnostic::model::Dossier;
use crate::diagnostic::requests::parse;
use crate::diagnostic::writes::{self, Refused, Stamp};
use crate::http::answer;
use crate::http::error::{ApiError, Family};
use crate::platform::guard::Caller;
use crate::platform::guard::guarded;
use crate::population::realism::Nulls2023;
use crate::state::Held;
use crate::state::SimState;
use axum::Router;
use axum::routing::get;

const API: &str = "diagnostic-individu";
const V: &str = "v1";
const F: Family = Family::Backend;

/// A read: the person's dossier as the 2023 platform served it, given to `answer`; no dossier
/// is a 204.
fn read(s: &SimState, id: &str, answer: impl FnOnce(&Dossier, &Nulls2023) -> Response) -> Response {
    let index = match crate::api::person_from_id(s, id, F) {
        Ok(i) => i,
        Err(r) => return r,
    };
    let nulls = s.config.realism.era_2023(s.config.seed, index);
    let dossier = s.held_dossier(index).map(|held| match held {
        Held::Written(d) => *d,
        Held::Drawn(d) if nulls.empty_dossier() => d.dossier(s.id_metier(index)).emptied(),
        Held::Drawn(d) => d.dossier(s.id_metier(index)),
    });
    match dossier.as_ref() {
        Some(d) => answer(d, &nulls),
        None => answer::no_content(),
    }
}

pub(crate) async fn dossier(State(s): State<SimState>, ApiPath(id): ApiPath<String>) -> Response {
    read(&s, &id, |d, n| answer::ok(views::dossier(d, n)))
}
pub(crate) async fn besoins(State(s): State<SimState>, ApiPath(id): ApiPath<String>) -> Response {
    read(&s, &id, |d, n| {
        answer::ok_or_no_content(views::besoins_list(d, n))
    })
}
pub(crate) async fn diagnostics(
    State(s): State<SimState>,
    ApiPath(id): ApiPath<String>,
) -> Response {
    read(&s, &id, |d, n| {
        answer::ok_or_no_content(views::diagnostics(d, n))
    })
}
pub(crate) async fn contraintes(
    State(s): State<SimState>,
    ApiPath(id): ApiPath<String>,
) -> Response {
    read(&s, &id, |d, n| {
        answer::ok(views::contraintes_resource(d, n))
    })
}
pub(crate) async fn pouvoir_agir(
    State(s): State<SimState>,
    ApiPath(id): ApiPath<String>,
) -> Response {
    read(&s, &id, |d, _| {
        answer::ok_or_no_content(views::pouvoir_agir(d))
    })
}

/// Who signs a v1 write: the body's `idConseiller`, when given.
#[derive(Deserialize)]
struct Signed {
    #[serde(rename = "idConseiller")]
    id_conseiller: Option<String>,
}

async fn write<T: DeserializeOwned>(
    s: &SimState,
    caller: &Caller,
    id: &str,
    headers: &HeaderMap,
    body: Body,
    operation: &str,
    change: impl FnOnce(&mut Dossier, &T, &Stamp) -> Result<(), Refused>,
) -> Response {
    let index = match crate::api::person_from_id(s, id, F) {
        Ok(i) => i,
        Err(r) => return r,
    };
    let value = match crate::http::body::read(s, headers, body, API, V, operation).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let (request, signed) = match (parse::<T>(&value), parse::<Signed>(&value)) {
        (Ok(r), Ok(signed)) => (r, signed),
        (Err(Refused(m)), _) | (_, Err(Refused(m))) => {
            return ApiError::bad_request(F, &m).into_response();
        }
    };
    let agent = match &signed.id_conseiller {
        Some(c) => caller.agent(s, headers).with_id(c),
        None => caller.agent(s, headers),
    };
    let stamp = Stamp {
        agent,
        now_ms: s.now_ms(),
    };
    match s.write_dossier(index, &stamp, |d| change(d, &request, &stamp)) {
        Ok(()) => answer::ok_empty(),
        Err(Refused(m)) => ApiError::bad_request(F, &m).into_response(),
    }
}

pub(crate) async fn modify_diagnostic(
    State(s): State<SimState>,
    Extension(c): Extension<Caller>,
    ApiPath(id): ApiPath<String>,
    h: HeaderMap,
    b: Body,
) -> Response {
    write(
        &s,
        &c,
        &id,
        &h,
        b,
        "modifier-diagnostic",
        writes::modify_diagnostic_v1,
    )
    .await
}

pub(crate) async fn save_contraintes(
    State(s): State<SimState>,
    Extension(c): Extension<Caller>,
    ApiPath(id): ApiPath<String>,
    h: HeaderMap,
    b: Body,
) -> Response {
    write(
        &s,
        &c,
        &id,
        &h,
        b,
        "enregistrer-contraintes",
        writes::save_contraintes_v1,
    )
    .await
}

/// Version n-1 (v1), behind its guard.
pub(crate) fn router(s: &SimState) -> Router<SimState> {
    let p1 = "/partenaire/diagnosticargumente/v1/individus/{id}";
    let routes = Router::new()
        .route(p1, get(dossier))
        .route(&format!("{p1}/besoins"), get(besoins))
        .route(
            &format!("{p1}/diagnostics"),
            get(diagnostics).put(modify_diagnostic),
        )
        .route(
            &format!("{p1}/contraintes"),
            get(contraintes).post(save_contraintes),
        )
        .route(&format!("{p1}/pouvoir-agir"), get(pouvoir_agir));
    guarded(s, "diagnostic-individu", "v1", routes)
}
