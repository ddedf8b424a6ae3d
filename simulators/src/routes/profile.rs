//! Métiers recherchés and projets CREF (profil de compétences): v1 with the id in the path,
//! v2 with the jeton usager. 204 when the person has none.

use axum::extract::{Extension, State};
use axum::http::HeaderMap;
use axum::response::Response;

use super::api_path::ApiPath;
use crate::guard::Caller;
use crate::responses::{self, Family};
use crate::state::SimState;
use crate::views_profile;

fn metiers(s: &SimState, index: u64) -> Vec<views_profile::MetierRecherche> {
    let p = s.person(index);
    views_profile::metiers(s.config.seed, index, p.metiers)
}

fn crefs(s: &SimState, index: u64) -> Vec<views_profile::ProjetCref> {
    let p = s.person(index);
    views_profile::crefs(s.config.seed, index, p.crefs)
}

fn list<T: serde::Serialize>(items: Vec<T>) -> Response {
    if items.is_empty() {
        responses::no_content()
    } else {
        responses::ok(items)
    }
}

/// Version n documents one object (CORRECTIONS.md I-5): the first item.
fn first<T: serde::Serialize>(items: Vec<T>) -> Response {
    match items.into_iter().next() {
        Some(v) => responses::ok(v),
        None => responses::no_content(),
    }
}

pub async fn metiers_v1(State(s): State<SimState>, ApiPath(id): ApiPath<String>) -> Response {
    match super::person_from_id(&s, &id, Family::Backend) {
        Ok(i) => list(metiers(&s, i)),
        Err(r) => r,
    }
}

pub async fn crefs_v1(State(s): State<SimState>, ApiPath(id): ApiPath<String>) -> Response {
    match super::person_from_id(&s, &id, Family::Backend) {
        Ok(i) => list(crefs(&s, i)),
        Err(r) => r,
    }
}

pub async fn metiers_v2(
    State(s): State<SimState>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
) -> Response {
    match super::person_from_jeton(&s, &c, &headers) {
        Ok(i) => first(metiers(&s, i)),
        Err(r) => r,
    }
}

pub async fn crefs_v2(
    State(s): State<SimState>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
) -> Response {
    match super::person_from_jeton(&s, &c, &headers) {
        Ok(i) => first(crefs(&s, i)),
        Err(r) => r,
    }
}
