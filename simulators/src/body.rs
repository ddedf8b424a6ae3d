//! Reading a JSON request body the way the real APIs refuse bad ones: a size limit, the
//! content type, JSON syntax, then the contract of the operation. Every refusal is a 400 in
//! the API's own error shape, never a 500.

use axum::body::Body;
use axum::http::{HeaderMap, header};
use axum::response::Response;
use serde_json::Value;

use crate::responses::{self, Family};
use crate::state::SimState;

/// Reads and checks the body of `operation` of `api` `major`.
pub async fn read(
    s: &SimState,
    headers: &HeaderMap,
    body: Body,
    api: &str,
    major: &str,
    operation: &str,
) -> Result<Value, Response> {
    let family = Family::of(api, major);
    let ct = headers
        .get(header::CONTENT_TYPE)
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    let json = b"application/json";
    if ct.len() < json.len() || !ct[..json.len()].eq_ignore_ascii_case(json) {
        return Err(responses::bad_request(
            family,
            "Content-Type application/json attendu",
        ));
    }
    let bytes = axum::body::to_bytes(body, s.config.max_body_bytes)
        .await
        .map_err(|_| responses::bad_request(family, "corps de requête trop volumineux"))?;
    let value: Value = serde_json::from_slice(&bytes)
        .map_err(|_| responses::bad_request(family, "corps de requête JSON illisible"))?;
    let violations = s
        .checker
        .check_request(api, major, operation, &value)
        .map_err(|_| responses::server_error(family, 500))?;
    if let Some(v) = violations.first() {
        let at = if v.pointer.is_empty() {
            "/"
        } else {
            &v.pointer
        };
        return Err(responses::bad_request(
            family,
            &format!("{at} : attendu {}", v.expected),
        ));
    }
    Ok(value)
}
