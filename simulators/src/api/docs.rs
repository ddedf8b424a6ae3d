//! The OpenAPI documents of what the simulators serve: `GET /openapi` lists them,
//! `GET /openapi/{api}/{version}` gives one (version `n`, `n-1` or a major).

use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::api::path::ApiPath;
use crate::http::answer;
use crate::http::error::ApiError;
use crate::state::SimState;
use axum::Router;
use axum::routing::get;

fn server(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    format!("http://{host}")
}

/// `GET /openapi`: what is served, and where to get a token.
#[derive(Serialize)]
struct Index {
    apis: Vec<Served>,
    token: String,
}

/// One API version served.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Served {
    api: &'static str,
    version: &'static str,
    alias: &'static str,
    realm: &'static str,
    base_url: String,
    scopes: &'static [String],
    openapi: String,
}

pub(crate) async fn index(headers: HeaderMap) -> Response {
    let base = server(&headers);
    let apis = contracts::catalogue::active()
        .map(|c| c.apis.as_slice())
        .unwrap_or_default()
        .iter()
        .flat_map(|a| {
            let base = &base;
            a.versions.iter().map(move |v| Served {
                api: &a.id,
                version: &v.major,
                alias: v.alias_or_major(),
                realm: &v.realm,
                base_url: format!("{base}{}", v.base_path),
                scopes: &v.scopes,
                openapi: format!("{base}/openapi/{}/{}", a.id, v.major),
            })
        })
        .collect();
    answer::ok(Index {
        apis,
        token: format!("{base}/connexion/oauth2/access_token?realm=/agent"),
    })
}

pub(crate) async fn document(
    State(s): State<SimState>,
    ApiPath((api, version)): ApiPath<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let resolved = s
        .checker
        .store()
        .resolve(&api, version.trim_end_matches(".json"));
    match resolved {
        Ok((info, v, loaded)) => answer::ok(contracts::export::openapi(
            info,
            v,
            loaded,
            &server(&headers),
        )),
        Err(e) => ApiError::NoDocument(e.to_string()).into_response(),
    }
}

/// `GET /openapi` and `GET /openapi/{api}/{version}`, open to anyone (no guard).
pub(crate) fn router() -> Router<SimState> {
    Router::new()
        .route("/openapi", get(index))
        .route("/openapi/{api}/{version}", get(document))
}
