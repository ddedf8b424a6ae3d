//! Diagnostic argumenté v1 (version n-1, 2023): the seven resources of the convention, keyed
//! by the encrypted national id in the path.

use axum::body::Body;
use axum::extract::{Extension, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::Value;

use super::api_path::ApiPath;
use crate::dossier::Dossier;
use crate::guard::Caller;
use crate::realism::Nulls2023;
use crate::responses::{self, Family};
use crate::state::Held;
use crate::state::SimState;
use crate::views_v1;
use crate::writes::{self, Refused, Stamp};

const API: &str = "diagnostic-individu";
const V: &str = "v1";
const F: Family = Family::Backend;

/// A read: the person's dossier as the 2023 platform served it, given to `answer`; no dossier
/// is a 204.
fn read(s: &SimState, id: &str, answer: impl FnOnce(&Dossier, &Nulls2023) -> Response) -> Response {
    let index = match super::person_from_id(s, id, F) {
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
        None => responses::no_content(),
    }
}

pub async fn dossier(State(s): State<SimState>, ApiPath(id): ApiPath<String>) -> Response {
    read(&s, &id, |d, n| responses::ok(views_v1::dossier(d, n)))
}
pub async fn besoins(State(s): State<SimState>, ApiPath(id): ApiPath<String>) -> Response {
    read(&s, &id, |d, n| {
        responses::ok_or_no_content(views_v1::besoins_list(d, n))
    })
}
pub async fn diagnostics(State(s): State<SimState>, ApiPath(id): ApiPath<String>) -> Response {
    read(&s, &id, |d, n| {
        responses::ok_or_no_content(views_v1::diagnostics(d, n))
    })
}
pub async fn contraintes(State(s): State<SimState>, ApiPath(id): ApiPath<String>) -> Response {
    read(&s, &id, |d, n| {
        responses::ok(views_v1::contraintes_resource(d, n))
    })
}
pub async fn pouvoir_agir(State(s): State<SimState>, ApiPath(id): ApiPath<String>) -> Response {
    read(&s, &id, |d, _| {
        responses::ok_or_no_content(views_v1::pouvoir_agir(d))
    })
}

async fn write(
    s: &SimState,
    caller: &Caller,
    id: &str,
    headers: &HeaderMap,
    body: Body,
    operation: &str,
    change: impl FnOnce(&mut Dossier, &Value, &Stamp) -> Result<(), Refused>,
) -> Response {
    let index = match super::person_from_id(s, id, F) {
        Ok(i) => i,
        Err(r) => return r,
    };
    let value = match crate::body::read(s, headers, body, API, V, operation).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let agent = match value.get("idConseiller").and_then(Value::as_str) {
        Some(c) => caller.agent(s, headers).with_id(c),
        None => caller.agent(s, headers),
    };
    let stamp = Stamp {
        agent,
        now_ms: s.now_ms(),
    };
    match s.write_dossier(index, &stamp, |d| change(d, &value, &stamp)) {
        Ok(()) => responses::ok_empty(),
        Err(Refused(m)) => responses::bad_request(F, &m),
    }
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
        &id,
        &h,
        b,
        "modifier-diagnostic",
        writes::modify_diagnostic_v1,
    )
    .await
}

pub async fn save_contraintes(
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
