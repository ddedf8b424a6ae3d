//! The admin endpoint (its own listener on loopback): read, replace or clear the fault plan
//! at run time. Every call needs `Authorization: Bearer <admin token>`.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use serde_json::json;

use crate::faults::plan::FaultPlan;
use crate::http::answer;
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
    answer::json(
        StatusCode::UNAUTHORIZED,
        json!({"error": "unauthorized", "error_description": "admin token required: Authorization: Bearer <token>"}),
    )
}

pub(crate) async fn get_faults(State(s): State<SimState>, headers: HeaderMap) -> Response {
    if !authorised(&s, &headers) {
        return refused();
    }
    answer::ok(serde_json::to_value(s.fault_plan()).unwrap_or_default())
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
            return answer::json(
                StatusCode::BAD_REQUEST,
                json!({"error": "invalid_plan", "error_description": format!("{e}. Expected {{\"rules\": [{{\"api\": \"…\", \"version\": \"n\", …}}]}}")}),
            );
        }
    };
    match plan.install(s.now_ms()) {
        Ok(p) => {
            s.set_faults(p.clone());
            answer::ok(serde_json::to_value(p).unwrap_or_default())
        }
        Err(e) => answer::json(
            StatusCode::BAD_REQUEST,
            json!({"error": "invalid_plan", "error_description": e.to_string()}),
        ),
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
