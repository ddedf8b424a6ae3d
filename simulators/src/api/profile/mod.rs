//! Métiers recherchés and projets CREF (profil de compétences): v1 with the id in the path,
//! v2 with the jeton usager. 204 when the person has none.

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

fn metiers(s: &SimState, index: u64) -> Vec<views::MetierRecherche> {
    let p = s.person(index);
    views::metiers(s.config.seed, index, p.metiers)
}

fn crefs(s: &SimState, index: u64) -> Vec<views::ProjetCref> {
    let p = s.person(index);
    views::crefs(s.config.seed, index, p.crefs)
}

fn list<T: serde::Serialize>(items: Vec<T>) -> Response {
    if items.is_empty() {
        answer::no_content()
    } else {
        answer::ok(items)
    }
}

/// Version n documents one object (CORRECTIONS.md I-5): the first item.
fn first<T: serde::Serialize>(items: Vec<T>) -> Response {
    match items.into_iter().next() {
        Some(v) => answer::ok(v),
        None => answer::no_content(),
    }
}

pub(crate) async fn metiers_v1(
    State(s): State<SimState>,
    ApiPath(id): ApiPath<String>,
) -> Response {
    match crate::api::person_from_id(&s, &id, Family::Backend) {
        Ok(i) => list(metiers(&s, i)),
        Err(r) => r,
    }
}

pub(crate) async fn crefs_v1(State(s): State<SimState>, ApiPath(id): ApiPath<String>) -> Response {
    match crate::api::person_from_id(&s, &id, Family::Backend) {
        Ok(i) => list(crefs(&s, i)),
        Err(r) => r,
    }
}

pub(crate) async fn metiers_v2(
    State(s): State<SimState>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
) -> Response {
    match crate::api::person_from_jeton(&s, &c, &headers) {
        Ok(i) => first(metiers(&s, i)),
        Err(r) => r,
    }
}

pub(crate) async fn crefs_v2(
    State(s): State<SimState>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
) -> Response {
    match crate::api::person_from_jeton(&s, &c, &headers) {
        Ok(i) => first(crefs(&s, i)),
        Err(r) => r,
    }
}

/// Métiers recherchés and Création d'entreprise, both versions, each behind its guard.
pub(crate) fn router(s: &SimState) -> Router<SimState> {
    let met1 = Router::new().route(
        "/partenaire/metiers-profil-competences/v1/metiers-recherches/{id}",
        get(metiers_v1),
    );
    let met2 = Router::new().route(
        "/partenaire/metiers-projets-entreprises/v2/metiers-recherches",
        get(metiers_v2),
    );
    let cref1 = Router::new().route(
        "/partenaire/projet-creation-entreprise/v1/projets-cref/{id}",
        get(crefs_v1),
    );
    let cref2 = Router::new().route(
        "/partenaire/metiers-projets-entreprises/v2/projets-cref",
        get(crefs_v2),
    );
    guarded(s, "metiers-recherches", "v1", met1)
        .merge(guarded(s, "metiers-recherches", "v2", met2))
        .merge(guarded(s, "creation-entreprise", "v1", cref1))
        .merge(guarded(s, "creation-entreprise", "v2", cref2))
}
