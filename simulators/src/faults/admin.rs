//! The admin endpoint (its own listener on loopback): read, replace or clear the fault plan
//! at run time. Every call needs `Authorization: Bearer <admin token>`.

use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};

use crate::faults::plan::FaultPlan;
use crate::http::answer;
use crate::http::error::ApiError;
use crate::state::SimState;
use axum::Router;
use axum::routing::get;

fn authorised(s: &SimState, headers: &HeaderMap) -> bool {
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    match (&s.config.admin_token, given) {
        (Some(t), Some(g)) => t.matches(g),
        _ => false,
    }
}

fn refused() -> Response {
    ApiError::AdminUnauthorized.into_response()
}

pub(crate) async fn get_faults(State(s): State<SimState>, headers: HeaderMap) -> Response {
    if !authorised(&s, &headers) {
        return refused();
    }
    answer::ok(s.fault_plan())
}

pub(crate) async fn put_faults(
    State(s): State<SimState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    if !authorised(&s, &headers) {
        return refused();
    }
    let plan: FaultPlan = match serde_json::from_slice(&body) {
        Ok(p) => p,
        Err(e) => {
            return ApiError::InvalidPlan(format!(
                "{e}. Expected {{\"rules\": [{{\"api\": \"…\", \"version\": \"n\", …}}]}}"
            ))
            .into_response();
        }
    };
    match plan.install(s.now_ms()) {
        Ok(p) => {
            s.set_faults(p.clone());
            answer::ok(p)
        }
        Err(e) => ApiError::InvalidPlan(e.to_string()).into_response(),
    }
}

pub(crate) async fn clear_faults(State(s): State<SimState>, headers: HeaderMap) -> Response {
    if !authorised(&s, &headers) {
        return refused();
    }
    s.set_faults(FaultPlan::default());
    answer::no_content()
}

/// `/admin/faults`: read, replace or clear the plan.
pub(crate) fn router() -> Router<SimState> {
    Router::new().route(
        "/admin/faults",
        get(get_faults).put(put_faults).delete(clear_faults),
    )
}
