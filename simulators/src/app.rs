//! The router: the token endpoint, the OpenAPI documents, and each API (both versions, each
//! behind its guard), composed from the `router()` of each module. `app(state)` is what
//! `vigie simulate` serves and what tests call with `oneshot`.

use axum::Router;

use crate::api::{diagnostic_v1, diagnostic_v4, docs, imported, profile, recherche, statut};
use crate::faults::admin;
use crate::http::error::ApiError;
use crate::platform::token;
use crate::state::SimState;
use axum::response::IntoResponse;

/// The simulators of every API, both versions.
pub fn app(state: SimState) -> Router {
    let s = &state;
    Router::new()
        .merge(token::router())
        .merge(docs::router())
        .merge(recherche::router(s))
        .merge(statut::router(s))
        .merge(profile::router(s))
        .merge(diagnostic_v1::router(s))
        .merge(diagnostic_v4::router(s))
        .merge(imported::router(s))
        .fallback(|| async { ApiError::NotFound.into_response() })
        .with_state(state)
}

/// The admin endpoint: serve it on a loopback listener of its own.
pub fn admin_app(state: SimState) -> Router {
    admin::router()
        .fallback(|| async { ApiError::NotFound.into_response() })
        .with_state(state)
}
