//! Statut usager: v1 (`/contrat/{idNat}`, the convention's names) and v2 (`/contrat`,
//! jeton usager, `m_*` names). 204 when Pôle emploi holds no statut for the person.

pub(crate) mod views;

use axum::extract::{Extension, State};
use axum::http::HeaderMap;
use axum::response::Response;

use crate::api::path::ApiPath;
use crate::http::answer;
use crate::http::error::Family;
use crate::platform::guard::Caller;
use crate::platform::guard::guarded;
use crate::state::SimState;
use axum::Router;
use axum::routing::get;

pub(crate) async fn v1(State(s): State<SimState>, ApiPath(id): ApiPath<String>) -> Response {
    let index = match crate::api::person_from_id(&s, &id, Family::Backend) {
        Ok(i) => i,
        Err(r) => return r,
    };
    match s.person(index).statut {
        Some(st) => answer::ok(views::v1(&st, &id)),
        None => answer::no_content(),
    }
}

pub(crate) async fn v2(
    State(s): State<SimState>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
) -> Response {
    let index = match crate::api::person_from_jeton(&s, &c, &headers) {
        Ok(i) => i,
        Err(r) => return r,
    };
    match s.person(index).statut {
        Some(st) => answer::ok(views::v2(&st)),
        None => answer::no_content(),
    }
}

/// Both versions, each behind its guard.
pub(crate) fn router(s: &SimState) -> Router<SimState> {
    let one = Router::new().route("/partenaire/contrat-usager/v1/contrat/{id}", get(v1));
    let two = Router::new().route("/partenaire/contrat-usager/v2/contrat", get(v2));
    guarded(s, "statut-usager", "v1", one).merge(guarded(s, "statut-usager", "v2", two))
}
