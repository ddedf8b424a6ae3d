//! Path parameters with the APIs' own error shape: axum's `Path` answers an undecodable
//! segment (`%ff`, not UTF-8) with a plain-text 400, which no real API sends. Every route
//! with a path parameter belongs to a back-end API (Recherche usager has none), so the
//! refusal is the back-end 400 `{codeErreur, codeHttp, message}`.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use crate::http::error::{ApiError, Family};

/// `Path<T>`, refused in the API's error shape.
#[derive(Debug)]
pub(crate) struct ApiPath<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(t)| ApiPath(t))
            .map_err(|_| {
                ApiError::bad_request(
                    Family::Backend,
                    "paramètre de chemin illisible (encodage invalide)",
                )
                .into_response()
            })
    }
}
