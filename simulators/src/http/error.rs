//! Every refusal the simulators answer, in the real APIs' shapes: the API errors of each API
//! and version, the gateway's 302/401/403/404/429, the token endpoint's OAuth errors and the
//! admin endpoint's. One enum, one `IntoResponse`: the bodies are derived structs.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::http::answer::json;

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

/// A refusal, turned into its answer by [`IntoResponse`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ApiError {
    /// 400: the input is refused (validation). The message reaches the back-end body only:
    /// Recherche usager answers its fixed R997 whatever the input.
    BadRequest(Family, String),
    /// 500 or 503, as injected or on an internal fault.
    Server(Family, u16),
    /// 403 R001 (access refused) or R002 (person of another structure), Recherche usager v2.
    RechercheRefused(&'static str),
    /// Gateway 401: missing, malformed or expired token or jeton.
    Unauthorized(String),
    /// Gateway 403: the token lacks the scope or the realm.
    Forbidden(String),
    /// Gateway 302 for a call without the `pa-*` agent headers (as observed by itou).
    AgentHeadersMissing,
    /// Gateway 429, `text/plain` with `Retry-After` (seconds).
    TooMany(u64),
    /// The token endpoint's OAuth2 error: 400 with `error` and `error_description`.
    OAuth(&'static str, String),
    /// Gateway 404 for a path no API serves.
    NotFound,
    /// 404 for an OpenAPI document the simulators do not serve.
    NoDocument(String),
    /// The admin endpoint without its token.
    AdminUnauthorized,
    /// The admin endpoint given a plan it cannot install.
    InvalidPlan(String),
}

impl ApiError {
    pub(crate) fn bad_request(family: Family, message: &str) -> ApiError {
        ApiError::BadRequest(family, message.to_string())
    }
}

/// The error body of Recherche usager v2's official examples.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RechercheV2Error {
    code_retour: &'static str,
    message: &'static str,
    jeton_usager: Option<String>,
}

/// The error body of Recherche usager v1 (`ResultatRechercheIndividuDTO` with no one named).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RechercheV1Error {
    code_retour: &'static str,
    message: &'static str,
    identifiant: Option<String>,
    top_identite_certifiee: Option<&'static str>,
}

/// The back-ends' error body.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BackendError<'a> {
    code_erreur: &'static str,
    code_http: u16,
    message: &'a str,
}

/// The gateway's and the token endpoint's error body.
#[derive(Serialize)]
struct GatewayError<'a> {
    error: &'a str,
    error_description: &'a str,
}

const UNAVAILABLE: &str = "Service indisponible, veuillez réessayer ultérieurement";

fn recherche_v2(status: StatusCode, code_retour: &'static str, message: &'static str) -> Response {
    json(
        status,
        RechercheV2Error {
            code_retour,
            message,
            jeton_usager: None,
        },
    )
}

fn gateway(status: StatusCode, error: &str, error_description: &str) -> Response {
    json(
        status,
        GatewayError {
            error,
            error_description,
        },
    )
}

fn backend(status: StatusCode, code_erreur: &'static str, message: &str) -> Response {
    json(
        status,
        BackendError {
            code_erreur,
            code_http: status.as_u16(),
            message,
        },
    )
}

