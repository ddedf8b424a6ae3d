//! The five APIs, one module each (a folder when the API has views of its own), each with
//! its `router()`; the OpenAPI documents; and what their handlers share: the person named by
//! a jeton or an encrypted id.

pub(crate) mod diagnostic_v1;
pub(crate) mod diagnostic_v4;
pub(crate) mod docs;
pub(crate) mod imported;
pub(crate) mod path;
pub(crate) mod profile;
pub(crate) mod recherche;
pub(crate) mod statut;

use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

use crate::http::error::{ApiError, Family};
use crate::platform::guard::Caller;
use crate::population::identifiers::{Jeton, JetonError};
use crate::state::SimState;

/// The person named by the `ft-jeton-usager` header (version n), for the calling client.
pub(crate) fn person_from_jeton(
    s: &SimState,
    caller: &Caller,
    headers: &HeaderMap,
) -> Result<u64, Response> {
    jeton_holder(s, headers, caller.now_ms, &caller.claims.client).map(|j| j.index)
}

/// The verified jeton of the request (see [`person_from_jeton`]), as of `now` (ms), for the
/// client that presents it: a jeton issued to another client is refused.
pub(crate) fn jeton_holder(
    s: &SimState,
    headers: &HeaderMap,
    now: i64,
    client: &str,
) -> Result<Jeton, Response> {
    let jeton = headers
        .get("ft-jeton-usager")
        .and_then(|v| v.to_str().ok())
        .ok_or(JetonError::Missing);
    jeton
        .and_then(|j| {
            let holder = s
                .jetons
                .get_or_verify(j, || s.keys.parse_jeton(j, now, client))?;
            if holder.client != crate::population::identifiers::client_key(client) {
                return Err(JetonError::Tampered);
            }
            if now >= holder.expire {
                return Err(JetonError::Expired);
            }
            Ok(holder)
        })
        .map_err(|e| ApiError::Unauthorized(e.to_string()).into_response())
}

/// The person named by the encrypted id in the path (version n-1).
pub(crate) fn person_from_id(s: &SimState, id: &str, family: Family) -> Result<u64, Response> {
    s.keys.parse_id_rci(id).ok_or_else(|| {
        ApiError::bad_request(family, "Identifiant national chiffré invalide").into_response()
    })
}
