//! Statut usager: v1 (`/contrat/{idNat}`, the convention's names) and v2 (`/contrat`,
//! jeton usager, `m_*` names). 204 when Pôle emploi holds no statut for the person.

use axum::extract::{Extension, State};
use axum::http::HeaderMap;
use axum::response::Response;

use super::api_path::ApiPath;
use crate::guard::Caller;
use crate::responses::{self, Family};
use crate::state::SimState;
use crate::views_statut;

pub async fn v1(State(s): State<SimState>, ApiPath(id): ApiPath<String>) -> Response {
    let index = match super::person_from_id(&s, &id, Family::Backend) {
        Ok(i) => i,
        Err(r) => return r,
    };
    match s.person(index).statut {
        Some(st) => responses::ok(views_statut::v1(&st, &id)),
        None => responses::no_content(),
    }
}

pub async fn v2(
    State(s): State<SimState>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
) -> Response {
    let index = match super::person_from_jeton(&s, &c, &headers) {
        Ok(i) => i,
        Err(r) => return r,
    };
    match s.person(index).statut {
        Some(st) => responses::ok(views_statut::v2(&st)),
        None => responses::no_content(),
    }
}