fn with_header(mut r: Response, name: header::HeaderName, value: &'static str) -> Response {
    r.headers_mut()
        .insert(name, HeaderValue::from_static(value));
    r
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::BadRequest(Family::RechercheV2, _) => recherche_v2(
                StatusCode::BAD_REQUEST,
                "R997",
                "Une erreur de validation s'est produite",
            ),
            // The platform's fixed message: it does not vary with the input (no validator text).
            ApiError::BadRequest(Family::RechercheV1, _) => json(
                StatusCode::BAD_REQUEST,
                RechercheV1Error {
                    code_retour: "R997",
                    message: "Une erreur de validation s'est produite",
                    identifiant: None,
                    top_identite_certifiee: None,
                },
            ),
            ApiError::BadRequest(Family::Backend, message) => {
                backend(StatusCode::BAD_REQUEST, "ERT_400_FONCT", &message)
            }
            ApiError::Server(Family::RechercheV2, 503) => {
                recherche_v2(StatusCode::SERVICE_UNAVAILABLE, "R999", UNAVAILABLE)
            }
            ApiError::Server(Family::RechercheV2, _) => recherche_v2(
                StatusCode::INTERNAL_SERVER_ERROR,
                "R998",
                "Un service a répondu en erreur",
            ),
            ApiError::Server(_, 503) => {
                backend(StatusCode::SERVICE_UNAVAILABLE, "ERT_503", UNAVAILABLE)
            }
            ApiError::Server(_, _) => backend(
                StatusCode::INTERNAL_SERVER_ERROR,
                "JCS0011G",
                "La vue service retournée par le connecteur HTTP est nulle ou mal formée",
            ),
            ApiError::RechercheRefused(code) => {
                let message = if code == "R001" {
                    "Accès non autorisé"
                } else {
                    "L'usager n'est pas rattaché à la structure de l'accédant"
                };
                recherche_v2(StatusCode::FORBIDDEN, code, message)
            }
            ApiError::Unauthorized(description) => with_header(
                gateway(StatusCode::UNAUTHORIZED, "invalid_token", &description),
                header::WWW_AUTHENTICATE,
                "Bearer realm=\"francetravail\", error=\"invalid_token\"",
            ),
            ApiError::Forbidden(description) => {
                gateway(StatusCode::FORBIDDEN, "insufficient_scope", &description)
            }
            ApiError::AgentHeadersMissing => with_header(
                StatusCode::FOUND.into_response(),
                header::LOCATION,
                "/connexion/oauth2/agent/authorize",
            ),
            ApiError::TooMany(retry_after_s) => {
                let mut r = with_header(
                    (StatusCode::TOO_MANY_REQUESTS, "Too Many Requests").into_response(),
                    header::CONTENT_TYPE,
                    "text/plain",
                );
                if let Ok(v) = HeaderValue::from_str(&retry_after_s.to_string()) {
                    r.headers_mut().insert(header::RETRY_AFTER, v);
                }
                r
            }
            ApiError::OAuth(error, description) => with_header(
                gateway(StatusCode::BAD_REQUEST, error, &description),
                header::CACHE_CONTROL,
                "no-store",
            ),
            ApiError::NotFound => gateway(
                StatusCode::NOT_FOUND,
                "not_found",
                "Aucune API à cette adresse ; voir GET /openapi",
            ),
            ApiError::NoDocument(description) => {
                gateway(StatusCode::NOT_FOUND, "not_found", &description)
            }
            ApiError::AdminUnauthorized => gateway(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "admin token required: Authorization: Bearer <token>",
            ),
            ApiError::InvalidPlan(description) => {
                gateway(StatusCode::BAD_REQUEST, "invalid_plan", &description)
            }
        }
    }
}

impl From<ApiError> for Response {
    fn from(e: ApiError) -> Response {
        e.into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body(e: ApiError) -> (u16, serde_json::Value) {
        let r = e.into_response();
        let status = r.status().as_u16();
        let bytes = axum::body::to_bytes(r.into_body(), 1 << 16).await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap_or_default())
    }

    #[tokio::test]
    async fn each_family_answers_its_own_shape() {
        let (s, b) = body(ApiError::bad_request(Family::Backend, "champ x manquant")).await;
        assert_eq!(s, 400);
        assert_eq!(
            b,
            serde_json::json!({"codeErreur": "ERT_400_FONCT", "codeHttp": 400, "message": "champ x manquant"})
        );
        let (_, b) = body(ApiError::bad_request(Family::RechercheV1, "secret input")).await;
        assert_eq!(
            b,
            serde_json::json!({"codeRetour": "R997", "message": "Une erreur de validation s'est produite", "identifiant": null, "topIdentiteCertifiee": null})
        );
        let (s, b) = body(ApiError::Server(Family::RechercheV2, 503)).await;
        assert_eq!((s, b["codeRetour"].as_str()), (503, Some("R999")));
        assert!(b.get("jetonUsager").is_some_and(|j| j.is_null()));
        let (s, b) = body(ApiError::Server(Family::Backend, 500)).await;
        assert_eq!((s, b["codeHttp"].as_u64()), (500, Some(500)));
    }
}
