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
use axum::routing::{MethodFilter, MethodRouter, get, on};

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

/// What a read answers from the dossier (and the 2023 era's nulls of this person).
type Answer = fn(&Dossier, &Nulls2023) -> Response;

const DOSSIER: Answer = |d, n| answer::ok(views::dossier(d, n));
const BESOINS: Answer = |d, n| answer::ok_or_no_content(views::besoins_list(d, n));
const DIAGNOSTICS: Answer = |d, n| answer::ok_or_no_content(views::diagnostics(d, n));
const CONTRAINTES: Answer = |d, n| answer::ok(views::contraintes_resource(d, n));
const POUVOIR_AGIR: Answer = |d, _| answer::ok_or_no_content(views::pouvoir_agir(d));

/// The route of a read of the dossier.
fn reading(answer: Answer) -> MethodRouter<SimState> {
    get(
        move |State(s): State<SimState>, ApiPath(id): ApiPath<String>| async move {
            read(&s, &id, answer)
        },
    )
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

/// The route of a write of the dossier: its operation in the contract, and the change.
fn writing<T: DeserializeOwned + Send + 'static>(
    method: MethodFilter,
    operation: &'static str,
    change: fn(&mut Dossier, &T, &Stamp) -> Result<(), Refused>,
) -> MethodRouter<SimState> {
    on(
        method,
        move |State(s): State<SimState>,
              Extension(c): Extension<Caller>,
              ApiPath(id): ApiPath<String>,
              h: HeaderMap,
              b: Body| async move { write(&s, &c, &id, &h, b, operation, change).await },
    )
}

/// Version n-1 (v1), behind its guard.
pub(crate) fn router(s: &SimState) -> Router<SimState> {
    let p1 = "/partenaire/diagnosticargumente/v1/individus/{id}";
    let routes = Router::new()
        .route(p1, reading(DOSSIER))
        .route(&format!("{p1}/besoins"), reading(BESOINS))
        .route(
            &format!("{p1}/diagnostics"),
            reading(DIAGNOSTICS).merge(writing(
                MethodFilter::PUT,
                "modifier-diagnostic",
                writes::modify_diagnostic_v1,
            )),
        )
        .route(
            &format!("{p1}/contraintes"),
            reading(CONTRAINTES).merge(writing(
                MethodFilter::POST,
                "enregistrer-contraintes",
                writes::save_contraintes_v1,
            )),
        )
        .route(&format!("{p1}/pouvoir-agir"), reading(POUVOIR_AGIR));
    guarded(s, "diagnostic-individu", "v1", routes)
}
