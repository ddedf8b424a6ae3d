//! `POST /connexion/oauth2/access_token?realm=/partenaire|/agent`.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use serde_json::json;

use crate::http::answer;
use crate::platform::access;
use crate::state::SimState;
use axum::Router;
use axum::routing::post;

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
        return answer::oauth_error(
            "invalid_request",
            "Content-Type application/x-www-form-urlencoded attendu",
        );
    }
    let Ok(form) = serde_urlencoded_form(&body) else {
        return answer::oauth_error("invalid_request", "Corps de requête illisible");
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
            let mut r = answer::ok(json!({
                "scope": claims.scopes.join(" "), "expires_in": s.config.token_lifetime_s,
                "token_type": "Bearer", "access_token": token,
            }));
            r.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r.headers_mut()
                .insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
            r
        }
        Err(e) => answer::oauth_error(e.error, &e.description),
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
