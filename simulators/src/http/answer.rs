//! Every answer the simulators give, in the real APIs' shapes: API errors per API and
//! version, the gateway's 302/401/403/429, the token endpoint's OAuth errors, 204.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// A JSON answer: a view struct or a value, written by serde.
pub(crate) fn json<T: serde::Serialize>(status: StatusCode, body: T) -> Response {
    json_in(status, &body, 512)
}

/// [`json`] into a buffer that starts with `room` bytes (a dossier is 20–67 kB: starting
/// small, the buffer would be copied at each doubling).
fn json_in<T: serde::Serialize>(status: StatusCode, body: &T, room: usize) -> Response {
    match json_bytes(body, room) {
        Ok(bytes) => {
            let mut r = (status, bytes).into_response();
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json;charset=UTF-8"),
            );
            r
        }
        // Only a Serialize impl can fail here, and ours do not: never a truncated 200.
        Err(_) => server_error(Family::Backend, 500),
    }
}

/// A view written by serde into `room` bytes to start with.
pub(crate) fn json_bytes<T: serde::Serialize>(
    body: &T,
    room: usize,
) -> serde_json::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(room);
    serde_json::to_writer(&mut out, body)?;
    Ok(out)
}

pub(crate) fn ok<T: serde::Serialize>(body: T) -> Response {
    json(StatusCode::OK, body)
}

/// 200 with a large view (see [`json_in`]).
pub(crate) fn ok_large<T: serde::Serialize>(body: &T, room: usize) -> Response {
    json_in(StatusCode::OK, body, room)
}

/// 200 with the view, or 204 when there is nothing to send.
pub(crate) fn ok_or_no_content<T: serde::Serialize>(body: Option<T>) -> Response {
    match body {
        Some(b) => ok(b),
        None => no_content(),
    }
}

pub(crate) fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

/// 200 without a body (the writes of v1 and v4).
pub(crate) fn ok_empty() -> Response {
    StatusCode::OK.into_response()
}

/// Which API answers: its error bodies differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    RechercheV2,
    RechercheV1,
    /// Every other API: the back-end error body `{codeErreur, codeHttp, message}`.
    Backend,
}

impl Family {
    pub(crate) fn of(api: &str, major: &str) -> Family {
        match (api, major) {
            ("recherche-usager", "v2") => Family::RechercheV2,
            ("recherche-usager", _) => Family::RechercheV1,
            _ => Family::Backend,
        }
    }
}

/// The error bodies of the official v2 examples: `codeRetour`, `message`, `jetonUsager: null`.
fn recherche_v2(status: StatusCode, code: &str, message: &str) -> Response {
    json(
        status,
        json!({"codeRetour": code, "message": message, "jetonUsager": null}),
    )
}

/// 400: the input is refused (validation).
pub(crate) fn bad_request(f: Family, message: &str) -> Response {
    match f {
        Family::RechercheV2 => recherche_v2(
            StatusCode::BAD_REQUEST,
            "R997",
            "Une erreur de validation s'est produite",
        ),
        Family::RechercheV1 => json(
            StatusCode::BAD_REQUEST,
            // The platform's fixed message: it does not vary with the input (no validator text).
            json!({"codeRetour": "R997", "message": "Une erreur de validation s'est produite", "identifiant": null, "topIdentiteCertifiee": null}),
        ),
        Family::Backend => json(
            StatusCode::BAD_REQUEST,
            json!({"codeErreur": "ERT_400_FONCT", "codeHttp": 400, "message": message}),
        ),
    }
}

/// 500 or 503, as injected or on an internal fault.
pub(crate) fn server_error(f: Family, status: u16) -> Response {
    let unavailable = status == 503;
    match f {
        Family::RechercheV2 if unavailable => recherche_v2(
            StatusCode::SERVICE_UNAVAILABLE,
            "R999",
            "Service indisponible, veuillez réessayer ultérieurement",
        ),
        Family::RechercheV2 => recherche_v2(
            StatusCode::INTERNAL_SERVER_ERROR,
            "R998",
            "Un service a répondu en erreur",
        ),
        _ if unavailable => json(
            StatusCode::SERVICE_UNAVAILABLE,
            json!({"codeErreur": "ERT_503", "codeHttp": 503, "message": "Service indisponible, veuillez réessayer ultérieurement"}),
        ),
        _ => json(
            StatusCode::INTERNAL_SERVER_ERROR,
            json!({"codeErreur": "JCS0011G", "codeHttp": 500, "message": "La vue service retournée par le connecteur HTTP est nulle ou mal formée"}),
        ),
    }
}

/// 403 R001 / R002 of Recherche usager v2.
pub(crate) fn refused_r(code: &str) -> Response {
    let message = if code == "R001" {
        "Accès non autorisé"
    } else {
        "L'usager n'est pas rattaché à la structure de l'accédant"
    };
    recherche_v2(StatusCode::FORBIDDEN, code, message)
}

/// Gateway 401.
pub(crate) fn unauthorized(description: &str) -> Response {
    let mut r = json(
        StatusCode::UNAUTHORIZED,
        json!({"error": "invalid_token", "error_description": description}),
    );
    r.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"francetravail\", error=\"invalid_token\""),
    );
    r
}

/// Gateway 403.
pub(crate) fn forbidden(description: &str) -> Response {
    json(
        StatusCode::FORBIDDEN,
        json!({"error": "insufficient_scope", "error_description": description}),
    )
}

/// Gateway 302 for a call without the `pa-*` agent headers (as observed by itou).
pub(crate) fn found_redirect() -> Response {
    let mut r = StatusCode::FOUND.into_response();
    r.headers_mut().insert(
        header::LOCATION,
        HeaderValue::from_static("/connexion/oauth2/agent/authorize"),
    );
    r
}

/// Gateway 429, `text/plain` with `Retry-After`.
pub(crate) fn too_many(retry_after_s: u64) -> Response {
    let mut r = (StatusCode::TOO_MANY_REQUESTS, "Too Many Requests").into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    if let Ok(v) = HeaderValue::from_str(&retry_after_s.to_string()) {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

/// The token endpoint's OAuth2 error: 400 with `error` and `error_description`, as observed.
pub(crate) fn oauth_error(error: &str, description: &str) -> Response {
    let mut r = json(
        StatusCode::BAD_REQUEST,
        json!({"error": error, "error_description": description}),
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// 404 for a path no API serves (gateway).
pub(crate) fn not_found() -> Response {
    json(
        StatusCode::NOT_FOUND,
        json!({"error": "not_found", "error_description": "Aucune API à cette adresse ; voir GET /openapi"}),
    )
}
