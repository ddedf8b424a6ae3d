//! The admin endpoint (its own listener on loopback): read, replace or clear the fault plan
//! at run time. Every call needs `Authorization: Bearer <admin token>`.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use serde_json::json;

use crate::faults::FaultPlan;
use crate::responses;
use crate::state::SimState;

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
    responses::json(
        StatusCode::UNAUTHORIZED,
        json!({"error": "unauthorized", "error_description": "admin token required: Authorization: Bearer <token>"}),
    )
}

pub async fn get_faults(State(s): State<SimState>, headers: HeaderMap) -> Response {
    if !authorised(&s, &headers) {
        return refused();
    }
    responses::ok(serde_json::to_value(s.fault_plan()).unwrap_or_default())
}

pub async fn put_faults(
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
            return responses::json(
                StatusCode::BAD_REQUEST,
                json!({"error": "invalid_plan", "error_description": format!("{e}. Expected {{\"rules\": [{{\"api\": \"…\", \"version\": \"n\", …}}]}}")}),
            );
        }
    };
    match plan.install(s.now_ms()) {
        Ok(p) => {
            s.set_faults(p.clone());
            responses::ok(serde_json::to_value(p).unwrap_or_default())
        }
        Err(e) => responses::json(
            StatusCode::BAD_REQUEST,
            json!({"error": "invalid_plan", "error_description": e.to_string()}),
        ),
    }
}

pub async fn clear_faults(State(s): State<SimState>, headers: HeaderMap) -> Response {
    if !authorised(&s, &headers) {
        return refused();
    }
    s.set_faults(FaultPlan::default());
    responses::no_content()
}
