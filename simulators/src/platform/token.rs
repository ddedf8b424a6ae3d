//! `POST /connexion/oauth2/access_token?realm=/partenaire|/agent`.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;

use crate::http::answer;
use crate::http::error::ApiError;
use crate::platform::access;
use crate::state::SimState;
use axum::Router;
use axum::response::IntoResponse;
use axum::routing::post;

/// The token endpoint's answer, in the order the platform sends it.
#[derive(serde::Serialize)]
struct Granted {
    scope: String,
    expires_in: u64,
    token_type: &'static str,
    access_token: String,
}

pub(crate) async fn access_token(
    State(s): State<SimState>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !ct
        .to_ascii_lowercase()
        .starts_with("application/x-www-form-urlencoded")
    {
        return ApiError::OAuth(
            "invalid_request",
            "Content-Type application/x-www-form-urlencoded attendu".into(),
        )
        .into_response();
    }
    let Ok(form) = serde_urlencoded_form(&body) else {
        return ApiError::OAuth("invalid_request", "Corps de requête illisible".into())
            .into_response();
    };
    match access::issue(
        &s.keys,
        &s.config.clients,
        q.get("realm").map(String::as_str),
        &form,
        s.now_ms(),
        s.config.token_lifetime_s,
    ) {
        Ok((token, claims)) => {
            let mut r = answer::ok(Granted {
                scope: claims.scopes.join(" "),
                expires_in: s.config.token_lifetime_s,
                token_type: "Bearer",
                access_token: token,
            });
            r.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r.headers_mut()
                .insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
            r
        }
        Err(e) => ApiError::OAuth(e.error, e.description).into_response(),
    }
}

/// `application/x-www-form-urlencoded` → map (last value wins).
fn serde_urlencoded_form(body: &[u8]) -> Result<HashMap<String, String>, ()> {
    let text = std::str::from_utf8(body).map_err(|_| ())?;
    let mut out = HashMap::new();
    for pair in text.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        out.insert(decode(k)?, decode(v)?);
    }
    Ok(out)
}

fn decode(s: &str) -> Result<String, ()> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = std::str::from_utf8(b.get(i + 1..i + 3).ok_or(())?).map_err(|_| ())?;
                out.push(u8::from_str_radix(hex, 16).map_err(|_| ())?);
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| ())
}

/// The token endpoint.
pub(crate) fn router() -> Router<SimState> {
    Router::new().route("/connexion/oauth2/access_token", post(access_token))
}
