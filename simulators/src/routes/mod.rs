//! One file per API (or platform piece).

pub mod admin;
pub mod api_path;
pub mod diagnostic_v1;
pub mod diagnostic_v4;
pub mod docs;
pub mod profile;
pub mod recherche;
pub mod statut;
pub mod token;

use axum::http::HeaderMap;
use axum::response::Response;

use crate::guard::Caller;
use crate::identifiers::{Jeton, JetonError};
use crate::responses::{self, Family};
use crate::state::SimState;

/// The person named by the `ft-jeton-usager` header (version n), for the calling client.
pub fn person_from_jeton(
    s: &SimState,
    caller: &Caller,
    headers: &HeaderMap,
) -> Result<u64, Response> {
    jeton_holder(s, headers, caller.now_ms, &caller.claims.client).map(|j| j.index)
}

/// The verified jeton of the request (see [`person_from_jeton`]), as of `now` (ms), for the
/// client that presents it: a jeton issued to another client is refused.
pub fn jeton_holder(
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
            if holder.client != crate::identifiers::client_key(client) {
                return Err(JetonError::Tampered);
            }
            if now >= holder.expire {
                return Err(JetonError::Expired);
            }
            Ok(holder)
        })
        .map_err(|e| responses::unauthorized(&e.to_string()))
}

/// The person named by the encrypted id in the path (version n-1).
pub fn person_from_id(s: &SimState, id: &str, family: Family) -> Result<u64, Response> {
    s.keys
        .parse_id_rci(id)
        .ok_or_else(|| responses::bad_request(family, "Identifiant national chiffré invalide"))
}
